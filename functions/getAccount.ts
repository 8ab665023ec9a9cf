/**
 * GET /accounts/{id}  (the owner only). Direct invocation: { accountId, lang? }
 * 200 { id, owner, balance, version } | 400 INVALID_REQUEST | 401 UNAUTHORIZED | 404 ACCOUNT_NOT_FOUND (also for
 * another user's account: existence is not revealed)
 */
import { callerOf, lambdaFunction } from '../shared/edge/lambdaFunction';
import { getAccount } from '../shared/operations/transfers';
import { GetAccountPayload, Id, parseWith } from '../shared/validation';
import { runtimeDeps } from './runtime';

export const { handler, httpHandler } = lambdaFunction({
  name: 'getAccount',
  access: 'user',
  fromHttp: (req) => ({ accountId: parseWith(Id, req.pathParams.id, 'path.id') }),
  direct: GetAccountPayload,
  run: async ({ accountId }, call) => ({ data: await getAccount(await runtimeDeps(), callerOf(call), accountId) }),
});
