/**
 * DELETE /carts/{id}/items/{itemId}: removes one item from the caller's cart, exactly once.
 * Also a direct invocation. Payloads, answers and errors: the API table in README.md, the one place they
 * are described.
 */
import { callerOf, lambdaFunction } from '../shared/edge/lambdaFunction';
import { removeItem } from '../shared/operations/carts';
import { Id, parseWith, RemoveCartItemPayload } from '../shared/validation';
import { depsFor } from './runtime';

export const { handler, httpHandler } = lambdaFunction({
  name: 'removeCartItem',
  access: 'user',
  fromHttp: (req) => ({
    cartId: parseWith(Id, req.pathParams.id, 'path.id'),
    itemId: parseWith(Id, req.pathParams.itemId, 'path.itemId'),
  }),
  direct: RemoveCartItemPayload,
  run: async ({ cartId, itemId }, call) => ({
    msg: 'ITEM_REMOVED',
    data: await removeItem(await depsFor(call), callerOf(call), cartId, itemId),
  }),
});
