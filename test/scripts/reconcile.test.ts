/**
 * `npm run reconcile` end to end on both backends: a purchase whose function dies after taking the stock, then
 * the script twice (the first run marks, the second settles), printing one JSON line per product.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createDeps } from '../../shared/operations/deps';
import { purchase } from '../../shared/operations/purchase';
import type { ConditionalStore } from '../../shared/store';
import { BACKENDS, backendFixture, dynamoEndpoint, mongoUri, type BackendFixture } from '../support/stores';

const run = promisify(execFile);
const root = join(__dirname, '..', '..');

/** The function dies right after the stock write: nothing after it reaches the database. */
function diesAfterTake(store: ConditionalStore): ConditionalStore {
  const dead = () => Promise.reject(new Error('killed'));
  return { ...store, insert: dead, transact: dead, get: (c, id) => store.get(c, id), update: (c, id, s) => store.update(c, id, s) };
}

describe.each(BACKENDS)('npm run reconcile on %s', (backend) => {
  let fixture: BackendFixture;
  beforeAll(async () => {
    fixture = await backendFixture(backend, 'reconcilecli');
  });
  afterAll(async () => {
    await fixture?.cleanup();
  });

  async function reconcile(): Promise<Record<string, unknown>[]> {
    const env: Record<string, string> = {
      ...(process.env as Record<string, string>),
      LOCKLESS_BACKEND: backend,
      LOCKLESS_FUNCTION_TIMEOUT_MS: '1',
      LOCKLESS_LOG_LEVEL: 'silent',
      ...(backend === 'dynamodb'
        ? { LOCKLESS_DYNAMODB_ENDPOINT: dynamoEndpoint(), LOCKLESS_TABLE_PREFIX: fixture.tablePrefix as string }
        : { LOCKLESS_MONGODB_URI: mongoUri(), LOCKLESS_MONGODB_DB: fixture.dbName as string }),
    };
    const { stdout } = await run(join(root, 'node_modules', '.bin', 'tsx'), [join(root, 'scripts', 'reconcile.ts')], { env, cwd: root });
    return stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  it('gives the dead purchase its units back on the second run and prints one line per product', async () => {
    await fixture.store.insert('products', { id: 'r1', name: 'A', stock: 10, sold: 0, price: 5 });
    const deps = createDeps(diesAfterTake(fixture.store), { log: () => {} });
    await expect(
      purchase(deps, { uid: 'u', productId: 'r1', quantity: 3, strategy: 'atomic', deadline: Date.now() + 10_000 }),
    ).rejects.toBeDefined();
    expect(await fixture.store.get('products', 'r1')).toMatchObject({ stock: 7, sold: 3 });

    const first = await reconcile();
    expect(first.filter((line) => line.task === 'reconcile')).toEqual([
      expect.objectContaining({ task: 'reconcile', productId: 'r1', stock: 7, sold: 3, unitsInOrders: 0, unitsReleased: 0 }),
      expect.objectContaining({ task: 'reconcile', ok: true }),
    ]);
    // The other tasks of the scheduled run ran too, and found nothing to do here.
    expect(first).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ task: 'expireOrders', found: 0 }),
        expect.objectContaining({ task: 'drawRounds', queued: 0 }),
        expect.objectContaining({ task: 'resetFreeEntries', ok: true }),
      ]),
    );
    await new Promise((resolve) => setTimeout(resolve, 10));
    const second = await reconcile();
    expect(second[0]).toMatchObject({
      productId: 'r1',
      stock: 10,
      sold: 0,
      holdsSettled: 1,
      unitsReleased: 3,
      lostTakes: 1,
      unitsInOrders: 0,
    });
    expect(await fixture.store.get('products', 'r1')).toMatchObject({ stock: 10, sold: 0, settledTakes: 1 });
  }, 60_000);
});
