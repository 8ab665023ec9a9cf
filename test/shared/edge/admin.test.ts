/**
 * Admin access at the edge, on both transports: a verified JWT listing the configured group, or a trusted
 * server's signed admin assertion. Everyone else is refused before the command is read: 401 without an
 * identity, 403 FORBIDDEN with one.
 */
import * as z from 'zod/mini';
import { readConfig, useConfig } from '../../../shared/config';
import { groupsIn, isAdminByClaims } from '../../../shared/edge/admin';
import { signCallerAssertion } from '../../../shared/edge/directIdentity';
import { lambdaFunction } from '../../../shared/edge/lambdaFunction';
import {
  adminClaims,
  assertionContext,
  call,
  cognitoContext,
  invoke,
  TEST_IDENTITY_POOL,
  trustedCallerContext,
} from '../../support/events';

const SECRET = 'a-trusted-caller-secret-of-32-chars-or-more';
const settings = { claim: 'cognito:groups', group: 'lockless-admin' };

describe('groupsIn and isAdminByClaims', () => {
  it('reads the flattened form API Gateway hands over, arrays, and plain lists', () => {
    expect(groupsIn('[staff lockless-admin]')).toEqual(['staff', 'lockless-admin']);
    expect(groupsIn(['lockless-admin', 3, ''])).toEqual(['lockless-admin']);
    expect(groupsIn('a,b c')).toEqual(['a', 'b', 'c']);
    expect(groupsIn(undefined)).toEqual([]);
    expect(groupsIn({ 0: 'lockless-admin' })).toEqual([]);
  });

  it('wants the exact group in the configured claim', () => {
    expect(isAdminByClaims({ 'cognito:groups': '[lockless-admin]' }, settings)).toBe(true);
    expect(isAdminByClaims({ 'cognito:groups': '[lockless-admins]' }, settings)).toBe(false);
    expect(isAdminByClaims({ groups: '[lockless-admin]' }, settings)).toBe(false);
    expect(isAdminByClaims({ groups: ['ops'] }, { claim: 'groups', group: 'ops' })).toBe(true);
    expect(isAdminByClaims(undefined, settings)).toBe(false);
    // An inherited property is no claim.
    expect(isAdminByClaims(Object.create({ 'cognito:groups': '[lockless-admin]' }), settings)).toBe(false);
  });
});

describe('an admin route', () => {
  const ran: { sub?: string; admin: boolean }[] = [];
  let fn: ReturnType<typeof lambdaFunction<{ n: number }>>;

  beforeAll(() => {
    useConfig(readConfig({ LOCKLESS_TRUSTED_CALLER_SECRET: SECRET, LOCKLESS_COGNITO_IDENTITY_POOL_ID: TEST_IDENTITY_POOL }));
    fn = lambdaFunction({
      name: 'adminThing',
      access: 'admin',
      fromHttp: () => ({ n: 1 }),
      direct: z.strictObject({ n: z.number() }),
      run: async (_command, c) => {
        ran.push({ sub: c.sub, admin: c.admin });
        return { msg: 'OK', data: { done: true } };
      },
    });
  });
  afterAll(() => useConfig(readConfig({})));
  beforeEach(() => {
    ran.length = 0;
  });

  const http = (input: { sub?: string; claims?: Record<string, unknown> }) =>
    call(fn.httpHandler, { method: 'POST', path: '/admin-thing', body: {}, ...input });

  it('runs for a JWT that lists the admin group, and says so to the operation', async () => {
    const answer = await http({ sub: 'ada', claims: adminClaims });
    expect(answer.statusCode).toBe(200);
    expect(ran).toEqual([{ sub: 'ada', admin: true }]);
  });

  it('answers 403 FORBIDDEN to a signed-in user who is not an admin, and 401 to nobody, without running', async () => {
    expect((await http({ sub: 'bob' })).body.error).toBe('FORBIDDEN');
    expect((await http({ sub: 'bob', claims: { 'cognito:groups': '[staff]' } })).statusCode).toBe(403);
    expect((await http({})).statusCode).toBe(401);
    expect(ran).toEqual([]);
  });

  it('runs for a trusted server whose signed assertion says admin', async () => {
    const answer = await invoke(fn.handler, { n: 1 }, trustedCallerContext(SECRET, 'ops-bot', { admin: true }));
    expect(answer.code).toBe(200);
    expect(ran).toEqual([{ sub: 'ops-bot', admin: true }]);
  });

  it('refuses a user assertion, a user assertion with admin added afterwards, and an identity-pool caller', async () => {
    expect((await invoke(fn.handler, { n: 1 }, trustedCallerContext(SECRET, 'bob'))).error).toBe('FORBIDDEN');
    const userAssertion = signCallerAssertion(SECRET, 'bob', { functionName: 'test', stage: 'dev', payload: { n: 1 } });
    expect((await invoke(fn.handler, { n: 1 }, assertionContext({ ...userAssertion, admin: true }))).error).toBe('UNAUTHORIZED');
    const adminAssertion = signCallerAssertion(SECRET, 'bob', { functionName: 'test', stage: 'dev', payload: { n: 1 } }, Date.now(), {
      admin: true,
    });
    expect((await invoke(fn.handler, { n: 1 }, assertionContext({ ...adminAssertion, admin: 'yes' }))).error).toBe('UNAUTHORIZED');
    const { admin: _dropped, ...downgraded } = adminAssertion;
    expect((await invoke(fn.handler, { n: 1 }, assertionContext(downgraded))).error).toBe('UNAUTHORIZED');
    expect((await invoke(fn.handler, { n: 1 }, cognitoContext('device-1'))).error).toBe('FORBIDDEN');
    expect(ran).toEqual([]);
  });
});
