/**
 * cartChanges.ts without a database: without a key the store sees exactly carts.ts's one guarded write (seed
 * 002's hot path, no read, no transaction); with a key, what a first run and a replay cost, that a concurrent
 * change of the cart neither refuses nor repeats a keyed one, and that the answer is exact. The real backends: test/functions/carts.test.ts and cartsConcurrency.ts.
 */
import { cartKey } from '../../../shared/carts';
import { addCartItem, removeCartItem } from '../../../shared/operations/cartChanges';
import { IDEMPOTENCY } from '../../../shared/operations/idempotency';
import type { ConditionalStore } from '../../../shared/store';
import { countingStore } from '../../support/countingStore';
import { fakeDeps } from '../../support/deps';
import { MemoryStore, withTransact } from '../../support/memoryStore';

const FAR = Date.UTC(2030, 0, 1);
const KEY = cartKey('alice', 'c1');
const item = (id: string) => ({ id, productId: 'p1', quantity: 1 });
const change = (idempotencyKey?: string) => ({ uid: 'alice', cartId: 'c1', deadline: FAR, ...(idempotencyKey ? { idempotencyKey } : {}) });

async function shop(withCart = true) {
  const memory = new MemoryStore();
  await memory.insert('products', { id: 'p1', name: 'p1', stock: 1, sold: 0, price: 1 });
  if (withCart) {
    const items = [{ id: 'x', productId: 'p1', quantity: 2, addedAt: '2026-11-25T07:00:00.000Z' }];
    await memory.insert('carts', { id: KEY, cartId: 'c1', owner: 'alice', items, itemCount: 1 });
  }
  return memory;
}

describe('without a key', () => {
  it('adds with the product check and one guarded write, removes with one guarded write: no read, no transaction', async () => {
    const memory = await shop();
    const { store, calls } = countingStore(memory);
    const deps = fakeDeps(store);
    expect(await addCartItem(deps, { ...change(), item: item('y') })).toMatchObject({
      replayed: false,
      data: { itemCount: 2, version: 2 },
    });
    expect(calls).toEqual(['get', 'update']);
    calls.length = 0;
    expect(await removeCartItem(deps, { ...change(), itemId: 'y' })).toEqual({ replayed: false, data: { removed: true, version: 3 } });
    expect(calls).toEqual(['update']);
    expect(memory.all(IDEMPOTENCY)).toEqual([]);
  });
});

