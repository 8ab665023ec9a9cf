/**
 * `npm run bench -- --bursts`: the HTTP-burst scenario (issue 9, part 5), as a user meets `npm start`.
 *
 * For one backend: build the bundles, start serverless-offline with `npm start`'s settings (10 s function
 * timeout, the local runtime's line of 32 per function) and one unrecorded warm-up burst, then for 150 and 500
 * buyers and each strategy (the default, i.e. no `strategy` in the body, then `atomic`, `version`,
 * `transaction`) a product of 100 units and every buyer at once: its own user (a development JWT), its own Idempotency-Key, quantity 1. Each 200 is read
 * back by its buyer with GET /orders/{orderNo}. Then the reconciler's cost: one scheduled run's reconcile task
 * over the burst products, counted per store call, twice (the first run marks, the second, a hold later,
 * settles every take).
 */
import { buildAll } from '../esbuild.config.mjs';
import { startOffline } from '../scripts/local/offline';
import { openMaintenanceBackend } from '../scripts/local/maintenanceBackend';
import { intSetting } from '../shared/config';
import { reconcileTakes, runMaintenance } from '../shared/maintenance';
import { createDeps } from '../shared/operations/deps';
import type { ConditionalStore } from '../shared/store';
import { STRATEGIES, type Strategy } from '../shared/validation';
import { httpClient, quantile, type HttpAnswer } from '../test/support/httpClient';
import { freePort } from '../tools/servers/process';
import type { BackendSetup } from './servers';
import type { Resources } from './resources';

export const BURST_BUYERS = [150, 500];
const STOCK = 100;
/** Connections the client opens at once: more than the local runtime runs per function (32). */
const CLIENT_SOCKETS = 100;
/** Beyond API Gateway's 30 s: an answer later than this is counted as a timeout. */
const CLIENT_TIMEOUT_MS = 60_000;

export interface BurstCell {
  buyers: number;
  /** 'default' sends no strategy: the server's default (the answer names it in `answeredAs`). */
  strategy: Strategy | 'default';
  answeredAs: string;
  bought: number;
  refused: number;
  conflicts409: number;
  fivexx: number;
  timeouts: number;
  other: number;
  p50ms: number;
  p99ms: number;
  seconds: number;
  /** Purchases per second of the burst's wall time. */
  goodput: number;
  readBack: number;
  stockAfter: number;
  ordersStored: number;
}

export interface ReconcilePass {
  pass: 'mark' | 'settle';
  ms: number;
  products: number;
  takesSettled: number;
  unitsReleased: number;
  calls: Record<string, number>;
}

export interface BurstReport {
  backend: string;
  server: string;
  cells: BurstCell[];
  reconcile: ReconcilePass[];
}

/** Counts the store calls a run makes (reads: get; writes: insert, update, remove, transact). */
function counted(store: ConditionalStore, calls: Record<string, number>): ConditionalStore {
  const count = <R>(name: string, call: () => Promise<R>): Promise<R> => {
    calls[name] = (calls[name] ?? 0) + 1;
    return call();
  };
  return {
    get: (c, id) => count('get', () => store.get(c, id)),
    update: (c, id, spec) => count('update', () => store.update(c, id, spec)),
    insert: (c, doc) => count('insert', () => store.insert(c, doc)),
    remove: (c, id, v) => count('remove', () => store.remove(c, id, v)),
    transact: (writes, options) => count('transact', () => store.transact(writes, options)),
    list: (c, query) => count('list', () => store.list(c, query)),
    close: () => store.close(),
  };
}

export async function runBursts(setup: BackendSetup, resources: Resources, log: (line: string) => void): Promise<BurstReport> {
  await buildAll({ backend: setup.backend, quiet: true });
  const offline = await startOffline({ httpPort: await freePort(), lambdaPort: await freePort(), env: setup.env });
  resources.add(`offline-${setup.backend}`, () => offline.stop());
  log(`serverless-offline (pid ${offline.pid}) at ${offline.httpUrl}`);
  const db = await openMaintenanceBackend(setup.env);
  resources.add(`maintenance-store-${setup.backend}`, () => db.close());
  const run = Math.random().toString(36).slice(2, 8);
  const cells: BurstCell[] = [];
  const productIds: string[] = [];
  // One burst that is not recorded, so the first cell does not pay for a cold server: the JIT, the first
  // connections (the first run of this scenario measured its first cell 1.5-1.9 times slower than the next).
  const warmUp = `burst-${run}-warmup`;
  productIds.push(warmUp);
  await db.store.insert('products', { id: warmUp, name: 'hot', stock: STOCK, sold: 0, price: 1999 });
  await burst(offline.httpUrl, db.store, warmUp, BURST_BUYERS[0]!, 'atomic');
  for (const buyers of BURST_BUYERS) {
    for (const strategy of ['default', ...STRATEGIES] as const) {
      const productId = `burst-${run}-${strategy}-${buyers}`;
      productIds.push(productId);
      await db.store.insert('products', { id: productId, name: 'hot', stock: STOCK, sold: 0, price: 1999 });
      const cell = await burst(offline.httpUrl, db.store, productId, buyers, strategy);
      cells.push(cell);
      log(
        `${setup.backend} ${buyers} buyers ${strategy}: ${cell.bought} bought, ${cell.refused} refused, ${cell.conflicts409} × 409, ${cell.fivexx} × 5xx, ${cell.timeouts} timeouts, p50 ${cell.p50ms} ms, p99 ${cell.p99ms} ms, read back ${cell.readBack}/${cell.bought}`,
      );
    }
  }
  const reconcile = await reconcileCost(db, productIds, log);
  await resources.release(`maintenance-store-${setup.backend}`);
  await resources.release(`offline-${setup.backend}`);
  return { backend: setup.backend, server: setup.server, cells, reconcile };
}

