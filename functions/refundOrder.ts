/**
 * POST /orders/{orderNo}/refund: an admin refunds an order (shared/operations/orderTransitions.ts). Optional
 * If-Match with the order's ETag. Also a direct invocation. Payloads, answers and errors: the API table in
 * README.md.
 */
import { lambdaFunction } from '../shared/edge/lambdaFunction';
import { expectedVersion, orderEtagHeader, orderTarget, refuseBody } from '../shared/edge/orderRequests';
import { refundOrder } from '../shared/operations/orderTransitions';
import { OrderTransitionPayload } from '../shared/validation';
import { runtimeDeps } from './runtime';

export const { handler, httpHandler } = lambdaFunction({
  name: 'refundOrder',
  access: 'admin',
  fromHttp: (req) => {
    refuseBody(req);
    return orderTarget(req);
  },
  direct: OrderTransitionPayload,
  run: async ({ orderNo, ifMatch }, call) => {
    const data = await refundOrder(await runtimeDeps(), {
      orderNo,
      expectVersion: expectedVersion(orderNo, ifMatch),
      deadline: call.deadline,
    });
    return { msg: 'REFUNDED', data, headers: orderEtagHeader(data.order) };
  },
});
