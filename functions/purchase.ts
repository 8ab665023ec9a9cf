/**
 * POST /products/{id}/purchase  body { quantity, strategy? }
 * 200 { order, stock, attempts, strategy } | 400 INVALID_REQUEST | 401 UNAUTHORIZED | 404 PRODUCT_NOT_FOUND
 * | 409 VERSION_CONFLICT / TRANSACTION_CONFLICT | 422 INSUFFICIENT_STOCK | 500 INTERNAL | 503 SERVICE_UNAVAILABLE
 */
import { readJsonObject } from '../shared/http/body';
import { httpHandler } from '../shared/http/handler';
import { requireUser } from '../shared/http/request';
import { purchase } from '../shared/operations/purchase';
import { DEFAULT_STRATEGY, Id, parseWith, PurchaseBody } from '../shared/validation';
import { runtimeDeps } from './runtime';

export const handler = httpHandler('purchase', async (req) => {
  const uid = requireUser(req);
  const productId = parseWith(Id, req.pathParams.id, 'path.id');
  const body = parseWith(PurchaseBody, readJsonObject(req), 'body');
  const result = await purchase(runtimeDeps(), {
    uid,
    productId,
    quantity: body.quantity,
    strategy: body.strategy ?? DEFAULT_STRATEGY,
    deadline: req.deadline,
  });
  return { msg: 'PURCHASED', data: result };
});
