import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  createClient,
  fetchTransport,
  invokeTransport,
  type Invoke,
  type Result,
  type PurchaseOutcome,
  type Strategy,
} from '../../client/src';
import { signCallerAssertion } from '../../shared/edge/directIdentity';
import { devToken } from '../../scripts/local/token';
import { startOffline, type OfflineHandle } from '../../scripts/local/offline';
import { freePort } from '../../tools/servers/process';
import { BURST_MARGINS } from '../delivery/bursts';
import { backendEnv } from '../support/functions';
import { BACKENDS, backendFixture, type BackendFixture } from '../support/stores';
import { buildSuiteBundles, type SuiteBundles } from '../support/bundles';
import { startDroppingProxy, type DroppingProxy } from './support/droppingProxy';

const STOCK = 100;
const BUYERS = 150;
/** One purchase answer in DROP_EVERY is lost, retries included, so a buyer can lose several in a row. */
const DROP_EVERY = 4;
/**
 * Far above the worst case on a busy 2-core machine (a request may wait 60 s in the local runtime's line and
 * run for 30 s, BURST_MARGINS): the test checks answers, not speed.
 */
const RETRY = { deadlineMs: 400_000, tryTimeoutMs: 150_000, maxTries: 30, baseMs: 200, capMs: 3_000 };
const TEST_MS = 600_000;
const TRUSTED_SECRET = 'client-test-trusted-caller-secret-0123456789';

