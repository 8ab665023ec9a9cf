import { BACKENDS, backendFixture, type BackendFixture } from '../support/stores';
import { backendEnv, loadFunctions, type LoadedFunctions } from '../support/functions';
import { recordId } from '../../shared/operations/idempotency';
import { DEFAULT_STRATEGY } from '../../shared/validation';
import { call } from '../support/events';

describe.each(BACKENDS)('purchase and getProduct handlers on %s', (backend) => {
  let fixture: BackendFixture;
  let fns: LoadedFunctions;
  let n = 0;

  beforeAll(async () => {
    fixture = await backendFixture(backend, 'purchase');
    fns = loadFunctions(['purchase', 'getProduct'], backendEnv(backend, fixture));
  });
  afterAll(async () => {
    await fns?.close();
    await fixture?.cleanup();
  });

  async function product(fields: Record<string, unknown> = {}) {
    const id = `p${++n}`;
    await fixture.store.insert('products', { id, name: '商品A', stock: 100, sold: 0, price: 1999, ...fields });
    return id;
  }
  const buy = (id: string, body: unknown, extra: { sub?: string | null; headers?: Record<string, string> } = {}) =>
    call(fns.http('purchase'), {
      method: 'POST',
      path: `/products/${id}/purchase`,
      pathParameters: { id },
      body,
      sub: extra.sub === null ? undefined : (extra.sub ?? 'alice'),
      headers: extra.headers,
    });
  const read = (id: string) => call(fns.http('getProduct'), { method: 'GET', path: `/products/${id}`, pathParameters: { id } });

  it.each(['atomic', 'version', 'transaction'])(
    'leaves no idempotency record behind for a refused %s purchase with a key',
    async (strategy) => {
      const id = await product({ stock: 1 });
      const keys: string[] = [];
      for (let i = 0; i < 3; i++) {
        keys.push(`refused-${strategy}-${i}`, `missing-${strategy}-${i}`);
        const refused = await buy(id, { quantity: 5, strategy }, { headers: { 'idempotency-key': `refused-${strategy}-${i}` } });
        expect(refused.body).toMatchObject({ code: 422, error: 'INSUFFICIENT_STOCK' });
        const missing = await buy(
          `${id}-missing`,
          { quantity: 1, strategy },
          { headers: { 'idempotency-key': `missing-${strategy}-${i}` } },
        );
        expect(missing.body).toMatchObject({ code: 404, error: 'PRODUCT_NOT_FOUND' });
      }
      const records = new Set((await fixture.list('idempotency')).map((r) => String(r.id ?? r._id)));
      expect(keys.filter((key) => records.has(recordId({ uid: 'alice', op: 'purchase', key })))).toEqual([]);
    },
  );

  it.each(['atomic', 'version', 'transaction', undefined])('buys with strategy %s and reads the product back', async (strategy) => {
    const id = await product();
    const answer = await buy(id, { quantity: 2, ...(strategy ? { strategy } : {}) });
    expect(answer.statusCode).toBe(200);
    expect(answer.body).toMatchObject({
      code: 200,
      msg: '购买成功',
      data: {
        stock: 98,
        attempts: 1,
        strategy: strategy ?? DEFAULT_STRATEGY,
        order: { uid: 'alice', productId: id, quantity: 2, price: 1999, amount: 3998, status: 'pending_payment', version: 1 },
      },
    });
    expect(answer.body.error).toBeUndefined();
    const orders = await fixture.list('orders');
    expect(orders.filter((o) => o.productId === id)).toHaveLength(1);

    const got = await read(id);
    expect(got.statusCode).toBe(200);
    expect(got.body.data).toEqual({ id, name: '商品A', price: 1999, stock: 98, version: 2 });
    expect(got.headers.etag).toBe(`"${id}.v2"`);
  });

  it('answers a body with a 15 KB unknown key briefly, the key cut short', async () => {
    const id = await product();
    const answer = await buy(id, { quantity: 1, ['k'.repeat(15_000)]: 1 });
    expect(answer.body).toMatchObject({ code: 400, error: 'INVALID_REQUEST', data: { issues: [{ field: `body.${'k'.repeat(64)}...` }] } });
    expect(JSON.stringify(answer.body).length).toBeLessThan(1_000);
  });

  it('answers in English when asked', async () => {
    const id = await product({ stock: 0 });
    const answer = await buy(id, { quantity: 1 }, { headers: { 'accept-language': 'en-US,en;q=0.9' } });
    expect(answer.body).toEqual({
      code: 422,
      msg: 'Insufficient stock',
      error: 'INSUFFICIENT_STOCK',
      data: { requested: 1, available: 0 },
    });
  });

  it('answers 401 UNAUTHORIZED without a verified identity, even with a uid in the body', async () => {
    const id = await product();
    const answer = await buy(id, { quantity: 1, uid: 'alice' }, { sub: null });
    expect(answer.statusCode).toBe(401);
    expect(answer.body).toMatchObject({ code: 401, error: 'UNAUTHORIZED' });
    expect((await read(id)).body.data.stock).toBe(100);
  });

  it('answers 404 PRODUCT_NOT_FOUND', async () => {
    for (const strategy of ['atomic', 'version', 'transaction']) {
      const answer = await buy('no-such-product', { quantity: 1, strategy });
      expect(answer.body).toMatchObject({ code: 404, error: 'PRODUCT_NOT_FOUND' });
    }
    expect((await read('no-such-product')).body).toMatchObject({ code: 404, error: 'PRODUCT_NOT_FOUND' });
  });

  it.each([
    ['a string quantity', { quantity: '1' }, 'body.quantity'],
    ['zero', { quantity: 0 }, 'body.quantity'],
    ['a negative quantity', { quantity: -1 }, 'body.quantity'],
    ['a fraction', { quantity: 1.5 }, 'body.quantity'],
    ['too many', { quantity: 1001 }, 'body.quantity'],
    ['an unknown field', { quantity: 1, price: 1 }, 'body.price'],
    ['an unknown strategy', { quantity: 1, strategy: 'lock' }, 'body.strategy'],
    ['an operator object', { quantity: { $gt: 0 } }, 'body.quantity'],
    ['malformed JSON', '{"quantity": 1', 'body'],
    ['an array body', '[1]', 'body'],
    ['no body', undefined, 'body'],
  ])('answers 400 INVALID_REQUEST for %s and writes nothing', async (_name, body, field) => {
    const id = await product();
    const answer = await buy(id, body);
    expect(answer.statusCode).toBe(400);
    expect(answer.body).toMatchObject({ code: 400, error: 'INVALID_REQUEST' });
    expect(answer.body.data.issues.map((i: { field: string }) => i.field)).toContain(field);
    expect((await read(id)).body.data).toMatchObject({ stock: 100, version: 1 });
  });

  it('answers 400 for an id outside the allowed characters', async () => {
    const answer = await buy('a$b', { quantity: 1 });
    expect(answer.body).toMatchObject({ code: 400, error: 'INVALID_REQUEST' });
  });

  it('answers 500 INTERNAL with a request id and no internal text, and gives the stock back', async () => {
    // price x quantity overflows a safe integer: the decrement happens, the order cannot be priced.
    const id = await product({ price: Number.MAX_SAFE_INTEGER });
    const answer = await buy(id, { quantity: 2, strategy: 'atomic' });
    expect(answer.statusCode).toBe(500);
    expect(answer.body).toEqual({ code: 500, msg: '系统错误，请稍后重试', error: 'INTERNAL', data: { requestId: expect.any(String) } });
    expect(JSON.stringify(answer.body)).not.toMatch(/overflow|amount|Error/);
    expect((await read(id)).body.data.stock).toBe(100);
  });
});
