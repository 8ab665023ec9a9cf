/**
 * The admin routes end to end through the real handlers, on both backends: batch adjustments (a 1,000-item
 * body, above the 16 KiB every other route allows) and the daily reset; admins only, over HTTP and direct.
 */
import { adminClaims, call, invoke, trustedCallerContext } from '../support/events';
import { backendEnv, loadFunctions, type LoadedFunctions } from '../support/functions';
import { BACKENDS, backendFixture, type BackendFixture } from '../support/stores';

const SECRET = 'test-trusted-caller-secret-0123456789abcdef';

describe.each(BACKENDS)('admin maintenance handlers on %s', (backend) => {
  let fixture: BackendFixture;
  let fns: LoadedFunctions;

  beforeAll(async () => {
    fixture = await backendFixture(backend, 'adminfns');
    fns = loadFunctions(['batchAdjust', 'resetFreeEntries'], { ...backendEnv(backend, fixture), LOCKLESS_TRUSTED_CALLER_SECRET: SECRET });
  });
  afterAll(async () => {
    await fns?.close();
    await fixture?.cleanup();
  });

  const adjust = (body: unknown, who: { sub?: string; claims?: Record<string, unknown> } = { sub: 'ops', claims: adminClaims }) =>
    call(fns.http('batchAdjust'), { method: 'POST', path: '/accounts/batch-adjust', body, ...who }, 60_000);

  it('applies a 1,000-item batch for an admin over HTTP, and the same batch again changes nothing', async () => {
    for (let i = 0; i < 10; i++) await fixture.store.insert('accounts', { id: `h${i}`, owner: `u${i}`, balance: 100 });
    const items = Array.from({ length: 1_000 }, (_, i) => ({ accountId: `h${i % 10}`, delta: i % 2 === 0 ? 3 : -1, reason: `r${i}` }));
    expect(JSON.stringify({ batchId: 'big', items }).length).toBeGreaterThan(16 * 1024);

    const first = await adjust({ batchId: 'big', items });
    const again = await adjust({ batchId: 'big', items });

    expect(first.statusCode).toBe(200);
    expect(first.body.data).toMatchObject({ batchId: 'big', complete: true, applied: 1_000, refused: 0, pending: 0 });
    expect(again.body).toEqual(first.body);
    for (let i = 0; i < 10; i++) expect((await fixture.store.get('accounts', `h${i}`))?.balance).toBe(100 + 100 * (i % 2 === 0 ? 3 : -1));
    expect((await fixture.list('ledger')).filter((e) => e.batchId === 'big')).toHaveLength(1_000);
  });

  it('refuses callers who are not admins, and bodies that are not a batch', async () => {
    const body = { batchId: 'nope', items: [{ accountId: 'h0', delta: 1, reason: 'x' }] };
    expect((await adjust(body, { sub: 'alice' })).body).toMatchObject({ code: 403, error: 'FORBIDDEN' });
    expect((await adjust(body, {})).body).toMatchObject({ code: 401, error: 'UNAUTHORIZED' });
    expect((await adjust({ ...body, items: [] })).body).toMatchObject({ code: 400, error: 'INVALID_REQUEST' });
    expect((await adjust({ ...body, items: [{ accountId: 'h0', delta: 1.5, reason: 'x' }] })).body).toMatchObject({ code: 400 });
    const tooMany = Array.from({ length: 1_001 }, () => ({ accountId: 'h0', delta: 1, reason: 'x' }));
    expect((await adjust({ batchId: 'nope', items: tooMany })).body).toMatchObject({ code: 400 });
    expect(await fixture.store.get('batches', 'nope')).toBeNull();
  });

  it('takes a batch from a trusted server with an admin assertion, directly invoked', async () => {
    await fixture.store.insert('accounts', { id: 'd1', owner: 'u', balance: 5 });
    const payload = {
      batchId: 'direct',
      items: [
        { accountId: 'd1', delta: -6, reason: 'too much' },
        { accountId: 'd1x', delta: 1, reason: 'x' },
      ],
    };

    const refused = await invoke(fns.handler('batchAdjust'), payload, trustedCallerContext(SECRET, 'billing'));
    const answer = await invoke(fns.handler('batchAdjust'), payload, trustedCallerContext(SECRET, 'billing', { admin: true }));

    expect(refused).toMatchObject({ code: 403, error: 'FORBIDDEN' });
    expect(answer).toMatchObject({ code: 200, data: { complete: true, applied: 0, refused: 2 } });
    expect(answer.data.items.map((i: { error?: string }) => i.error)).toEqual(['INSUFFICIENT_BALANCE', 'ACCOUNT_NOT_FOUND']);
  });

  it('resets free entries once a day for an admin', async () => {
    const reset = (who: { sub?: string; claims?: Record<string, unknown> }, body?: unknown) =>
      call(fns.http('resetFreeEntries'), { method: 'POST', path: '/maintenance/reset-free-entries', ...who, ...(body ? { body } : {}) });
    const admin = { sub: 'ops', claims: adminClaims };

    expect((await reset({ sub: 'alice' })).body).toMatchObject({ code: 403 });
    expect((await reset(admin, { day: 'tomorrow' })).body).toMatchObject({ code: 400 });
    const first = await reset(admin);
    const second = await reset(admin);

    expect(first.body).toMatchObject({ code: 200, data: { status: 'reset', allowance: 3, token: 1 } });
    expect(second.body).toMatchObject({ code: 200, data: { status: 'already-done', day: first.body.data.day } });
  });
});
