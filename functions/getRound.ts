/**
 * GET /rounds/{id} (public): a lottery round, its commitment, and once drawn its seed and winning number, so
 * anyone can check the draw. Also a direct invocation. Payloads, answers and errors: the API table in README.md.
 */
import { lambdaFunction } from '../shared/edge/lambdaFunction';
import { getRound } from '../shared/operations/rounds';
import { GetRoundPayload, RoundId } from '../shared/roundValidation';
import { parseWith } from '../shared/validation';
import { runtimeDeps } from './runtime';

export const { handler, httpHandler } = lambdaFunction({
  name: 'getRound',
  access: 'public',
  fromHttp: (req) => ({ roundId: parseWith(RoundId, req.pathParams.id, 'path.id') }),
  direct: GetRoundPayload,
  run: async ({ roundId }) => ({ data: { round: await getRound(await runtimeDeps(), roundId) } }),
});
