/**
 * POST /products/{id}/purchase: buys a quantity of a product with the chosen strategy.
 * Also a direct invocation. Payloads, answers and errors: the API table in README.md, the one place they
 * are described.
 */
import { idempotencyKeyOf } from '../shared/edge/idempotencyHeaders';
import { callerOf, lambdaFunction } from '../shared/edge/lambdaFunction';
import { readJsonObject } from '../shared/edge/body';
import { purchase } from '../shared/operations/purchase';
import { DEFAULT_STRATEGY, Id, parseWith, PurchaseBody, PurchasePayload } from '../shared/validation';
import { depsFor } from './runtime';

export const { handler, httpHandler } = lambdaFunction({
  name: 'purchase',
  access: 'user',
  fromHttp: (req) => ({
    productId: parseWith(Id, req.pathParams.id, 'path.id'),
    ...parseWith(PurchaseBody, readJsonObject(req), 'body'),
    idempotencyKey: idempotencyKeyOf(req),
  }),
  direct: PurchasePayload,
  metricDimensions: (command) => ({ strategy: command.strategy ?? DEFAULT_STRATEGY }),
  run: async (command, call) => {
    const { data, replayed } = await purchase(await depsFor(call), {
      uid: callerOf(call),
      productId: command.productId,
      quantity: command.quantity,
      strategy: command.strategy ?? DEFAULT_STRATEGY,
      deadline: call.deadline,
      idempotencyKey: command.idempotencyKey,
    });
    return { msg: 'PURCHASED', data, replayed };
  },
});
