/**
 * POST /carts/{id}/items  body { id, productId, quantity }  (the cart is created for the caller if absent)
 * Direct invocation: { cartId, item: { id, productId, quantity }, lang? }
 * 200 the cart { id, owner, items, itemCount, version } | 400 INVALID_REQUEST (also a full cart, for now)
 * | 401 UNAUTHORIZED | 404 CART_NOT_FOUND (another user's cart) | 409 ITEM_EXISTS, VERSION_CONFLICT
 * | 500 INTERNAL | 503 SERVICE_UNAVAILABLE
 */
import { callerOf, lambdaFunction } from '../shared/edge/lambdaFunction';
import { readJsonObject } from '../shared/edge/body';
import { addItem } from '../shared/operations/carts';
import { AddCartItemPayload, CartItemBody, Id, parseWith } from '../shared/validation';
import { runtimeDeps } from './runtime';

export const { handler, httpHandler } = lambdaFunction({
  name: 'addCartItem',
  access: 'user',
  fromHttp: (req) => ({
    cartId: parseWith(Id, req.pathParams.id, 'path.id'),
    item: parseWith(CartItemBody, readJsonObject(req), 'body'),
  }),
  direct: AddCartItemPayload,
  run: async ({ cartId, item }, call) => ({
    msg: 'ITEM_ADDED',
    data: await addItem(await runtimeDeps(), callerOf(call), cartId, item),
  }),
});
