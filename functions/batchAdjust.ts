/**
 * POST /accounts/batch-adjust (admins and trusted servers only): applies up to 1,000 balance adjustments,
 * each exactly once, in atomic chunks; `complete: false` means "send the same batch again to finish it".
 * Also a direct invocation. Payloads, answers and errors: the API table in README.md.
 */
import { readJsonObject } from '../shared/edge/body';
import { callerOf, lambdaFunction } from '../shared/edge/lambdaFunction';
import { BATCH_MAX_INPUT_BYTES, BatchAdjustBody } from '../shared/batchValidation';
import { batchAdjust } from '../shared/operations/batchAdjust';
import { parseWith } from '../shared/validation';
import { depsFor } from './runtime';

export const { handler, httpHandler } = lambdaFunction({
  name: 'batchAdjust',
  access: 'admin',
  maxInputBytes: BATCH_MAX_INPUT_BYTES,
  fromHttp: (req) => parseWith(BatchAdjustBody, readJsonObject(req, BATCH_MAX_INPUT_BYTES), 'body'),
  direct: BatchAdjustBody,
  run: async (command, call) => {
    const data = await batchAdjust(await depsFor(call), { ...command, deadline: call.deadline, by: callerOf(call) });
    return { msg: 'OK', data };
  },
});
