import { signCallerAssertion } from '../../shared/edge/directIdentity';
import {
  assertionContext,
  call,
  cognitoContext,
  cognitoOwner,
  httpEvent,
  invoke,
  lambdaContext,
  trustedCallerContext,
} from '../support/events';
import { backendEnv, loadFunctions, type LoadedFunctions } from '../support/functions';
import { BACKENDS, backendFixture, type BackendFixture } from '../support/stores';

const SECRET = 'test-trusted-caller-secret-0123456789abcdef';

describe.each(BACKENDS)('transfer and getAccount handlers on %s', (backend) => {
  let fixture: BackendFixture;
  let fns: LoadedFunctions;
  let n = 0;

  beforeAll(async () => {
    fixture = await backendFixture(backend, 'transfers');
    fns = loadFunctions(['transfer', 'getAccount'], { ...backendEnv(backend, fixture), LOCKLESS_TRUSTED_CALLER_SECRET: SECRET });
  });
  afterAll(async () => {
    await fns?.close();
    await fixture?.cleanup();
  });

  async function accounts(aliceBalance = 1000, bobBalance = 0, aliceOwner = 'alice') {
    const a = `acc-a${++n}`;
    const b = `acc-b${n}`;
    await fixture.store.insert('accounts', { id: a, owner: aliceOwner, balance: aliceBalance });
    await fixture.store.insert('accounts', { id: b, owner: 'bob', balance: bobBalance });
    return { a, b };
  }
  const post = (body: unknown, sub: string | undefined, headers: Record<string, string> = {}) =>
    call(fns.http('transfer'), { method: 'POST', path: '/transfers', body, sub, headers });
  const balance = async (id: string) => (await fixture.store.get('accounts', id))?.balance;
  const ledgerFor = async (id: string) => (await fixture.list('ledger')).filter((e) => e.from === id || e.to === id);

  it('moves money and records it in the ledger', async () => {
    const { a, b } = await accounts();
    const answer = await post({ from: a, to: b, amount: 250 }, 'alice');
    expect(answer.statusCode).toBe(200);
    expect(answer.body).toMatchObject({ code: 200, msg: '转账成功', data: { transfer: { from: a, to: b, amount: 250 } } });
    expect([await balance(a), await balance(b)]).toEqual([750, 250]);
    const ledger = await ledgerFor(a);
    expect(ledger).toHaveLength(1);
    expect(ledger[0]).toMatchObject({ transferId: answer.body.data.transfer.transferId, from: a, to: b, amount: 250, uid: 'alice' });
    const read = await call(fns.http('getAccount'), { method: 'GET', path: `/accounts/${a}`, pathParameters: { id: a }, sub: 'alice' });
    expect(read.body.data).toEqual({ id: a, owner: 'alice', balance: 750, version: 2 });
  });

  it.each([
    ['a caller who does not own from', (a: string, b: string) => ({ body: { from: a, to: b, amount: 1 }, sub: 'bob' }), 403, 'FORBIDDEN'],
    [
      'a missing from (existence not revealed)',
      (_a: string, b: string) => ({ body: { from: 'nobody', to: b, amount: 1 }, sub: 'alice' }),
      403,
      'FORBIDDEN',
    ],
    ['a missing to', (a: string) => ({ body: { from: a, to: 'nobody', amount: 1 }, sub: 'alice' }), 404, 'ACCOUNT_NOT_FOUND'],
    [
      'more than the balance',
      (a: string, b: string) => ({ body: { from: a, to: b, amount: 1001 }, sub: 'alice' }),
      422,
      'INSUFFICIENT_BALANCE',
    ],
    ['from equal to to', (a: string) => ({ body: { from: a, to: a, amount: 1 }, sub: 'alice' }), 400, 'INVALID_REQUEST'],
    ['a zero amount', (a: string, b: string) => ({ body: { from: a, to: b, amount: 0 }, sub: 'alice' }), 400, 'INVALID_REQUEST'],
    ['a fractional amount', (a: string, b: string) => ({ body: { from: a, to: b, amount: 1.5 }, sub: 'alice' }), 400, 'INVALID_REQUEST'],
    ['an unsafe amount', (a: string, b: string) => ({ body: { from: a, to: b, amount: 2 ** 53 }, sub: 'alice' }), 400, 'INVALID_REQUEST'],
    ['a string amount', (a: string, b: string) => ({ body: { from: a, to: b, amount: '1' }, sub: 'alice' }), 400, 'INVALID_REQUEST'],
    [
      'a uid in the body',
      (a: string, b: string) => ({ body: { from: a, to: b, amount: 1, uid: 'alice' }, sub: 'bob' }),
      400,
      'INVALID_REQUEST',
    ],
    ['no identity', (a: string, b: string) => ({ body: { from: a, to: b, amount: 1 }, sub: undefined }), 401, 'UNAUTHORIZED'],
  ])('refuses %s and moves nothing', async (_name, make, status, code) => {
    const { a, b } = await accounts();
    const { body, sub } = make(a, b);
    const answer = await post(body, sub);
    expect(answer.statusCode).toBe(status);
    expect(answer.body).toMatchObject({ code: status, error: code });
    expect([await balance(a), await balance(b)]).toEqual([1000, 0]);
    expect(await ledgerFor(a)).toHaveLength(0);
  });

  it("hides another user's account behind ACCOUNT_NOT_FOUND", async () => {
    const { a } = await accounts();
    const read = await call(fns.http('getAccount'), { method: 'GET', path: `/accounts/${a}`, pathParameters: { id: a }, sub: 'bob' });
    expect(read.body).toMatchObject({ code: 404, error: 'ACCOUNT_NOT_FOUND' });
    expect(JSON.stringify(read.body)).not.toContain('alice');
  });

  it('replays an idempotent retry with the same transferId and answers a reused key with 422', async () => {
    const { a, b } = await accounts();
    const first = await post({ from: a, to: b, amount: 100 }, 'alice', { 'idempotency-key': 'pay-1' });
    const again = await post({ from: a, to: b, amount: 100 }, 'alice', { 'idempotency-key': 'pay-1' });
    expect(again.body.data).toEqual(first.body.data);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const reused = await post({ from: a, to: b, amount: 101 }, 'alice', { 'idempotency-key': 'pay-1' });
    expect(reused.body).toMatchObject({ code: 422, error: 'IDEMPOTENCY_KEY_REUSED' });
    expect([await balance(a), await balance(b)]).toEqual([900, 100]);
    expect(await ledgerFor(a)).toHaveLength(1);
  });

  it('marks a replayed direct invocation with replayed: true in the envelope, and only the replay', async () => {
    const { a, b } = await accounts();
    const payload = { from: a, to: b, amount: 100, idempotencyKey: 'direct-pay-1' };
    const first = await invoke(fns.handler('transfer'), payload, trustedCallerContext(SECRET, 'alice'));
    const again = await invoke(fns.handler('transfer'), payload, trustedCallerContext(SECRET, 'alice'));
    expect(first).toMatchObject({ code: 200 });
    expect(first).not.toHaveProperty('replayed');
    expect(again).toEqual({ ...first, replayed: true });
    const unkeyed = await invoke(fns.handler('transfer'), { from: a, to: b, amount: 1 }, trustedCallerContext(SECRET, 'alice'));
    expect(unkeyed).toMatchObject({ code: 200 });
    expect(unkeyed).not.toHaveProperty('replayed');
    expect([await balance(a), await balance(b)]).toEqual([899, 101]);
  });

  it('logs every write with its verified caller, over HTTP and by direct invocation, refused or not', async () => {
    const { a, b } = await accounts(10);
    const lines: Array<Record<string, unknown>> = [];
    const spy = jest.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(JSON.parse(line)));
    const level = process.env.LOCKLESS_LOG_LEVEL;
    process.env.LOCKLESS_LOG_LEVEL = 'info';
    try {
      await post({ from: a, to: b, amount: 5 }, 'alice');
      await post({ from: a, to: b, amount: 500 }, 'alice');
      await invoke(fns.handler('transfer'), { from: a, to: b, amount: 1 }, trustedCallerContext(SECRET, 'alice'));
      await post({ from: a, to: b, amount: 1 }, 'mallory');
    } finally {
      process.env.LOCKLESS_LOG_LEVEL = level;
      spy.mockRestore();
    }
    const audit = lines.map(({ fn, transport, status, caller, error }) => ({ fn, transport, status, caller, ...(error ? { error } : {}) }));
    expect(audit).toEqual([
      { fn: 'transfer', transport: 'http', status: 200, caller: 'alice' },
      { fn: 'transfer', transport: 'http', status: 422, caller: 'alice', error: 'INSUFFICIENT_BALANCE' },
      { fn: 'transfer', transport: 'direct', status: 200, caller: 'alice' },
      { fn: 'transfer', transport: 'http', status: 403, caller: 'mallory', error: 'FORBIDDEN' },
    ]);
  });

  describe('direct invocation', () => {
    it('takes the caller from a Cognito identity of the configured pool, never from the payload', async () => {
      const { a, b } = await accounts(1000, 0, cognitoOwner('us-east-1:alice'));
      const answer = await invoke(fns.handler('transfer'), { from: a, to: b, amount: 10, lang: 'en' }, cognitoContext('us-east-1:alice'));
      expect(answer).toMatchObject({ code: 200, msg: 'Transfer completed', data: { transfer: { from: a, to: b, amount: 10 } } });
      const forged = await invoke(fns.handler('transfer'), { from: a, to: b, amount: 10, uid: 'alice' }, lambdaContext());
      expect(forged).toMatchObject({ code: 401, error: 'UNAUTHORIZED' });
      expect([await balance(a), await balance(b)]).toEqual([990, 10]);
    });

    it('refuses a Cognito identity of another identity pool', async () => {
      const { a, b } = await accounts(1000, 0, cognitoOwner('us-east-1:alice'));
      const other = cognitoContext('us-east-1:alice', undefined, 'us-east-1:someone-elses-pool');
      expect(await invoke(fns.handler('transfer'), { from: a, to: b, amount: 10 }, other)).toMatchObject({
        code: 401,
        error: 'UNAUTHORIZED',
      });
      expect(await invoke(fns.handler('getAccount'), { accountId: a }, other)).toMatchObject({ code: 401, error: 'UNAUTHORIZED' });
      expect([await balance(a), await balance(b)]).toEqual([1000, 0]);
    });

    it('keeps Cognito identities and JWT users apart: neither can act as the other', async () => {
      // A Cognito identity whose id equals a JWT user's sub is not that user...
      const { a, b } = await accounts();
      expect(await invoke(fns.handler('transfer'), { from: a, to: b, amount: 1 }, cognitoContext('alice'))).toMatchObject({
        code: 403,
        error: 'FORBIDDEN',
      });
      // ...and no JWT claim or trusted caller can name a Cognito identity's owner id.
      const cognitos = await accounts(1000, 0, cognitoOwner('us-east-1:carol'));
      const claimed = await post({ from: cognitos.a, to: cognitos.b, amount: 1 }, cognitoOwner('us-east-1:carol'));
      expect(claimed.body).toMatchObject({ code: 401, error: 'UNAUTHORIZED' });
      const payload = { from: cognitos.a, to: cognitos.b, amount: 1 };
      expect(await invoke(fns.handler('transfer'), payload, trustedCallerContext(SECRET, cognitoOwner('us-east-1:carol')))).toMatchObject({
        code: 401,
      });
      expect([await balance(a), await balance(cognitos.a)]).toEqual([1000, 1000]);
    });

    it("accepts a trusted server's signed assertion and refuses a forged one", async () => {
      const { a, b } = await accounts();
      const ok = await invoke(fns.handler('transfer'), { from: a, to: b, amount: 5 }, trustedCallerContext(SECRET, 'alice'));
      expect(ok.code).toBe(200);
      const refused = await invoke(
        fns.handler('transfer'),
        { from: a, to: b, amount: 5 },
        trustedCallerContext('another-secret-that-is-long-enough-000000', 'alice'),
      );
      expect(refused).toMatchObject({ code: 401, error: 'UNAUTHORIZED' });
      expect(await balance(b)).toBe(5);
    });

    it('binds an assertion to the payload, the function and the stage', async () => {
      const { a, b } = await accounts();
      const signedPayload = { from: a, to: b, amount: 1 };
      const target = { functionName: 'test', stage: 'dev', payload: signedPayload };
      const assertion = signCallerAssertion(SECRET, 'alice', target);
      // The control: exactly what was signed goes through.
      expect((await invoke(fns.handler('transfer'), signedPayload, assertionContext(assertion))).code).toBe(200);
      // Another payload under the same assertion: a bigger amount, or the key order changed and a field added.
      expect((await invoke(fns.handler('transfer'), { ...signedPayload, amount: 500 }, assertionContext(assertion))).code).toBe(401);
      expect((await invoke(fns.handler('transfer'), { amount: 1, to: b, from: a, lang: 'en' }, assertionContext(assertion))).code).toBe(
        401,
      );
      // Signed for another function (getAccount) or another stage.
      const forGetAccount = signCallerAssertion(SECRET, 'alice', { ...target, functionName: 'lockless-dev-getAccount' });
      expect((await invoke(fns.handler('transfer'), signedPayload, assertionContext(forGetAccount))).code).toBe(401);
      const forProd = signCallerAssertion(SECRET, 'alice', { ...target, stage: 'prod' });
      expect((await invoke(fns.handler('transfer'), signedPayload, assertionContext(forProd))).code).toBe(401);
      // Key order does not matter to the hash.
      const reordered = signCallerAssertion(SECRET, 'alice', { ...target, payload: { amount: 1, to: b, from: a } });
      expect((await invoke(fns.handler('transfer'), signedPayload, assertionContext(reordered))).code).toBe(200);
      expect([await balance(a), await balance(b)]).toEqual([998, 2]);
    });

    it('accepts an assertion for 60 s after it was issued and at most 30 s before', async () => {
      const { a, b } = await accounts();
      const at = (offsetS: number) => trustedCallerContext(SECRET, 'alice', { now: Date.now() + offsetS * 1000 });
      const send = (offsetS: number) => invoke(fns.handler('transfer'), { from: a, to: b, amount: 1 }, at(offsetS));
      expect((await send(-50)).code).toBe(200);
      expect((await send(20)).code).toBe(200);
      expect((await send(-70)).code).toBe(401);
      expect((await send(45)).code).toBe(401);
      expect((await send(-300)).code).toBe(401);
      expect([await balance(a), await balance(b)]).toEqual([998, 2]);
    });

    it('treats an API Gateway-shaped event invoked with Cognito credentials as direct: its claims are not trusted', async () => {
      const { a, b } = await accounts();
      const event = httpEvent({ method: 'POST', path: '/transfers', body: { from: a, to: b, amount: 7 }, sub: 'alice' });
      const answer = await invoke(fns.handler('transfer'), event, cognitoContext('mallory'));
      expect(answer).toMatchObject({ code: 400, error: 'INVALID_REQUEST' });
      expect([await balance(a), await balance(b)]).toEqual([1000, 0]);
    });

    it('validates the payload strictly and answers in the requested language', async () => {
      const { a, b } = await accounts(1000, 0, cognitoOwner('alice'));
      expect(await invoke(fns.handler('transfer'), { from: a, to: b, amount: -1, lang: 'en' }, cognitoContext('alice'))).toMatchObject({
        code: 400,
        msg: 'The request is invalid',
        error: 'INVALID_REQUEST',
        data: { issues: [{ field: 'payload.amount' }] },
      });
      expect(await invoke(fns.handler('transfer'), 'not an object', cognitoContext('alice'))).toMatchObject({ code: 400 });
      expect(await invoke(fns.handler('getAccount'), { accountId: a }, cognitoContext('alice'))).toMatchObject({
        code: 200,
        data: { balance: 1000 },
      });
    });
  });
});
