/**
 * Lottery rounds end to end through the real handlers, on a real server: creating (admin only), reading
 * (public, the seed hidden until the draw), entering (numbers, cap, balance, sold out, idempotency) and drawing
 * (a number anyone can recompute, the prize paid once, a second draw answers the first result), and the
 * drawFullRounds sweep run by several processes at once.
 */
import { seedDemoData } from '../../scripts/local/demoData';
import { sha256Hex } from '../../shared/hash';
import { createDeps } from '../../shared/operations/deps';
import { drawFullRounds } from '../../shared/operations/roundDraws';
import { winningNumber } from '../../shared/rounds';
import { adminClaims, call, invoke, trustedCallerContext } from '../support/events';
import { backendEnv, loadFunctions, type LoadedFunctions } from '../support/functions';
import { backendFixture, type BackendFixture, type BackendName } from '../support/stores';

const SECRET = 'lottery-test-trusted-caller-secret-0123456789';
const idOf = (doc: Record<string, unknown>) => (doc.id ?? doc._id) as string;

export function describeRounds(backend: BackendName): void {
  describe(`lottery rounds on ${backend}`, () => {
    let fixture: BackendFixture;
    let fns: LoadedFunctions;

    beforeAll(async () => {
      fixture = await backendFixture(backend, 'rounds');
      fns = loadFunctions(['createRound', 'getRound', 'enterRound', 'drawRound'], {
        ...backendEnv(backend, fixture),
        LOCKLESS_TRUSTED_CALLER_SECRET: SECRET,
      });
    });
    afterAll(async () => {
      await fns?.close();
      await fixture?.cleanup();
    });

    const create = (body: unknown, sub = 'ops', claims: Record<string, unknown> | undefined = adminClaims) =>
      call(fns.http('createRound'), { method: 'POST', path: '/rounds', body, sub, claims });
    const get = (id: string) => call(fns.http('getRound'), { method: 'GET', path: `/rounds/${id}`, pathParameters: { id } });
    const enter = (id: string, sub: string, body: unknown, headers: Record<string, string> = {}) =>
      call(fns.http('enterRound'), { method: 'POST', path: `/rounds/${id}/entries`, pathParameters: { id }, body, sub, headers });
    const draw = (id: string, sub = 'ops', claims: Record<string, unknown> | undefined = adminClaims) =>
      call(fns.http('drawRound'), { method: 'POST', path: `/rounds/${id}/draw`, pathParameters: { id }, sub, claims });
    const balance = async (id: string) => (await fixture.store.get('accounts', id))?.balance;

    it('creates a round for admins only, with an empty pool and a public commitment', async () => {
      expect((await create({ id: 'r-admin', totalShares: 5, price: 100, capPerUser: 2 }, 'bob', {})).body.error).toBe('FORBIDDEN');
      const created = await create({ id: 'r-admin', totalShares: 5, price: 100, capPerUser: 2 });
      expect(created.statusCode).toBe(200);
      expect(created.body.data.round).toMatchObject({ id: 'r-admin', status: 'open', sold: 0, prize: 500, version: 1 });
      expect(created.body.data.round.commitment).toMatch(/^[0-9a-f]{64}$/);
      expect(created.body.data.round.seed).toBeUndefined();
      expect(await fixture.store.get('accounts', 'pool-r-admin')).toMatchObject({ balance: 0, owner: '' });

      expect((await create({ id: 'r-admin', totalShares: 5, price: 100, capPerUser: 2 })).body.error).toBe('ROUND_EXISTS');
      expect((await create({ id: 'r-bad', totalShares: 5, price: 100, capPerUser: 6 })).body.error).toBe('INVALID_REQUEST');
      expect((await create({ id: 'r-bad', totalShares: 5, price: 100, capPerUser: 2, prize: 501 })).body.error).toBe('INVALID_REQUEST');
      expect(await fixture.store.get('rounds', 'r-bad')).toBeNull();

      const read = await get('r-admin');
      expect(read.statusCode).toBe(200);
      expect(read.body.data.round.commitment).toBe(created.body.data.round.commitment);
      expect(read.body.data.round.seed).toBeUndefined();
      expect((await get('nope')).body.error).toBe('ROUND_NOT_FOUND');
    });

    it('creates a round by direct invocation from a trusted admin server', async () => {
      const payload = { id: 'r-direct', totalShares: 3, price: 10, capPerUser: 3 };
      expect((await invoke(fns.handler('createRound'), payload, trustedCallerContext(SECRET, 'bot'))).error).toBe('FORBIDDEN');
      const answer = await invoke(fns.handler('createRound'), payload, trustedCallerContext(SECRET, 'bot', { admin: true }));
      expect(answer.code).toBe(200);
      expect((await invoke(fns.handler('getRound'), { roundId: 'r-direct' })).data.round.status).toBe('open');
    });

    it('sells consecutive numbers, enforces cap, balance and ownership, flips to full, then draws once', async () => {
      await create({ id: 'r-flow', totalShares: 5, price: 100, capPerUser: 3, prize: 450 });
      await fixture.store.insert('accounts', { id: 'acc-ann', owner: 'ann', balance: 1_000 });
      await fixture.store.insert('accounts', { id: 'acc-ben', owner: 'ben', balance: 250 });
      await fixture.store.insert('accounts', { id: 'acc-cy', owner: 'cy', balance: 1_000 });

      const first = await enter('r-flow', 'ann', { accountId: 'acc-ann', shares: 2 }, { 'idempotency-key': 'k1' });
      expect(first.statusCode).toBe(200);
      expect(first.body.data.entry).toMatchObject({ numbers: [1, 2], amount: 200, roundId: 'r-flow' });
      // The same key again: the same entry, no second debit.
      const again = await enter('r-flow', 'ann', { accountId: 'acc-ann', shares: 2 }, { 'idempotency-key': 'k1' });
      expect(again.body.data.entry.id).toBe(first.body.data.entry.id);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(await balance('acc-ann')).toBe(800);

      expect((await enter('r-flow', 'ann', { accountId: 'acc-ann', shares: 2 })).body).toMatchObject({
        error: 'ENTRY_CAP_EXCEEDED',
        data: { cap: 3, held: 2, requested: 2 },
      });
      expect((await enter('r-flow', 'ben', { accountId: 'acc-ben', shares: 3 })).body.error).toBe('INSUFFICIENT_BALANCE');
      expect((await enter('r-flow', 'ben', { accountId: 'acc-ann', shares: 1 })).body.error).toBe('FORBIDDEN');
      // A pool belongs to nobody, its own round's included (one item twice in a transaction would be a 500 on DynamoDB).
      expect((await enter('r-flow', 'ben', { accountId: 'pool-r-flow', shares: 1 })).body.error).toBe('FORBIDDEN');
      expect((await enter('r-flow', 'ben', { accountId: 'pool-r-admin', shares: 1 })).body.error).toBe('FORBIDDEN');
      expect((await enter('r-flow', 'ben', { accountId: 'acc-ben', shares: 0 })).body.error).toBe('INVALID_REQUEST');
      expect((await draw('r-flow')).body.error).toBe('ROUND_NOT_FULL');

      expect((await enter('r-flow', 'ben', { accountId: 'acc-ben', shares: 2 })).body.data.entry.numbers).toEqual([3, 4]);
      expect((await enter('r-flow', 'cy', { accountId: 'acc-cy', shares: 2 })).body).toMatchObject({
        error: 'ROUND_SOLD_OUT',
        data: { requested: 2, available: 1 },
      });
      const last = await enter('r-flow', 'cy', { accountId: 'acc-cy', shares: 1 });
      expect(last.body.data.entry.numbers).toEqual([5]);
      expect(last.body.data.round).toMatchObject({ status: 'full', sold: 5, finalEntryId: last.body.data.entry.id });
      expect((await enter('r-flow', 'cy', { accountId: 'acc-cy', shares: 1 })).body.error).toBe('ROUND_SOLD_OUT');
      expect(await balance('pool-r-flow')).toBe(500);
      expect((await fixture.store.get('roundQueue', 'full-rounds'))?.rounds).toEqual([expect.objectContaining({ id: 'r-flow' })]);

      expect((await draw('r-flow', 'ann', {})).body.error).toBe('FORBIDDEN');
      const drawn = await draw('r-flow');
      expect(drawn.statusCode).toBe(200);
      const round = drawn.body.data.round;
      expect(drawn.body.data.drawnNow).toBe(true);
      // Anyone can check: the seed matches the commitment published at creation, and the formula gives the number.
      expect(sha256Hex(round.seed)).toBe(round.commitment);
      expect(round.winningNumber).toBe(winningNumber(round.seed, 'r-flow', round.finalEntryId, 5));
      const holders: Record<number, [string, string]> = { 1: ['ann', 'acc-ann'], 2: ['ann', 'acc-ann'], 3: ['ben', 'acc-ben'] };
      Object.assign(holders, { 4: ['ben', 'acc-ben'], 5: ['cy', 'acc-cy'] });
      const [winnerUid, winnerAccount] = holders[round.winningNumber]!;
      expect(await fixture.store.get('rounds', 'r-flow')).toMatchObject({ status: 'drawn', winnerUid, winnerAccountId: winnerAccount });
      const before = { 'acc-ann': 800, 'acc-ben': 50, 'acc-cy': 900 } as Record<string, number>;
      expect(await balance(winnerAccount)).toBe(before[winnerAccount]! + 450);
      expect(await balance('pool-r-flow')).toBe(50);

      const second = await draw('r-flow');
      expect(second.body.data).toEqual({ round, drawnNow: false });
      expect(await balance(winnerAccount)).toBe(before[winnerAccount]! + 450);
      expect((await fixture.list('ledger')).filter((e) => e.kind === 'round-prize' && e.roundId === 'r-flow')).toHaveLength(1);
      expect((await get('r-flow')).body.data.round.seed).toBe(round.seed);
      expect((await fixture.store.get('roundQueue', 'full-rounds'))?.rounds).toEqual([]);
    });

    it('seeds the demo round once, open and with its pool, like any created round', async () => {
      expect((await seedDemoData(fixture.store)).inserted).toContain('rounds/demo-round');
      expect((await seedDemoData(fixture.store)).existing).toContain('rounds/demo-round');
      expect((await get('demo-round')).body.data.round).toMatchObject({ status: 'open', totalShares: 10, sold: 0 });
      expect(await fixture.store.get('accounts', 'pool-demo-round')).toMatchObject({ balance: 0 });
    });

    it('draws each full round once when several sweeps run at the same time', async () => {
      const deps = createDeps(fixture.store);
      for (const id of ['sw-1', 'sw-2', 'sw-3']) {
        await create({ id, totalShares: 2, price: 10, capPerUser: 2 });
        await fixture.store.insert('accounts', { id: `acc-${id}`, owner: `u-${id}`, balance: 100 });
        expect((await enter(id, `u-${id}`, { accountId: `acc-${id}`, shares: 2 })).body.data.round.status).toBe('full');
      }
      const now = Date.now();
      const summaries = await Promise.all(Array.from({ length: 5 }, () => drawFullRounds(deps, { now, deadline: now + 60_000 })));
      expect(summaries.reduce((s, x) => s + x.drawn, 0)).toBe(3);
      expect(summaries.every((s) => s.failed === 0)).toBe(true);
      const prizes = (await fixture.list('ledger')).filter((e) => e.kind === 'round-prize' && String(e.roundId).startsWith('sw-'));
      expect(prizes.map((e) => e.roundId).sort()).toEqual(['sw-1', 'sw-2', 'sw-3']);
      for (const id of ['sw-1', 'sw-2', 'sw-3']) {
        expect(await balance(`acc-${id}`)).toBe(100 - 20 + 20);
        expect(await balance(`pool-${id}`)).toBe(0);
      }
      expect((await drawFullRounds(deps, { now, deadline: Date.now() + 60_000 })).queued).toBe(0);
      expect((await fixture.list('rounds')).filter((r) => idOf(r).startsWith('sw-')).every((r) => r.status === 'drawn')).toBe(true);
    });
  });
}
