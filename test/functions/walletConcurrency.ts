/**
 * Money and retries under concurrency, on a real server:
 * - conservation: 20 accounts, 250 random concurrent transfers; the sum is unchanged, no balance is negative,
 *   the ledger holds exactly the successful transfers, and every balance equals its initial balance plus its
 *   ledger credits minus its ledger debits;
 * - idempotency: 20 concurrent identical purchases (each strategy) or transfers with one key give one side
 *   effect, and every answer carries the same orderNo / transferId.
 */
import { STRATEGIES } from '../../shared/validation';
import { call, type Answer } from '../support/events';
import { backendEnv, loadFunctions, type LoadedFunctions } from '../support/functions';
import { backendFixture, type BackendFixture, type BackendName } from '../support/stores';

const ACCOUNTS = 20;
const TRANSFERS = 250;
/**
 * Generous on purpose: under `npm test` these races share two cores with the other suites, the JVM and Wine,
 * and their answers must not depend on how busy the machine is. Jest's limit sits above it.
 */
const REMAINING_MS = 300_000;
const RACE_TIMEOUT_MS = REMAINING_MS + 60_000;

/** Deterministic pseudo-random numbers, so a failure can be reproduced. */
function prng(seed: number) {
  let state = seed >>> 0;
  return (below: number) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state % below;
  };
}

