/**
 * POST /rounds/{id}/draw (admin): draws a full lottery round exactly once and pays its prize; a round already
 * drawn answers its recorded result (`drawnNow: false`). No body. Also a direct invocation. Payloads, answers
 * and errors: the API table in README.md. The scheduled maintenance function runs drawFullRounds instead.
 */
import { AppError } from '../shared/errors';
import { lambdaFunction } from '../shared/edge/lambdaFunction';
import { drawRound } from '../shared/operations/roundDraws';
import { DrawRoundPayload, RoundId } from '../shared/roundValidation';
import { parseWith } from '../shared/validation';
import { depsFor } from './runtime';

export const { handler, httpHandler } = lambdaFunction({
  name: 'drawRound',
  access: 'admin',
  fromHttp: (req) => {
    // Nothing in a body could change the draw; one that arrives anyway is refused, not ignored.
    if (req.body !== undefined && req.body !== '') {
      throw new AppError('INVALID_REQUEST', 'this route takes no body', {
        details: { issues: [{ field: 'body', message: 'must be empty' }] },
      });
    }
    return { roundId: parseWith(RoundId, req.pathParams.id, 'path.id') };
  },
  direct: DrawRoundPayload,
  run: async ({ roundId }, call) => ({
    msg: 'ROUND_DRAWN',
    data: await drawRound(await depsFor(call), { roundId, deadline: call.deadline }),
  }),
});
