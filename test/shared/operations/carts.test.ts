import { cartCountKey, cartKey, MAX_CART_ITEMS, MAX_CARTS_PER_OWNER } from '../../../shared/carts';
import { addItem, getCart, removeItem, type CartDeps } from '../../../shared/operations/carts';
import type { ConditionalStore } from '../../../shared/store';
import { countingStore } from '../../support/countingStore';
import { MemoryStore } from '../../support/memoryStore';

const T0 = Date.UTC(2026, 10, 25, 8, 0, 0);

/** Where alice's cart c1 is stored. */
const KEY = cartKey('alice', 'c1');

function setup() {
  const memory = new MemoryStore();
  for (const id of ['p1', 'p2']) void memory.insert('products', { id, name: id, stock: 1, sold: 0, price: 1 });
  const { store, calls } = countingStore(memory);
  let clock = T0;
  const deps: CartDeps & { tick(ms: number): void } = {
    store,
    now: () => clock,
    random: () => 0.5,
    sleep: async (ms) => void (clock += ms),
    tick: (ms) => void (clock += ms),
  };
  return { memory, deps, calls };
}

const item = (id: string, over: Partial<{ productId: string; quantity: number }> = {}) => ({ id, productId: 'p1', quantity: 1, ...over });

async function seededCart(memory: MemoryStore, fields: Record<string, unknown> = {}) {
  await memory.insert('carts', {
    id: KEY,
    cartId: 'c1',
    owner: 'alice',
    items: [{ id: 'x', productId: 'p1', quantity: 2, addedAt: '2026-11-25T07:00:00.000Z' }],
    itemCount: 1,
    ...fields,
  });
}