export function describeWalletConcurrency(backend: BackendName): void {
  describe(`money and retries under concurrency on ${backend}`, () => {
    let fixture: BackendFixture;
    let fns: LoadedFunctions;
    const figures: Record<string, unknown>[] = [];

    beforeAll(async () => {
      fixture = await backendFixture(backend, 'wallet');
      // One process plays 500 Lambda containers at once. DynamoDB Local runs transactions one at a time, so 500
      // simultaneous ones queue for seconds: give this harness the sockets and the patience that 500 separate
      // containers against the real service would not need.
      fns = loadFunctions(['transfer', 'purchase'], {
        ...backendEnv(backend, fixture),
        LOCKLESS_DB_CONNECT_TIMEOUT_MS: '5000',
        LOCKLESS_DB_REQUEST_TIMEOUT_MS: '60000',
        LOCKLESS_DB_MAX_SOCKETS: '600',
      });
    });
    afterAll(async () => {
      await fns?.close();
      await fixture?.cleanup();
      console.log(`wallet concurrency on ${backend}:\n${JSON.stringify(figures, null, 1)}`);
    });

    const transferCall = (sub: string, body: unknown, headers: Record<string, string> = {}) =>
      call(fns.http('transfer'), { method: 'POST', path: '/transfers', body, sub, headers }, REMAINING_MS);

    it(
      'conserves money across 500 random concurrent transfers among 20 accounts',
      async () => {
        const random = prng(20261125);
        const initial = new Map<string, number>();
        for (let i = 0; i < ACCOUNTS; i++) {
          const balance = 1_000 + random(9_000);
          initial.set(`w${i}`, balance);
          await fixture.store.insert('accounts', { id: `w${i}`, owner: `owner-${i}`, balance });
        }
        const plan = Array.from({ length: TRANSFERS }, () => {
          const from = random(ACCOUNTS);
          const to = (from + 1 + random(ACCOUNTS - 1)) % ACCOUNTS;
          return { sub: `owner-${from}`, body: { from: `w${from}`, to: `w${to}`, amount: 1 + random(3_000) } };
        });

        const started = Date.now();
        const answers: Answer[] = await Promise.all(plan.map((p) => transferCall(p.sub, p.body)));
        const ms = Date.now() - started;

        const byCode = (code: string) => answers.filter((a) => a.body.error === code).length;
        const ok = answers.filter((a) => a.statusCode === 200);
        figures.push({
          scenario: 'conservation',
          transfers: TRANSFERS,
          committed: ok.length,
          insufficient: byCode('INSUFFICIENT_BALANCE'),
          conflicts: byCode('TRANSACTION_CONFLICT'),
          ms,
        });
        // Every answer is a commit, a refusal for lack of money, or a conflict that changed nothing.
        expect(
          answers.filter(
            (a) => ![200].includes(a.statusCode) && !['INSUFFICIENT_BALANCE', 'TRANSACTION_CONFLICT'].includes(a.body.error ?? ''),
          ),
        ).toEqual([]);
        expect(ok.length).toBeGreaterThan(TRANSFERS / 4);

        const accounts = (await fixture.list('accounts')).filter((a) => initial.has(a.id as string) || initial.has(a._id as string));
        const balances = new Map(accounts.map((a) => [(a.id ?? a._id) as string, a.balance as number]));
        const sum = (values: Iterable<number>) => [...values].reduce((s, v) => s + v, 0);
        expect(sum(balances.values())).toBe(sum(initial.values()));
        expect([...balances.values()].every((b) => b >= 0)).toBe(true);

        const ledger = (await fixture.list('ledger')).filter((e) => initial.has(e.from as string));
        expect(ledger.map((e) => e.transferId).sort()).toEqual(ok.map((a) => a.body.data.transfer.transferId).sort());
        for (const [id, start] of initial) {
          const credits = sum(ledger.filter((e) => e.to === id).map((e) => e.amount as number));
          const debits = sum(ledger.filter((e) => e.from === id).map((e) => e.amount as number));
          expect({ id, balance: balances.get(id) }).toEqual({ id, balance: start + credits - debits });
        }
      },
      RACE_TIMEOUT_MS,
    );

    it(
      'moves money once for 20 concurrent identical transfers with one idempotency key',
      async () => {
        await fixture.store.insert('accounts', { id: 'idem-from', owner: 'payer', balance: 10_000 });
        await fixture.store.insert('accounts', { id: 'idem-to', owner: 'payee', balance: 0 });
        const body = { from: 'idem-from', to: 'idem-to', amount: 1_234 };
        const answers = await Promise.all(
          Array.from({ length: 20 }, () => transferCall('payer', body, { 'idempotency-key': 'same-transfer' })),
        );
        figures.push({
          scenario: 'idempotent transfer x20',
          statuses: [...new Set(answers.map((a) => a.statusCode))],
          replayed: answers.filter((a) => a.headers['idempotent-replayed']).length,
        });
        expect(answers.map((a) => a.statusCode)).toEqual(Array(20).fill(200));
        expect(new Set(answers.map((a) => a.body.data.transfer.transferId)).size).toBe(1);
        expect((await fixture.store.get('accounts', 'idem-from'))?.balance).toBe(10_000 - 1_234);
        expect((await fixture.store.get('accounts', 'idem-to'))?.balance).toBe(1_234);
        expect((await fixture.list('ledger')).filter((e) => e.from === 'idem-from')).toHaveLength(1);
      },
      RACE_TIMEOUT_MS,
    );

    it.each(STRATEGIES)(
      'buys once for 20 concurrent identical purchases with one idempotency key (%s)',
      async (strategy) => {
        const productId = `idem-${strategy}`;
        await fixture.store.insert('products', { id: productId, name: '商品A', stock: 100, sold: 0, price: 1999 });
        const answers = await Promise.all(
          Array.from({ length: 20 }, () =>
            call(
              fns.http('purchase'),
              {
                method: 'POST',
                path: `/products/${productId}/purchase`,
                pathParameters: { id: productId },
                body: { quantity: 2, strategy },
                sub: 'buyer',
                headers: { 'idempotency-key': `same-${strategy}` },
              },
              REMAINING_MS,
            ),
          ),
        );
        figures.push({
          scenario: `idempotent purchase x20 (${strategy})`,
          statuses: [...new Set(answers.map((a) => a.statusCode))],
          replayed: answers.filter((a) => a.headers['idempotent-replayed']).length,
        });
        expect(answers.map((a) => a.statusCode)).toEqual(Array(20).fill(200));
        expect(new Set(answers.map((a) => a.body.data.order.orderNo)).size).toBe(1);
        expect(answers.filter((a) => !a.headers['idempotent-replayed'])).toHaveLength(1);
        expect(await fixture.store.get('products', productId)).toMatchObject({ stock: 98, sold: 2 });
        expect((await fixture.list('orders')).filter((o) => o.productId === productId)).toHaveLength(1);
      },
      RACE_TIMEOUT_MS,
    );
  });
}
