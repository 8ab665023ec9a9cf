/**
 * POST /transfers  body { from, to, amount }, header Idempotency-Key (optional)
 * Direct invocation: { from, to, amount, idempotencyKey?, lang? }
 * 200 { transfer: { transferId, from, to, amount, createdAt } } | 400 INVALID_REQUEST | 401 UNAUTHORIZED
 * | 403 FORBIDDEN | 404 ACCOUNT_NOT_FOUND | 409 TRANSACTION_CONFLICT, IDEMPOTENCY_IN_PROGRESS
 * | 422 INSUFFICIENT_BALANCE, IDEMPOTENCY_KEY_REUSED | 500 INTERNAL | 503 SERVICE_UNAVAILABLE
 */
import { idempotencyKeyOf, replayHeaders } from '../shared/edge/idempotencyHeaders';
import { callerOf, lambdaFunction } from '../shared/edge/lambdaFunction';
import { readJsonObject } from '../shared/edge/body';
import { transfer } from '../shared/operations/transfers';
import { parseWith, TransferBody, TransferPayload } from '../shared/validation';
import { runtimeDeps } from './runtime';

export const { handler, httpHandler } = lambdaFunction({
  name: 'transfer',
  access: 'user',
  fromHttp: (req) => ({ ...parseWith(TransferBody, readJsonObject(req), 'body'), idempotencyKey: idempotencyKeyOf(req) }),
  direct: TransferPayload,
  run: async (command, call) => {
    // The verified caller goes last, so no field of the command can ever stand in for it.
    const { data, replayed } = await transfer(await runtimeDeps(), { ...command, deadline: call.deadline, uid: callerOf(call) });
    return { msg: 'TRANSFERRED', data, headers: replayHeaders(replayed) };
  },
});
