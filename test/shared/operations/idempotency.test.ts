import { purchase, type PurchaseInput } from '../../../shared/operations/purchase';
import { fingerprint, IDEMPOTENCY, recordId } from '../../../shared/operations/idempotency';
import { fakeDeps } from '../../support/deps';
import { withFaults } from '../../support/faults';
import { MemoryStore } from '../../support/memoryStore';

const FAR = Date.UTC(2030, 0, 1);

async function shop(stock = 10) {
  const store = new MemoryStore();
  await store.insert('products', { id: 'p1', name: '商品A', stock, sold: 0, price: 100 });
  return store;
}
const buy = (over: Partial<PurchaseInput> = {}): PurchaseInput => ({
  uid: 'alice',
  productId: 'p1',
  quantity: 1,
  strategy: 'atomic',
  deadline: FAR,
  idempotencyKey: 'key-1',
  ...over,
});
const id = (uid = 'alice', key = 'key-1') => recordId({ uid, op: 'purchase', key });

describe.each(['atomic', 'version', 'transaction'] as const)('idempotent purchase (%s)', (strategy) => {
  it('repeats the first result without a second effect', async () => {
    const store = await shop();
    const deps = fakeDeps(store);
    const first = await purchase(deps, buy({ strategy }));
    const again = await purchase(deps, buy({ strategy }));
    expect(first.replayed).toBe(false);
    expect(again).toEqual({ data: first.data, replayed: true });
    expect(await store.get('products', 'p1')).toMatchObject({ stock: 9, sold: 1 });
    expect(store.all('orders')).toHaveLength(1);
    expect(await store.get(IDEMPOTENCY, id())).toMatchObject({ state: 'done', uid: 'alice', op: 'purchase' });
  });

  it('refuses the same key for a different request with IDEMPOTENCY_KEY_REUSED', async () => {
    const store = await shop();
    const deps = fakeDeps(store);
    await purchase(deps, buy({ strategy }));
    await expect(purchase(deps, buy({ strategy, quantity: 2 }))).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', status: 422 });
    expect(store.all('orders')).toHaveLength(1);
  });

  it('scopes keys per caller', async () => {
    const store = await shop();
    const deps = fakeDeps(store);
    await purchase(deps, buy({ strategy }));
    const bob = await purchase(deps, buy({ strategy, uid: 'bob' }));
    expect(bob.replayed).toBe(false);
    expect(store.all('orders')).toHaveLength(2);
  });

  it('remembers only successes: after INSUFFICIENT_STOCK the same key runs again', async () => {
    const store = await shop(0);
    const deps = fakeDeps(store);
    await expect(purchase(deps, buy({ strategy }))).rejects.toMatchObject({ code: 'INSUFFICIENT_STOCK' });
    await store.update('products', 'p1', { inc: { stock: 5 } });
    const retried = await purchase(deps, buy({ strategy }));
    expect(retried.replayed).toBe(false);
    expect(store.all('orders')).toHaveLength(1);
  });

  it('leaves no record behind after a client error (nothing was written), whatever the key', async () => {
    const store = await shop(0);
    const deps = fakeDeps(store);
    for (const key of ['k-1', 'k-2', 'k-3']) {
      await expect(purchase(deps, buy({ strategy, idempotencyKey: key }))).rejects.toMatchObject({ code: 'INSUFFICIENT_STOCK' });
      await expect(purchase(deps, buy({ strategy, productId: 'no-such', idempotencyKey: `${key}-x` }))).rejects.toMatchObject({
        code: 'PRODUCT_NOT_FOUND',
      });
    }
    expect(store.all(IDEMPOTENCY)).toEqual([]);
  });

  it('treats an expired record as absent', async () => {
    const store = await shop();
    const deps = fakeDeps(store);
    await purchase(deps, buy({ strategy }));
    await store.update(IDEMPOTENCY, id(), { set: { expiresAt: Math.floor(deps.now() / 1000) - 1 } });
    const later = await purchase(deps, buy({ strategy, quantity: 3 }));
    expect(later.replayed).toBe(false);
    expect(store.all('orders')).toHaveLength(2);
  });
});

