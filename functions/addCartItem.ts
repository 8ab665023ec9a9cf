/**
 * POST /carts/{id}/items: adds an item to the caller's cart, creating the cart on the first add; with an
 * Idempotency-Key, a retry replays the first answer instead of adding again (shared/operations/cartChanges.ts).
 * Also a direct invocation. Payloads, answers and errors: the API table in README.md, the one place they
 * are described.
 */
import { callerOf, lambdaFunction } from '../shared/edge/lambdaFunction';
import { readJsonObject } from '../shared/edge/body';
import { idempotencyKeyOf } from '../shared/edge/idempotencyHeaders';
import { addCartItem } from '../shared/operations/cartChanges';
import { AddCartItemPayload, CartItemBody, Id, parseWith } from '../shared/validation';
import { depsFor } from './runtime';

export const { handler, httpHandler } = lambdaFunction({
  name: 'addCartItem',
  access: 'user',
  fromHttp: (req) => ({
    cartId: parseWith(Id, req.pathParams.id, 'path.id'),
    item: parseWith(CartItemBody, readJsonObject(req), 'body'),
    idempotencyKey: idempotencyKeyOf(req),
  }),
  direct: AddCartItemPayload,
  run: async ({ cartId, item, idempotencyKey }, call) => {
    // The key is scoped to the verified caller, who is also the cart's owner.
    const { data, replayed } = await addCartItem(await depsFor(call), {
      cartId,
      item,
      idempotencyKey,
      deadline: call.deadline,
      uid: callerOf(call),
    });
    return { msg: 'ITEM_ADDED', data, replayed };
  },
});
