/**
 * The EMF metrics a known scenario writes, read back from stdout as CloudWatch would receive them: 200 buyers
 * for 100 units through the real purchase handler against a real server, per strategy, then an idempotent
 * buyer repeating a purchase. The counts must match the answers the buyers got.
 */
import type { Strategy } from '../../shared/validation';
import { emfLinesOf, METRICS_TEST_NAMESPACE as NAMESPACE, totals } from '../support/emf';
import { call, type Answer } from '../support/events';
import { backendEnv, loadFunctions, type LoadedFunctions } from '../support/functions';
import { backendFixture, type BackendFixture, type BackendName } from '../support/stores';

const BUYERS = 200;
const STOCK = 100;
/**
 * The transaction race is smaller: its counts need contention, not size, and 200 MongoDB transactions on one
 * hot document took over a minute of CI on 2 cores (purchaseConcurrency keeps the 200-against-100 race).
 */
const TX_BUYERS = 60;
const TX_STOCK = 30;
/** A correctness test on a busy 2-core machine: the deadline never decides an answer here. */
const REMAINING_MS = 420_000;
const TIMEOUT_MS = REMAINING_MS + 60_000;

export function describePurchaseMetrics(backend: BackendName): void {
  describe(`purchase metrics on ${backend}`, () => {
    let fixture: BackendFixture;
    let unbounded: LoadedFunctions;
    let tight: LoadedFunctions;

    beforeAll(async () => {
      fixture = await backendFixture(backend, 'metrics');
      const env = {
        ...backendEnv(backend, fixture),
        LOCKLESS_METRICS_NAMESPACE: NAMESPACE,
        LOCKLESS_DB_CONNECT_TIMEOUT_MS: '5000',
        LOCKLESS_DB_REQUEST_TIMEOUT_MS: '30000',
        // One process plays every buyer's container: a connection each, as they would have (local-runtime.md).
        LOCKLESS_DB_MAX_SOCKETS: '200',
      };
      unbounded = loadFunctions(['purchase'], {
        ...env,
        LOCKLESS_VERSION_MAX_ATTEMPTS: '1000000',
        LOCKLESS_TRANSACTION_ATTEMPTS: '1000000',
      });
      tight = loadFunctions(['purchase'], { ...env, LOCKLESS_VERSION_MAX_ATTEMPTS: '2' });
    });
    afterAll(async () => {
      await unbounded?.close();
      await tight?.close();
      await fixture?.cleanup();
    });

    async function race(loaded: LoadedFunctions, strategy: Strategy, productId: string, buyers = BUYERS, stock = STOCK) {
      await fixture.store.insert('products', { id: productId, name: '商品A', stock, sold: 0, price: 1999 });
      const { result: answers, lines } = await emfLinesOf(() =>
        Promise.all(
          Array.from({ length: buyers }, (_, i) =>
            call(
              loaded.http('purchase'),
              {
                method: 'POST',
                path: `/products/${productId}/purchase`,
                pathParameters: { id: productId },
                body: { quantity: 1, strategy },
                sub: `buyer-${i}`,
              },
              REMAINING_MS,
            ),
          ),
        ),
      );
      const ok = answers.filter((a) => a.statusCode === 200);
      const count = (code: string) => answers.filter((a) => a.body.error === code).length;
      return {
        answers,
        lines,
        sums: totals(lines),
        ok: ok.length,
        soldOut: count('INSUFFICIENT_STOCK'),
        conflicts: count('VERSION_CONFLICT') + count('TRANSACTION_CONFLICT'),
        attempts: ok.reduce((sum, a: Answer) => sum + (a.body.data.attempts as number), 0),
      };
    }

    it(
      'atomic: 100 PurchaseSucceeded, 100 PurchaseSoldOut, one attempt each, one EMF line per buyer with its dimensions',
      async () => {
        const { lines, sums, ok, soldOut } = await race(unbounded, 'atomic', 'metrics-atomic');

        expect([ok, soldOut]).toEqual([STOCK, BUYERS - STOCK]);
        expect(sums).toEqual({ PurchaseSucceeded: STOCK, PurchaseAttempts: STOCK, PurchaseSoldOut: BUYERS - STOCK });
        expect(lines).toHaveLength(BUYERS);
        for (const line of lines) {
          expect(line._aws.CloudWatchMetrics[0]!.Dimensions).toEqual([['service', 'function', 'strategy']]);
          expect(line).toMatchObject({ service: 'lockless', function: 'purchase', strategy: 'atomic' });
          expect(line._aws.CloudWatchMetrics[0]!.Metrics.every((m) => m.Unit === 'Count')).toBe(true);
        }
      },
      TIMEOUT_MS,
    );

    it(
      'version with 2 attempts: outcomes as answered, a lost CAS behind every retry',
      async () => {
        const { sums, ok, soldOut, conflicts, attempts } = await race(tight, 'version', 'metrics-version');

        expect(ok + soldOut + conflicts).toBe(BUYERS);
        expect(conflicts).toBeGreaterThan(0);
        expect(sums.PurchaseSucceeded ?? 0).toBe(ok);
        expect(sums.PurchaseSoldOut ?? 0).toBe(soldOut);
        expect(sums.PurchaseConflict).toBe(conflicts);
        expect(sums.PurchaseAttempts ?? 0).toBe(attempts);
        expect(sums.PurchaseFailed).toBeUndefined();
        // Every second attempt of a success, and both of every conflicted buyer, followed a lost CAS.
        expect(sums.VersionConflicts).toBeGreaterThanOrEqual(attempts - ok + 2 * conflicts);
      },
      TIMEOUT_MS,
    );

    it(
      'transaction: 30 and 30 of 60 buyers, a counted retry behind every extra run',
      async () => {
        const { sums, ok, soldOut, attempts } = await race(unbounded, 'transaction', 'metrics-transaction', TX_BUYERS, TX_STOCK);

        expect([ok, soldOut]).toEqual([TX_STOCK, TX_BUYERS - TX_STOCK]);
        expect(sums.PurchaseSucceeded).toBe(TX_STOCK);
        expect(sums.PurchaseSoldOut).toBe(TX_BUYERS - TX_STOCK);
        expect(sums.PurchaseAttempts).toBe(attempts);
        expect(sums.PurchaseConflict).toBeUndefined();
        expect(sums.TransactionRetries ?? 0).toBeGreaterThanOrEqual(attempts - TX_STOCK);
        expect(sums.Throttles).toBeUndefined();
        expect(sums.UnitsHeld).toBeUndefined();
      },
      TIMEOUT_MS,
    );

    it('an idempotent repeat counts as IdempotentReplays, not as a second sale', async () => {
      await fixture.store.insert('products', { id: 'metrics-replay', name: '商品B', stock: 5, sold: 0, price: 500 });
      const buy = () =>
        call(unbounded.http('purchase'), {
          method: 'POST',
          path: '/products/metrics-replay/purchase',
          pathParameters: { id: 'metrics-replay' },
          body: { quantity: 1, strategy: 'transaction' },
          headers: { 'idempotency-key': 'metrics-replay-key-0001' },
          sub: 'replaying-buyer',
        });

      const { result: answers, lines } = await emfLinesOf(async () => [await buy(), await buy(), await buy()]);

      expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200]);
      expect(totals(lines)).toEqual({ PurchaseSucceeded: 1, PurchaseAttempts: 1, IdempotentReplays: 2 });
    });
  });
}
