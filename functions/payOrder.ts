/**
 * POST /orders/{orderNo}/pay { accountId }: the buyer pays their pending order from their own account
 * (shared/operations/orderPayments.ts). Optional If-Match with the order's ETag; Idempotency-Key like transfers.
 * Also a direct invocation. Payloads, answers and errors: the API table in README.md.
 */
import { readJsonObject } from '../shared/edge/body';
import { idempotencyKeyOf } from '../shared/edge/idempotencyHeaders';
import { callerOf, lambdaFunction } from '../shared/edge/lambdaFunction';
import { expectedVersion, orderEtagHeader, orderTarget } from '../shared/edge/orderRequests';
import { pay } from '../shared/operations/orderPayments';
import { parseWith, PayBody, PayPayload } from '../shared/validation';
import { depsFor } from './runtime';

export const { handler, httpHandler } = lambdaFunction({
  name: 'payOrder',
  access: 'user',
  fromHttp: (req) => ({ ...orderTarget(req), ...parseWith(PayBody, readJsonObject(req), 'body'), idempotencyKey: idempotencyKeyOf(req) }),
  direct: PayPayload,
  run: async (command, call) => {
    const { data, replayed } = await pay(await depsFor(call), {
      orderNo: command.orderNo,
      accountId: command.accountId,
      expectVersion: expectedVersion(command.orderNo, command.ifMatch),
      idempotencyKey: command.idempotencyKey,
      deadline: call.deadline,
      // The verified caller goes last, so no field of the command can ever stand in for it.
      uid: callerOf(call),
    });
    return { msg: 'PAID', data, headers: orderEtagHeader(data.order), replayed };
  },
});
