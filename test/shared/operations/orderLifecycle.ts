/**
 * The order lifecycle on a real server (both backends run this suite): transitions, refusals that change
 * nothing, racing transitions on one order, per-user limits under concurrency for every strategy, and the
 * expiry sweep with a fake clock and concurrent sweeps. Invariants, not interleavings: stock + units in live
 * orders = initial stock, the money supply is constant, every unit and every fen moves once.
 */
import { createDynamoOverdueOrders } from '../../../adapters/dynamodb/overdueOrders';
import { createMongoOverdueOrders } from '../../../adapters/mongodb/overdueOrders';
import { DEFAULT_ORDER_SETTINGS } from '../../../shared/config';
import { LIVE_STATUSES, STRATEGIES, type OrderStatus, type Strategy } from '../../../shared/model';
import { createDeps, DEFAULT_POLICIES, type OperationDeps } from '../../../shared/operations/deps';
import { expireOverdueOrders } from '../../../shared/operations/expireOverdueOrders';
import { pay } from '../../../shared/operations/orderPayments';
import { cancelOrder, orderEtag, refundOrder, shipOrder } from '../../../shared/operations/orderTransitions';
import { purchase } from '../../../shared/operations/purchase';
import type { OverdueOrders } from '../../../shared/overdueOrders';
import { dynamoFixture, mongoFixture, type BackendFixture, type BackendName } from '../../support/stores';

const T0 = Date.UTC(2026, 11, 1, 12, 0, 0);
const WINDOW_MS = DEFAULT_ORDER_SETTINGS.paymentWindowMs;
const MERCHANT = 'acc-merchant';
const PRICE = 500;

type Deps = OperationDeps & { overdueOrders: OverdueOrders; setClock(ms: number): void };

/** A settled promise as a value: the error's code, or 'ok'. */
async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (err) {
    return String((err as { code?: unknown }).code);
  }
}

