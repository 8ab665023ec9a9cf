/** createClient with fake transports: requests built, keys kept across retries, what is retried, results. */
import { createClient, type ClientOptions, type Result, type PurchaseOutcome } from '../../client/src';
import { ORDER } from './support/order';
import { envelope, fakeClock, fakeTransport, type Scripted } from './support/fakeTransport';

const BOUGHT = envelope(200, { msg: 'Purchase completed', data: { order: ORDER, stock: 9, attempts: 1, strategy: 'atomic' } });
const UNAVAILABLE = envelope(503, { msg: 'busy', error: 'SERVICE_UNAVAILABLE', data: { requestId: 'r1', outcome: 'unknown' } });
const IN_PROGRESS = envelope(409, { msg: 'in progress', error: 'IDEMPOTENCY_IN_PROGRESS' });

function setup(answers: Scripted[], options: Partial<ClientOptions> = {}) {
  const fake = fakeTransport(...answers);
  const time = fakeClock();
  let keys = 0;
  const client = createClient({
    baseUrl: 'https://api.example.com/',
    transport: fake.transport,
    getToken: () => 'token-1',
    clock: time.clock,
    newKey: () => `key-${++keys}`,
    ...options,
  });
  return { client, ...fake, ...time };
}

describe('requests', () => {
  it('builds each route with its path, body, headers and direct payload', async () => {
    const { client, requests } = setup([envelope(200, { msg: 'OK', data: {} })], { lang: 'en' });

    await client.getProduct('p 1');
    await client.purchase('p1', { quantity: 2, strategy: 'version' });
    await client.getOrder('O1');
    await client.transfer({ from: 'a', to: 'b', amount: 5 });
    await client.getAccount('a');
    await client.addCartItem('c1', { id: 'i1', productId: 'p1', quantity: 1 });
    await client.removeCartItem('c1', 'i1');
    await client.getCart('c1');

    expect(requests.map((r) => [r.operation, r.method, r.url, r.body, r.payload])).toEqual([
      ['getProduct', 'GET', 'https://api.example.com/products/p%201', undefined, { productId: 'p 1', lang: 'en' }],
      [
        'purchase',
        'POST',
        'https://api.example.com/products/p1/purchase',
        '{"quantity":2,"strategy":"version"}',
        { productId: 'p1', quantity: 2, strategy: 'version', lang: 'en', idempotencyKey: 'key-1' },
      ],
      ['getOrder', 'GET', 'https://api.example.com/orders/O1', undefined, { orderNo: 'O1', lang: 'en' }],
      [
        'transfer',
        'POST',
        'https://api.example.com/transfers',
        '{"from":"a","to":"b","amount":5}',
        { from: 'a', to: 'b', amount: 5, lang: 'en', idempotencyKey: 'key-2' },
      ],
      ['getAccount', 'GET', 'https://api.example.com/accounts/a', undefined, { accountId: 'a', lang: 'en' }],
      [
        'addCartItem',
        'POST',
        'https://api.example.com/carts/c1/items',
        '{"id":"i1","productId":"p1","quantity":1}',
        { cartId: 'c1', item: { id: 'i1', productId: 'p1', quantity: 1 }, lang: 'en', idempotencyKey: 'key-3' },
      ],
      [
        'removeCartItem',
        'DELETE',
        'https://api.example.com/carts/c1/items/i1',
        undefined,
        { cartId: 'c1', itemId: 'i1', lang: 'en', idempotencyKey: 'key-4' },
      ],
      ['getCart', 'GET', 'https://api.example.com/carts/c1', undefined, { cartId: 'c1', lang: 'en' }],
    ]);
    // Every state-changing call has its own key in the header; reads have none, and the public route no token.
    expect(requests.map((r) => r.headers['idempotency-key'])).toEqual([
      undefined,
      'key-1',
      undefined,
      'key-2',
      undefined,
      'key-3',
      'key-4',
      undefined,
    ]);
    expect(requests.map((r) => r.headers.authorization)).toEqual([undefined, ...Array(7).fill('Bearer token-1')]);
    expect(requests.map((r) => r.headers['content-type'])).toEqual([
      undefined,
      'application/json',
      undefined,
      'application/json',
      undefined,
      'application/json',
      undefined,
      undefined,
    ]);
    expect(new Set(requests.map((r) => r.headers['accept-language']))).toEqual(new Set(['en']));
  });

  it('follows lang as it changes, defaults to zh, and refuses any other language', async () => {
    let lang: 'zh' | 'en' = 'zh';
    const { client, requests } = setup([envelope(200, { msg: 'OK', data: {} })], { lang: () => lang });
    await client.getCart('c1');
    lang = 'en';
    await client.getCart('c1');
    const plain = setup([envelope(200, { msg: 'OK', data: {} })], { lang: undefined });
    await plain.client.getCart('c1');

    expect(requests.map((r) => [r.headers['accept-language'], r.payload.lang])).toEqual([
      ['zh', 'zh'],
      ['en', 'en'],
    ]);
    expect(plain.requests[0]!.headers['accept-language']).toBe('zh');
    expect(() => createClient({ transport: fakeTransport().transport, lang: 'fr' as 'en' })).toThrow(TypeError);
    expect(() => createClient({} as ClientOptions)).toThrow(TypeError);
  });

  it('uses the idempotency key the caller passes, on every try', async () => {
    const { client, requests } = setup([UNAVAILABLE, BOUGHT]);
    const result = await client.purchase('p1', { quantity: 1 }, { idempotencyKey: 'saved-key' });
    expect(requests.map((r) => [r.headers['idempotency-key'], r.payload.idempotencyKey])).toEqual([
      ['saved-key', 'saved-key'],
      ['saved-key', 'saved-key'],
    ]);
    expect(result).toMatchObject({ ok: true, idempotencyKey: 'saved-key', tries: 2 });
  });

  it('asks for the token before every try, and answers UNAUTHORIZED without sending when it cannot get one', async () => {
    let n = 0;
    const { client, requests } = setup([UNAVAILABLE, BOUGHT], { getToken: async () => `t${++n}` });
    await client.purchase('p1', { quantity: 1 });
    expect(requests.map((r) => r.headers.authorization)).toEqual(['Bearer t1', 'Bearer t2']);

    const failing = setup([BOUGHT], { getToken: () => Promise.reject(new Error('not logged in')), lang: 'en' });
    expect(await failing.client.purchase('p1', { quantity: 1 })).toEqual({
      ok: false,
      code: 401,
      msg: 'Authentication required',
      error: 'UNAUTHORIZED',
      tries: 1,
      idempotencyKey: 'key-1',
    });
    expect(failing.requests).toHaveLength(0);
  });
});

