/**
 * Seed 004's oversold lottery round, on a real server: 250 concurrent entries by 150 users (100 of them buy
 * twice) into one round of 60 shares with a cap of 3 shares per user. Afterwards: exactly 60 shares sold,
 * numbers 1..60 each held exactly once, nobody over the cap, money conserved, and the ledger and the entries
 * match one to one (no entry without its debit, no debit without its entry). Then 10 concurrent draws: one
 * result, one prize.
 */
import { adminClaims, call, type Answer } from '../support/events';
import { backendEnv, loadFunctions, type LoadedFunctions } from '../support/functions';
import { backendFixture, type BackendFixture, type BackendName } from '../support/stores';

const USERS = 150;
const ENTRIES = 250;
const SHARES = 60;
const CAP = 3;
const PRICE = 100;
/**
 * A correctness test, not a speed test: the simulated Lambdas get ample time, and the attempt budget is bounded
 * by that deadline alone (as in purchaseConcurrency.ts), so every entry ends in a definite answer however busy
 * the machine is. Each round of conflicting CASes lets one entry commit.
 */
const REMAINING_MS = 240_000;
const UNBOUNDED_ATTEMPTS = '1000000';
const RACE_TIMEOUT_MS = REMAINING_MS + 60_000;
const ACCEPTED_REFUSALS = ['ROUND_SOLD_OUT', 'ENTRY_CAP_EXCEEDED', 'INSUFFICIENT_BALANCE', 'TRANSACTION_CONFLICT'];

/** Deterministic pseudo-random numbers, so a failure can be reproduced. */
function prng(seed: number) {
  let state = seed >>> 0;
  return (below: number) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state % below;
  };
}

const idOf = (doc: Record<string, unknown>) => (doc.id ?? doc._id) as string;
const sum = (values: number[]) => values.reduce((s, v) => s + v, 0);

