/**
 * The scheduled maintenance function's EMF line, read back from stdout as CloudWatch would receive it, on the real
 * servers: purchases whose functions died after taking 1, 2 and 3 units, then the real `maintenance` handler run
 * three times. The first run only marks the takes, the second gives the 6 units back and says so in one line
 * (UnitsReleased = 6, dimension function = maintenance), the third finds nothing left to give and counts nothing.
 */
import type { Context } from 'aws-lambda';
import { createDeps } from '../../shared/operations/deps';
import { purchase } from '../../shared/operations/purchase';
import type { ConditionalStore } from '../../shared/store';
import { emfLinesOf, METRICS_TEST_NAMESPACE, totals } from '../support/emf';
import { backendEnv, loadFunctions, type LoadedFunctions } from '../support/functions';
import { BACKENDS, backendFixture, type BackendFixture } from '../support/stores';

const QUANTITIES = [1, 2, 3];
const STOCK = 20;

/** The function dies right after the stock write: its order is never inserted, nor the stock given back. */
function diesAfterTake(store: ConditionalStore): ConditionalStore {
  const dead = () => Promise.reject(new Error('killed'));
  return { ...store, insert: dead, transact: dead, get: (c, id) => store.get(c, id), update: (c, id, s) => store.update(c, id, s) };
}

const scheduledContext = { getRemainingTimeInMillis: () => 60_000 } as unknown as Context;

describe.each(BACKENDS)('the maintenance function counts released units on %s', (backend) => {
  let fixture: BackendFixture;
  let fns: LoadedFunctions;
  let savedTimeout: string | undefined;

  beforeAll(async () => {
    fixture = await backendFixture(backend, 'maintmetrics');
    fns = loadFunctions(['maintenance'], {
      ...backendEnv(backend, fixture),
      LOCKLESS_METRICS_NAMESPACE: METRICS_TEST_NAMESPACE,
      LOCKLESS_LOG_LEVEL: 'silent',
    });
    // Takes older than 2 ms count as lost, so the second run settles what the first one marked. The handler
    // reads this setting from the environment at each run (functions/maintenance.ts), not from the config.
    savedTimeout = process.env.LOCKLESS_FUNCTION_TIMEOUT_MS;
    process.env.LOCKLESS_FUNCTION_TIMEOUT_MS = '1';
  });
  afterAll(async () => {
    if (savedTimeout === undefined) delete process.env.LOCKLESS_FUNCTION_TIMEOUT_MS;
    else process.env.LOCKLESS_FUNCTION_TIMEOUT_MS = savedTimeout;
    await fns?.close();
    await fixture?.cleanup();
  });

  const runMaintenance = () => emfLinesOf(() => fns.handler('maintenance')({ source: 'aws.events' }, scheduledContext));

  it('writes UnitsReleased = 6 once, from the run that gave 3 lost takes of 1, 2 and 3 units back', async () => {
    // Arrange: three purchases die after taking their units.
    await fixture.store.insert('products', { id: 'm1', name: 'A', stock: STOCK, sold: 0, price: 5 });
    const deps = createDeps(diesAfterTake(fixture.store), { log: () => {} });
    for (const quantity of QUANTITIES) {
      await expect(
        purchase(deps, { uid: `u${quantity}`, productId: 'm1', quantity, strategy: 'atomic', deadline: Date.now() + 10_000 }),
      ).rejects.toBeDefined();
    }
    expect(await fixture.store.get('products', 'm1')).toMatchObject({ stock: STOCK - 6, sold: 6 });

    // Act: the scheduled runs, a little apart so the second one is past the hold.
    const marking = await runMaintenance();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const settling = await runMaintenance();
    const idle = await runMaintenance();

    // Assert: the stock is back, and only the settling run wrote the count, in one line with its dimension.
    expect(await fixture.store.get('products', 'm1')).toMatchObject({ stock: STOCK, sold: 0, settledTakes: 3 });
    expect(settling.result).toEqual({ tasks: expect.arrayContaining([expect.objectContaining({ task: 'reconcile', ok: true })]) });
    expect(totals(marking.lines).UnitsReleased).toBeUndefined();
    expect(settling.lines).toHaveLength(1);
    const [line] = settling.lines;
    expect(line).toMatchObject({ function: 'maintenance', UnitsReleased: QUANTITIES.reduce((a, b) => a + b, 0) });
    expect(line!._aws.CloudWatchMetrics[0]!.Dimensions).toEqual([expect.arrayContaining(['function'])]);
    expect(totals(idle.lines).UnitsReleased).toBeUndefined();
  }, 60_000);
});