describe.each(BACKENDS)('a flash sale through the client SDK while answers are lost, on %s', (backend) => {
  let fixture: BackendFixture;
  let offline: OfflineHandle;
  let proxy: DroppingProxy;
  let bundles: SuiteBundles | undefined;
  /** The proxy's drop count when the last sale ended. */
  let dropped = 0;

  beforeAll(async () => {
    fixture = await backendFixture(backend, 'client');
    bundles = await buildSuiteBundles('client', backend);
    offline = await startOffline({
      httpPort: await freePort(),
      lambdaPort: await freePort(),
      env: { ...backendEnv(backend, fixture), LOCKLESS_TRUSTED_CALLER_SECRET: TRUSTED_SECRET, ...BURST_MARGINS, ...bundles.env },
    });
    let purchases = 0;
    dropped = 0;
    proxy = await startDroppingProxy(offline.httpUrl, {
      drop: (method, path) => method === 'POST' && path.endsWith('/purchase') && purchases++ % DROP_EVERY === 0,
    });
  }, 300_000);
  afterAll(async () => {
    await proxy?.close();
    await offline?.stop();
    await bundles?.remove();
    await fixture?.cleanup();
  });

  /** The sale itself, and what the database holds after it. */
  async function flashSale(strategy: Strategy) {
    const productId = `sale-${backend}-${strategy}-${Math.random().toString(36).slice(2, 8)}`;
    await fixture.store.insert('products', { id: productId, name: '秒杀商品', stock: STOCK, sold: 0, price: 990 });
    const buyer = (i: number) => `${productId}-buyer-${i}`;
    const transport = fetchTransport();

    const results: Result<PurchaseOutcome>[] = await Promise.all(
      Array.from({ length: BUYERS }, (_, i) => {
        const token = devToken(buyer(i));
        const client = createClient({ baseUrl: proxy.url, transport, getToken: () => token, lang: 'en', retry: RETRY });
        return client.purchase(productId, { quantity: 1, strategy });
      }),
    );

    const orders = (await fixture.list('orders')).filter((o) => o.productId === productId);
    const ordersOf = new Map<string, Record<string, unknown>[]>();
    for (const order of orders) ordersOf.set(order.uid as string, [...(ordersOf.get(order.uid as string) ?? []), order]);
    const product = await fixture.store.get('products', productId);
    const bought = results.flatMap((r, i) => (r.ok ? [{ r, sub: buyer(i) }] : []));
    const soldOut = results.flatMap((r, i) => (r.error === 'INSUFFICIENT_STOCK' ? [{ r, sub: buyer(i) }] : []));
    const dropsBefore = dropped;
    dropped = proxy.dropped();
    const figures = {
      backend,
      strategy,
      buyers: BUYERS,
      stock: STOCK,
      dropped: dropped - dropsBefore,
      retries: results.reduce((sum, r) => sum + r.tries - 1, 0),
      maxTries: Math.max(...results.map((r) => r.tries)),
      replayed: bought.filter(({ r }) => r.ok && r.replayed).length,
      bought: bought.length,
      soldOut: soldOut.length,
      other: results.filter((r) => !r.ok && r.error !== 'INSUFFICIENT_STOCK').map((r) => `${r.code} ${r.error}`),
      orders: orders.length,
      buyersWithOrders: ordersOf.size,
      stockAfter: product?.stock,
      soldAfter: product?.sold,
    };
    console.log(`client flash sale: ${JSON.stringify(figures)}`);
    return { productId, results, bought, soldOut, orders, ordersOf, product, figures };
  }

  /** What holds whatever the strategy: one order per buyer told "bought", none for anyone else, nothing lost. */
  function expectSafe({ productId, results, bought, orders, ordersOf, product, figures }: Awaited<ReturnType<typeof flashSale>>) {
    // The proxy really lost answers after the server acted, and the SDK asked again.
    expect(figures.dropped).toBeGreaterThan(0);
    expect(figures.retries).toBeGreaterThanOrEqual(figures.dropped);
    // Told "bought": exactly one order, the one the buyer was told about.
    for (const { r, sub } of bought) {
      if (!r.ok) throw new Error('unreachable');
      expect(r.data.order).toMatchObject({ uid: sub, productId, quantity: 1 });
      expect((ordersOf.get(sub) ?? []).map((o) => o.orderNo)).toEqual([r.data.order.orderNo]);
    }
    // Nobody bought twice; nobody told anything but "bought" holds an order.
    expect([...ordersOf.values()].filter((list) => list.length > 1)).toEqual([]);
    results.forEach((r, i) => {
      if (!r.ok) expect([r.error, ordersOf.get(`${productId}-buyer-${i}`)]).toEqual([r.error, undefined]);
    });
    // Nothing oversold, nothing lost.
    expect((product!.stock as number) + (product!.sold as number)).toBe(STOCK);
    expect(orders).toHaveLength(product!.sold as number);
    expect(orders).toHaveLength(bought.length);
  }

  it(
    `${BUYERS} buyers for ${STOCK} units (atomic), every ${DROP_EVERY}th purchase answer lost: each buyer told "bought" has exactly one order, nobody two, all sold`,
    async () => {
      const sale = await flashSale('atomic');
      expectSafe(sale);
      // Every buyer got a final answer, bought or sold out: nobody gave up, nothing else went wrong.
      expect(sale.figures.other).toEqual([]);
      expect(sale.bought).toHaveLength(STOCK);
      expect(sale.soldOut).toHaveLength(BUYERS - STOCK);
      expect(sale.product).toMatchObject({ stock: 0, sold: STOCK });
    },
    TEST_MS,
  );

  it(
    `${BUYERS} buyers for ${STOCK} units (transaction): the same safety; a conflict is an answer the SDK does not retry`,
    async () => {
      const sale = await flashSale('transaction');
      expectSafe(sale);
      expect(sale.bought.length).toBeLessThanOrEqual(STOCK);
      expect(sale.figures.other.filter((o) => !/^409 (TRANSACTION|VERSION)_CONFLICT$/.test(o))).toEqual([]);
    },
    TEST_MS,
  );

  it(
    'buys by direct invocation through invokeTransport: a lost answer is asked again with the same key, one order',
    async () => {
      const productId = `direct-${backend}-${Math.random().toString(36).slice(2, 8)}`;
      await fixture.store.insert('products', { id: productId, name: '直连商品', stock: 5, sold: 0, price: 990 });
      const lambda = new LambdaClient({
        endpoint: offline.lambdaEndpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      });
      const sub = `${productId}-buyer`;
      let invocations = 0;
      // A trusted server acting for `sub` (directIdentity.ts); the first answer is lost after the function ran.
      const invoke: Invoke = async (functionName, payload) => {
        const assertion = signCallerAssertion(TRUSTED_SECRET, sub, { functionName, stage: 'dev', payload });
        const out = await lambda.send(
          new InvokeCommand({
            FunctionName: functionName,
            Payload: Buffer.from(JSON.stringify(payload)),
            ClientContext: Buffer.from(JSON.stringify({ custom: { lockless: assertion } })).toString('base64'),
          }),
        );
        if (++invocations === 1) throw new Error('the answer was lost');
        return Buffer.from(out.Payload!).toString('utf8');
      };
      try {
        const client = createClient({ transport: invokeTransport(invoke), lang: 'en', retry: RETRY });
        const bought = await client.purchase(productId, { quantity: 2 });
        const order = bought.ok ? await client.getOrder(bought.data.order.orderNo) : undefined;

        // A direct answer carries no headers, so `replayed` is not known there; the single order shows the replay.
        expect(bought).toMatchObject({
          ok: true,
          code: 200,
          msg: 'Purchase completed',
          tries: 2,
          data: { order: { uid: sub, quantity: 2 } },
        });
        expect(order).toMatchObject({ ok: true, data: { uid: sub, productId, quantity: 2 } });
        const orders = (await fixture.list('orders')).filter((o) => o.productId === productId);
        expect(orders.map((o) => o.uid)).toEqual([sub]);
        expect(await fixture.store.get('products', productId)).toMatchObject({ stock: 3, sold: 2 });
      } finally {
        lambda.destroy();
      }
    },
    TEST_MS,
  );
});