describe('idempotent purchase under a lease (atomic, version)', () => {
  it('makes a duplicate wait for the holder and replay its answer', async () => {
    const store = await shop();
    const deps = fakeDeps(store);
    const [a, b] = await Promise.all([purchase(deps, buy()), purchase(deps, buy())]);
    expect([a.replayed, b.replayed].sort()).toEqual([false, true]);
    expect(a.data.order.orderNo).toBe(b.data.order.orderNo);
    expect(store.all('orders')).toHaveLength(1);
  });

  /** A pending record as a holder leaves it: leased until `leaseUntil`, working under order number `ref`. */
  async function pending(store: MemoryStore, deps: ReturnType<typeof fakeDeps>, leaseUntil: number, ref: string) {
    const req = { uid: 'alice', op: 'purchase' as const, key: 'key-1', command: { productId: 'p1', quantity: 1, strategy: 'atomic' } };
    await store.insert(IDEMPOTENCY, {
      id: id(),
      uid: 'alice',
      op: 'purchase',
      fingerprint: fingerprint(req),
      state: 'pending',
      leaseUntil,
      ref,
      createdAt: new Date(deps.now()).toISOString(),
      expiresAt: Math.floor(deps.now() / 1000) + 3600,
    });
  }

  it('answers IDEMPOTENCY_IN_PROGRESS when the holder outlives the duplicate deadline', async () => {
    const store = await shop();
    const deps = fakeDeps(store);
    await pending(store, deps, deps.now() + 60_000, 'O-HELD');
    await expect(purchase(deps, buy({ deadline: deps.now() + 500 }))).rejects.toMatchObject({
      code: 'IDEMPOTENCY_IN_PROGRESS',
      status: 409,
    });
    expect(await store.get('products', 'p1')).toMatchObject({ stock: 10 });
    expect(store.all('orders')).toHaveLength(0);
  });

  it('takes over from a crashed holder whose order exists, and returns that order without buying again', async () => {
    const store = await shop();
    const deps = fakeDeps(store);
    // The crashed holder took a unit and created order O-CRASH, then died before marking the record done.
    await store.update('products', 'p1', { inc: { stock: -1, sold: 1 } });
    await store.insert('orders', {
      id: 'O-CRASH',
      orderNo: 'O-CRASH',
      uid: 'alice',
      productId: 'p1',
      quantity: 1,
      price: 100,
      amount: 100,
      status: 'created',
      createdAt: 'x',
    });
    await pending(store, deps, deps.now() - 1, 'O-CRASH');
    const taken = await purchase(deps, buy());
    expect(taken.replayed).toBe(false);
    expect(taken.data.order.orderNo).toBe('O-CRASH');
    expect(await store.get('products', 'p1')).toMatchObject({ stock: 9, sold: 1 });
    expect(store.all('orders')).toHaveLength(1);
    expect(await store.get(IDEMPOTENCY, id())).toMatchObject({ state: 'done' });
  });

  it('takes over from a crashed holder that bought nothing, and buys once', async () => {
    const store = await shop();
    const deps = fakeDeps(store);
    await pending(store, deps, deps.now() - 1, 'O-NEVER');
    const taken = await purchase(deps, buy());
    expect(taken.data.order.orderNo).not.toBe('O-NEVER');
    expect(await store.get('products', 'p1')).toMatchObject({ stock: 9, sold: 1 });
    expect(store.all('orders')).toHaveLength(1);
  });

  it.each(['atomic', 'version'] as const)(
    '(%s) a retry after an undecided failure answers the order that landed instead of buying again',
    async (strategy) => {
      const store = await shop();
      // The order insert lands but its answer is lost, and the three void-and-restock transactions that try to
      // settle it fail: the holder cannot tell whether it sold, fails, and releases the key.
      const lossy = withFaults(store, { loseInsertAnswerFor: 'orders', times: 1 });
      const deps = fakeDeps({ ...lossy, transact: () => Promise.reject(new Error('injected: no answer')) });
      await expect(purchase(deps, buy({ strategy }))).rejects.toMatchObject({ status: 500 });
      const [landed] = store.all('orders');
      expect(landed).toMatchObject({ status: 'pending_payment' });
      // The undecided failure keeps its record, with the ref the retry checks.
      expect(await store.get(IDEMPOTENCY, id())).toMatchObject({ state: 'aborted', ref: landed?.orderNo });

      const retried = await purchase(fakeDeps(store), buy({ strategy }));
      expect(retried.data.order.orderNo).toBe(landed?.orderNo);
      expect(store.all('orders')).toHaveLength(1);
      expect(await store.get('products', 'p1')).toMatchObject({ stock: 9, sold: 1 });
    },
  );
});
