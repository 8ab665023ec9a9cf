/**
 * POST /orders/{orderNo}/cancel: the buyer cancels an order (shared/operations/orderTransitions.ts). Optional
 * If-Match with the order's ETag. Also a direct invocation. Payloads, answers and errors: the API table in
 * README.md.
 */
import { callerOf, lambdaFunction } from '../shared/edge/lambdaFunction';
import { expectedVersion, orderEtagHeader, orderTarget, refuseBody } from '../shared/edge/orderRequests';
import { cancelOrder } from '../shared/operations/orderTransitions';
import { OrderTransitionPayload } from '../shared/validation';
import { runtimeDeps } from './runtime';

export const { handler, httpHandler } = lambdaFunction({
  name: 'cancelOrder',
  access: 'user',
  fromHttp: (req) => {
    refuseBody(req);
    return orderTarget(req);
  },
  direct: OrderTransitionPayload,
  run: async ({ orderNo, ifMatch }, call) => {
    const data = await cancelOrder(await runtimeDeps(), {
      orderNo,
      uid: callerOf(call),
      expectVersion: expectedVersion(orderNo, ifMatch),
      deadline: call.deadline,
    });
    return { msg: 'CANCELLED', data, headers: orderEtagHeader(data.order) };
  },
});