async function burst(
  baseUrl: string,
  store: ConditionalStore,
  productId: string,
  buyers: number,
  strategy: Strategy | 'default',
): Promise<BurstCell> {
  const client = httpClient(baseUrl, { maxSockets: CLIENT_SOCKETS, timeoutMs: CLIENT_TIMEOUT_MS });
  try {
    const buyer = (i: number) => `${productId}-buyer-${i}`;
    const started = Date.now();
    const answers = await Promise.all(
      Array.from({ length: buyers }, (_, i) =>
        client.send('POST', `/products/${productId}/purchase`, {
          sub: buyer(i),
          body: strategy === 'default' ? { quantity: 1 } : { quantity: 1, strategy },
          headers: { 'idempotency-key': `${productId}-${i}` },
        }),
      ),
    );
    const seconds = (Date.now() - started) / 1000;
    const bought = answers.map((answer, i) => ({ answer, sub: buyer(i) })).filter(({ answer }) => answer.status === 200);
    let readBack = 0;
    for (const { answer, sub } of bought) {
      const orderNo = String(answer.body?.data?.order?.orderNo ?? 'missing');
      const read = await client.send('GET', `/orders/${encodeURIComponent(orderNo)}`, { sub });
      if (read.status === 200 && read.body?.data?.orderNo === orderNo && read.body?.data?.uid === sub) readBack += 1;
    }
    const product = await store.get('products', productId);
    const orders = await countOrders(
      store,
      bought.map(({ answer }) => String(answer.body?.data?.order?.orderNo)),
    );
    return {
      buyers,
      strategy,
      answeredAs: String(bought[0]?.answer.body?.data?.strategy ?? '-'),
      ...tally(answers),
      seconds: Math.round(seconds * 10) / 10,
      goodput: Math.round((bought.length / seconds) * 10) / 10,
      readBack,
      stockAfter: Number(product?.stock),
      ordersStored: orders,
    };
  } finally {
    client.close();
  }
}

/** Of these order numbers, how many are stored (not as a reconciler's `void`): every acknowledged order, once read. */
async function countOrders(store: ConditionalStore, orderNos: string[]): Promise<number> {
  let stored = 0;
  for (const orderNo of orderNos) {
    const doc = await store.get('orders', orderNo);
    if (doc && doc.status !== 'void') stored += 1;
  }
  return stored;
}

function tally(answers: HttpAnswer[]) {
  const latencies = answers.filter((a) => !a.timedOut).map((a) => a.ms);
  const isRefusal = (a: HttpAnswer) => a.body?.error === 'INSUFFICIENT_STOCK';
  return {
    bought: answers.filter((a) => a.status === 200).length,
    refused: answers.filter(isRefusal).length,
    conflicts409: answers.filter((a) => a.status === 409).length,
    fivexx: answers.filter((a) => a.status >= 500).length,
    timeouts: answers.filter((a) => a.timedOut).length,
    other: answers.filter((a) => a.status !== 200 && a.status !== 409 && a.status < 500 && !a.timedOut && !isRefusal(a)).length,
    p50ms: Math.round(quantile(latencies, 0.5)),
    p99ms: Math.round(quantile(latencies, 0.99)),
  };
}

/**
 * One scheduled run's reconcile task over the burst products, as the maintenance function runs it, twice: the
 * first places a mark on each product, the second (after the hold, twice the function timeout, waited for
 * real) settles every take up to it. Each pass's wall time and store calls.
 */
async function reconcileCost(
  db: Awaited<ReturnType<typeof openMaintenanceBackend>>,
  productIds: string[],
  log: (line: string) => void,
): Promise<ReconcilePass[]> {
  const functionTimeoutMs = intSetting('LOCKLESS_FUNCTION_TIMEOUT_MS', 10_000);
  const passes: ReconcilePass[] = [];
  for (const pass of ['mark', 'settle'] as const) {
    if (pass === 'settle') await new Promise((resolve) => setTimeout(resolve, 2 * functionTimeoutMs + 500));
    const calls: Record<string, number> = {};
    const lines: Record<string, unknown>[] = [];
    const started = performance.now();
    const [task] = await runMaintenance(
      {
        deps: createDeps(counted(db.store, calls), { log: () => {} }),
        // Only the burst products: the namespace holds nothing else, but a listing must not be what is measured.
        catalog: { productIds: async () => productIds },
        overdueOrders: db.overdueOrders,
        deadline: Date.now() + 60_000,
        functionTimeoutMs,
        emit: (line) => lines.push(line),
      },
      [reconcileTakes],
    );
    const ms = Math.round(performance.now() - started);
    if (!task?.ok) throw new Error(`reconcile ${pass} failed: ${task?.error}`);
    const sum = (field: string) => lines.reduce((s, line) => s + (typeof line[field] === 'number' ? (line[field] as number) : 0), 0);
    passes.push({ pass, ms, products: lines.length, takesSettled: sum('holdsSettled'), unitsReleased: sum('unitsReleased'), calls });
    log(`reconcile ${pass}: ${ms} ms, ${lines.length} products, ${sum('holdsSettled')} takes settled, calls ${JSON.stringify(calls)}`);
  }
  return passes;
}