describe('retries', () => {
  it('retries a cart add whose answer was lost with the same key, and returns the replayed cart', async () => {
    // The server's side (the replay) is proven by test/functions/carts.test.ts and test/client/cartRetries.test.ts.
    const cart = { id: 'c1', owner: 'u1', items: [{ id: 'i1', productId: 'p1', quantity: 1, addedAt: 't' }], itemCount: 1, version: 1 };
    const replay = envelope(200, { msg: 'Item added', data: cart }, { 'idempotent-replayed': 'true' });
    const { client, requests } = setup([new Error('socket hang up'), replay]);
    const result = await client.addCartItem('c1', { id: 'i1', productId: 'p1', quantity: 1 });
    expect(result).toMatchObject({ ok: true, code: 200, tries: 2, replayed: true, idempotencyKey: 'key-1', data: cart });
    expect(requests.map((r) => [r.headers['idempotency-key'], r.payload.idempotencyKey])).toEqual([
      ['key-1', 'key-1'],
      ['key-1', 'key-1'],
    ]);
  });

  it.each([
    ['a 503', UNAVAILABLE],
    ['a 409 IDEMPOTENCY_IN_PROGRESS', IN_PROGRESS],
    ['a lost answer', new Error('socket hang up')],
    ['a gateway 503', { status: 503, body: { message: 'Service Unavailable' }, headers: {} }],
  ])('retries %s with the same key and returns the final answer', async (_, first) => {
    const { client, requests } = setup([first as Scripted, first as Scripted, BOUGHT]);
    const result = await client.purchase('p1', { quantity: 1 });
    expect(result).toMatchObject({ ok: true, code: 200, tries: 3, idempotencyKey: 'key-1', data: { order: { orderNo: 'O1' } } });
    expect(new Set(requests.map((r) => r.headers['idempotency-key']))).toEqual(new Set(['key-1']));
  });

  it.each([
    ['VERSION_CONFLICT', 409],
    ['TRANSACTION_CONFLICT', 409],
    ['INSUFFICIENT_STOCK', 422],
    ['IDEMPOTENCY_KEY_REUSED', 422],
    ['INTERNAL', 500],
    ['UNAUTHORIZED', 401],
  ])('does not retry %s', async (error, status) => {
    const { client, requests } = setup([envelope(status, { msg: 'no', error }), BOUGHT]);
    const result = await client.purchase('p1', { quantity: 1 });
    expect(result).toMatchObject({ ok: false, code: status, error, tries: 1 });
    expect(requests).toHaveLength(1);
  });

  it('does not retry a gateway throttle (429)', async () => {
    const { client, requests } = setup([{ status: 429, body: { message: 'Too Many Requests' }, headers: {} }, BOUGHT], { lang: 'en' });
    expect(await client.getProduct('p1')).toMatchObject({ ok: false, code: 429, error: 'THROTTLED', tries: 1 });
    expect(requests).toHaveLength(1);
  });

  it('waits a jittered, growing, capped time between tries', async () => {
    const { client, sleeps } = setup([UNAVAILABLE], { retry: { maxTries: 7, baseMs: 100, capMs: 1_000, deadlineMs: 1e9 } });
    const result = await client.getProduct('p1');
    expect(result).toMatchObject({ ok: false, error: 'SERVICE_UNAVAILABLE', tries: 7 });
    // random() = 1 in fakeClock: the upper bound of each full-jitter wait.
    expect(sleeps).toEqual([100, 200, 400, 800, 1_000, 1_000]);

    const half = fakeClock(0.5);
    const jittered = createClient({
      transport: fakeTransport(UNAVAILABLE).transport,
      clock: half.clock,
      retry: { maxTries: 4, baseMs: 100, capMs: 1_000 },
    });
    await jittered.getProduct('p1');
    expect(half.sleeps).toEqual([50, 100, 200]);
  });

  it('stops at the deadline, with the last answer and the key to ask again with', async () => {
    // Each try takes 3 s of the 10 s deadline, or all the time it is given when that is less.
    const fake = fakeTransport(async (request) => {
      time.advance(Math.min(3_000, request.timeoutMs));
      throw new Error('ECONNRESET');
    });
    const started = 1_000_000;
    const time = fakeClock();
    const client = createClient({
      transport: fake.transport,
      clock: time.clock,
      lang: 'en',
      newKey: () => 'k',
      retry: { deadlineMs: 10_000, maxTries: 100, baseMs: 100, capMs: 100 },
    });
    const result = await client.purchase('p1', { quantity: 1 });

    expect(result).toEqual({
      ok: false,
      code: 0,
      msg: 'Network error, please retry',
      error: 'NETWORK_ERROR',
      data: { reason: 'ECONNRESET' },
      tries: 4,
      idempotencyKey: 'k',
    });
    expect(fake.requests.map((r) => r.timeoutMs)).toEqual([10_000, 6_900, 3_800, 700]);
    expect(time.clock.now() - started).toBeLessThanOrEqual(10_000);
  });

  it('gives each try at most tryTimeoutMs, then counts it as a lost answer', async () => {
    const fake = fakeTransport(() => new Promise(() => {}), BOUGHT);
    const client = createClient({ transport: fake.transport, newKey: () => 'k', retry: { tryTimeoutMs: 30, baseMs: 1, capMs: 1 } });
    const result = await client.purchase('p1', { quantity: 1 });
    expect(result).toMatchObject({ ok: true, tries: 2 });
    expect(fake.requests.map((r) => r.timeoutMs)).toEqual([30, 30]);
  });

  it('cuts a try to the time left before the deadline', async () => {
    const time = fakeClock();
    const fake = fakeTransport(async () => {
      time.advance(7_000);
      return UNAVAILABLE;
    });
    const client = createClient({
      transport: fake.transport,
      clock: time.clock,
      retry: { deadlineMs: 10_000, tryTimeoutMs: 5_000, baseMs: 100, capMs: 100, maxTries: 5 },
    });
    await client.getProduct('p1', { deadlineMs: 10_000 });
    expect(fake.requests.map((r) => r.timeoutMs)).toEqual([5_000, 2_900]);
  });
});

