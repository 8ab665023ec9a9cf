/**
 * GET /orders/{orderNo}: the caller's own order.
 * Also a direct invocation. Payloads, answers and errors: the API table in README.md, the one place they
 * are described.
 */
import { callerOf, lambdaFunction } from '../shared/edge/lambdaFunction';
import { orderEtagHeader } from '../shared/edge/orderRequests';
import { getOrder } from '../shared/operations/products';
import { GetOrderPayload, Id, parseWith } from '../shared/validation';
import { depsFor } from './runtime';

export const { handler, httpHandler } = lambdaFunction({
  name: 'getOrder',
  access: 'user',
  fromHttp: (req) => ({ orderNo: parseWith(Id, req.pathParams.orderNo, 'path.orderNo') }),
  direct: GetOrderPayload,
  run: async ({ orderNo }, call) => {
    const order = await getOrder(await depsFor(call), callerOf(call), orderNo);
    // The ETag an order transition's If-Match names (orderRequests.ts).
    return { data: order, headers: orderEtagHeader(order) };
  },
});
