/**
 * Bursts through serverless-offline over real HTTP (issue 9, part 1), as a user meets `npm start`: every buyer
 * its own user (a development JWT) and its own Idempotency-Key.
 * - purchases: 150 and 500 buyers of quantity 1 for 100 units: exactly 100 successes, each with an order its
 *   buyer reads back with GET /orders/{orderNo}; every other buyer INSUFFICIENT_STOCK; no timeout, no 5xx;
 *   the strategies in EXACT_STRATEGIES are held to that; DEGRADING_STRATEGIES (version) at 150 buyers to a sell-out
 *   with no 5xx and under 5% of 409s; RECORDED_STRATEGIES only to the safety invariants;
 * - 60 concurrent transfers: money conserved, the ledger holds exactly the acknowledged transfers;
 * - 50 concurrent removals of one cart item, every other one with its own Idempotency-Key: exactly one removed,
 *   49 ITEM_NOT_FOUND;
 * - 50 concurrent pays and cancels of one order: exactly one 200, 49 INVALID_TRANSITION, money or stock moved once.
 * - atomic, version and transaction in turn, 300 buyers for 300 units: every buyer must write; no 5xx, under 5% 409s;
 * A figures table per backend is printed at the end (the closing note quotes it).
 */
import type { Strategy } from '../../shared/validation';
import type { OfflineHandle } from '../../scripts/local/offline';
import { httpClient, quantile, type HttpAnswer, type HttpClient } from '../support/httpClient';
import type { BackendFixture, BackendName } from '../support/stores';

/** Held to the exact outcome. The default strategy joins this list when it changes (issue 9, part 2). */
export const EXACT_STRATEGIES: Strategy[] = ['atomic'];
/**
 * Held at 150 buyers to issue 9 part 3's figures: sold out, no timeout or 5xx, and fewer than 5% of the answers
 * 409 (a conflict is retryable and sold nothing, but a buyer refused while units remain is a lost sale).
 */
export const DEGRADING_STRATEGIES: Strategy[] = ['version'];
/** The share of 409 answers DEGRADING_STRATEGIES may give in a 150-buyer burst (issue 9, part 3). */
const MAX_CONFLICT_SHARE = 0.05;
/** Recorded at 150 buyers and checked for safety only: their counts are not asserted yet. */
export const RECORDED_STRATEGIES: Strategy[] = ['transaction'];
const BUYERS = [150, 500];
const STOCK = 100;
const TRANSFERS = 60;
const WALLETS = 30;
const REMOVALS = 50;
const TRANSITIONS = 50;
/**
 * Connections the burst client opens at once: more than the local runtime runs per function (32), so the
 * functions' own line is what a burst meets, but not one socket per buyer on a 2-core machine.
 */
const CLIENT_SOCKETS = 100;
/**
 * The local runtime's limits for these tests. They check answers, not speed (the benchmark measures speed), and
 * run beside the rest of the suite on a busy 2-core machine where MongoDB under Wine needs seconds for a
 * contended transaction: each invocation gets 30 s instead of serverless.yml's 10 s, and may wait 60 s for its
 * turn. The figures table shows how the latencies compare with the real limits.
 */
export const BURST_MARGINS = { LOCKLESS_OFFLINE_TIMEOUT_MS: '30000', LOCKLESS_OFFLINE_MAX_QUEUE_MS: '60000' };
/** Far above the longest a request can take here: its wait in line plus its run. */
const CLIENT_TIMEOUT_MS = 150_000;
/** Jest's limit for one burst and its read-back: above the client's own timeout, so a hang fails on the answers. */
const BURST_TEST_MS = CLIENT_TIMEOUT_MS + 120_000;

export interface BurstTarget {
  offline: OfflineHandle;
  fixture: BackendFixture;
}

interface Figures {
  scenario: string;
  requests: number;
  successes: number;
  refusals: number;
  conflicts409: number;
  fivexx: number;
  timeouts: number;
  other: number;
  p50ms: number;
  p99ms: number;
  after: string;
  readBack: string;
  seconds: number;
}

function tally(answers: HttpAnswer[], refusal: string) {
  const latencies = answers.map((a) => a.ms);
  return {
    requests: answers.length,
    successes: answers.filter((a) => a.status === 200).length,
    refusals: answers.filter((a) => a.body?.error === refusal).length,
    conflicts409: answers.filter((a) => a.status === 409).length,
    fivexx: answers.filter((a) => a.status >= 500).length,
    timeouts: answers.filter((a) => a.timedOut).length,
    other: answers.filter((a) => a.status !== 200 && a.status !== 409 && a.status < 500 && !a.timedOut && a.body?.error !== refusal).length,
    p50ms: Math.round(quantile(latencies, 0.5)),
    p99ms: Math.round(quantile(latencies, 0.99)),
  };
}

