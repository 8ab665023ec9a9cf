/**
 * DELETE /carts/{id}/items/{itemId}: removes one item from the caller's cart, exactly once; with an
 * Idempotency-Key, a retry replays the first answer instead of hearing ITEM_NOT_FOUND
 * (shared/operations/cartChanges.ts).
 * Also a direct invocation. Payloads, answers and errors: the API table in README.md, the one place they
 * are described.
 */
import { callerOf, lambdaFunction } from '../shared/edge/lambdaFunction';
import { idempotencyKeyOf } from '../shared/edge/idempotencyHeaders';
import { removeCartItem } from '../shared/operations/cartChanges';
import { Id, parseWith, RemoveCartItemPayload } from '../shared/validation';
import { depsFor } from './runtime';

export const { handler, httpHandler } = lambdaFunction({
  name: 'removeCartItem',
  access: 'user',
  fromHttp: (req) => ({
    cartId: parseWith(Id, req.pathParams.id, 'path.id'),
    itemId: parseWith(Id, req.pathParams.itemId, 'path.itemId'),
    idempotencyKey: idempotencyKeyOf(req),
  }),
  direct: RemoveCartItemPayload,
  run: async ({ cartId, itemId, idempotencyKey }, call) => {
    // The key is scoped to the verified caller, who is also the cart's owner.
    const { data, replayed } = await removeCartItem(await depsFor(call), {
      cartId,
      itemId,
      idempotencyKey,
      deadline: call.deadline,
      uid: callerOf(call),
    });
    return { msg: 'ITEM_REMOVED', data, replayed };
  },
});
