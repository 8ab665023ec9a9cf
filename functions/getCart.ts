/**
 * GET /carts/{id}: the caller's own cart.
 * Also a direct invocation. Payloads, answers and errors: the API table in README.md, the one place they
 * are described.
 */
import { callerOf, lambdaFunction } from '../shared/edge/lambdaFunction';
import { getCart } from '../shared/operations/carts';
import { GetCartPayload, Id, parseWith } from '../shared/validation';
import { depsFor } from './runtime';

export const { handler, httpHandler } = lambdaFunction({
  name: 'getCart',
  access: 'user',
  fromHttp: (req) => ({ cartId: parseWith(Id, req.pathParams.id, 'path.id') }),
  direct: GetCartPayload,
  run: async ({ cartId }, call) => ({ data: await getCart(await depsFor(call), callerOf(call), cartId) }),
});
