/** The reconciler of numbered takes, on the in-memory store: when it gives units back, and when it must not. */
import { METRIC } from '../../../shared/metrics';
import { purchase } from '../../../shared/operations/purchase';
import { reconcileProduct } from '../../../shared/operations/reconcile';
import { takeOrderNo } from '../../../shared/operations/takes';
import type { ConditionalStore } from '../../../shared/store';
import { fakeDeps } from '../../support/deps';
import { MemoryStore } from '../../support/memoryStore';

const HOLD = { holdMs: 20_000 };
const FAR = Date.UTC(2030, 0, 1);

async function shop(stock = 10): Promise<MemoryStore> {
  const store = new MemoryStore();
  await store.insert('products', { id: 'p1', name: 'A', stock, sold: 0, price: 100 });
  return store;
}

/** A store whose order inserts never happen: the function "dies" right after taking the stock. */
function diesBeforeOrder(store: MemoryStore): ConditionalStore {
  return {
    get: (c, id) => store.get(c, id),
    update: (c, id, spec) => store.update(c, id, spec),
    insert: (c, doc) => (c === 'orders' ? Promise.reject(Object.assign(new Error('killed'), { code: 'KILLED' })) : store.insert(c, doc)),
    remove: (c, id, v) => store.remove(c, id, v),
    transact: () => Promise.reject(new Error('killed')),
    list: (c, q) => store.list(c, q),
    close: async () => {},
  };
}

/** A reconciler clock: `at(ms)` is that long after the fake deps' start. */
function clock(store: ConditionalStore) {
  const deps = fakeDeps(store);
  const start = deps.now();
  let offset = 0;
  const at = (ms: number) => {
    offset = ms;
    return deps;
  };
  deps.now = () => start + offset;
  return at;
}

describe('reconcileProduct', () => {
  it('gives a lost take back once, only after the hold, and never a take whose order exists', async () => {
    // Arrange: one sale with its order, then two takes of 2 and 3 units whose functions died before their orders.
    const store = await shop();
    await purchase(fakeDeps(store), { uid: 'a', productId: 'p1', quantity: 1, strategy: 'atomic', deadline: FAR });
    for (const quantity of [2, 3]) {
      await expect(
        purchase(fakeDeps(diesBeforeOrder(store)), { uid: 'b', productId: 'p1', quantity, strategy: 'version', deadline: FAR }),
      ).rejects.toBeDefined();
    }
    expect(await store.get('products', 'p1')).toMatchObject({ stock: 4, sold: 6, takes: 3, takenUnits: 6 });
    const at = clock(store);

    // Act and assert: the first run marks, a run inside the hold waits, the run after it settles.
    expect(await reconcileProduct(at(0), 'p1', HOLD)).toMatchObject({ holdsSettled: 0, unitsReleased: 0 });
    expect(await reconcileProduct(at(19_999), 'p1', HOLD)).toMatchObject({ holdsSettled: 0, unitsReleased: 0 });
    expect(await reconcileProduct(at(20_000), 'p1', HOLD)).toMatchObject({
      holdsSettled: 3,
      unitsReleased: 5,
      lostTakes: 2,
      stock: 9,
      sold: 1,
    });
    expect(await reconcileProduct(at(90_000), 'p1', HOLD)).toMatchObject({ holdsSettled: 0, unitsReleased: 0, stock: 9 });

    // The lost takes' numbers are void: a late insert of their orders fails.
    const late = await store.insert('orders', { id: takeOrderNo({ id: 'p1' }, 2), status: 'created', quantity: 2 });
    expect(late).toMatchObject({ ok: false, reason: 'already_exists' });
    expect(await store.get('orders', takeOrderNo({ id: 'p1' }, 1))).toMatchObject({ status: 'pending_payment', uid: 'a' });
  });

  it('two reconcilers racing over the same range give the units back once, and count them once', async () => {
    const store = await shop();
    await expect(
      purchase(fakeDeps(diesBeforeOrder(store)), { uid: 'b', productId: 'p1', quantity: 4, strategy: 'atomic', deadline: FAR }),
    ).rejects.toBeDefined();
    const at = clock(store);
    const counted: Array<[string, number | undefined]> = [];
    at(0).metrics = { count: (name, value) => counted.push([name, value]) };
    await reconcileProduct(at(0), 'p1', HOLD);
    const [one, two] = await Promise.all([reconcileProduct(at(30_000), 'p1', HOLD), reconcileProduct(at(30_000), 'p1', HOLD)]);
    expect((one?.unitsReleased ?? 0) + (two?.unitsReleased ?? 0)).toBe(4);
    expect(counted).toEqual([[METRIC.unitsReleased, 4]]);
    expect(await store.get('products', 'p1')).toMatchObject({ stock: 10, sold: 0, settledTakes: 1, settledUnits: 4 });
  });

  it('counts units a function gave back itself (its tombstone says returned) and does not give them again', async () => {
    const store = await shop();
    // The order insert fails and the function voids the number and restocks in one transaction.
    const failingInsert: ConditionalStore = { ...diesBeforeOrder(store), transact: (w, o) => store.transact(w, o) };
    await expect(
      purchase(fakeDeps(failingInsert), { uid: 'b', productId: 'p1', quantity: 2, strategy: 'atomic', deadline: FAR }),
    ).rejects.toBeDefined();
    expect(await store.get('products', 'p1')).toMatchObject({ stock: 10, sold: 0, takes: 1 });
    const at = clock(store);
    await reconcileProduct(at(0), 'p1', HOLD);
    expect(await reconcileProduct(at(30_000), 'p1', HOLD)).toMatchObject({ holdsSettled: 1, unitsReleased: 0, stock: 10 });
  });
});