export function describeBursts(backend: BackendName, target: () => BurstTarget): void {
  describe('bursts over HTTP', () => {
    let client: HttpClient;
    let run: string;
    const figures: Figures[] = [];

    beforeAll(() => {
      client = httpClient(target().offline.httpUrl, { maxSockets: CLIENT_SOCKETS, timeoutMs: CLIENT_TIMEOUT_MS });
      run = Math.random().toString(36).slice(2, 8);
    });
    afterAll(() => {
      client?.close();
      const columns = Object.keys(figures[0] ?? {}) as Array<keyof Figures>;
      const rows = figures.map((f) => `| ${columns.map((c) => f[c]).join(' | ')} |`);
      // What the functions logged at error level (a 5xx's cause) goes with the figures.
      const errors = (target().offline?.output() ?? '').split('\n').filter((line) => line.includes('"level":"error"'));
      console.log(
        [
          `HTTP bursts on ${backend}:`,
          `| ${columns.join(' | ')} |`,
          `|${columns.map(() => '---').join('|')}|`,
          ...rows,
          `error log lines: ${errors.length}`,
          ...errors.slice(-5),
        ].join('\n'),
      );
    });

    /**
     * `stock` units, `buyers` buyers of one each, all at once (strategies in turn when several); then every
     * success is read back by its buyer.
     */
    async function purchaseBurst(strategies: Strategy | Strategy[], buyers: number, stock = STOCK) {
      const { fixture } = target();
      const turns = ([] as Strategy[]).concat(strategies);
      const label = turns.join('+');
      const strategyOf = (i: number) => turns[i % turns.length] as Strategy;
      const productId = `burst-${run}-${turns.join('-')}-${buyers}`;
      await fixture.store.insert('products', { id: productId, name: '商品A', stock, sold: 0, price: 1999 });
      const buyer = (i: number) => `${productId}-buyer-${i}`;
      const started = Date.now();
      const answers = await Promise.all(
        Array.from({ length: buyers }, (_, i) =>
          client.send('POST', `/products/${productId}/purchase`, {
            sub: buyer(i),
            body: { quantity: 1, strategy: strategyOf(i) },
            headers: { 'idempotency-key': `${productId}-${i}` },
          }),
        ),
      );
      const seconds = (Date.now() - started) / 1000;
      const successes = answers
        .map((answer, i) => ({ answer, sub: buyer(i), strategy: strategyOf(i) }))
        .filter(({ answer }) => answer.status === 200);
      const reads = await Promise.all(
        successes.map(({ answer, sub }) =>
          client.send('GET', `/orders/${encodeURIComponent(answer.body?.data?.order?.orderNo ?? 'missing')}`, { sub }),
        ),
      );
      const readable = successes.filter(
        ({ answer, sub }, i) =>
          reads[i]!.status === 200 && reads[i]!.body.data.orderNo === answer.body.data.order.orderNo && reads[i]!.body.data.uid === sub,
      );
      const product = await fixture.store.get('products', productId);
      const orders = (await fixture.list('orders')).filter((o) => o.productId === productId);
      figures.push({
        scenario: `${buyers} buyers, ${label}${stock === STOCK ? '' : `, ${stock} units`}`,
        ...tally(answers, 'INSUFFICIENT_STOCK'),
        after: `stock ${product?.stock}`,
        readBack: `${readable.length}/${successes.length} orders`,
        seconds,
      });
      return { answers, successes, reads, readable, product, orders };
    }

    const exact = EXACT_STRATEGIES.flatMap((strategy) => BUYERS.map((buyers) => [strategy, buyers] as const));
    it.each(exact)(
      '%s, %i buyers for 100 units: exactly 100 bought and readable, the rest INSUFFICIENT_STOCK, no timeout or 5xx',
      async (strategy, buyers) => {
        const { answers, successes, reads, product, orders } = await purchaseBurst(strategy, buyers);

        expect(answers.filter((a) => a.timedOut || a.status >= 500)).toEqual([]);
        expect(successes).toHaveLength(STOCK);
        expect(answers.filter((a) => a.status !== 200).map((a) => [a.status, a.body?.error])).toEqual(
          Array(buyers - STOCK).fill([422, 'INSUFFICIENT_STOCK']),
        );
        // Every 200 is a real purchase by that buyer (never a runtime's error body), and its buyer can read it.
        for (const [i, { answer, sub }] of successes.entries()) {
          expect(answer.body).toMatchObject({ code: 200, data: { strategy, order: { uid: sub, quantity: 1, status: 'pending_payment' } } });
          expect(reads[i]).toMatchObject({ status: 200, body: { code: 200, data: { orderNo: answer.body.data.order.orderNo, uid: sub } } });
        }
        expect(product).toMatchObject({ stock: 0, sold: STOCK });
        expect(orders.map((o) => o.orderNo).sort()).toEqual(successes.map(({ answer }) => answer.body.data.order.orderNo).sort());
      },
      BURST_TEST_MS,
    );

    it.each(DEGRADING_STRATEGIES)(
      '%s, 150 buyers for 100 units: sold out, every 200 a readable order, no timeout or 5xx, under 5%% answered 409',
      async (strategy) => {
        const { answers, successes, readable, product, orders } = await purchaseBurst(strategy, 150);

        expect(answers.filter((a) => a.timedOut || a.status >= 500)).toEqual([]);
        expect(product).toMatchObject({ stock: 0, sold: STOCK });
        expect(successes).toHaveLength(STOCK);
        expect(readable).toHaveLength(STOCK);
        for (const { answer, sub } of successes) expect(answer.body).toMatchObject({ code: 200, data: { strategy, order: { uid: sub } } });
        // Every other buyer was refused for stock, or (fewer than 5%) told to retry a conflict that took nothing.
        const conflicts = answers.filter((a) => a.status === 409);
        for (const a of conflicts) expect(a.body).toMatchObject({ code: 409, error: 'VERSION_CONFLICT' });
        expect(conflicts.length).toBeLessThan(answers.length * MAX_CONFLICT_SHARE);
        expect(answers.filter((a) => a.status !== 200 && a.status !== 409).map((a) => a.body?.error)).toEqual(
          Array(answers.length - STOCK - conflicts.length).fill('INSUFFICIENT_STOCK'),
        );
        expect(orders.map((o) => o.orderNo).sort()).toEqual(successes.map(({ answer }) => answer.body.data.order.orderNo).sort());
      },
      BURST_TEST_MS,
    );

    it.each(RECORDED_STRATEGIES)(
      '%s, 150 buyers for 100 units: recorded; never oversold, every 200 a readable order',
      async (strategy) => {
        const { answers, successes, readable, product, orders } = await purchaseBurst(strategy, 150);

        expect(answers.filter((a) => a.timedOut)).toEqual([]);
        expect(successes.length).toBeLessThanOrEqual(STOCK);
        expect(readable).toHaveLength(successes.length);
        for (const { answer, sub } of successes) expect(answer.body).toMatchObject({ code: 200, data: { strategy, order: { uid: sub } } });
        // A refusal is one of the documented answers, in lockless's envelope.
        for (const a of answers.filter((x) => x.status !== 200))
          expect(a.body).toMatchObject({ code: a.status, error: expect.any(String) });
        expect(product!.stock as number).toBeGreaterThanOrEqual(0);
        expect((product!.stock as number) + (product!.sold as number)).toBe(STOCK);
        // An acknowledged order is stored; nothing is sold without an order that a 5xx could account for.
        expect(orders.length).toBeGreaterThanOrEqual(successes.length);
        expect(orders.length).toBeLessThanOrEqual(successes.length + answers.filter((a) => a.status >= 500).length);
      },
      BURST_TEST_MS,
    );

    it(
      'atomic, version and transaction in turn, 300 buyers for 300 units: no timeout or 5xx, under 5% answered 409, every 200 a readable order',
      async () => {
        // Every buyer must write, for the whole burst: on MongoDB, writes outside a transaction queue behind a
        // transaction's lock on the product, which once held every connection a shared pool had (local-runtime.md).
        const units = 300;
        const { answers, successes, readable, product, orders } = await purchaseBurst(['atomic', 'version', 'transaction'], units, units);

        expect(answers.filter((a) => a.timedOut || a.status >= 500).map((a) => [a.status, a.body?.error])).toEqual([]);
        const conflicts = answers.filter((a) => a.status === 409);
        for (const a of conflicts) expect(['VERSION_CONFLICT', 'TRANSACTION_CONFLICT']).toContain(a.body?.error);
        expect(conflicts.length).toBeLessThan(answers.length * MAX_CONFLICT_SHARE);
        expect(successes).toHaveLength(answers.length - conflicts.length);
        for (const { answer, sub, strategy } of successes)
          expect(answer.body).toMatchObject({ code: 200, data: { strategy, order: { uid: sub } } });
        expect(readable).toHaveLength(successes.length);
        expect(product).toMatchObject({ stock: units - successes.length, sold: successes.length });
        expect(orders.map((o) => o.orderNo).sort()).toEqual(successes.map(({ answer }) => answer.body.data.order.orderNo).sort());
      },
      BURST_TEST_MS,
    );

    it(
      `${TRANSFERS} concurrent transfers: money conserved, the ledger holds exactly the acknowledged transfers, no 5xx`,
      async () => {
        const { fixture } = target();
        const wallet = (i: number) => `burst-${run}-w${i}`;
        const owner = (i: number) => `burst-${run}-owner-${i}`;
        const initial = new Map<string, number>();
        for (let i = 0; i < WALLETS; i++) {
          initial.set(wallet(i), 10_000);
          await fixture.store.insert('accounts', { id: wallet(i), owner: owner(i), balance: 10_000 });
        }
        // Each wallet pays twice and is paid twice, all at once: transactions contend on every wallet.
        const plan = Array.from({ length: TRANSFERS }, (_, k) => ({
          from: k % WALLETS,
          to: (k + 1 + Math.floor(k / WALLETS)) % WALLETS,
          amount: 1 + ((k * 37) % 100),
        }));
        const started = Date.now();
        const answers = await Promise.all(
          plan.map((p, k) =>
            client.send('POST', '/transfers', {
              sub: owner(p.from),
              body: { from: wallet(p.from), to: wallet(p.to), amount: p.amount },
              headers: { 'idempotency-key': `burst-${run}-t${k}` },
            }),
          ),
        );
        const seconds = (Date.now() - started) / 1000;
        const ok = answers.filter((a) => a.status === 200);
        const balances = new Map<string, number>();
        for (const id of initial.keys()) balances.set(id, (await fixture.store.get('accounts', id))!.balance as number);
        const ledger = (await fixture.list('ledger')).filter((e) => initial.has(e.from as string));
        const sum = (values: Iterable<number>) => [...values].reduce((s, v) => s + v, 0);
        figures.push({
          scenario: `${TRANSFERS} transfers`,
          ...tally(answers, 'INSUFFICIENT_BALANCE'),
          after: `sum ${sum(balances.values())} of ${sum(initial.values())}`,
          readBack: `${ledger.length} in ledger`,
          seconds,
        });

        expect(answers.filter((a) => a.timedOut || a.status >= 500)).toEqual([]);
        // Every answer is a commit or a conflict that changed nothing (409 TRANSACTION_CONFLICT, retryable).
        expect(answers.filter((a) => a.status !== 200 && a.body?.error !== 'TRANSACTION_CONFLICT')).toEqual([]);
        for (const [k, a] of answers.entries()) {
          if (a.status === 200)
            expect(a.body).toMatchObject({
              code: 200,
              data: { transfer: { from: wallet(plan[k]!.from), to: wallet(plan[k]!.to), amount: plan[k]!.amount } },
            });
        }
        expect(ok.length).toBeGreaterThan(0);
        expect(sum(balances.values())).toBe(sum(initial.values()));
        expect(ledger.map((e) => e.transferId).sort()).toEqual(ok.map((a) => a.body.data.transfer.transferId).sort());
        for (const [id, start] of initial) {
          const credits = sum(ledger.filter((e) => e.to === id).map((e) => e.amount as number));
          const debits = sum(ledger.filter((e) => e.from === id).map((e) => e.amount as number));
          expect({ id, balance: balances.get(id) }).toEqual({ id, balance: start + credits - debits });
        }
      },
      BURST_TEST_MS,
    );

    it(
      `${TRANSITIONS} concurrent pays and cancels of one order: exactly one wins, money or stock moves once`,
      async () => {
        const { fixture } = target();
        const sub = `burst-${run}-payer`;
        const productId = `burst-${run}-lifecycle`;
        const wallet = `burst-${run}-wallet`;
        await fixture.store.insert('products', { id: productId, name: 'tea', stock: 10, sold: 0, price: 300 });
        // The merchant account payments go to (LOCKLESS_MERCHANT_ACCOUNT_ID's default); it may be seeded already.
        await fixture.store.insert('accounts', { id: 'acc-merchant', owner: 'merchant', balance: 0 });
        await fixture.store.insert('accounts', { id: wallet, owner: sub, balance: 10_000 });
        const merchantBefore = (await fixture.store.get('accounts', 'acc-merchant'))!.balance as number;
        const bought = await client.send('POST', `/products/${productId}/purchase`, { sub, body: { quantity: 2 } });
        expect(bought.status).toBe(200);
        const orderNo = bought.body.data.order.orderNo as string;
        const started = Date.now();
        const answers = await Promise.all(
          Array.from({ length: TRANSITIONS }, (_, i) =>
            i % 2 === 0
              ? client.send('POST', `/orders/${orderNo}/pay`, { sub, body: { accountId: wallet } })
              : client.send('POST', `/orders/${orderNo}/cancel`, { sub }),
          ),
        );
        const seconds = (Date.now() - started) / 1000;
        const order = await fixture.store.get('orders', orderNo);
        const stock = (await fixture.store.get('products', productId))!.stock as number;
        const paid = 10_000 - ((await fixture.store.get('accounts', wallet))!.balance as number);
        const received = ((await fixture.store.get('accounts', 'acc-merchant'))!.balance as number) - merchantBefore;
        figures.push({
          scenario: `${TRANSITIONS} pays + cancels`,
          ...tally(answers, 'INVALID_TRANSITION'),
          after: `${String(order?.status)}, stock ${stock}`,
          readBack: '-',
          seconds,
        });

        expect(answers.filter((a) => a.timedOut || a.status >= 500)).toEqual([]);
        const wins = answers.filter((a) => a.status === 200);
        expect(wins).toHaveLength(1);
        expect(answers.filter((a) => a.status !== 200).map((a) => [a.status, a.body?.error])).toEqual(
          Array(TRANSITIONS - 1).fill([409, 'INVALID_TRANSITION']),
        );
        expect(order).toMatchObject({ status: wins[0]!.body.data.order.status, version: 2 });
        // Money moved once (paid: the units stay sold) or the stock came back once (cancelled: no money moved).
        const expected = order!.status === 'paid' ? { stock: 8, paid: 600, received: 600 } : { stock: 10, paid: 0, received: 0 };
        expect({ stock, paid, received }).toEqual(expected);
      },
      BURST_TEST_MS,
    );

    it(
      `${REMOVALS} concurrent removals of one cart item, half of them keyed: exactly one removed, the rest ITEM_NOT_FOUND`,
      async () => {
        const cartId = `burst-${run}-cart`;
        const sub = `burst-${run}-shopper`;
        const added = await client.send('POST', `/carts/${cartId}/items`, { sub, body: { id: 'item-1', productId: '1', quantity: 1 } });
        expect(added.status).toBe(200);
        const started = Date.now();
        const answers = await Promise.all(
          // Every other removal carries its own Idempotency-Key: keyed or not, exactly one applies.
          Array.from({ length: REMOVALS }, (_, i) =>
            client.send('DELETE', `/carts/${cartId}/items/item-1`, {
              sub,
              ...(i % 2 === 1 ? { headers: { 'idempotency-key': `burst-${run}-rm-${i}` } } : {}),
            }),
          ),
        );
        const seconds = (Date.now() - started) / 1000;
        const cart = await client.send('GET', `/carts/${cartId}`, { sub });
        figures.push({
          scenario: `${REMOVALS} removals`,
          ...tally(answers, 'ITEM_NOT_FOUND'),
          after: `${cart.body?.data?.itemCount} items`,
          readBack: '-',
          seconds,
        });

        expect(answers.filter((a) => a.timedOut || a.status >= 500)).toEqual([]);
        expect(answers.filter((a) => a.status === 200).map((a) => a.body)).toEqual([
          { code: 200, msg: expect.any(String), data: { removed: true, version: 2 } },
        ]);
        expect(answers.filter((a) => a.status !== 200).map((a) => [a.status, a.body?.error])).toEqual(
          Array(REMOVALS - 1).fill([404, 'ITEM_NOT_FOUND']),
        );
        expect(cart.body.data).toMatchObject({ items: [], itemCount: 0, version: 2 });
      },
      BURST_TEST_MS,
    );
  });
}
