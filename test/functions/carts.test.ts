import { cartKey, MAX_CART_ITEMS, MAX_CARTS_PER_OWNER } from '../../shared/carts';
import { IDEMPOTENCY, recordId } from '../../shared/operations/idempotency';
import { call, cognitoContext, cognitoOwner, invoke, lambdaContext } from '../support/events';
import { backendEnv, loadFunctions, type LoadedFunctions } from '../support/functions';
import { BACKENDS, backendFixture, type BackendFixture } from '../support/stores';

describe.each(BACKENDS)('cart handlers (addCartItem, removeCartItem, getCart) on %s', (backend) => {
  let fixture: BackendFixture;
  let fns: LoadedFunctions;
  let n = 0;

  beforeAll(async () => {
    fixture = await backendFixture(backend, 'carts');
    fns = loadFunctions(['addCartItem', 'removeCartItem', 'getCart'], backendEnv(backend, fixture));
    for (const id of ['p1', 'p2', 'p9']) await fixture.store.insert('products', { id, name: id, stock: 10, sold: 0, price: 100 });
  });
  afterAll(async () => {
    await fns?.close();
    await fixture?.cleanup();
  });

  const cartId = () => `cart-${++n}`;
  // A new Alice for every test: an owner may create only MAX_CARTS_PER_OWNER carts, ever.
  let alice = 'alice';
  beforeEach(() => {
    alice = `alice-${n}`;
  });
  // `sub: null` is an anonymous request (no verified claims).
  const add = (id: string, body: unknown, sub: string | null = alice, headers?: Record<string, string>) =>
    call(fns.http('addCartItem'), {
      method: 'POST',
      path: `/carts/${id}/items`,
      pathParameters: { id },
      body,
      sub: sub ?? undefined,
      headers,
    });
  const remove = (id: string, itemId: string, sub: string | null = alice, headers?: Record<string, string>) =>
    call(fns.http('removeCartItem'), {
      method: 'DELETE',
      path: `/carts/${id}/items/${itemId}`,
      pathParameters: { id, itemId },
      sub: sub ?? undefined,
      headers,
    });
  const read = (id: string, sub: string | null = alice) =>
    call(fns.http('getCart'), { method: 'GET', path: `/carts/${id}`, pathParameters: { id }, sub: sub ?? undefined });
  /** The owner's cart `id` as stored (under its owner-scoped key). */
  const stored = (id: string, owner = alice) => fixture.store.get('carts', cartKey(owner, id));

  /** Alice's cart holding items `a` and `b`, created through the handler. */
  async function aliceCart() {
    const id = cartId();
    expect((await add(id, { id: 'a', productId: 'p1', quantity: 1 })).statusCode).toBe(200);
    expect((await add(id, { id: 'b', productId: 'p2', quantity: 2 })).statusCode).toBe(200);
    return id;
  }

  it('creates the cart on the first add, adds, and reads it back in the order items were added', async () => {
    const id = cartId();
    const first = await add(id, { id: 'z-item', productId: 'p1', quantity: 2 });
    expect(first.statusCode).toBe(200);
    expect(first.body).toEqual({
      code: 200,
      msg: '已加入购物车',
      data: {
        id,
        owner: alice,
        items: [{ id: 'z-item', productId: 'p1', quantity: 2, addedAt: expect.any(String) }],
        itemCount: 1,
        version: 1,
      },
    });
    const second = await add(id, { id: 'a-item', productId: 'p2', quantity: 1 }, alice, { 'accept-language': 'en' });
    expect(second.body).toMatchObject({ code: 200, msg: 'Item added', data: { itemCount: 2, version: 2 } });

    const got = await read(id);
    expect(got.statusCode).toBe(200);
    // DynamoDB hands items back sorted by id, MongoDB in insertion order: the answer is by addedAt either way.
    expect(got.body.data.items.map((i: { id: string }) => i.id)).toEqual(['z-item', 'a-item']);
    expect(got.body.data).toMatchObject({ id, owner: alice, itemCount: 2, version: 2 });
  });

  it('stores items as a map keyed by item id on DynamoDB and as an array on MongoDB', async () => {
    const id = await aliceCart();
    const raw = (await fixture.list('carts')).find((c) => c.id === cartKey(alice, id) || c._id === cartKey(alice, id))!;
    if (backend === 'dynamodb') expect(Object.keys(raw.items as object).sort()).toEqual(['a', 'b']);
    else expect((raw.items as { id: string }[]).map((i) => i.id)).toEqual(['a', 'b']);
  });

  it('answers 409 ITEM_EXISTS for an item id already in the cart and changes nothing', async () => {
    const id = await aliceCart();
    const before = await stored(id);
    const answer = await add(id, { id: 'a', productId: 'p9', quantity: 5 });
    expect(answer.statusCode).toBe(409);
    expect(answer.body).toEqual({ code: 409, msg: '该商品已在购物车中', error: 'ITEM_EXISTS' });
    expect(await stored(id)).toEqual(before);
  });

  it('removes an item once: 200 { removed, version }, then 404 ITEM_NOT_FOUND', async () => {
    const id = await aliceCart();
    const removed = await remove(id, 'a');
    expect(removed.statusCode).toBe(200);
    expect(removed.body).toEqual({ code: 200, msg: '已移除', data: { removed: true, version: 3 } });
    const again = await remove(id, 'a');
    expect(again.statusCode).toBe(404);
    expect(again.body).toEqual({ code: 404, msg: '购物车中没有该商品', error: 'ITEM_NOT_FOUND' });
    expect((await remove(id, 'never-added')).body).toMatchObject({ code: 404, error: 'ITEM_NOT_FOUND' });
    expect((await read(id)).body.data).toMatchObject({ items: [{ id: 'b' }], itemCount: 1, version: 3 });
  });

  it('answers 404 CART_NOT_FOUND for a missing cart', async () => {
    expect((await read('no-such-cart')).body).toEqual({ code: 404, msg: '购物车不存在', error: 'CART_NOT_FOUND' });
    expect((await remove('no-such-cart', 'a')).body).toMatchObject({ code: 404, error: 'CART_NOT_FOUND' });
    expect(await stored('no-such-cart')).toBeNull();
  });

  it("never reaches another user's cart: the same id is the caller's own cart, and Alice's is unchanged", async () => {
    const id = await aliceCart();
    const before = await stored(id);
    for (const answer of [await read(id, 'bob'), await remove(id, 'a', 'bob'), await remove(id, 'never-added', 'bob')]) {
      expect(answer.statusCode).toBe(404);
      expect(answer.body).toEqual({ code: 404, msg: '购物车不存在', error: 'CART_NOT_FOUND' });
    }
    // Bob may use the id Alice uses (nothing shows that she does): it names his own new cart.
    const bobs = await add(id, { id: 'a', productId: 'p1', quantity: 1 }, 'bob');
    expect(bobs.body).toMatchObject({ code: 200, data: { id, owner: 'bob', itemCount: 1, version: 1 } });
    expect((await read(id, 'bob')).body.data).toMatchObject({ id, owner: 'bob', items: [{ id: 'a' }] });
    expect(await stored(id)).toEqual(before);
    expect((await read(id)).body.data).toMatchObject({ owner: alice, itemCount: 2 });
  });

  it('answers 404 PRODUCT_NOT_FOUND for an item whose product does not exist, and creates no cart', async () => {
    const fresh = cartId();
    const answer = await add(fresh, { id: 'a', productId: 'no-such-product', quantity: 1 });
    expect(answer.body).toEqual({ code: 404, msg: '商品不存在', error: 'PRODUCT_NOT_FOUND' });
    expect(await stored(fresh)).toBeNull();
    const id = await aliceCart();
    const before = await stored(id);
    expect((await add(id, { id: 'c', productId: 'no-such-product', quantity: 1 })).body).toMatchObject({
      code: 404,
      error: 'PRODUCT_NOT_FOUND',
    });
    expect(await stored(id)).toEqual(before);
  });

  it(`answers 422 CART_LIMIT_REACHED for a cart beyond ${MAX_CARTS_PER_OWNER} per owner, and creates none`, async () => {
    const owner = `many-carts-${n}`;
    const ids = Array.from({ length: MAX_CARTS_PER_OWNER }, () => cartId());
    for (const id of ids) expect((await add(id, { id: 'a', productId: 'p1', quantity: 1 }, owner)).statusCode).toBe(200);
    const extra = cartId();
    const refused = await add(extra, { id: 'a', productId: 'p1', quantity: 1 }, owner, { 'accept-language': 'en' });
    expect(refused.body).toEqual({
      code: 422,
      msg: 'You have reached the maximum number of carts',
      error: 'CART_LIMIT_REACHED',
      data: { limit: MAX_CARTS_PER_OWNER },
    });
    expect(await stored(extra, owner)).toBeNull();
    // The owner's existing carts still take items.
    expect((await add(ids[0]!, { id: 'b', productId: 'p1', quantity: 1 }, owner)).body).toMatchObject({
      code: 200,
      data: { itemCount: 2 },
    });
  });

  it('answers 401 UNAUTHORIZED without a verified identity, even with a uid in the body, and writes nothing', async () => {
    const id = await aliceCart();
    const before = await stored(id);
    const fresh = cartId();
    const answers = [
      await read(id, null),
      await add(id, { id: 'c', productId: 'p1', quantity: 1 }, null),
      await add(fresh, { id: 'c', productId: 'p1', quantity: 1 }, null),
      // A uid in the body is no identity: still 401 (identity is checked before the body is read).
      await add(fresh, { id: 'c', productId: 'p1', quantity: 1, uid: alice }, null),
      await remove(id, 'a', null),
    ];
    for (const answer of answers) {
      expect(answer.statusCode).toBe(401);
      expect(answer.body).toMatchObject({ code: 401, error: 'UNAUTHORIZED' });
    }
    expect(await stored(id)).toEqual(before);
    expect(await stored(fresh)).toBeNull();
  });

  it.each(['uid', 'owner'])('refuses a %s in the body (400, unknown field) and never uses it', async (field) => {
    const fresh = cartId();
    const answer = await add(fresh, { id: 'c', productId: 'p1', quantity: 1, [field]: 'bob' }, alice);
    expect(answer.statusCode).toBe(400);
    expect(answer.body).toMatchObject({ code: 400, error: 'INVALID_REQUEST', data: { issues: [{ field: `body.${field}` }] } });
    expect(await stored(fresh)).toBeNull();

    const id = await aliceCart();
    const before = await stored(id);
    expect((await add(id, { id: 'c', productId: 'p1', quantity: 1, [field]: alice }, 'bob')).statusCode).toBe(400);
    expect(await stored(id)).toEqual(before);
  });

  it.each([
    ['a string quantity', { id: 'c', productId: 'p1', quantity: '1' }, 'body.quantity'],
    ['a zero quantity', { id: 'c', productId: 'p1', quantity: 0 }, 'body.quantity'],
    ['a negative quantity', { id: 'c', productId: 'p1', quantity: -1 }, 'body.quantity'],
    ['a fractional quantity', { id: 'c', productId: 'p1', quantity: 1.5 }, 'body.quantity'],
    ['too many', { id: 'c', productId: 'p1', quantity: 1001 }, 'body.quantity'],
    ['a missing quantity', { id: 'c', productId: 'p1' }, 'body.quantity'],
    ['an item id with a dot', { id: 'a.b', productId: 'p1', quantity: 1 }, 'body.id'],
    ['an item id with a $', { id: '$where', productId: 'p1', quantity: 1 }, 'body.id'],
    ['an empty item id', { id: '', productId: 'p1', quantity: 1 }, 'body.id'],
    ['an item id of 65 characters', { id: 'x'.repeat(65), productId: 'p1', quantity: 1 }, 'body.id'],
    ['an operator object as product id', { id: 'c', productId: { $ne: null }, quantity: 1 }, 'body.productId'],
    ['malformed JSON', '{"id": "c"', 'body'],
    ['an array body', '[{"id": "c"}]', 'body'],
    ['no body', undefined, 'body'],
  ])('answers 400 INVALID_REQUEST for %s and writes nothing', async (_name, body, field) => {
    const id = await aliceCart();
    const before = await stored(id);
    const fresh = cartId();
    for (const target of [id, fresh]) {
      const answer = await add(target, body);
      expect(answer.statusCode).toBe(400);
      expect(answer.body).toMatchObject({ code: 400, error: 'INVALID_REQUEST' });
      expect(answer.body.data.issues.map((i: { field: string }) => i.field)).toContain(field);
    }
    expect(await stored(id)).toEqual(before);
    expect(await stored(fresh)).toBeNull();
  });

  it('answers 400 INVALID_REQUEST for path ids outside the allowed characters', async () => {
    const id = await aliceCart();
    const before = await stored(id);
    const bad = [
      [await add('a$b', { id: 'c', productId: 'p1', quantity: 1 }), 'path.id'],
      [await read('a.b'), 'path.id'],
      [await remove('a b', 'a'), 'path.id'],
      [await remove(id, 'a.b'), 'path.itemId'],
      [await remove(id, '$a'), 'path.itemId'],
    ] as const;
    for (const [answer, field] of bad) {
      expect(answer.body).toMatchObject({ code: 400, error: 'INVALID_REQUEST', data: { issues: [{ field }] } });
    }
    expect(await stored(id)).toEqual(before);
  });

  it(`refuses an item beyond ${MAX_CART_ITEMS} and changes nothing`, async () => {
    const id = cartId();
    const items = Array.from({ length: MAX_CART_ITEMS }, (_, i) => ({
      id: `i${i}`,
      productId: 'p1',
      quantity: 1,
      addedAt: '2026-11-25T08:00:00.000Z',
    }));
    await fixture.store.insert('carts', { id: cartKey(alice, id), cartId: id, owner: alice, items, itemCount: MAX_CART_ITEMS });
    const answer = await add(id, { id: 'one-more', productId: 'p1', quantity: 1 });
    expect(answer.statusCode).toBe(422);
    expect(answer.body).toMatchObject({ code: 422, error: 'CART_FULL', data: { limit: MAX_CART_ITEMS } });
    expect(await stored(id)).toMatchObject({ itemCount: MAX_CART_ITEMS, version: 1 });
  });

  describe('with an Idempotency-Key', () => {
    const key = (k: string) => ({ 'idempotency-key': k });
    /** The record a key left for this caller and operation, or null. */
    const record = (op: 'cartAdd' | 'cartRemove', k: string, owner = alice) =>
      fixture.store.get(IDEMPOTENCY, recordId({ uid: owner, op, key: k }));

    it('replays the first add (new cart and existing cart) with Idempotent-Replayed, writing nothing more', async () => {
      // Arrange
      const id = cartId();
      // Act: the first add creates the cart; its retry, then a second item, then that item's retry.
      const first = await add(id, { id: 'a', productId: 'p1', quantity: 2 }, alice, key('add-1'));
      const retried = await add(id, { id: 'a', productId: 'p1', quantity: 2 }, alice, key('add-1'));
      const second = await add(id, { id: 'b', productId: 'p2', quantity: 1 }, alice, key('add-2'));
      const afterSecond = await stored(id);
      const retriedSecond = await add(id, { id: 'b', productId: 'p2', quantity: 1 }, alice, key('add-2'));
      // Assert
      expect(first.statusCode).toBe(200);
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      expect(first.body.data).toMatchObject({ id, owner: alice, itemCount: 1, version: 1 });
      expect(retried.statusCode).toBe(200);
      expect(retried.headers['idempotent-replayed']).toBe('true');
      expect(retried.body).toEqual(first.body);
      // The second answer is exact although no write handed the cart back: both items, version 2.
      expect(second.body.data).toEqual((await read(id)).body.data);
      expect(second.body.data).toMatchObject({ itemCount: 2, version: 2 });
      expect(retriedSecond.headers['idempotent-replayed']).toBe('true');
      expect(retriedSecond.body).toEqual(second.body);
      expect(await stored(id)).toEqual(afterSecond);
      expect(await record('cartAdd', 'add-1')).toMatchObject({ state: 'done', op: 'cartAdd', uid: alice });
    });

    it('replays the first removal instead of ITEM_NOT_FOUND, writing nothing more', async () => {
      const id = await aliceCart();
      const first = await remove(id, 'a', alice, key('rm-1'));
      const after = await stored(id);
      const retried = await remove(id, 'a', alice, key('rm-1'));
      expect(first.body).toEqual({ code: 200, msg: '已移除', data: { removed: true, version: 3 } });
      expect(retried.statusCode).toBe(200);
      expect(retried.headers['idempotent-replayed']).toBe('true');
      expect(retried.body).toEqual(first.body);
      expect(await stored(id)).toEqual(after);
      expect(after).toMatchObject({ itemCount: 1, version: 3 });
      // Without the key, the same removal is a new request: the item is gone.
      expect((await remove(id, 'a')).body).toMatchObject({ code: 404, error: 'ITEM_NOT_FOUND' });
    });

    it('answers 422 IDEMPOTENCY_KEY_REUSED for the same key with another item, and writes nothing', async () => {
      const id = cartId();
      expect((await add(id, { id: 'a', productId: 'p1', quantity: 1 }, alice, key('reused'))).statusCode).toBe(200);
      const before = await stored(id);
      const other = await add(id, { id: 'b', productId: 'p1', quantity: 1 }, alice, key('reused'));
      expect([other.statusCode, other.body.error]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);
      const otherQuantity = await add(id, { id: 'a', productId: 'p1', quantity: 5 }, alice, key('reused'));
      expect([otherQuantity.statusCode, otherQuantity.body.error]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);
      expect((await remove(id, 'a', alice, key('rm-reused'))).statusCode).toBe(200);
      const removedOther = await remove(id, 'b', alice, key('rm-reused'));
      expect([removedOther.statusCode, removedOther.body.error]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);
      expect(await stored(id)).toMatchObject({ itemCount: 0, version: (before?.version as number) + 1 });
    });

    it('remembers no refusal: ITEM_EXISTS, ITEM_NOT_FOUND, CART_NOT_FOUND then the same key runs again', async () => {
      // Arrange
      const id = await aliceCart();
      // Act and Assert: each refusal leaves no record behind...
      const exists = await add(id, { id: 'a', productId: 'p1', quantity: 1 }, alice, key('again-add'));
      expect([exists.statusCode, exists.body.error]).toEqual([409, 'ITEM_EXISTS']);
      expect(await record('cartAdd', 'again-add')).toBeNull();
      const missing = await remove(id, 'c', alice, key('again-rm'));
      expect([missing.statusCode, missing.body.error]).toEqual([404, 'ITEM_NOT_FOUND']);
      expect(await record('cartRemove', 'again-rm')).toBeNull();
      const noCart = await remove('never-made', 'c', alice, key('again-none'));
      expect([noCart.statusCode, noCart.body.error]).toEqual([404, 'CART_NOT_FOUND']);
      expect(await record('cartRemove', 'again-none')).toBeNull();
      // ...so once the state allows it, the same keys apply.
      expect((await remove(id, 'a')).statusCode).toBe(200);
      const added = await add(id, { id: 'a', productId: 'p1', quantity: 1 }, alice, key('again-add'));
      expect(added.statusCode).toBe(200);
      expect(added.headers['idempotent-replayed']).toBeUndefined();
      expect((await add(id, { id: 'c', productId: 'p2', quantity: 1 })).statusCode).toBe(200);
      const removed = await remove(id, 'c', alice, key('again-rm'));
      expect(removed.statusCode).toBe(200);
      expect(removed.headers['idempotent-replayed']).toBeUndefined();
      expect((await read(id)).body.data.items.map((i: { id: string }) => i.id).sort()).toEqual(['a', 'b']);
    });

    it("scopes a key to its caller: Bob using Alice's key adds to his own cart", async () => {
      const id = cartId();
      expect((await add(id, { id: 'a', productId: 'p1', quantity: 1 }, alice, key('shared-key'))).statusCode).toBe(200);
      const bobs = await add(id, { id: 'a', productId: 'p1', quantity: 1 }, 'bob-keys', key('shared-key'));
      expect(bobs.statusCode).toBe(200);
      expect(bobs.headers['idempotent-replayed']).toBeUndefined();
      expect(bobs.body.data).toMatchObject({ owner: 'bob-keys', itemCount: 1 });
    });

    it('answers 400 INVALID_REQUEST for a malformed key and writes nothing', async () => {
      const id = await aliceCart();
      const before = await stored(id);
      const bad = [
        await add(id, { id: 'c', productId: 'p1', quantity: 1 }, alice, key('has space')),
        await remove(id, 'a', alice, key('x'.repeat(129))),
      ];
      for (const answer of bad) {
        expect(answer.body).toMatchObject({
          code: 400,
          error: 'INVALID_REQUEST',
          data: { issues: [{ field: 'headers.idempotency-key' }] },
        });
      }
      expect(await stored(id)).toEqual(before);
    });

    it('takes the key in a direct payload too, and replays', async () => {
      const cognitoId = 'us-east-1:0f5c-cart-keys';
      const owner = cognitoOwner(cognitoId);
      const id = cartId();
      const payload = { cartId: id, item: { id: 'a', productId: 'p1', quantity: 1 }, idempotencyKey: 'direct-1' };
      const first = await invoke(fns.handler('addCartItem'), payload, cognitoContext(cognitoId));
      const again = await invoke(fns.handler('addCartItem'), payload, cognitoContext(cognitoId));
      expect(first).toMatchObject({ code: 200, data: { owner, itemCount: 1, version: 1 } });
      expect(first).not.toHaveProperty('replayed');
      expect(again).toEqual({ ...first, replayed: true });
      const removal = { cartId: id, itemId: 'a', idempotencyKey: 'direct-2' };
      const removed = await invoke(fns.handler('removeCartItem'), removal, cognitoContext(cognitoId));
      expect(await invoke(fns.handler('removeCartItem'), removal, cognitoContext(cognitoId))).toEqual({ ...removed, replayed: true });
      expect(removed).toMatchObject({ code: 200, data: { removed: true, version: 2 } });
      expect(await stored(id, owner)).toMatchObject({ itemCount: 0, version: 2 });
    });
  });

  describe('direct invocation', () => {
    const cognitoId = 'us-east-1:0f5c-cart-user';

    it('works with a Cognito identity in the context, on every function', async () => {
      const id = cartId();
      const added = await invoke(
        fns.handler('addCartItem'),
        { cartId: id, item: { id: 'a', productId: 'p1', quantity: 3 } },
        cognitoContext(cognitoId),
      );
      expect(added).toMatchObject({
        code: 200,
        msg: '已加入购物车',
        data: { id, owner: cognitoOwner(cognitoId), itemCount: 1, version: 1 },
      });
      const got = await invoke(fns.handler('getCart'), { cartId: id, lang: 'en' }, cognitoContext(cognitoId));
      expect(got).toMatchObject({
        code: 200,
        msg: 'OK',
        data: { owner: cognitoOwner(cognitoId), items: [{ id: 'a', productId: 'p1', quantity: 3 }] },
      });
      const removed = await invoke(fns.handler('removeCartItem'), { cartId: id, itemId: 'a', lang: 'en' }, cognitoContext(cognitoId));
      expect(removed).toEqual({ code: 200, msg: 'Item removed', data: { removed: true, version: 2 } });
      // The Cognito identity is the owner: an HTTP caller with another sub does not see the cart.
      expect((await read(id, alice)).body).toMatchObject({ code: 404, error: 'CART_NOT_FOUND' });
    });

    it('answers 401 UNAUTHORIZED to a payload without identity and writes nothing', async () => {
      const id = await aliceCart();
      const before = await stored(id);
      const fresh = cartId();
      const answers = [
        await invoke(fns.handler('addCartItem'), { cartId: fresh, item: { id: 'a', productId: 'p1', quantity: 1 } }, lambdaContext()),
        await invoke(fns.handler('removeCartItem'), { cartId: id, itemId: 'a' }, lambdaContext()),
        await invoke(fns.handler('getCart'), { cartId: id }, lambdaContext()),
      ];
      for (const answer of answers) expect(answer).toMatchObject({ code: 401, error: 'UNAUTHORIZED' });
      expect(await stored(id)).toEqual(before);
      expect(await stored(fresh)).toBeNull();
    });

    it('refuses an owner in the payload or the item, and bad values, writing nothing', async () => {
      const fresh = cartId();
      const addCart = (payload: unknown) => invoke(fns.handler('addCartItem'), payload, cognitoContext(cognitoId));
      const refused = [
        [await addCart({ cartId: fresh, owner: alice, item: { id: 'a', productId: 'p1', quantity: 1 } }), 'payload.owner'],
        [await addCart({ cartId: fresh, item: { id: 'a', productId: 'p1', quantity: 1, uid: alice } }), 'payload.item.uid'],
        [await addCart({ cartId: fresh, item: { id: 'a', productId: 'p1', quantity: 0 } }), 'payload.item.quantity'],
        [await addCart({ cartId: 'a.b', item: { id: 'a', productId: 'p1', quantity: 1 } }), 'payload.cartId'],
        [await invoke(fns.handler('removeCartItem'), { cartId: fresh, itemId: '$x' }, cognitoContext(cognitoId)), 'payload.itemId'],
      ] as const;
      for (const [answer, field] of refused) {
        expect(answer).toMatchObject({ code: 400, error: 'INVALID_REQUEST', data: { issues: [{ field }] } });
      }
      expect(await stored(fresh, cognitoOwner(cognitoId))).toBeNull();
    });
  });
});
