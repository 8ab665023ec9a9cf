/**
 * POST /orders/{orderNo}/ship: an admin ships an order (shared/operations/orderTransitions.ts). Optional
 * If-Match with the order's ETag. Also a direct invocation. Payloads, answers and errors: the API table in
 * README.md.
 */
import { lambdaFunction } from '../shared/edge/lambdaFunction';
import { expectedVersion, orderEtagHeader, orderTarget, refuseBody } from '../shared/edge/orderRequests';
import { shipOrder } from '../shared/operations/orderTransitions';
import { OrderTransitionPayload } from '../shared/validation';
import { runtimeDeps } from './runtime';

export const { handler, httpHandler } = lambdaFunction({
  name: 'shipOrder',
  access: 'admin',
  fromHttp: (req) => {
    refuseBody(req);
    return orderTarget(req);
  },
  direct: OrderTransitionPayload,
  run: async ({ orderNo, ifMatch }, call) => {
    const data = await shipOrder(await runtimeDeps(), {
      orderNo,
      expectVersion: expectedVersion(orderNo, ifMatch),
      deadline: call.deadline,
    });
    return { msg: 'SHIPPED', data, headers: orderEtagHeader(data.order) };
  },
});
