/**
 * The worst case of each operation, in store calls, as written in shared/operations/deps.ts: every test drives
 * an operation into its most expensive path with a store that keeps losing, and counts what it did.
 */
import { cartKey } from '../../../shared/carts';
import { addCartItem, KEYED_CART_ROUNDS, removeCartItem } from '../../../shared/operations/cartChanges';
import { addItem, CREATE_CART_ATTEMPTS } from '../../../shared/operations/carts';
import { CLAIM, ROUNDS_POLICY } from '../../../shared/operations/idempotency';
import { DEFAULT_POLICIES, worstCaseStoreCalls } from '../../../shared/operations/deps';
import { purchase, type PurchaseInput } from '../../../shared/operations/purchase';
import { transfer } from '../../../shared/operations/transfers';
import type { ConditionalStore } from '../../../shared/store';
import { countingStore } from '../../support/countingStore';
import { fakeDeps } from '../../support/deps';
import { MemoryStore, withTransact } from '../../support/memoryStore';

const FAR = Date.UTC(2030, 0, 1);
const bound = worstCaseStoreCalls(DEFAULT_POLICIES);
const buy = (over: Partial<PurchaseInput> = {}): PurchaseInput => ({
  uid: 'alice',
  productId: 'p1',
  quantity: 1,
  strategy: 'atomic',
  deadline: FAR,
  ...over,
});

async function shop(): Promise<MemoryStore> {
  const store = new MemoryStore();
  await store.insert('products', { id: 'p1', name: 'A', stock: 10, sold: 0, price: 100 });
  return store;
}

