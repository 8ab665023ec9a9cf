/**
 * A flash sale through the client SDK against `npm start`'s stack (serverless-offline over the real handlers and
 * database), while a proxy loses some purchase answers after the server has acted (support/droppingProxy.ts).
 * Every buyer is its own user with its own client; the SDK retries a lost answer with the same Idempotency-Key.
 *
 * Invariants, checked in the database: every buyer told "bought" has exactly one order, and it is the order the
 * buyer was told about; nobody has two; a buyer told "sold out" has none; stock + sold = initial and the
 * orders add up to what was sold. With deadlines far beyond the machine's worst case, every buyer gets a final
 * answer (bought or sold out), so exactly the stock is sold. No timing is asserted.
 * Heavy: run with `flock /tmp/lockless-heavy.lock npx jest test/client/flashSale.test.ts`.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createClient, fetchTransport, type Result, type PurchaseOutcome } from '../../client/src';
import { devToken } from '../../scripts/local/token';
import { startOffline, type OfflineHandle } from '../../scripts/local/offline';
import { freePort } from '../../scripts/servers/process';
import { BURST_MARGINS } from '../delivery/bursts';
import { backendEnv } from '../support/functions';
import { BACKENDS, backendFixture, type BackendFixture } from '../support/stores';
import { startDroppingProxy, type DroppingProxy } from './support/droppingProxy';

const ROOT = join(__dirname, '..', '..');
const run = promisify(execFile);

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

async function build(backend: string): Promise<void> {
  await run(process.execPath, [join(ROOT, 'esbuild.config.mjs'), '--quiet'], { cwd: ROOT, env: { ...process.env, BACKEND: backend } });
}

describe.each(BACKENDS)('a flash sale through the client SDK while answers are lost, on %s', (backend) => {
  let fixture: BackendFixture;
  let offline: OfflineHandle;
  let proxy: DroppingProxy;

  beforeAll(async () => {
    fixture = await backendFixture(backend, 'client');
    await build(backend);
    offline = await startOffline({ httpPort: await freePort(), lambdaPort: await freePort(), env: { ...backendEnv(backend, fixture), ...BURST_MARGINS } });
    let purchases = 0;
    proxy = await startDroppingProxy(offline.httpUrl, {
      drop: (method, path) => method === 'POST' && path.endsWith('/purchase') && purchases++ % DROP_EVERY === 0,
    });
  }, 300_000);
  afterAll(async () => {
    await proxy?.close();
    await offline?.stop();
    await fixture?.cleanup();
  });

  it(`${BUYERS} buyers for ${STOCK} units, every ${DROP_EVERY}th purchase answer lost: each buyer told "bought" has exactly one order, nobody two`, async () => {
    const productId = `sale-${backend}-${Math.random().toString(36).slice(2, 8)}`;
    await fixture.store.insert('products', { id: productId, name: '秒杀商品', stock: STOCK, sold: 0, price: 990 });
    const buyer = (i: number) => `${productId}-buyer-${i}`;
    const transport = fetchTransport();

    const results: Result<PurchaseOutcome>[] = await Promise.all(
      Array.from({ length: BUYERS }, (_, i) => {
        const token = devToken(buyer(i));
        const client = createClient({ baseUrl: proxy.url, transport, getToken: () => token, lang: 'en', retry: RETRY });
        return client.purchase(productId, { quantity: 1, strategy: 'atomic' });
      }),
    );

    const orders = (await fixture.list('orders')).filter((o) => o.productId === productId);
    const ordersOf = new Map<string, Record<string, unknown>[]>();
    for (const order of orders) ordersOf.set(order.uid as string, [...(ordersOf.get(order.uid as string) ?? []), order]);
    const product = await fixture.store.get('products', productId);
    const bought = results.flatMap((r, i) => (r.ok ? [{ r, sub: buyer(i) }] : []));
    const soldOut = results.flatMap((r, i) => (r.error === 'INSUFFICIENT_STOCK' ? [{ r, sub: buyer(i) }] : []));
    const figures = {
      backend,
      buyers: BUYERS,
      stock: STOCK,
      dropped: proxy.dropped(),
      forwarded: proxy.forwarded(),
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

    // The proxy really lost answers after the server acted, and the SDK asked again.
    expect(figures.dropped).toBeGreaterThan(0);
    expect(figures.retries).toBeGreaterThanOrEqual(figures.dropped);
    // Every buyer got a final answer: bought or sold out (no one gave up, nothing else went wrong).
    expect(figures.other).toEqual([]);
    expect(bought).toHaveLength(STOCK);
    expect(soldOut).toHaveLength(BUYERS - STOCK);
    // Told "bought": exactly one order, the one the buyer was told about.
    for (const { r, sub } of bought) {
      if (!r.ok) throw new Error('unreachable');
      expect(r.data.order).toMatchObject({ uid: sub, productId, quantity: 1 });
      expect((ordersOf.get(sub) ?? []).map((o) => o.orderNo)).toEqual([r.data.order.orderNo]);
    }
    // Nobody bought twice; nobody told "sold out" holds an order.
    expect([...ordersOf.values()].filter((list) => list.length > 1)).toEqual([]);
    for (const { sub } of soldOut) expect(ordersOf.get(sub)).toBeUndefined();
    // Nothing oversold, nothing lost.
    expect((product!.stock as number) + (product!.sold as number)).toBe(STOCK);
    expect(orders).toHaveLength(product!.sold as number);
    expect(product).toMatchObject({ stock: 0, sold: STOCK });
  }, TEST_MS);
});