describe('addItem', () => {
  it('creates a missing cart for the caller with the item in it', async () => {
    const { memory, deps, calls } = setup();
    const cart = await addItem(deps, 'alice', 'c1', item('a', { quantity: 3 }));
    expect(cart).toEqual({
      id: 'c1',
      owner: 'alice',
      items: [{ id: 'a', productId: 'p1', quantity: 3, addedAt: '2026-11-25T08:00:00.000Z' }],
      itemCount: 1,
      version: 1,
    });
    // The product check, the push that finds no cart, the owner's cart counter, then one transaction that
    // counts the cart and inserts it.
    expect(calls).toEqual(['get', 'update', 'get', 'insert', 'transact']);
    expect(await memory.get('carts', KEY)).toMatchObject({ cartId: 'c1', owner: 'alice', itemCount: 1 });
    expect(await memory.get('carts', cartCountKey('alice'))).toMatchObject({ owner: 'alice', carts: 1 });
    expect(memory.all('carts')).toHaveLength(2);
  });

  it('adds to an existing cart with one guarded write after the product check', async () => {
    const { memory, deps, calls } = setup();
    await seededCart(memory);
    const cart = await addItem(deps, 'alice', 'c1', item('y'));
    expect(calls).toEqual(['get', 'update']);
    expect(cart.items.map((i) => i.id)).toEqual(['x', 'y']);
    expect(cart).toMatchObject({ itemCount: 2, version: 2 });
  });

  it('answers ITEM_EXISTS for an id already in the cart and changes nothing', async () => {
    const { memory, deps } = setup();
    await seededCart(memory);
    await expect(addItem(deps, 'alice', 'c1', item('x', { quantity: 9 }))).rejects.toMatchObject({ code: 'ITEM_EXISTS', status: 409 });
    expect(await memory.get('carts', KEY)).toMatchObject({ itemCount: 1, version: 1, items: [{ id: 'x', quantity: 2 }] });
  });

  it("never reaches another user's cart of the same id: the id is scoped to its owner", async () => {
    const { memory, deps } = setup();
    await seededCart(memory);
    // Bob's c1 is Bob's own new cart, even for an item id Alice's c1 holds; Alice's is untouched.
    expect(await addItem(deps, 'bob', 'c1', item('x'))).toMatchObject({ id: 'c1', owner: 'bob', itemCount: 1, version: 1 });
    expect(await memory.get('carts', KEY)).toMatchObject({ owner: 'alice', itemCount: 1, version: 1 });
    expect(await memory.get('carts', cartKey('bob', 'c1'))).toMatchObject({ cartId: 'c1', owner: 'bob', itemCount: 1 });
  });

  it('refuses an item whose product does not exist, and writes nothing', async () => {
    const { memory, deps, calls } = setup();
    await expect(addItem(deps, 'alice', 'c1', item('a', { productId: 'no-such-product' }))).rejects.toMatchObject({
      code: 'PRODUCT_NOT_FOUND',
      status: 404,
    });
    expect(calls).toEqual(['get']);
    expect(memory.all('carts')).toEqual([]);
  });

  it(`refuses a cart beyond ${MAX_CARTS_PER_OWNER} per owner, and writes nothing`, async () => {
    const { memory, deps } = setup();
    for (let i = 0; i < MAX_CARTS_PER_OWNER; i++) await addItem(deps, 'alice', `c-${i}`, item('a'));
    await expect(addItem(deps, 'alice', 'one-more', item('a'))).rejects.toMatchObject({
      code: 'CART_LIMIT_REACHED',
      status: 422,
      details: { limit: MAX_CARTS_PER_OWNER },
    });
    expect(await memory.get('carts', cartKey('alice', 'one-more'))).toBeNull();
    expect(await memory.get('carts', cartCountKey('alice'))).toMatchObject({ carts: MAX_CARTS_PER_OWNER });
    // Existing carts still take items, and other owners have their own count.
    expect(await addItem(deps, 'alice', 'c-0', item('b'))).toMatchObject({ itemCount: 2 });
    expect(await addItem(deps, 'bob', 'one-more', item('a'))).toMatchObject({ owner: 'bob' });
  });

  it(`refuses the item after ${MAX_CART_ITEMS} and changes nothing`, async () => {
    const { memory, deps } = setup();
    const items = Array.from({ length: MAX_CART_ITEMS }, (_, i) => ({
      id: `i${i}`,
      productId: 'p1',
      quantity: 1,
      addedAt: '2026-11-25T07:00:00.000Z',
    }));
    await seededCart(memory, { items, itemCount: MAX_CART_ITEMS });
    await expect(addItem(deps, 'alice', 'c1', item('one-more'))).rejects.toMatchObject({
      code: 'CART_FULL',
      status: 422,
      details: { limit: MAX_CART_ITEMS },
    });
    expect(await memory.get('carts', KEY)).toMatchObject({ itemCount: MAX_CART_ITEMS, version: 1 });
  });

  it('pushes into the cart when its own insert loses the race to create it', async () => {
    const { memory, deps, calls } = setup();
    // Another request of the same user creates the cart between this request's push and its transaction.
    const racing: ConditionalStore = {
      ...deps.store,
      transact: async (writes, options) => {
        await memory.insert('carts', {
          id: KEY,
          cartId: 'c1',
          owner: 'alice',
          items: [{ id: 'z', productId: 'p2', quantity: 1, addedAt: '2026-11-25T07:59:00.000Z' }],
          itemCount: 1,
        });
        return deps.store.transact(writes, options);
      },
    };
    const cart = await addItem({ ...deps, store: racing }, 'alice', 'c1', item('a'));
    expect(calls).toEqual(['get', 'update', 'get', 'insert', 'transact', 'update']);
    expect(cart).toMatchObject({ itemCount: 2, version: 2 });
    expect(cart.items.map((i) => i.id)).toEqual(['z', 'a']);
    // The lost creation counted nothing.
    expect(await memory.get('carts', cartCountKey('alice'))).toMatchObject({ carts: 0 });
  });

  it('gives up with a retryable VERSION_CONFLICT after a bounded number of rounds', async () => {
    const { deps, calls } = setup();
    // A cart that is always there for the insert and never there for the push (only a fault can do this).
    const flapping: ConditionalStore = {
      ...deps.store,
      update: async () => (calls.push('update'), { ok: false, reason: 'not_found' }),
      transact: async () => (calls.push('transact'), { ok: false, reason: 'already_exists', index: 1, label: 'cart' }),
    };
    await expect(addItem({ ...deps, store: flapping }, 'alice', 'c1', item('a'))).rejects.toMatchObject({
      code: 'VERSION_CONFLICT',
      retryable: true,
      details: { attempts: 3 },
    });
    expect(calls).toEqual(['get', 'update', 'get', 'insert', 'transact', 'update', 'get', 'transact', 'update', 'get', 'transact']);
  });

  it('answers INTERNAL, not a wrong answer, for a stored cart without an item count', async () => {
    const { memory, deps } = setup();
    await memory.insert('carts', { id: KEY, cartId: 'c1', owner: 'alice', items: [] });
    await expect(addItem(deps, 'alice', 'c1', item('a'))).rejects.toMatchObject({ code: 'INTERNAL' });
  });
});