describe('with a key', () => {
  it('commits the add with its claim in one transaction, and replays it with one read', async () => {
    // Arrange
    const memory = await shop();
    const { store, calls } = countingStore(memory);
    const deps = fakeDeps(store);
    // Act
    const first = await addCartItem(deps, { ...change('k1'), item: item('y') });
    const firstCalls = [...calls];
    calls.length = 0;
    const again = await addCartItem(deps, { ...change('k1'), item: item('y') });
    // Assert: the record, the product, the cart, then the claim and the push together, and the cart after.
    expect(firstCalls).toEqual(['get', 'get', 'get', 'transact', 'get']);
    expect(calls).toEqual(['get']);
    expect(again).toEqual({ data: first.data, replayed: true });
    // The answer is the cart as stored, as the claim predicted (so the record needed no amending).
    const stored = await memory.get('carts', KEY);
    expect(first.data).toMatchObject({ itemCount: 2, version: 2 });
    expect(first.data.items.map((i) => i.id)).toEqual(['x', 'y']);
    expect(stored).toMatchObject({ itemCount: 2, version: 2 });
    expect(memory.all(IDEMPOTENCY)).toHaveLength(1);
  });

  it('creates a missing cart in the claim transaction and answers it at version 1', async () => {
    const memory = await shop(false);
    const deps = fakeDeps(memory);
    const first = await addCartItem(deps, { ...change('k1'), item: item('a') });
    expect(first).toMatchObject({ replayed: false, data: { id: 'c1', owner: 'alice', itemCount: 1, version: 1 } });
    expect(await memory.get('carts', KEY)).toMatchObject({ itemCount: 1, version: 1 });
    expect(await addCartItem(deps, { ...change('k1'), item: item('a') })).toEqual({ data: first.data, replayed: true });
  });

  it('commits the removal with its claim, and replays it instead of ITEM_NOT_FOUND', async () => {
    const memory = await shop();
    const { store, calls } = countingStore(memory);
    const deps = fakeDeps(store);
    const first = await removeCartItem(deps, { ...change('k2'), itemId: 'x' });
    expect(calls).toEqual(['get', 'get', 'transact', 'get']);
    expect(first).toEqual({ replayed: false, data: { removed: true, version: 2 } });
    expect(await removeCartItem(deps, { ...change('k2'), itemId: 'x' })).toEqual({ replayed: true, data: { removed: true, version: 2 } });
    await expect(removeCartItem(deps, { ...change('k3'), itemId: 'x' })).rejects.toMatchObject({ code: 'ITEM_NOT_FOUND' });
    expect(memory.all(IDEMPOTENCY)).toHaveLength(1);
  });

  it('commits despite a concurrent change between its read and its write, answers the cart after, and replays that', async () => {
    // Arrange: another add lands just before the first transaction.
    const memory = await shop();
    let interfered = false;
    const interfering = withTransact(memory, async (writes, options) => {
      if (!interfered) {
        interfered = true;
        await memory.update('carts', KEY, { push: { field: 'items', element: { ...item('z'), addedAt: 't' } }, inc: { itemCount: 1 } });
      }
      return memory.transact(writes, options);
    });
    const { store, calls } = countingStore(interfering);
    // Act
    const added = await addCartItem(fakeDeps(store), { ...change('k4'), item: item('y') });
    // Assert: one run; the claim predicted version 2, the cart after is version 3, and the record says so.
    expect(calls.filter((c) => c === 'transact')).toHaveLength(1);
    expect(added.data).toMatchObject({ itemCount: 3, version: 3 });
    expect(added.data.items.map((i) => i.id).sort()).toEqual(['x', 'y', 'z']);
    expect(await memory.get('carts', KEY)).toMatchObject({ itemCount: 3, version: 3 });
    expect(await addCartItem(fakeDeps(memory), { ...change('k4'), item: item('y') })).toEqual({ data: added.data, replayed: true });
  });

  it('replays a duplicate removal that read the record before the first committed and the cart after', async () => {
    // Arrange: the first removal commits; its duplicate (same key) saw no record yet, as if it had read it just
    // before that commit, and then finds the item gone.
    const memory = await shop();
    const first = await removeCartItem(fakeDeps(memory), { ...change('k6'), itemId: 'x' });
    let hidden = false;
    const late: ConditionalStore = {
      ...withTransact(memory, (writes, options) => memory.transact(writes, options)),
      get: async (c, id) => {
        if (c === IDEMPOTENCY && !hidden) {
          hidden = true;
          return null;
        }
        return memory.get(c, id);
      },
    };
    // Act
    const duplicate = await removeCartItem(fakeDeps(late), { ...change('k6'), itemId: 'x' });
    // Assert: its claim lost to the first one's, so it replays instead of saying ITEM_NOT_FOUND.
    expect(duplicate).toEqual({ replayed: true, data: first.data });
    expect(await memory.get('carts', KEY)).toMatchObject({ itemCount: 0, version: 2 });
  });

  it('removes once, in one run, when another change lands before every transaction', async () => {
    const memory = await shop();
    const { store, calls } = countingStore(
      withTransact(memory, async (writes, options) => {
        await memory.update('carts', KEY, { set: { touched: true } });
        return memory.transact(writes, options);
      }),
    );
    expect(await removeCartItem(fakeDeps(store), { ...change('k5'), itemId: 'x' })).toEqual({
      replayed: false,
      data: { removed: true, version: 3 },
    });
    expect(calls.filter((c) => c === 'transact')).toHaveLength(1);
    expect(await memory.get('carts', KEY)).toMatchObject({ itemCount: 0, version: 3 });
    expect(memory.all(IDEMPOTENCY)).toHaveLength(1);
  });
});
