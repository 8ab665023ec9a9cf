import { ATTEMPT_RESERVE_MS } from '../../../shared/operations/contention';
import { DEFAULT_POLICIES } from '../../../shared/operations/deps';
import { purchase, type PurchaseInput } from '../../../shared/operations/purchase';
import { takeOrderNo } from '../../../shared/operations/takes';
import { STRATEGIES } from '../../../shared/validation';
import { fakeDeps } from '../../support/deps';
import { withFaults } from '../../support/faults';
import { MemoryStore } from '../../support/memoryStore';

const FAR = Date.UTC(2030, 0, 1);

async function seeded(stock = 10, price = 1999) {
  const store = new MemoryStore();
  await store.insert('products', { id: 'p1', name: '商品A', stock, sold: 0, price });
  return store;
}

const input = (over: Partial<PurchaseInput> = {}): PurchaseInput => ({
  uid: 'alice',
  productId: 'p1',
  quantity: 2,
  strategy: 'atomic',
  deadline: FAR,
  ...over,
});

describe.each(STRATEGIES)('purchase (%s)', (strategy) => {
  it('takes the stock and creates the order with amount = price x quantity', async () => {
    const store = await seeded(10, 1999);
    const { data: result } = await purchase(fakeDeps(store), input({ strategy, quantity: 3 }));
    expect(result).toMatchObject({ stock: 7, attempts: 1, strategy });
    expect(result.order).toEqual({
      // A numbered take's order number derives from the take (takes.ts); a transaction mints one.
      orderNo: strategy === 'transaction' ? 'O-TEST-1' : takeOrderNo({ id: 'p1' }, 1),
      uid: 'alice',
      productId: 'p1',
      quantity: 3,
      price: 1999,
      amount: 5997,
      status: 'pending_payment',
      createdAt: '2026-11-25T08:00:00.000Z',
      // Unpaid orders expire after the payment window (15 minutes by default).
      expiresAt: '2026-11-25T08:15:00.000Z',
      version: 1,
    });
    expect(await store.get('products', 'p1')).toMatchObject({ stock: 7, sold: 3, version: 2 });
    expect(store.all('orders')).toHaveLength(1);
  });

  it('answers INSUFFICIENT_STOCK and writes nothing', async () => {
    const store = await seeded(1);
    await expect(purchase(fakeDeps(store), input({ strategy, quantity: 2 }))).rejects.toMatchObject({
      code: 'INSUFFICIENT_STOCK',
      details: { requested: 2, available: 1 },
    });
    expect(await store.get('products', 'p1')).toMatchObject({ stock: 1, sold: 0, version: 1 });
    expect(store.all('orders')).toHaveLength(0);
  });

  it('answers PRODUCT_NOT_FOUND for an unknown product', async () => {
    const store = await seeded();
    await expect(purchase(fakeDeps(store), input({ strategy, productId: 'nope' }))).rejects.toMatchObject({ code: 'PRODUCT_NOT_FOUND' });
    expect(store.all('orders')).toHaveLength(0);
  });
});

