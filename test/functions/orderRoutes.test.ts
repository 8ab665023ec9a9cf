/**
 * The order routes through the real handlers, both transports, both backends: ETags on GET and on every
 * transition, If-Match (412 with the current ETag), 409 INVALID_TRANSITION with the current status, admin-only
 * ship and refund (403 for everyone else, over HTTP and by direct invocation), and no body on the transitions.
 */
import { adminClaims, call, invoke, trustedCallerContext, type Answer } from '../support/events';
import { backendEnv, loadFunctions, type LoadedFunctions } from '../support/functions';
import { BACKENDS, backendFixture, type BackendFixture } from '../support/stores';

const SECRET = 'order-routes-trusted-caller-secret-0123456789';
const FUNCTIONS = ['purchase', 'getOrder', 'payOrder', 'cancelOrder', 'shipOrder', 'refundOrder'];

describe.each(BACKENDS)('order routes on %s', (backend) => {
  let fixture: BackendFixture;
  let fns: LoadedFunctions;

  beforeAll(async () => {
    fixture = await backendFixture(backend, 'orderroutes');
    fns = loadFunctions(FUNCTIONS, { ...backendEnv(backend, fixture), LOCKLESS_TRUSTED_CALLER_SECRET: SECRET });
    await fixture.store.insert('products', { id: 'tea', name: 'tea', stock: 10, sold: 0, price: 300 });
    await fixture.store.insert('accounts', { id: 'acc-merchant', owner: 'merchant', balance: 0 });
    await fixture.store.insert('accounts', { id: 'acc-ann', owner: 'ann', balance: 10_000 });
  });
  afterAll(async () => {
    await fns?.close();
    await fixture?.cleanup();
  });

  async function buy(): Promise<string> {
    const answer = await call(fns.http('purchase'), {
      method: 'POST',
      path: '/products/tea/purchase',
      pathParameters: { id: 'tea' },
      body: { quantity: 1 },
      sub: 'ann',
    });
    expect(answer.statusCode).toBe(200);
    return answer.body.data.order.orderNo;
  }
  const transition = (
    name: string,
    orderNo: string,
    extra: { sub?: string; claims?: Record<string, unknown>; headers?: Record<string, string>; body?: unknown } = {},
  ) =>
    call(fns.http(`${name}Order`), {
      method: 'POST',
      path: `/orders/${orderNo}/${name}`,
      pathParameters: { orderNo },
      sub: extra.sub ?? 'ann',
      ...(extra.claims ? { claims: extra.claims } : {}),
      ...(extra.headers ? { headers: extra.headers } : {}),
      ...(extra.body !== undefined ? { body: extra.body } : {}),
    });
  const pay = (orderNo: string, headers: Record<string, string> = {}) =>
    call(fns.http('payOrder'), {
      method: 'POST',
      path: `/orders/${orderNo}/pay`,
      pathParameters: { orderNo },
      body: { accountId: 'acc-ann' },
      headers,
      sub: 'ann',
    });
  const expectError = (answer: Answer, status: number, error: string) => {
    expect({ status: answer.statusCode, error: answer.body.error }).toEqual({ status, error });
  };

  it('GET answers the ETag; pay with a stale If-Match is 412 with the current one, with the current one 200 and a new ETag', async () => {
    const orderNo = await buy();
    const got = await call(fns.http('getOrder'), { method: 'GET', path: `/orders/${orderNo}`, pathParameters: { orderNo }, sub: 'ann' });
    expect(got.headers.etag).toBe(`"${orderNo}.v1"`);
    const stale = await pay(orderNo, { 'if-match': `"${orderNo}.v9"` });
    expectError(stale, 412, 'PRECONDITION_FAILED');
    expect(stale.body.data).toEqual({ etag: `"${orderNo}.v1"` });
    const paid = await pay(orderNo, { 'if-match': got.headers.etag! });
    expect(paid.statusCode).toBe(200);
    expect(paid.body.data.order).toMatchObject({ status: 'paid', version: 2 });
    expect(paid.headers.etag).toBe(`"${orderNo}.v2"`);
    expect(paid.body.data.payment).toMatchObject({ from: 'acc-ann', to: 'acc-merchant', amount: 300 });
  });

  it('an illegal transition is 409 INVALID_TRANSITION with the current status; a malformed If-Match is 400', async () => {
    const orderNo = await buy();
    expect((await pay(orderNo)).statusCode).toBe(200);
    const cancel = await transition('cancel', orderNo);
    expectError(cancel, 409, 'INVALID_TRANSITION');
    expect(cancel.body.data).toMatchObject({ status: 'paid', transition: 'cancel' });
    expectError(await transition('cancel', orderNo, { headers: { 'if-match': 'W/"x"' } }), 400, 'INVALID_REQUEST');
    expectError(await transition('cancel', orderNo, { body: {} }), 400, 'INVALID_REQUEST');
  });

  it('ship and refund are for admins only: 403 for the buyer, over HTTP and by direct invocation; an admin ships', async () => {
    const orderNo = await buy();
    expect((await pay(orderNo)).statusCode).toBe(200);
    expectError(await transition('ship', orderNo), 403, 'FORBIDDEN');
    expectError(await transition('refund', orderNo), 403, 'FORBIDDEN');
    const direct = await invoke(fns.handler('refundOrder'), { orderNo }, trustedCallerContext(SECRET, 'ann'));
    expect(direct.error).toBe('FORBIDDEN');
    expect(await fixture.store.get('orders', orderNo)).toMatchObject({ status: 'paid', version: 2 });

    const shipped = await transition('ship', orderNo, { sub: 'ada', claims: adminClaims });
    expect(shipped.statusCode).toBe(200);
    expect(shipped.body.data.order.status).toBe('shipped');
    const late = await invoke(fns.handler('refundOrder'), { orderNo }, trustedCallerContext(SECRET, 'ops-bot', { admin: true }));
    expect(late).toMatchObject({ code: 409, error: 'INVALID_TRANSITION', data: { status: 'shipped' } });
  });

  it('an admin refunds by direct invocation: money and stock come back', async () => {
    const orderNo = await buy();
    expect((await pay(orderNo)).statusCode).toBe(200);
    const before = (await fixture.store.get('accounts', 'acc-ann'))!.balance as number;
    const stock = (await fixture.store.get('products', 'tea'))!.stock as number;
    const refunded = await invoke(fns.handler('refundOrder'), { orderNo }, trustedCallerContext(SECRET, 'ops-bot', { admin: true }));
    expect(refunded).toMatchObject({
      code: 200,
      data: { order: { status: 'refunded' }, payment: { from: 'acc-merchant', to: 'acc-ann' } },
    });
    expect((await fixture.store.get('accounts', 'acc-ann'))!.balance).toBe(before + 300);
    expect((await fixture.store.get('products', 'tea'))!.stock).toBe(stock + 1);
  });

  it('the buyer cancels by direct invocation; someone else gets 404 like a missing order', async () => {
    const orderNo = await buy();
    const other = await invoke(fns.handler('cancelOrder'), { orderNo }, trustedCallerContext(SECRET, 'bob'));
    expect(other).toMatchObject({ code: 404, error: 'ORDER_NOT_FOUND' });
    const mine = await invoke(fns.handler('cancelOrder'), { orderNo, ifMatch: `"${orderNo}.v1"` }, trustedCallerContext(SECRET, 'ann'));
    expect(mine).toMatchObject({ code: 200, data: { order: { status: 'cancelled', version: 2 } } });
  });
});
