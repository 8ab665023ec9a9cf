/**
 * POST /rounds (admin): creates an open lottery round and its pool account; answers the round with its
 * commitment (the seed's sha256). Also a direct invocation. Payloads, answers and errors: the API table in
 * README.md.
 */
import { lambdaFunction } from '../shared/edge/lambdaFunction';
import { readJsonObject } from '../shared/edge/body';
import { createRound } from '../shared/operations/rounds';
import { CreateRoundBody, CreateRoundPayload } from '../shared/roundValidation';
import { parseWith } from '../shared/validation';
import { depsFor } from './runtime';

export const { handler, httpHandler } = lambdaFunction({
  name: 'createRound',
  access: 'admin',
  fromHttp: (req) => parseWith(CreateRoundBody, readJsonObject(req), 'body'),
  direct: CreateRoundPayload,
  run: async (command, call) => ({
    msg: 'ROUND_CREATED',
    data: { round: await createRound(await depsFor(call), { ...command, deadline: call.deadline }) },
  }),
});