describe('purchase (version): bounded retries', () => {
  /** A store where another writer changes the product just before each of the first `times` CASes lands. */
  function interfered(inner: MemoryStore, times = Infinity) {
    let left = times;
    let gets = 0;
    const store = withFaults(inner, {
      afterGet: async () => void gets++,
      beforeUpdate: async (collection) => {
        if (collection === 'products' && left-- > 0) await inner.update('products', 'p1', { inc: { views: 1 } });
      },
    });
    return { store, gets: () => gets };
  }

  /** The defaults, but a CAS on the kept snapshot after every wait, however long. */
  const keptSnapshot = { ...DEFAULT_POLICIES, version: { ...DEFAULT_POLICIES.version, rereadGaps: 0 } };

  it('retries a lost compare-and-swap on the document that beat it, without reading again, after a wait in round trips', async () => {
    const inner = await seeded(10);
    const { store, gets } = interfered(inner, 2);
    // The fake clock stands still during a store call, so each CAS round trip counts as the 2 ms smallest slot:
    // the first window is 64 slots (128 ms), and the draw is 10% of it. The kept-snapshot path is pinned here
    // (rereadGaps 0); with the default, a clock that stands still makes every wait long against the write gap.
    const deps = fakeDeps(store, { random: () => 0.1, policies: keptSnapshot });
    const { data: result } = await purchase(deps, input({ strategy: 'version' }));
    expect(result.attempts).toBe(3);
    // A wait after the first race lost; the second conflict came on a snapshot kept through that wait, so the
    // third attempt ran at once on the document it handed back.
    expect(deps.slept).toEqual([12]);
    // One read for the first snapshot; every later snapshot came back with a conflict.
    expect(gets()).toBe(1);
    expect(await inner.get('products', 'p1')).toMatchObject({ stock: 8, sold: 2, views: 2, version: 4 });
  });

  it('doubles the window for each further race lost, and never reads again', async () => {
    const inner = await seeded(10);
    const { store, gets } = interfered(inner, 3);
    const deps = fakeDeps(store, { random: () => 0.9, policies: keptSnapshot });
    const { data: result } = await purchase(deps, input({ strategy: 'version' }));
    // Lost (race 1), waited; lost on the kept snapshot, ran again at once; lost (race 2), waited; won.
    expect(result.attempts).toBe(4);
    // 0.9 x 128 ms, then 0.9 x 256 ms.
    expect(deps.slept).toEqual([115, 230]);
    expect(gets()).toBe(1);
    expect(await inner.get('products', 'p1')).toMatchObject({ stock: 8, sold: 2, views: 3, version: 5 });
  });

  describe("with rereadGaps: a wait long against the item's write gap ends in a read, not a CAS bound to be refused", () => {
    /** Deps whose clock also moves 5 ms per store call, so round trips and write gaps are measurable. */
    function timed(store: ReturnType<typeof interfered>['store'], draw: number) {
      let clock = Date.UTC(2026, 10, 25, 8, 0, 0);
      const slept: number[] = [];
      const ticking = withFaults(store, {
        afterGet: async () => void (clock += 5),
        beforeUpdate: async () => void (clock += 5),
      });
      const base = fakeDeps(ticking);
      const deps = fakeDeps(ticking, {
        now: () => clock,
        random: () => draw,
        sleep: async (ms) => {
          slept.push(ms);
          clock += ms;
        },
        policies: { ...base.policies, version: { ...base.policies.version, rereadGaps: 2 } },
      });
      return { deps, slept };
    }

    it('reads after a wait of many write gaps, then races on what it read', async () => {
      const inner = await seeded(10);
      const { store, gets } = interfered(inner, 1);
      // The lost CAS took 5 ms and showed one write since the read 5 ms before: a 5 ms write gap. Half of the
      // 64-slot window (5 ms slots) is 160 ms, 32 gaps: the kept snapshot is surely stale.
      const { deps, slept } = timed(store, 0.5);
      const { data: result } = await purchase(deps, input({ strategy: 'version' }));
      expect(slept).toEqual([160]);
      expect(gets()).toBe(2);
      // Two CASes: the one that lost and the one after the read.
      expect(result.attempts).toBe(2);
      expect(await inner.get('products', 'p1')).toMatchObject({ stock: 8, sold: 2, views: 1, version: 3 });
    });

    it('keeps the CAS on the kept snapshot after a wait shorter than two write gaps', async () => {
      const inner = await seeded(10);
      const { store, gets } = interfered(inner, 1);
      // 1% of 320 ms is 3 ms, less than two 5 ms gaps: the item may not have moved, and here it did not.
      const { deps, slept } = timed(store, 0.01);
      const { data: result } = await purchase(deps, input({ strategy: 'version' }));
      expect(slept).toEqual([3]);
      expect(gets()).toBe(1);
      expect(result.attempts).toBe(2);
      expect(await inner.get('products', 'p1')).toMatchObject({ stock: 8, sold: 2, views: 1, version: 3 });
    });
  });

  it('answers INSUFFICIENT_STOCK at once when the document that beat it sold the last units', async () => {
    const inner = await seeded(2);
    const store = withFaults(inner, {
      beforeUpdate: async (collection) => {
        if (collection === 'products') await inner.update('products', 'p1', { inc: { stock: -1, sold: 1 } });
      },
    });
    const deps = fakeDeps(store);
    await expect(purchase(deps, input({ strategy: 'version' }))).rejects.toMatchObject({
      code: 'INSUFFICIENT_STOCK',
      details: { requested: 2, available: 1 },
    });
    expect(deps.slept).toEqual([]);
  });

  it('answers VERSION_CONFLICT when the budget runs out, and never oversells', async () => {
    const inner = await seeded(10);
    const { store } = interfered(inner);
    const deps = fakeDeps(store, {
      policies: {
        ...fakeDeps(store).policies,
        version: { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 8, agingMs: 100, startSlots: 4, minSlots: 1, rereadGaps: 0 },
      },
    });
    await expect(purchase(deps, input({ strategy: 'version' }))).rejects.toMatchObject({
      code: 'VERSION_CONFLICT',
      details: { attempts: 4 },
    });
    expect(await inner.get('products', 'p1')).toMatchObject({ stock: 10, sold: 0 });
    expect(inner.all('orders')).toHaveLength(0);
  });

  it('stops retrying before the deadline, and shortens the last wait so that one more attempt still fits', async () => {
    const inner = await seeded(10);
    const { store } = interfered(inner);
    const deps = fakeDeps(store);
    const deadline = deps.now() + ATTEMPT_RESERVE_MS + 400;
    await expect(purchase(deps, input({ strategy: 'version', deadline }))).rejects.toMatchObject({ code: 'VERSION_CONFLICT' });
    expect(deps.now()).toBeLessThan(deadline);
    // The fake clock moves only when the purchase sleeps: it slept until just before the last attempt's reserve.
    expect(deps.now()).toBe(deadline - ATTEMPT_RESERVE_MS - 1);
  });
});