describe('the most store calls one request makes', () => {
  it('states the defaults', () => {
    expect(bound).toEqual({
      read: 1,
      purchase: { atomic: 8, version: 135, transaction: 68 },
      keyedPurchase: { atomic: 28, version: 155, transaction: 546 },
      transfer: 64,
      keyedTransfer: 520,
      addCartItem: 28,
      keyedAddCartItem: 666,
      removeCartItem: 1,
      keyedRemoveCartItem: 530,
    });
  });

  it('purchase atomic: the order insert fails, and settling it takes three tries, each a transaction and a read', async () => {
    // Arrange: the order insert fails; every void-and-restock transaction is refused on its tombstone without
    // showing the document, and the read that follows finds nothing (the worst each try can do).
    const memory = await shop();
    const flaky: ConditionalStore = {
      ...withTransact(memory, async () => ({ ok: false, reason: 'already_exists', index: 0, label: 'tombstone' })),
      get: (c, id) => (c === 'orders' ? Promise.resolve(null) : memory.get(c, id)),
      insert: (c, doc) => (c === 'orders' ? Promise.reject(new Error('injected')) : memory.insert(c, doc)),
    };
    const { store, calls } = countingStore(flaky);
    // Act
    await expect(purchase(fakeDeps(store), buy())).rejects.toMatchObject({ code: 'INTERNAL' });
    // Assert: the units stay off sale (never oversold) until the reconciler settles the take.
    expect(calls).toHaveLength(bound.purchase.atomic);
    expect(await memory.get('products', 'p1')).toMatchObject({ stock: 9, sold: 1, takes: 1 });
  });

  it('purchase atomic: the order insert fails, the stock goes back with the tombstone on the third try', async () => {
    const memory = await shop();
    let tries = 0;
    const flaky: ConditionalStore = {
      ...withTransact(memory, (w, o) => (tries++ < 2 ? Promise.reject(new Error('injected')) : memory.transact(w, o))),
      insert: (c, doc) => (c === 'orders' ? Promise.reject(new Error('injected')) : memory.insert(c, doc)),
    };
    const { store, calls } = countingStore(flaky);
    await expect(purchase(fakeDeps(store), buy())).rejects.toMatchObject({ code: 'INTERNAL' });
    expect(calls).toEqual(['update', 'insert', 'transact', 'transact', 'transact']);
    expect(await memory.get('products', 'p1')).toMatchObject({ stock: 10, sold: 0 });
  });

  it('purchase version: every compare-and-swap loses, for the whole attempt budget', async () => {
    const memory = await shop();
    const interfering: ConditionalStore = {
      ...memory,
      get: (c, id) => memory.get(c, id),
      // Another writer lands just before every compare-and-swap.
      update: async (c, id, spec) => {
        if (c === 'products') await memory.update('products', 'p1', { inc: { views: 1 } });
        return memory.update(c, id, spec);
      },
      insert: (c, doc) => memory.insert(c, doc),
      remove: (c, id, v) => memory.remove(c, id, v),
      transact: (w, o) => memory.transact(w, o),
      list: (c, q) => memory.list(c, q),
      close: async () => {},
    };
    const { store, calls } = countingStore(interfering);
    await expect(purchase(fakeDeps(store), buy({ strategy: 'version' }))).rejects.toMatchObject({ code: 'VERSION_CONFLICT' });
    // One CAS per attempt, one read first, and a read before every CAS that followed a wait: the fake clock
    // stands still during store calls, so every wait is long against the item's write gap (the worst case).
    expect(calls.filter((c) => c === 'update')).toHaveLength(DEFAULT_POLICIES.version.maxAttempts);
    expect(calls.filter((c) => c === 'get')).toHaveLength(DEFAULT_POLICIES.version.maxAttempts);
    expect(calls.length).toBeLessThanOrEqual(bound.purchase.version);
  });

  it('purchase transaction: the price moves before every commit', async () => {
    const memory = await shop();
    let price = 100;
    const repricing: ConditionalStore = {
      ...memory,
      get: async (c, id) => {
        const doc = await memory.get(c, id);
        await memory.update('products', 'p1', { set: { price: ++price } });
        return doc;
      },
      update: (c, id, spec) => memory.update(c, id, spec),
      insert: (c, doc) => memory.insert(c, doc),
      remove: (c, id, v) => memory.remove(c, id, v),
      transact: (w, o) => memory.transact(w, o),
      list: (c, q) => memory.list(c, q),
      close: async () => {},
    };
    const { store, calls } = countingStore(repricing);
    await expect(purchase(fakeDeps(store), buy({ strategy: 'transaction' }))).rejects.toMatchObject({ code: 'VERSION_CONFLICT' });
    expect(calls).toEqual(Array.from({ length: DEFAULT_POLICIES.snapshot.maxAttempts }, () => ['get', 'transact']).flat());
    expect(calls.length).toBeLessThanOrEqual(bound.purchase.transaction);
  });

  it('purchase transaction: the price moves S-1 times, then contention takes every run but the last', async () => {
    // Arrange: each snapshot but the last is stale by commit time; the last one's writes lose to contention
    // until the attempt budget has one run left.
    const memory = await shop();
    const T = DEFAULT_POLICIES.transactionAttempts;
    const S = DEFAULT_POLICIES.snapshot.maxAttempts;
    let price = 100;
    let gets = 0;
    let runs = 0;
    const worst: ConditionalStore = {
      ...memory,
      get: async (c, id) => {
        const doc = await memory.get(c, id);
        if (++gets < S) await memory.update('products', 'p1', { set: { price: ++price } });
        return doc;
      },
      update: (c, id, spec) => memory.update(c, id, spec),
      insert: (c, doc) => memory.insert(c, doc),
      remove: (c, id, v) => memory.remove(c, id, v),
      transact: async (w, o) => (++runs >= S && runs < T ? { ok: false, reason: 'contention', attempts: 1 } : memory.transact(w, o)),
      list: (c, q) => memory.list(c, q),
      close: async () => {},
    };
    const { store, calls } = countingStore(worst);
    // Act
    const { data } = await purchase(fakeDeps(store), buy({ strategy: 'transaction' }));
    // Assert: S snapshots, T runs, one read of the stock left, and no retry below the operation.
    expect(data.attempts).toBe(T);
    expect(calls.filter((c) => c === 'get')).toHaveLength(S + 1);
    expect(calls.filter((c) => c === 'transact')).toHaveLength(T);
    expect(calls).toHaveLength(bound.purchase.transaction);
    expect(await memory.get('products', 'p1')).toMatchObject({ stock: 9, sold: 1 });
  });

  it('purchase transaction: contention on every run answers 409 TRANSACTION_CONFLICT after T runs, and sells nothing', async () => {
    const memory = await shop();
    const contended = withTransact(memory, async () => ({ ok: false, reason: 'contention', attempts: 1 }));
    const { store, calls } = countingStore(contended);
    await expect(purchase(fakeDeps(store), buy({ strategy: 'transaction' }))).rejects.toMatchObject({
      code: 'TRANSACTION_CONFLICT',
      status: 409,
      retryable: true,
      details: { attempts: DEFAULT_POLICIES.transactionAttempts, exhausted: 'attempts' },
    });
    expect(calls).toEqual(['get', ...Array.from({ length: DEFAULT_POLICIES.transactionAttempts }, () => 'transact')]);
    expect(await memory.get('products', 'p1')).toMatchObject({ stock: 10 });
  });

  it('purchase transaction: throttling until the deadline answers 503 SERVICE_UNAVAILABLE, not applied', async () => {
    const memory = await shop();
    const throttled = withTransact(memory, async () => ({ ok: false, reason: 'throttled', attempts: 1 }));
    const { store, calls } = countingStore(throttled);
    const deps = fakeDeps(store);
    const deadline = deps.now() + 2_000;
    await expect(purchase(deps, buy({ strategy: 'transaction', deadline }))).rejects.toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      status: 503,
      details: { outcome: 'not-applied' },
    });
    const runs = calls.filter((c) => c === 'transact').length;
    expect(runs).toBeGreaterThan(1);
    expect(runs).toBeLessThan(DEFAULT_POLICIES.transactionAttempts);
    expect(deps.now()).toBeLessThan(deadline);
  });

  it('transfer: contention on every run answers 409 TRANSACTION_CONFLICT after exactly T runs', async () => {
    const memory = new MemoryStore();
    const contended = withTransact(memory, async () => ({ ok: false, reason: 'contention', attempts: 1 }));
    const { store, calls } = countingStore(contended);
    await expect(transfer(fakeDeps(store), { uid: 'alice', from: 'a', to: 'b', amount: 1, deadline: FAR })).rejects.toMatchObject({
      code: 'TRANSACTION_CONFLICT',
      details: { attempts: DEFAULT_POLICIES.transactionAttempts },
    });
    expect(calls).toHaveLength(bound.transfer);
  });

  it.each([
    ['transaction', (b: typeof bound) => b.keyedPurchase.transaction],
    ['atomic', (b: typeof bound) => b.keyedPurchase.atomic],
  ] as const)('keyed purchase (%s): every claim or lease is lost to a duplicate', async (strategy, limit) => {
    // Arrange: a duplicate that always commits its claim (or lease) just before ours.
    const memory = await shop();
    const losing: ConditionalStore = {
      ...memory,
      get: (c, id) => memory.get(c, id),
      update: (c, id, spec) => (c === 'idempotency' ? Promise.resolve({ ok: false, reason: 'not_found' }) : memory.update(c, id, spec)),
      insert: (c, doc) => (c === 'idempotency' ? Promise.resolve({ ok: false, reason: 'already_exists' }) : memory.insert(c, doc)),
      remove: (c, id, v) => memory.remove(c, id, v),
      transact: async (writes) => ({ ok: false, reason: 'already_exists', index: 0, label: writes[0]?.label }),
      list: (c, q) => memory.list(c, q),
      close: async () => {},
    };
    const { store, calls } = countingStore(losing);
    // Act
    await expect(purchase(fakeDeps(store), buy({ strategy, idempotencyKey: 'k' }))).rejects.toMatchObject({
      code: 'IDEMPOTENCY_IN_PROGRESS',
    });
    // Assert: each of the 8 rounds read the record and lost its claim or lease, and nothing was sold.
    expect(calls.filter((c) => c === 'get').length).toBeGreaterThanOrEqual(8);
    expect(calls.length).toBeLessThanOrEqual(limit(bound));
    expect(await memory.get('products', 'p1')).toMatchObject({ stock: 10 });
  });

  it('keyed transfer: every claim is lost to a duplicate, each after contention took all runs but one', async () => {
    const memory = new MemoryStore();
    let runs = 0;
    const T = DEFAULT_POLICIES.transactionAttempts;
    const losing: ConditionalStore = {
      ...memory,
      get: (c, id) => memory.get(c, id),
      transact: async (writes) =>
        ++runs % T !== 0
          ? { ok: false, reason: 'contention', attempts: 1 }
          : { ok: false, reason: 'already_exists', index: 0, label: writes[0]?.label },
      list: (c, q) => memory.list(c, q),
      close: async () => {},
    } as ConditionalStore;
    const { store, calls } = countingStore(losing);
    await expect(
      transfer(fakeDeps(store), { uid: 'alice', from: 'a', to: 'b', amount: 1, deadline: FAR, idempotencyKey: 'k' }),
    ).rejects.toMatchObject({
      code: 'IDEMPOTENCY_IN_PROGRESS',
    });
    expect(calls).toHaveLength(bound.keyedTransfer);
  });

  it('a keyed wait polls at most once per 20 ms of the time left', async () => {
    // Arrange: a duplicate holds the lease past our deadline.
    const memory = await shop();
    const deps = fakeDeps(memory);
    const holder = purchase(fakeDeps(memory, { now: deps.now }), buy({ idempotencyKey: 'k', deadline: deps.now() + 60_000 }));
    await holder;
    await memory.update('idempotency', (await memory.all('idempotency'))[0]!.id, {
      set: { state: 'pending', leaseUntil: deps.now() + 60_000 },
    });
    const { store, calls } = countingStore(memory);
    // Act
    await expect(purchase({ ...deps, store }, buy({ idempotencyKey: 'k', deadline: deps.now() + 1_000 }))).rejects.toMatchObject({
      code: 'IDEMPOTENCY_IN_PROGRESS',
    });
    // Assert
    expect(calls.every((c) => c === 'get')).toBe(true);
    expect(calls.length).toBeLessThanOrEqual(1 + 1_000 / 20);
  });

  it('add a cart item: the cart flaps between there and not there for every round', async () => {
    const memory = new MemoryStore();
    await memory.insert('products', { id: 'p2', name: 'B', stock: 1, sold: 0, price: 1 });
    let runs = 0;
    const flapping: ConditionalStore = {
      ...memory,
      // The count is never there; the cart is there when read after a new-cart transaction ran out of runs.
      get: async (c, id) =>
        c === 'carts'
          ? id === cartKey('alice', 'c1')
            ? { id, owner: 'alice', items: [], itemCount: 0, version: 1 }
            : null
          : memory.get(c, id),
      update: async () => ({ ok: false, reason: 'not_found' }),
      insert: (c, doc) => memory.insert(c, doc),
      remove: (c, id, v) => memory.remove(c, id, v),
      // Each round's new-cart transaction loses to contention for all of its runs.
      transact: async () => {
        runs++;
        return { ok: false, reason: 'contention', attempts: 1 };
      },
      list: (c, q) => memory.list(c, q),
      close: async () => {},
    };
    const { store, calls } = countingStore(flapping);
    await expect(addItem(fakeDeps(store), 'alice', 'c1', { id: 'a', productId: 'p2', quantity: 1 })).rejects.toMatchObject({
      code: 'VERSION_CONFLICT',
    });
    expect(runs).toBe(3 * CREATE_CART_ATTEMPTS);
    expect(calls).toHaveLength(bound.addCartItem);
  });

  describe('a keyed cart change: every claim but the last is lost after its rounds and its transaction runs are spent', () => {
    const T = DEFAULT_POLICIES.transactionAttempts;
    const K = KEYED_CART_ROUNDS.maxAttempts;
    const R = ROUNDS_POLICY.maxAttempts;
    const cart = {
      id: 'ignored',
      cartId: 'c1',
      owner: 'alice',
      items: [{ id: 'x', productId: 'p2', quantity: 1, addedAt: 'a' }],
      itemCount: 1,
    };

    /**
     * Per claim (every T runs): a new cart's runs are contended until they run out (then the read after them finds
     * the cart), an existing cart's runs are contended until the last, which loses the claim to a duplicate; the
     * very last run of the last claim commits, and the read after it finds the cart changed, so the record is
     * amended. `missing(round)` says which rounds find no cart.
     */
    function losing(missing: (round: number) => boolean): ConditionalStore {
      const memory = new MemoryStore();
      void memory.insert('products', { id: 'p2', name: 'B', stock: 1, sold: 0, price: 1 });
      let runs = 0;
      let reads = 0;
      let creates = 0;
      let exhausted = false;
      let committed = false;
      return {
        ...withTransact(memory, async (writes) => {
          const n = (runs++ % T) + 1;
          if (runs === R * T) {
            committed = true;
            return { ok: true, attempts: 1 };
          }
          if (n === T) return { ok: false, reason: 'already_exists', index: 0, label: CLAIM };
          if (writes.some((w) => w.kind === 'insert' && w.label === 'cart')) {
            // A new cart's transaction is contended for all of its runs; the read after them finds the cart.
            if (++creates % CREATE_CART_ATTEMPTS === 0) exhausted = true;
            return { ok: false, reason: 'contention', attempts: 1 };
          }
          return { ok: false, reason: 'contention', attempts: 1 };
        }),
        get: async (c, id) => {
          if (c !== 'carts') return memory.get(c, id);
          if (id.startsWith('n')) return null;
          if (committed) return { ...cart, id, items: [], itemCount: 0, version: 7 };
          if (exhausted) {
            exhausted = false;
            return { ...cart, id, version: 1 };
          }
          return missing((reads++ % K) + 1) ? null : { ...cart, id, version: 1 };
        },
        insert: async (c, doc) => (c === 'carts' ? { ok: true, doc: { ...doc, version: 1 } } : memory.insert(c, doc)),
      };
    }
    const change = { uid: 'alice', cartId: 'c1', deadline: FAR, idempotencyKey: 'k' };

    it('remove: R x (the record, the cart, T runs), then the read after the commit and the amended record', async () => {
      const { store, calls } = countingStore(losing(() => false));
      expect(await removeCartItem(fakeDeps(store), { ...change, itemId: 'x' })).toEqual({
        replayed: false,
        data: { removed: true, version: 7 },
      });
      expect(calls).toHaveLength(bound.keyedRemoveCartItem);
    });

    it('add: R x (the record, the product, K reads, K - 1 new-cart rounds with the count read and insert and a read after their runs ran out, T runs), then the read after the commit and the amended record', async () => {
      const { store, calls } = countingStore(losing((round) => round < K));
      const item = { id: 'y', productId: 'p2', quantity: 1 };
      expect(await addCartItem(fakeDeps(store), { ...change, item })).toMatchObject({ replayed: false, data: { version: 7 } });
      expect(calls).toHaveLength(bound.keyedAddCartItem);
    });
  });
});
