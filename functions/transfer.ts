/**
 * POST /transfers: moves money between two accounts, atomically.
 * Also a direct invocation. Payloads, answers and errors: the API table in README.md, the one place they
 * are described.
 */
import { idempotencyKeyOf } from '../shared/edge/idempotencyHeaders';
import { callerOf, lambdaFunction } from '../shared/edge/lambdaFunction';
import { readJsonObject } from '../shared/edge/body';
import { transfer } from '../shared/operations/transfers';
import { parseWith, TransferBody, TransferPayload } from '../shared/validation';
import { depsFor } from './runtime';

export const { handler, httpHandler } = lambdaFunction({
  name: 'transfer',
  access: 'user',
  fromHttp: (req) => ({ ...parseWith(TransferBody, readJsonObject(req), 'body'), idempotencyKey: idempotencyKeyOf(req) }),
  direct: TransferPayload,
  run: async (command, call) => {
    // The verified caller goes last, so no field of the command can ever stand in for it.
    const { data, replayed } = await transfer(await depsFor(call), { ...command, deadline: call.deadline, uid: callerOf(call) });
    return { msg: 'TRANSFERRED', data, replayed };
  },
});