describe('purchase (transaction): the snapshot must still hold at commit', () => {
  it('decides again when the price changed between the read and the commit', async () => {
    const inner = await seeded(10, 1999);
    let reprice = true;
    const store = withFaults(inner, {
      afterGet: async () => {
        if (reprice) await inner.update('products', 'p1', { set: { price: 2999 } });
        reprice = false;
      },
    });
    const { data: result } = await purchase(fakeDeps(store), input({ strategy: 'transaction', quantity: 1 }));
    expect(result.attempts).toBe(2);
    expect(result.order).toMatchObject({ price: 2999, amount: 2999 });
  });

  it('runs the transaction again after contention, counts every run, and a replay repeats that count', async () => {
    const inner = await seeded(10, 1999);
    // As a store answers a transaction that lost to concurrent writes twice, then commits on its third run.
    let contended = 2;
    const store = {
      ...withFaults(inner, {}),
      transact: async (...args: Parameters<MemoryStore['transact']>) =>
        contended-- > 0 ? ({ ok: false, reason: 'contention', attempts: 1 } as const) : inner.transact(...args),
    };
    const deps = fakeDeps(store);
    const keyed = input({ strategy: 'transaction', quantity: 1, idempotencyKey: 'k-runs' });
    const first = await purchase(deps, keyed);
    const again = await purchase(deps, keyed);
    expect(first.data.attempts).toBe(3);
    expect(again).toEqual({ data: first.data, replayed: true });
  });
});

describe.each(['atomic', 'version'] as const)('purchase (%s): the order insert fails after the decrement', (strategy) => {
  it('gives the stock back and voids the order number', async () => {
    const inner = await seeded(10);
    const deps = fakeDeps(withFaults(inner, { failInsertInto: 'orders', times: 1 }));
    await expect(purchase(deps, input({ strategy, quantity: 4 }))).rejects.toMatchObject({ code: 'INTERNAL' });
    expect(await inner.get('products', 'p1')).toMatchObject({ stock: 10, sold: 0 });
    expect(inner.all('orders').map((o) => o.status)).toEqual(['void']);
    expect(deps.logs.map((l) => l.fields.event)).toContain('STOCK_RESTORED');
  });

  it('keeps the purchase when the insert landed but its answer was lost', async () => {
    const inner = await seeded(10);
    const deps = fakeDeps(withFaults(inner, { loseInsertAnswerFor: 'orders', times: 1 }));
    const { data: result } = await purchase(deps, input({ strategy, quantity: 4 }));
    expect(result.order.status).toBe('pending_payment');
    expect(await inner.get('products', 'p1')).toMatchObject({ stock: 6, sold: 4 });
    expect(inner.all('orders').map((o) => o.status)).toEqual(['pending_payment']);
  });
});
