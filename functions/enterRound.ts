/**
 * POST /rounds/{id}/entries: buys shares of a lottery round from one of the caller's accounts, in one
 * transaction (shared/operations/roundEntries.ts). Idempotency-Key like transfers. Also a direct invocation.
 * Payloads, answers and errors: the API table in README.md.
 */
import { idempotencyKeyOf } from '../shared/edge/idempotencyHeaders';
import { callerOf, lambdaFunction } from '../shared/edge/lambdaFunction';
import { readJsonObject } from '../shared/edge/body';
import { enterRound } from '../shared/operations/roundEntries';
import { EnterRoundBody, EnterRoundPayload, RoundId } from '../shared/roundValidation';
import { parseWith } from '../shared/validation';
import { depsFor } from './runtime';

export const { handler, httpHandler } = lambdaFunction({
  name: 'enterRound',
  access: 'user',
  fromHttp: (req) => ({
    roundId: parseWith(RoundId, req.pathParams.id, 'path.id'),
    ...parseWith(EnterRoundBody, readJsonObject(req), 'body'),
    idempotencyKey: idempotencyKeyOf(req),
  }),
  direct: EnterRoundPayload,
  run: async (command, call) => {
    // The verified caller goes last, so no field of the command can ever stand in for it.
    const { data, replayed } = await enterRound(await depsFor(call), { ...command, deadline: call.deadline, uid: callerOf(call) });
    return { msg: 'ROUND_ENTERED', data, replayed };
  },
});
