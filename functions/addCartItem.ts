/**
 * POST /carts/{id}/items: adds an item to the caller's cart, creating the cart on the first add.
 * Also a direct invocation. Payloads, answers and errors: the API table in README.md, the one place they
 * are described.
 */
import { callerOf, lambdaFunction } from '../shared/edge/lambdaFunction';
import { readJsonObject } from '../shared/edge/body';
import { addItem } from '../shared/operations/carts';
import { AddCartItemPayload, CartItemBody, Id, parseWith } from '../shared/validation';
import { depsFor } from './runtime';

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
    data: await addItem(await depsFor(call), callerOf(call), cartId, item),
  }),
});