describe('results', () => {
  it('marks an answer the server replayed for the same key', async () => {
    const { client } = setup([{ ...BOUGHT, headers: { 'idempotent-replayed': 'true' } }]);
    expect(await client.purchase('p1', { quantity: 1 })).toMatchObject({ ok: true, replayed: true });
    const fresh = setup([BOUGHT]);
    expect(await fresh.client.purchase('p1', { quantity: 1 })).toMatchObject({ ok: true, replayed: false });
  });

  it('keys failures by their stable code, with their data', async () => {
    const { client } = setup([envelope(422, { msg: '库存不足', error: 'INSUFFICIENT_STOCK', data: { requested: 3, available: 1 } })]);
    const result: Result<PurchaseOutcome> = await client.purchase('p1', { quantity: 3 });
    // The switch a caller writes: `data` is typed by the code.
    let available: number | undefined;
    switch (result.error) {
      case undefined:
        throw new Error('expected a failure');
      case 'INSUFFICIENT_STOCK':
        available = result.data?.available;
        break;
      default:
        throw new Error(`unexpected ${result.error}`);
    }
    expect(available).toBe(1);
    expect(result).toEqual({
      ok: false,
      code: 422,
      msg: '库存不足',
      error: 'INSUFFICIENT_STOCK',
      data: { requested: 3, available: 1 },
      tries: 1,
      idempotencyKey: 'key-1',
    });
  });

  it.each([
    ['API Gateway', { message: 'Unauthorized' }],
    ['serverless-offline', { statusCode: 401, error: 'Unauthorized', message: 'Unauthorized' }],
    ['an empty body', ''],
  ])("gives the gateway's own 401 (%s) the envelope's shape", async (_, body) => {
    for (const [lang, msg] of [
      ['zh', '请先登录'],
      ['en', 'Authentication required'],
    ] as const) {
      const { client } = setup([{ status: 401, body, headers: {} }], { lang });
      expect(await client.getCart('c1')).toEqual({ ok: false, code: 401, msg, error: 'UNAUTHORIZED', tries: 1 });
    }
  });

  it.each([
    [403, { message: 'Forbidden' }, 'FORBIDDEN', undefined],
    [502, '<html>Bad Gateway</html>', 'INTERNAL', undefined],
    [504, { message: 'Service Unavailable' }, 'INTERNAL', undefined],
    [404, { message: 'Not Found' }, 'UNEXPECTED_RESPONSE', { status: 404 }],
    [200, 'OK', 'UNEXPECTED_RESPONSE', { status: 200 }],
    [418, { code: 418, msg: 'new', error: 'SOMETHING_NEW' }, 'UNEXPECTED_RESPONSE', { status: 418, error: 'SOMETHING_NEW' }],
    [500, { code: 500, msg: 'x', error: 7 }, 'INTERNAL', undefined],
  ])('reads a %i answer %j as %s', async (status, body, error, data) => {
    const { client } = setup([{ status, body, headers: {} }], { lang: 'en' });
    const result = await client.getCart('c1');
    expect(result).toMatchObject({ ok: false, code: status, error, tries: 1 });
    expect(result.ok ? undefined : result.data).toEqual(data);
  });
});