export function describeOrderLifecycle(backend: BackendName): void {
  describe(`order lifecycle on ${backend}`, () => {
    let fixture: BackendFixture;
    let deps: Deps;
    let seq = 0;

    beforeAll(async () => {
      let overdueOrders: OverdueOrders;
      if (backend === 'dynamodb') {
        const dynamo = await dynamoFixture('lifecycle');
        overdueOrders = createDynamoOverdueOrders({ client: dynamo.raw, tablePrefix: dynamo.tablePrefix });
        fixture = dynamo;
      } else {
        const mongo = await mongoFixture('lifecycle');
        overdueOrders = createMongoOverdueOrders({ client: mongo.client, dbName: mongo.dbName });
        fixture = mongo;
      }
      let clock = T0;
      deps = {
        ...createDeps(fixture.store, {
          now: () => clock,
          log: () => {},
          orderSettings: { paymentWindowMs: WINDOW_MS, merchantAccountId: MERCHANT },
          // Correctness under contention must not depend on a budget: the races below all reach a decision.
          policies: { ...DEFAULT_POLICIES, version: { ...DEFAULT_POLICIES.version, maxAttempts: 100_000 }, transactionAttempts: 100_000 },
        }),
        overdueOrders,
        setClock: (ms: number) => {
          clock = ms;
        },
      };
      await fixture.store.insert('accounts', { id: MERCHANT, owner: 'merchant', balance: 0 });
    });
    afterAll(async () => {
      await fixture?.cleanup();
    });
    beforeEach(() => deps.setClock(T0));

    const deadline = () => Date.now() + 120_000;
    const id = (label: string) => `${label}${++seq}`;

    async function product(stock: number, limitPerUser?: number): Promise<string> {
      const productId = id('p');
      await fixture.store.insert('products', {
        id: productId,
        name: 'tea',
        stock,
        sold: 0,
        price: PRICE,
        ...(limitPerUser ? { limitPerUser } : {}),
      });
      return productId;
    }
    async function account(owner: string, balance: number): Promise<string> {
      const accountId = id('acc');
      await fixture.store.insert('accounts', { id: accountId, owner, balance });
      return accountId;
    }
    async function buy(uid: string, productId: string, quantity = 1, strategy: Strategy = 'transaction') {
      const { data } = await purchase(deps, { uid, productId, quantity, strategy, deadline: deadline() });
      return data.order;
    }
    const get = async (collection: string, docId: string) => (await fixture.store.get(collection, docId)) as Record<string, unknown>;
    const balance = async (accountId: string) => (await get('accounts', accountId)).balance as number;
    async function moneySupply(): Promise<number> {
      return (await fixture.list('accounts')).reduce((sum, a) => sum + (a.balance as number), 0);
    }
    /** Expires what earlier tests left unpaid, so a sweep below only finds this test's orders. */
    async function clearOverdue(): Promise<void> {
      await expireOverdueOrders(deps, { now: T0 + 2 * WINDOW_MS, deadline: deadline() });
    }
    async function liveUnits(productId: string): Promise<number> {
      return (await fixture.list('orders'))
        .filter((o) => o.productId === productId && (LIVE_STATUSES as readonly unknown[]).includes(o.status))
        .reduce((sum, o) => sum + (o.quantity as number), 0);
    }

    it('pay, ship: money moves once from the buyer to the merchant, with a ledger entry; the order shows each step', async () => {
      // Arrange
      const productId = await product(10);
      const wallet = await account('ann', 10_000);
      const merchantBefore = await balance(MERCHANT);
      const order = await buy('ann', productId, 2);
      expect(order).toMatchObject({ status: 'pending_payment', expiresAt: new Date(T0 + WINDOW_MS).toISOString(), version: 1 });
      // Act
      const paid = await pay(deps, { orderNo: order.orderNo, uid: 'ann', accountId: wallet, deadline: deadline() });
      const shipped = await shipOrder(deps, { orderNo: order.orderNo, deadline: deadline() });
      // Assert
      expect(paid.data.order).toMatchObject({ status: 'paid', version: 2 });
      expect(shipped.order).toMatchObject({ status: 'shipped', version: 3 });
      expect(await balance(wallet)).toBe(10_000 - 2 * PRICE);
      expect(await balance(MERCHANT)).toBe(merchantBefore + 2 * PRICE);
      const entries = (await fixture.list('ledger')).filter((e) => e.orderNo === order.orderNo);
      expect(entries).toEqual([expect.objectContaining({ kind: 'payment', from: wallet, to: MERCHANT, amount: 2 * PRICE })]);
      expect(await get('products', productId)).toMatchObject({ stock: 8, sold: 2 });
      // Shipped orders are not refunded, and cannot be shipped twice.
      await expect(refundOrder(deps, { orderNo: order.orderNo, deadline: deadline() })).rejects.toMatchObject({
        code: 'INVALID_TRANSITION',
        details: { status: 'shipped' },
      });
      await expect(shipOrder(deps, { orderNo: order.orderNo, deadline: deadline() })).rejects.toMatchObject({ code: 'INVALID_TRANSITION' });
    });

    it('60 concurrent pays crediting one merchant, with the real budget and a 4 s deadline: each is paid once or refused 409 with nothing applied, never 5xx', async () => {
      // Arrange: real clock and the default budgets, so contention can outlast the deadline as it does in a burst.
      const live = createDeps(fixture.store, { log: () => {}, orderSettings: { paymentWindowMs: WINDOW_MS, merchantAccountId: MERCHANT } });
      const productId = await product(60);
      const buyers = await Promise.all(
        Array.from({ length: 60 }, async (_, i) => {
          const uid = `payer${seq}-${i}`;
          const wallet = await account(uid, 10_000);
          const { data } = await purchase(live, { uid, productId, quantity: 1, strategy: 'atomic', deadline: Date.now() + 60_000 });
          return { uid, wallet, orderNo: data.order.orderNo };
        }),
      );
      const merchantBefore = await balance(MERCHANT);
      // Act
      const codes = await Promise.all(
        buyers.map((b) => codeOf(pay(live, { orderNo: b.orderNo, uid: b.uid, accountId: b.wallet, deadline: Date.now() + 4_000 }))),
      );
      // Assert: a definite answer each; the money and the order agree with it.
      expect(codes.filter((c) => c !== 'ok' && c !== 'TRANSACTION_CONFLICT')).toEqual([]);
      const paid = buyers.filter((_, i) => codes[i] === 'ok');
      expect(await balance(MERCHANT)).toBe(merchantBefore + paid.length * PRICE);
      for (const [i, b] of buyers.entries()) {
        expect(await balance(b.wallet)).toBe(codes[i] === 'ok' ? 10_000 - PRICE : 10_000);
        expect(await get('orders', b.orderNo)).toMatchObject({ status: codes[i] === 'ok' ? 'paid' : 'pending_payment' });
      }
    });

    it('refund: the money goes back to the paying account and the stock to the product, once', async () => {
      const productId = await product(5);
      const wallet = await account('ben', 1_000);
      const order = await buy('ben', productId, 1);
      await pay(deps, { orderNo: order.orderNo, uid: 'ben', accountId: wallet, deadline: deadline() });
      const supply = await moneySupply();
      const refunded = await refundOrder(deps, { orderNo: order.orderNo, deadline: deadline() });
      expect(refunded.order.status).toBe('refunded');
      expect(await balance(wallet)).toBe(1_000);
      expect(await get('products', productId)).toMatchObject({ stock: 5, sold: 0 });
      expect(await moneySupply()).toBe(supply);
      await expect(refundOrder(deps, { orderNo: order.orderNo, deadline: deadline() })).rejects.toMatchObject({
        code: 'INVALID_TRANSITION',
        details: { status: 'refunded' },
      });
      expect(await balance(wallet)).toBe(1_000);
    });

    it('refused payments change nothing: insufficient balance (422), someone else’s account (403), someone else’s order (404)', async () => {
      const productId = await product(5);
      const poor = await account('cat', PRICE - 1);
      const rich = await account('dan', 100_000);
      const order = await buy('cat', productId, 1);
      const before = {
        orders: await fixture.list('orders'),
        accounts: await fixture.list('accounts'),
        ledger: await fixture.list('ledger'),
      };
      const input = { orderNo: order.orderNo, deadline: deadline() };
      await expect(pay(deps, { ...input, uid: 'cat', accountId: poor })).rejects.toMatchObject({
        code: 'INSUFFICIENT_BALANCE',
        details: { requested: PRICE, available: PRICE - 1 },
      });
      await expect(pay(deps, { ...input, uid: 'cat', accountId: rich })).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expect(pay(deps, { ...input, uid: 'dan', accountId: rich })).rejects.toMatchObject({ code: 'ORDER_NOT_FOUND' });
      await expect(cancelOrder(deps, { ...input, uid: 'dan' })).rejects.toMatchObject({ code: 'ORDER_NOT_FOUND' });
      expect({
        orders: await fixture.list('orders'),
        accounts: await fixture.list('accounts'),
        ledger: await fixture.list('ledger'),
      }).toEqual(before);
    });

    it('If-Match: a stale version is 412 with the current ETag; the current one applies', async () => {
      const productId = await product(5);
      const order = await buy('eve', productId, 1);
      const input = { orderNo: order.orderNo, uid: 'eve', deadline: deadline() };
      await expect(cancelOrder(deps, { ...input, expectVersion: 7 })).rejects.toMatchObject({
        code: 'PRECONDITION_FAILED',
        details: { etag: orderEtag(order.orderNo, 1) },
      });
      expect(await get('orders', order.orderNo)).toMatchObject({ status: 'pending_payment', version: 1 });
      const cancelled = await cancelOrder(deps, { ...input, expectVersion: 1 });
      expect(cancelled.order).toMatchObject({ status: 'cancelled', version: 2 });
      expect(await get('products', productId)).toMatchObject({ stock: 5, sold: 0 });
    });

    it('an Idempotency-Key replays the payment instead of paying twice', async () => {
      const productId = await product(5);
      const wallet = await account('fay', 5_000);
      const order = await buy('fay', productId, 2);
      const input = { orderNo: order.orderNo, uid: 'fay', accountId: wallet, deadline: deadline(), idempotencyKey: 'pay-1' };
      const first = await pay(deps, input);
      const again = await pay(deps, input);
      expect(first.replayed).toBe(false);
      expect(again).toEqual({ data: first.data, replayed: true });
      expect(await balance(wallet)).toBe(5_000 - 2 * PRICE);
      expect((await fixture.list('ledger')).filter((e) => e.orderNo === order.orderNo)).toHaveLength(1);
    });

    it('payment is refused once the window has closed, even before a sweep; legacy `created` orders can only be cancelled', async () => {
      const productId = await product(5);
      const wallet = await account('gus', 5_000);
      const late = await buy('gus', productId, 1);
      deps.setClock(T0 + WINDOW_MS);
      await expect(pay(deps, { orderNo: late.orderNo, uid: 'gus', accountId: wallet, deadline: deadline() })).rejects.toMatchObject({
        code: 'INVALID_TRANSITION',
        details: { status: 'pending_payment', reason: 'payment window closed' },
      });
      // An order written before payment existed: it holds one unit and was never paid.
      await fixture.store.update('products', productId, { inc: { stock: -1, sold: 1 } });
      const legacy = id('O-LEGACY-');
      await fixture.store.insert('orders', {
        id: legacy,
        orderNo: legacy,
        uid: 'gus',
        productId,
        quantity: 1,
        price: PRICE,
        amount: PRICE,
        status: 'created',
        createdAt: new Date(T0).toISOString(),
      });
      await expect(pay(deps, { orderNo: legacy, uid: 'gus', accountId: wallet, deadline: deadline() })).rejects.toMatchObject({
        code: 'INVALID_TRANSITION',
        details: { status: 'created' },
      });
      await cancelOrder(deps, { orderNo: legacy, uid: 'gus', deadline: deadline() });
      expect(await balance(wallet)).toBe(5_000);
      expect(await get('products', productId)).toMatchObject({ stock: 4, sold: 1 });
    });

    it.each([0, 1, 2])(
      'race %#: 50 concurrent pays, cancels and sweeps on one order: exactly one wins, money or stock moves once',
      async () => {
        // Arrange: a limited product, so the buyer's allowance must come back exactly when the stock does.
        await clearOverdue();
        const productId = await product(20, 5);
        const wallet = await account('hal', 50_000);
        const order = await buy('hal', productId, 3);
        const supply = await moneySupply();
        const sweepNow = T0 + WINDOW_MS;
        // Act: payments judge the window by the clock (T0, open); the sweeps by their own `now` (closed).
        const kinds = Array.from({ length: 50 }, (_, i) => (['pay', 'cancel', 'sweep'] as const)[i % 3]);
        const outcomes = await Promise.all(
          kinds.map(async (kind) => {
            if (kind === 'pay') return codeOf(pay(deps, { orderNo: order.orderNo, uid: 'hal', accountId: wallet, deadline: deadline() }));
            if (kind === 'cancel') return codeOf(cancelOrder(deps, { orderNo: order.orderNo, uid: 'hal', deadline: deadline() }));
            const summary = await expireOverdueOrders(deps, { now: sweepNow, deadline: deadline() });
            return summary.failed > 0 ? 'failed' : summary.expired > 0 ? 'ok' : 'INVALID_TRANSITION';
          }),
        );
        // Assert
        const wins = outcomes.filter((o) => o === 'ok');
        expect(wins).toHaveLength(1);
        expect(outcomes.filter((o) => o !== 'ok' && o !== 'INVALID_TRANSITION')).toEqual([]);
        const winner = kinds[outcomes.indexOf('ok')];
        const final = await get('orders', order.orderNo);
        expect(final.status).toBe({ pay: 'paid', cancel: 'cancelled', sweep: 'expired' }[winner!] as OrderStatus);
        expect(final.version).toBe(2);
        const stock = (await get('products', productId)).stock as number;
        const held = (await fixture.list('allowances')).find((a) => a.productId === productId)?.held;
        const paidOut = 50_000 - (await balance(wallet));
        if (winner === 'pay') {
          expect({ stock, held, paidOut }).toEqual({ stock: 17, held: 3, paidOut: 3 * PRICE });
        } else {
          expect({ stock, held, paidOut }).toEqual({ stock: 20, held: 0, paidOut: 0 });
        }
        expect(stock + (await liveUnits(productId))).toBe(20);
        expect(await moneySupply()).toBe(supply);
        console.log(`lifecycle race on ${backend}: winner ${winner}`);
      },
      180_000,
    );

    it.each(STRATEGIES)(
      'limitPerUser 3 (%s): 50 concurrent purchases by one buyer take exactly 3 units; a cancellation lets exactly one more through',
      async (strategy) => {
        // Arrange
        const productId = await product(100, 3);
        // Act
        const first = await Promise.all(Array.from({ length: 50 }, () => codeOf(buy('ivy', productId, 1, strategy))));
        // Assert
        expect(first.filter((c) => c === 'ok')).toHaveLength(3);
        expect(first.filter((c) => c !== 'ok' && c !== 'PURCHASE_LIMIT_EXCEEDED')).toEqual([]);
        await expect(buy('ivy', productId, 1, strategy)).rejects.toMatchObject({
          code: 'PURCHASE_LIMIT_EXCEEDED',
          details: { limit: 3, held: 3, remaining: 0, requested: 1 },
        });
        // Another buyer has an allowance of their own.
        await buy('jay', productId, 2, strategy);
        const live = (await fixture.list('orders')).filter((o) => o.productId === productId && o.uid === 'ivy');
        await cancelOrder(deps, { orderNo: live[0]!.orderNo as string, uid: 'ivy', deadline: deadline() });
        const second = await Promise.all(Array.from({ length: 20 }, () => codeOf(buy('ivy', productId, 1, strategy))));
        expect(second.filter((c) => c === 'ok')).toHaveLength(1);
        expect(second.filter((c) => c !== 'ok' && c !== 'PURCHASE_LIMIT_EXCEEDED')).toEqual([]);
        const ivyUnits = (await fixture.list('orders'))
          .filter((o) => o.productId === productId && o.uid === 'ivy' && (LIVE_STATUSES as readonly unknown[]).includes(o.status))
          .reduce((sum, o) => sum + (o.quantity as number), 0);
        expect(ivyUnits).toBe(3);
        expect(await get('products', productId)).toMatchObject({ stock: 95, sold: 5 });
        expect(await liveUnits(productId)).toBe(5);
      },
      180_000,
    );

    it('a purchase asking for more than the limit is refused with what remains', async () => {
      const productId = await product(100, 3);
      await buy('kim', productId, 2);
      await expect(buy('kim', productId, 2)).rejects.toMatchObject({
        code: 'PURCHASE_LIMIT_EXCEEDED',
        details: { limit: 3, held: 2, remaining: 1, requested: 2 },
      });
      expect(await get('products', productId)).toMatchObject({ stock: 98 });
    });

    it('expiry with a fake clock: 5 concurrent sweeps expire each overdue order exactly once and return its stock', async () => {
      // Arrange: six unpaid orders of a limited product, one paid order, and one bought later (not yet overdue).
      await clearOverdue();
      const productId = await product(50, 10);
      const wallet = await account('lou', 50_000);
      const unpaid = [];
      for (const buyer of ['lou', 'lou', 'mia', 'mia', 'ned', 'ned']) unpaid.push(await buy(buyer, productId, 2));
      const paid = await buy('lou', productId, 1);
      await pay(deps, { orderNo: paid.orderNo, uid: 'lou', accountId: wallet, deadline: deadline() });
      deps.setClock(T0 + 60_000);
      const fresh = await buy('mia', productId, 1);
      // Not yet overdue: nothing happens.
      const early = await expireOverdueOrders(deps, { now: T0 + WINDOW_MS - 1, deadline: deadline() });
      expect(early).toMatchObject({ expired: 0 });
      // Act
      const sweepNow = T0 + WINDOW_MS;
      const summaries = await Promise.all(
        Array.from({ length: 5 }, () => expireOverdueOrders(deps, { now: sweepNow, deadline: deadline() })),
      );
      // Assert
      expect(summaries.reduce((n, s) => n + s.expired, 0)).toBe(6);
      expect(summaries.reduce((n, s) => n + s.unitsReturned, 0)).toBe(12);
      expect(summaries.every((s) => s.failed === 0)).toBe(true);
      for (const order of unpaid) expect(await get('orders', order.orderNo)).toMatchObject({ status: 'expired', version: 2 });
      expect(await get('orders', paid.orderNo)).toMatchObject({ status: 'paid' });
      expect(await get('orders', fresh.orderNo)).toMatchObject({ status: 'pending_payment' });
      expect(await get('products', productId)).toMatchObject({ stock: 48, sold: 2 });
      const allowances = (await fixture.list('allowances')).filter((a) => a.productId === productId);
      expect(Object.fromEntries(allowances.map((a) => [a.uid, a.held]))).toEqual({ lou: 1, mia: 1, ned: 0 });
      // A later sweep finds nothing left to do.
      const after = await expireOverdueOrders(deps, { now: sweepNow + 1, deadline: deadline() });
      expect(after).toMatchObject({ expired: 0, failed: 0 });
    });
  });
}
