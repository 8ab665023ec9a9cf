/**
 * GET /carts/{id}  (the owner only). Direct invocation: { cartId, lang? }
 * 200 { id, owner, items, itemCount, version }, items ordered by addedAt then id | 400 INVALID_REQUEST
 * | 401 UNAUTHORIZED | 404 CART_NOT_FOUND (also another user's cart: existence is not revealed) | 500 | 503
 */
import { callerOf, lambdaFunction } from '../shared/edge/lambdaFunction';
import { getCart } from '../shared/operations/carts';
import { GetCartPayload, Id, parseWith } from '../shared/validation';
import { runtimeDeps } from './runtime';

export const { handler, httpHandler } = lambdaFunction({
  name: 'getCart',
  access: 'user',
  fromHttp: (req) => ({ cartId: parseWith(Id, req.pathParams.id, 'path.id') }),
  direct: GetCartPayload,
  run: async ({ cartId }, call) => ({ data: await getCart(await runtimeDeps(), callerOf(call), cartId) }),
});
