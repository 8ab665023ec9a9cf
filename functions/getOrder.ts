/**
 * GET /orders/{orderNo}  (the buyer only). Direct invocation: { orderNo, lang? }
 * 200 the order | 400 INVALID_REQUEST | 401 UNAUTHORIZED | 404 ORDER_NOT_FOUND (also for another user's order:
 * existence is not revealed)
 */
import { callerOf, lambdaFunction } from '../shared/edge/lambdaFunction';
import { getOrder } from '../shared/operations/products';
import { GetOrderPayload, Id, parseWith } from '../shared/validation';
import { runtimeDeps } from './runtime';

export const { handler, httpHandler } = lambdaFunction({
  name: 'getOrder',
  access: 'user',
  fromHttp: (req) => ({ orderNo: parseWith(Id, req.pathParams.orderNo, 'path.orderNo') }),
  direct: GetOrderPayload,
  run: async ({ orderNo }, call) => ({ data: await getOrder(await runtimeDeps(), callerOf(call), orderNo) }),
});
