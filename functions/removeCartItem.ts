/**
 * DELETE /carts/{id}/items/{itemId}  (pull-from-array: one guarded write, each item removed exactly once)
 * Direct invocation: { cartId, itemId, lang? }
 * 200 { removed: true, version } | 400 INVALID_REQUEST | 401 UNAUTHORIZED | 404 CART_NOT_FOUND (also another
 * user's cart: existence is not revealed), ITEM_NOT_FOUND (already removed or never added) | 500 | 503
 */
import { callerOf, lambdaFunction } from '../shared/edge/lambdaFunction';
import { removeItem } from '../shared/operations/carts';
import { Id, parseWith, RemoveCartItemPayload } from '../shared/validation';
import { runtimeDeps } from './runtime';

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
    data: await removeItem(await runtimeDeps(), callerOf(call), cartId, itemId),
  }),
});
