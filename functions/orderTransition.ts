/**
 * The three order transitions that take no fields (cancel by the buyer; ship and refund by an admin) as one
 * function each, built the same way: the order number from the path, no body, an optional If-Match, the answer's
 * ETag. Not a handler itself (esbuild.config.mjs leaves it out of the entry points).
 */
import type { SuccessKey } from '../shared/messages';
import { callerOf, lambdaFunction } from '../shared/edge/lambdaFunction';
import { expectedVersion, orderEtagHeader, orderTarget, refuseBody } from '../shared/edge/orderRequests';
import type { OperationDeps } from '../shared/operations/deps';
import type { TransitionInput, TransitionOutcome } from '../shared/operations/orderTransitions';
import { OrderTransitionPayload } from '../shared/validation';
import { depsFor } from './runtime';

type Transition<I> = (deps: OperationDeps, input: I) => Promise<TransitionOutcome>;

/** 'user': the buyer's own orders only (another's is ORDER_NOT_FOUND); 'admin': any order. */
type TransitionSpec = { name: string; msg: SuccessKey } & (
  | { access: 'user'; transition: Transition<TransitionInput & { uid: string }> }
  | { access: 'admin'; transition: Transition<TransitionInput> }
);

export function fieldlessTransition(spec: TransitionSpec) {
  return lambdaFunction({
    name: spec.name,
    access: spec.access,
    fromHttp: (req) => {
      refuseBody(req);
      return orderTarget(req);
    },
    direct: OrderTransitionPayload,
    run: async ({ orderNo, ifMatch }, call) => {
      const deps = await depsFor(call);
      const input = { orderNo, expectVersion: expectedVersion(orderNo, ifMatch), deadline: call.deadline };
      const data =
        spec.access === 'user' ? await spec.transition(deps, { ...input, uid: callerOf(call) }) : await spec.transition(deps, input);
      return { msg: spec.msg, data, headers: orderEtagHeader(data.order) };
    },
  });
}