describe('removeItem', () => {
  it('removes the item with one guarded write and no read, and answers the new version', async () => {
    const { memory, deps, calls } = setup();
    await seededCart(memory);
    expect(await removeItem(deps, 'alice', 'c1', 'x')).toEqual({ removed: true, version: 2 });
    expect(calls).toEqual(['update']);
    expect(await memory.get('carts', KEY)).toMatchObject({ items: [], itemCount: 0, version: 2 });
  });

  it('answers ITEM_NOT_FOUND the second time and for an item never added', async () => {
    const { memory, deps } = setup();
    await seededCart(memory);
    await removeItem(deps, 'alice', 'c1', 'x');
    await expect(removeItem(deps, 'alice', 'c1', 'x')).rejects.toMatchObject({ code: 'ITEM_NOT_FOUND', status: 404 });
    await expect(removeItem(deps, 'alice', 'c1', 'never')).rejects.toMatchObject({ code: 'ITEM_NOT_FOUND' });
    expect(await memory.get('carts', KEY)).toMatchObject({ itemCount: 0, version: 2 });
  });

  it('answers CART_NOT_FOUND for a missing cart', async () => {
    const { deps } = setup();
    await expect(removeItem(deps, 'alice', 'nope', 'x')).rejects.toMatchObject({ code: 'CART_NOT_FOUND', status: 404 });
  });

  it("answers CART_NOT_FOUND for another user's cart, whether or not it holds the item, and changes nothing", async () => {
    const { memory, deps } = setup();
    await seededCart(memory);
    await expect(removeItem(deps, 'bob', 'c1', 'x')).rejects.toMatchObject({ code: 'CART_NOT_FOUND' });
    await expect(removeItem(deps, 'bob', 'c1', 'never')).rejects.toMatchObject({ code: 'CART_NOT_FOUND' });
    expect(await memory.get('carts', KEY)).toMatchObject({ itemCount: 1, version: 1, items: [{ id: 'x' }] });
  });

  it('removes an item exactly once when 20 removals race', async () => {
    const { memory, deps } = setup();
    await seededCart(memory);
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => removeItem(deps, 'alice', 'c1', 'x')));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected' && r.reason.code === 'ITEM_NOT_FOUND')).toHaveLength(19);
    expect(await memory.get('carts', KEY)).toMatchObject({ itemCount: 0, version: 2 });
  });
});

describe('getCart', () => {
  it('orders items by addedAt, then by id, whatever order the store keeps', async () => {
    const { memory, deps } = setup();
    const at = (m: number) => new Date(T0 + m * 60_000).toISOString();
    await memory.insert('carts', {
      id: KEY,
      cartId: 'c1',
      owner: 'alice',
      items: [
        { id: 'b', productId: 'p1', quantity: 1, addedAt: at(2) },
        { id: 'z', productId: 'p1', quantity: 1, addedAt: at(1) },
        { id: 'a', productId: 'p1', quantity: 1, addedAt: at(2) },
        { id: 'B', productId: 'p1', quantity: 1, addedAt: at(2) },
      ],
      itemCount: 4,
    });
    const cart = await getCart(deps, 'alice', 'c1');
    expect(cart.items.map((i) => i.id)).toEqual(['z', 'B', 'a', 'b']);
    expect(cart).toMatchObject({ id: 'c1', owner: 'alice', itemCount: 4, version: 1 });
  });

  it('shows only the public fields of an item', async () => {
    const { memory, deps } = setup();
    await seededCart(memory, { items: [{ id: 'x', productId: 'p1', quantity: 2, addedAt: '2026-11-25T07:00:00.000Z', note: 'internal' }] });
    expect((await getCart(deps, 'alice', 'c1')).items).toEqual([
      { id: 'x', productId: 'p1', quantity: 2, addedAt: '2026-11-25T07:00:00.000Z' },
    ]);
  });

  it('keeps the order items were added in when the clock moves on', async () => {
    const { deps } = setup();
    for (const id of ['m', 'c', 'x']) {
      await addItem(deps, 'alice', 'c1', item(id));
      deps.tick(1_000);
    }
    expect((await getCart(deps, 'alice', 'c1')).items.map((i) => i.id)).toEqual(['m', 'c', 'x']);
  });

  it("answers CART_NOT_FOUND for a missing cart and for another user's", async () => {
    const { memory, deps } = setup();
    await seededCart(memory);
    await expect(getCart(deps, 'alice', 'nope')).rejects.toMatchObject({ code: 'CART_NOT_FOUND' });
    await expect(getCart(deps, 'bob', 'c1')).rejects.toMatchObject({ code: 'CART_NOT_FOUND' });
  });
});
