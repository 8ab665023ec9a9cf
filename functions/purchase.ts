/**
 * POST /products/{id}/purchase  body { quantity, strategy? }, header Idempotency-Key (optional)
 * Direct invocation: { productId, quantity, strategy?, idempotencyKey?, lang? }
 * 200 { order, stock, attempts, strategy } | 400 INVALID_REQUEST | 401 UNAUTHORIZED | 404 PRODUCT_NOT_FOUND
 * | 409 VERSION_CONFLICT, TRANSACTION_CONFLICT, IDEMPOTENCY_IN_PROGRESS | 422 INSUFFICIENT_STOCK,
 * IDEMPOTENCY_KEY_REUSED | 500 INTERNAL | 503 SERVICE_UNAVAILABLE
 */
import { idempotencyKeyOf, replayHeaders } from '../shared/edge/idempotencyHeaders';
import { callerOf, lambdaFunction } from '../shared/edge/lambdaFunction';
import { readJsonObject } from '../shared/edge/body';
import { purchase } from '../shared/operations/purchase';
import { DEFAULT_STRATEGY, Id, parseWith, PurchaseBody, PurchasePayload } from '../shared/validation';
import { runtimeDeps } from './runtime';

export const { handler, httpHandler } = lambdaFunction({
  name: 'purchase',
  access: 'user',
  fromHttp: (req) => ({
    productId: parseWith(Id, req.pathParams.id, 'path.id'),
    ...parseWith(PurchaseBody, readJsonObject(req), 'body'),
    idempotencyKey: idempotencyKeyOf(req),
  }),
  direct: PurchasePayload,
  run: async (command, call) => {
    const { data, replayed } = await purchase(await runtimeDeps(), {
      uid: callerOf(call),
      productId: command.productId,
      quantity: command.quantity,
      strategy: command.strategy ?? DEFAULT_STRATEGY,
      deadline: call.deadline,
      idempotencyKey: command.idempotencyKey,
    });
    return { msg: 'PURCHASED', data, headers: replayHeaders(replayed) };
  },
});