export function describeLotteryConcurrency(backend: BackendName): void {
  describe(`500 concurrent entries into a 60-share round on ${backend}`, () => {
    let fixture: BackendFixture;
    let fns: LoadedFunctions;
    const figures: Record<string, unknown>[] = [];

    beforeAll(async () => {
      fixture = await backendFixture(backend, 'lottery');
      // One process plays 500 Lambda containers at once: give it the sockets and patience 500 containers would not need.
      fns = loadFunctions(['createRound', 'enterRound', 'drawRound'], {
        ...backendEnv(backend, fixture),
        LOCKLESS_DB_CONNECT_TIMEOUT_MS: '5000',
        LOCKLESS_DB_REQUEST_TIMEOUT_MS: '60000',
        LOCKLESS_DB_MAX_SOCKETS: '600',
        LOCKLESS_TRANSACTION_ATTEMPTS: UNBOUNDED_ATTEMPTS,
      });
    });
    afterAll(async () => {
      await fns?.close();
      await fixture?.cleanup();
      // The closing note quotes these figures.
      console.log(`lottery concurrency on ${backend}:\n${JSON.stringify(figures, null, 1)}`);
    });

    it(
      'sells exactly 60 numbered shares once each, within caps, conserving money, then draws once',
      async () => {
        // Arrange: the round, and 300 buyers; every tenth can afford only one share.
        const roundId = 'hot-round';
        const created = await call(fns.http('createRound'), {
          method: 'POST',
          path: '/rounds',
          body: { id: roundId, totalShares: SHARES, price: PRICE, capPerUser: CAP },
          sub: 'ops',
          claims: adminClaims,
        });
        expect(created.statusCode).toBe(200);
        const initial = new Map<string, number>();
        for (let u = 0; u < USERS; u++) {
          const balance = u % 10 === 0 ? PRICE + 50 : 1_000;
          initial.set(`acc-${u}`, balance);
          await fixture.store.insert('accounts', { id: `acc-${u}`, owner: `user-${u}`, balance });
        }
        const random = prng(20261202);
        const plan = Array.from({ length: ENTRIES }, (_, i) => {
          const u = i % USERS;
          return { sub: `user-${u}`, body: { accountId: `acc-${u}`, shares: 1 + random(CAP) } };
        });

        // Act
        const started = Date.now();
        const answers: Answer[] = await Promise.all(
          plan.map((p) =>
            call(
              fns.http('enterRound'),
              { method: 'POST', path: `/rounds/${roundId}/entries`, pathParameters: { id: roundId }, body: p.body, sub: p.sub },
              REMAINING_MS,
            ),
          ),
        );
        const ms = Date.now() - started;

        // Assert: every answer is a commit or a refusal that changed nothing.
        const ok = answers.filter((a) => a.statusCode === 200);
        const byCode = (code: string) => answers.filter((a) => a.body.error === code).length;
        const attempts = ok.map((a) => a.body.data.attempts as number);
        figures.push({
          scenario: `${ENTRIES} entries, ${USERS} users, ${SHARES} shares, cap ${CAP}`,
          committed: ok.length,
          soldOut: byCode('ROUND_SOLD_OUT'),
          capExceeded: byCode('ENTRY_CAP_EXCEEDED'),
          insufficient: byCode('INSUFFICIENT_BALANCE'),
          conflicts: byCode('TRANSACTION_CONFLICT'),
          meanAttempts: Number((sum(attempts) / attempts.length).toFixed(2)),
          maxAttempts: Math.max(...attempts),
          ms,
        });
        expect(answers.filter((a) => a.statusCode !== 200 && !ACCEPTED_REFUSALS.includes(a.body.error ?? ''))).toEqual([]);

        const round = await fixture.store.get('rounds', roundId);
        expect(round).toMatchObject({ sold: SHARES, status: 'full' });
        const entries = (await fixture.list('roundEntries')).filter((e) => e.roundId === roundId);
        const numbers = entries.flatMap((e) =>
          Array.from({ length: (e.lastNumber as number) - (e.firstNumber as number) + 1 }, (_, i) => (e.firstNumber as number) + i),
        );
        expect(numbers.sort((a, b) => a - b)).toEqual(Array.from({ length: SHARES }, (_, i) => i + 1));
        expect(entries.map(idOf).sort()).toEqual(ok.map((a) => a.body.data.entry.id as string).sort());
        expect(round?.finalEntryId).toBe(
          entries.find((e) => e.lastNumber === SHARES)?.id ?? idOf(entries.find((e) => e.lastNumber === SHARES)!),
        );

        // Nobody over the cap, and each counter agrees with the entries.
        const held = new Map<string, number>();
        for (const e of entries) held.set(e.uid as string, (held.get(e.uid as string) ?? 0) + (e.shares as number));
        expect([...held.values()].every((n) => n <= CAP)).toBe(true);
        const holdings = (await fixture.list('roundHoldings')).filter((h) => h.roundId === roundId);
        expect(new Map(holdings.map((h) => [h.uid as string, h.shares as number]))).toEqual(held);

        // Money: conserved, nothing negative, and each buyer paid exactly for their entries.
        const accounts = new Map((await fixture.list('accounts')).map((a) => [idOf(a), a.balance as number]));
        const pool = accounts.get(`pool-${roundId}`);
        expect(pool).toBe(SHARES * PRICE);
        expect(sum([...initial.keys()].map((id) => accounts.get(id)!)) + pool!).toBe(sum([...initial.values()]));
        for (const [id, start] of initial) {
          const paid = sum(entries.filter((e) => e.accountId === id).map((e) => e.amount as number));
          expect({ id, balance: accounts.get(id) }).toEqual({ id, balance: start - paid });
        }

        // The ledger and the entries, one to one: no entry without its debit, no debit without its entry.
        const ledger = (await fixture.list('ledger')).filter((l) => l.roundId === roundId && l.kind === 'round-entry');
        const key = (entryId: unknown, from: unknown, amount: unknown) => `${entryId}|${from}|${amount}`;
        expect(ledger.map((l) => key(l.entryId, l.from, l.amount)).sort()).toEqual(
          entries.map((e) => key(idOf(e), e.accountId, e.amount)).sort(),
        );

        // Concurrent draws: one result, one prize.
        const drawStarted = Date.now();
        const draws = await Promise.all(
          Array.from({ length: 10 }, () =>
            call(
              fns.http('drawRound'),
              { method: 'POST', path: `/rounds/${roundId}/draw`, pathParameters: { id: roundId }, sub: 'ops', claims: adminClaims },
              REMAINING_MS,
            ),
          ),
        );
        figures.push({
          scenario: '10 concurrent draws',
          ms: Date.now() - drawStarted,
          drawnNow: draws.filter((d) => d.body.data?.drawnNow).length,
        });
        expect(draws.map((d) => d.statusCode)).toEqual(Array(10).fill(200));
        expect(draws.filter((d) => d.body.data.drawnNow)).toHaveLength(1);
        expect(new Set(draws.map((d) => d.body.data.round.winningEntryId)).size).toBe(1);
        const prizes = (await fixture.list('ledger')).filter((l) => l.roundId === roundId && l.kind === 'round-prize');
        expect(prizes).toHaveLength(1);
        const winner = entries.find((e) => idOf(e) === draws[0]!.body.data.round.winningEntryId)!;
        expect(await fixture.store.get('accounts', winner.accountId as string)).toMatchObject({
          balance: accounts.get(winner.accountId as string)! + SHARES * PRICE,
        });
        expect((await fixture.store.get('accounts', `pool-${roundId}`))?.balance).toBe(0);
      },
      RACE_TIMEOUT_MS,
    );
  });
}
