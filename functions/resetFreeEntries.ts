/**
 * POST /maintenance/reset-free-entries (admins only): opens today's free entries, exactly once per UTC day
 * however many callers (and the scheduled maintenance run) start it. Also a direct invocation.
 * Answers and errors: the API table in README.md.
 */
import { AppError } from '../shared/errors';
import { lambdaFunction } from '../shared/edge/lambdaFunction';
import { ResetFreeEntriesPayload } from '../shared/batchValidation';
import { resetFreeEntries } from '../shared/operations/freeEntries';
import { depsFor } from './runtime';

export const { handler, httpHandler } = lambdaFunction({
  name: 'resetFreeEntries',
  access: 'admin',
  fromHttp: (req) => {
    // The day and the allowance are the server's: a body could only be a mistake.
    if (req.body !== undefined && req.body !== '') {
      throw new AppError('INVALID_REQUEST', 'this route takes no body', {
        details: { issues: [{ field: 'body', message: 'must be empty' }] },
      });
    }
    return {};
  },
  direct: ResetFreeEntriesPayload,
  run: async (_command, call) => {
    const deps = await depsFor(call);
    return { msg: 'OK', data: await resetFreeEntries(deps, { now: deps.now(), deadline: call.deadline }) };
  },
});
