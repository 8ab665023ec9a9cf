/**
 * GET /accounts/{id}: the caller's own account.
 * Also a direct invocation. Payloads, answers and errors: the API table in README.md, the one place they
 * are described.
 */
import { callerOf, lambdaFunction } from '../shared/edge/lambdaFunction';
import { getAccount } from '../shared/operations/transfers';
import { GetAccountPayload, Id, parseWith } from '../shared/validation';
import { depsFor } from './runtime';

export const { handler, httpHandler } = lambdaFunction({
  name: 'getAccount',
  access: 'user',
  fromHttp: (req) => ({ accountId: parseWith(Id, req.pathParams.id, 'path.id') }),
  direct: GetAccountPayload,
  run: async ({ accountId }, call) => ({ data: await getAccount(await depsFor(call), callerOf(call), accountId) }),
});
