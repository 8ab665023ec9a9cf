/**
 * Identity and access, on every route and both transports: another user's cart, account or order is refused
 * exactly like a missing one (404 *_NOT_FOUND; 403 FORBIDDEN for moving money out of an account that is not
 * the caller's), nothing changes in any collection, and a `uid`, `owner` or `sub` written into a body, query,
 * header or payload never grants anything. An expired token is the gateway's to refuse (test/delivery).
 */
import type { Context } from 'aws-lambda';
import { signCallerAssertion } from '../../shared/edge/directIdentity';
import type { ErrorCode } from '../../shared/errors';
import { message } from '../../shared/messages';
import { assertionContext, call, cognitoContext, cognitoOwner, httpEvent, invoke, lambdaContext, type EventInput } from '../support/events';
import { loadAll, seedDataset, snapshot, TRUSTED_SECRET, trustedContext, type Dataset, type Snapshot } from '../support/dataset';
import type { LoadedFunctions } from '../support/functions';
import { BACKENDS, backendFixture, type BackendFixture } from '../support/stores';

/** One request, in both transports: the HTTP event (without identity) and the direct payload. */
interface Attempt {
  name: string;
  fn: string;
  http: Omit<EventInput, 'sub'>;
  payload: Record<string, unknown>;
}

interface Refusal extends Attempt {
  error: ErrorCode;
  /** The same request for a resource that does not exist: it must get the very same answer. */
  missing?: Attempt;
}

const envelope = (error: ErrorCode, status: number) => ({ code: status, msg: message(error, 'zh'), error });

const getCart = (id: string): Attempt => ({
  name: `getCart ${id}`,
  fn: 'getCart',
  http: { method: 'GET', path: `/carts/${id}`, pathParameters: { id } },
  payload: { cartId: id },
});
const addItem = (cartId: string, itemId: string): Attempt => ({
  name: `addCartItem ${cartId} ${itemId}`,
  fn: 'addCartItem',
  http: {
    method: 'POST',
    path: `/carts/${cartId}/items`,
    pathParameters: { id: cartId },
    body: { id: itemId, productId: 'p-1', quantity: 1 },
  },
  payload: { cartId, item: { id: itemId, productId: 'p-1', quantity: 1 } },
});
const removeItem = (cartId: string, itemId: string): Attempt => ({
  name: `removeCartItem ${cartId} ${itemId}`,
  fn: 'removeCartItem',
  http: { method: 'DELETE', path: `/carts/${cartId}/items/${itemId}`, pathParameters: { id: cartId, itemId } },
  payload: { cartId, itemId },
});
const getAccount = (id: string): Attempt => ({
  name: `getAccount ${id}`,
  fn: 'getAccount',
  http: { method: 'GET', path: `/accounts/${id}`, pathParameters: { id } },
  payload: { accountId: id },
});
const transfer = (from: string, to: string, amount: number, key?: string): Attempt => ({
  name: `transfer ${from} -> ${to} ${amount}${key ? ` key ${key}` : ''}`,
  fn: 'transfer',
  http: { method: 'POST', path: '/transfers', body: { from, to, amount }, ...(key ? { headers: { 'idempotency-key': key } } : {}) },
  payload: { from, to, amount, ...(key ? { idempotencyKey: key } : {}) },
});
const getOrder = (orderNo: string): Attempt => ({
  name: `getOrder ${orderNo}`,
  fn: 'getOrder',
  http: { method: 'GET', path: `/orders/${orderNo}`, pathParameters: { orderNo } },
  payload: { orderNo },
});
const purchase = (productId: string, quantity: number, key?: string): Attempt => ({
  name: `purchase ${productId} x${quantity}`,
  fn: 'purchase',
  http: {
    method: 'POST',
    path: `/products/${productId}/purchase`,
    pathParameters: { id: productId },
    body: { quantity },
    ...(key ? { headers: { 'idempotency-key': key } } : {}),
  },
  payload: { productId, quantity, ...(key ? { idempotencyKey: key } : {}) },
});
const getProduct = (id: string): Attempt => ({
  name: `getProduct ${id}`,
  fn: 'getProduct',
  http: { method: 'GET', path: `/products/${id}`, pathParameters: { id } },
  payload: { productId: id },
});

/** Bob and Mallory (who owns nothing) going after Alice's cart, account and order. */
function refusals(data: Dataset): Refusal[] {
  const aliceOrder = data.orders.find((o) => o.uid === 'alice')!.orderNo;
  return [
    { ...getCart('cart-alice'), error: 'CART_NOT_FOUND', missing: getCart('cart-nobody') },
    { ...removeItem('cart-alice', 'a'), error: 'CART_NOT_FOUND', missing: removeItem('cart-nobody', 'a') },
    // An item the cart does not hold: still CART_NOT_FOUND, not ITEM_NOT_FOUND.
    { ...removeItem('cart-alice', 'never-added'), error: 'CART_NOT_FOUND', missing: removeItem('cart-nobody', 'never-added') },
    { ...getAccount('acc-alice'), error: 'ACCOUNT_NOT_FOUND', missing: getAccount('acc-nobody') },
    { ...transfer('acc-alice', 'acc-carol', 1), error: 'FORBIDDEN', missing: transfer('acc-nobody', 'acc-carol', 1) },
    // More than Alice has: still FORBIDDEN, so her balance is not revealed.
    { ...transfer('acc-alice', 'acc-carol', 1_000_000), error: 'FORBIDDEN', missing: transfer('acc-nobody', 'acc-carol', 1_000_000) },
    // Alice's own idempotency key and request: keys are scoped per caller, so nothing of hers is replayed.
    {
      ...transfer('acc-alice', 'acc-bob', 250, 'seed-transfer-1'),
      error: 'FORBIDDEN',
      missing: transfer('acc-nobody', 'acc-bob', 250, 'seed-transfer-1'),
    },
    { ...getOrder(aliceOrder), error: 'ORDER_NOT_FOUND', missing: getOrder('O-nobody') },
  ];
}

const STATUS: Partial<Record<ErrorCode, number>> = { CART_NOT_FOUND: 404, ACCOUNT_NOT_FOUND: 404, ORDER_NOT_FOUND: 404, FORBIDDEN: 403 };

type Transport = 'http' | 'direct (Cognito)' | 'direct (trusted caller)';
const TRANSPORTS: Transport[] = ['http', 'direct (Cognito)', 'direct (trusted caller)'];

describe.each(BACKENDS)("access to other users' resources on %s", (backend) => {
  let fixture: BackendFixture;
  let fns: LoadedFunctions;
  let data: Dataset;
  let before: Snapshot;

  beforeAll(async () => {
    fixture = await backendFixture(backend, 'access');
    fns = loadAll(backend, fixture);
    data = await seedDataset(fixture, fns);
    before = await snapshot(fixture);
  });
  afterAll(async () => {
    await fns?.close();
    await fixture?.cleanup();
  });

  /** Sends `attempt` as `sub` through `transport`; returns the envelope (and the HTTP status, checked equal). */
  async function send(attempt: Attempt, sub: string | undefined, transport: Transport, extra: { headers?: Record<string, string> } = {}) {
    if (transport === 'http') {
      const answer = await call(fns.http(attempt.fn), { ...attempt.http, headers: { ...attempt.http.headers, ...extra.headers }, sub });
      expect(answer.statusCode).toBe(answer.body.code);
      return answer.body;
    }
    const context: Context =
      sub === undefined ? lambdaContext() : transport === 'direct (Cognito)' ? cognitoContext(sub) : trustedContext(sub);
    return invoke(fns.handler(attempt.fn), attempt.payload, context);
  }

  describe.each(TRANSPORTS)('over %s', (transport) => {
    it("refuses every attempt on Alice's cart, account and order exactly like a missing one, and changes nothing", async () => {
      for (const attacker of ['bob', 'mallory']) {
        for (const refusal of refusals(data)) {
          const expected = envelope(refusal.error, STATUS[refusal.error]!);
          expect({ attempt: refusal.name, attacker, answer: await send(refusal, attacker, transport) }).toEqual({
            attempt: refusal.name,
            attacker,
            answer: expected,
          });
          if (refusal.missing) expect(await send(refusal.missing, attacker, transport)).toEqual(expected);
        }
      }
      expect(await snapshot(fixture)).toEqual(before);
    });

    it('still serves Alice herself (the refusals above are about the caller, not the resource)', async () => {
      const order = data.orders.find((o) => o.uid === 'alice')!.orderNo;
      if (transport === 'direct (Cognito)') {
        // Alice's things belong to her JWT identity; a Cognito identity is its own owner (cognito:<id>), and
        // Carol's Cognito identity is served her own order.
        const carols = data.orders.find((o) => o.uid === 'carol')!.orderNo;
        expect(await send(getOrder(carols), 'carol', transport)).toMatchObject({
          code: 200,
          data: { orderNo: carols, uid: cognitoOwner('carol') },
        });
        expect(await send(getAccount('acc-alice'), 'alice', transport)).toEqual(envelope('ACCOUNT_NOT_FOUND', 404));
      } else {
        expect(await send(getCart('cart-alice'), 'alice', transport)).toMatchObject({ code: 200, data: { owner: 'alice', itemCount: 2 } });
        expect(await send(getAccount('acc-alice'), 'alice', transport)).toMatchObject({ code: 200, data: { owner: 'alice' } });
        expect(await send(getOrder(order), 'alice', transport)).toMatchObject({ code: 200, data: { orderNo: order, uid: 'alice' } });
      }
      expect(await snapshot(fixture)).toEqual(before);
    });

    it('answers 401 UNAUTHORIZED to every user route without an identity, whatever the request names', async () => {
      const aliceOrder = data.orders.find((o) => o.uid === 'alice')!.orderNo;
      const attempts = [
        getCart('cart-alice'),
        addItem('cart-alice', 'z'),
        addItem('cart-fresh', 'z'),
        removeItem('cart-alice', 'a'),
        getAccount('acc-alice'),
        transfer('acc-alice', 'acc-bob', 1),
        getOrder(aliceOrder),
        purchase('p-1', 1),
      ];
      for (const attempt of attempts) {
        expect({ attempt: attempt.name, answer: await send(attempt, undefined, transport) }).toEqual({
          attempt: attempt.name,
          answer: envelope('UNAUTHORIZED', 401),
        });
      }
      expect(await snapshot(fixture)).toEqual(before);
    });
  });

  describe('cart ids are scoped to their owner', () => {
    it.each(['http', 'direct (trusted caller)'] as const)(
      "adding to Alice's cart id over %s creates the caller's own cart and leaves Alice's alone",
      async (transport) => {
        const id = transport === 'http' ? 'cart-alice' : 'cart-bob';
        const owner = transport === 'http' ? 'alice' : 'bob';
        const answer = await send(addItem(id, 'a'), 'mallory', transport);
        // Even an item id Alice's cart holds: Mallory's cart is another document, so nothing of Alice's shows.
        expect(answer).toMatchObject({ code: 200, data: { id, owner: 'mallory', itemCount: 1, version: 1 } });
        const after = await snapshot(fixture);
        const others = (s: Snapshot) => s.carts!.filter((c) => c.owner !== 'mallory');
        expect(others(after)).toEqual(others(before));
        expect((await send(getCart(id), owner, transport)).data).toMatchObject({
          owner,
          itemCount: data.carts.find((c) => c.id === id)!.itemIds.length,
        });
        for (const collection of ['products', 'orders', 'accounts', 'ledger', 'idempotency'])
          expect(after[collection]).toEqual(before[collection]);
        // Mallory's new cart is the one intended write: the suites below compare against the data with it.
        before = await snapshot(fixture);
      },
    );
  });

  describe('a user id written into the request never counts', () => {
    const IDENTITY_FIELDS = ['uid', 'owner', 'sub'];

    it.each(IDENTITY_FIELDS)('refuses a %s in a body (unknown field) on every body route, for a caller or nobody', async (field) => {
      const bodies = [addItem('cart-alice', 'z'), addItem('cart-fresh-1', 'z'), transfer('acc-alice', 'acc-bob', 1), purchase('p-1', 1)];
      for (const attempt of bodies) {
        const http = { ...attempt.http, body: { ...(attempt.http.body as object), [field]: 'alice' } };
        const answer = await call(fns.http(attempt.fn), { ...http, sub: 'bob' });
        expect(answer.body).toMatchObject({ code: 400, error: 'INVALID_REQUEST', data: { issues: [{ field: `body.${field}` }] } });
        expect((await call(fns.http(attempt.fn), http)).body).toEqual(envelope('UNAUTHORIZED', 401));
      }
      expect(await snapshot(fixture)).toEqual(before);
    });

    it.each(IDENTITY_FIELDS)('refuses a %s in a direct payload, top level or inside the cart item', async (field) => {
      const aliceOrder = data.orders.find((o) => o.uid === 'alice')!.orderNo;
      const attempts = [
        getCart('cart-alice'),
        addItem('cart-alice', 'z'),
        addItem('cart-fresh-2', 'z'),
        removeItem('cart-alice', 'a'),
        getAccount('acc-alice'),
        transfer('acc-alice', 'acc-bob', 1),
        getOrder(aliceOrder),
        purchase('p-1', 1),
        getProduct('p-1'),
      ];
      for (const context of [cognitoContext('bob'), trustedContext('bob')]) {
        for (const attempt of attempts) {
          const answer = await invoke(fns.handler(attempt.fn), { ...attempt.payload, [field]: 'alice' }, context);
          expect(answer).toMatchObject({ code: 400, error: 'INVALID_REQUEST', data: { issues: [{ field: `payload.${field}` }] } });
        }
        const nested = await invoke(
          fns.handler('addCartItem'),
          { cartId: 'cart-alice', item: { id: 'z', productId: 'p-1', quantity: 1, [field]: 'alice' } },
          context,
        );
        expect(nested).toMatchObject({ code: 400, error: 'INVALID_REQUEST', data: { issues: [{ field: `payload.item.${field}` }] } });
      }
      for (const attempt of attempts.filter((a) => a.fn !== 'getProduct')) {
        expect(await invoke(fns.handler(attempt.fn), { ...attempt.payload, [field]: 'alice' }, lambdaContext())).toEqual(
          envelope('UNAUTHORIZED', 401),
        );
      }
      expect(await snapshot(fixture)).toEqual(before);
    });

    it('refuses a uid in the query or in a body of a GET or DELETE route, and ignores identity-looking headers', async () => {
      const aliceOrder = data.orders.find((o) => o.uid === 'alice')!.orderNo;
      const reads: Refusal[] = [
        { ...getCart('cart-alice'), error: 'CART_NOT_FOUND' },
        { ...removeItem('cart-alice', 'a'), error: 'CART_NOT_FOUND' },
        { ...getAccount('acc-alice'), error: 'ACCOUNT_NOT_FOUND' },
        { ...getOrder(aliceOrder), error: 'ORDER_NOT_FOUND' },
      ];
      for (const read of reads) {
        const handler = fns.http(read.fn);
        const withBody = await call(handler, { ...read.http, body: { uid: 'alice' }, sub: 'bob' });
        expect(withBody.body).toMatchObject({ code: 400, error: 'INVALID_REQUEST', data: { issues: [{ field: 'body' }] } });
        const withQuery = (await handler(
          { ...httpEvent({ ...read.http, sub: 'bob' }), rawQueryString: 'uid=alice', queryStringParameters: { uid: 'alice' } },
          lambdaContext(),
        )) as { body: string };
        expect(JSON.parse(withQuery.body)).toMatchObject({
          code: 400,
          error: 'INVALID_REQUEST',
          data: { issues: [{ field: 'query.uid' }] },
        });
        const headers = { 'x-user-id': 'alice', 'x-amzn-oidc-identity': 'alice', sub: 'alice', uid: 'alice' };
        expect(await send(read, 'bob', 'http', { headers })).toEqual(envelope(read.error, STATUS[read.error]!));
      }
      expect(await snapshot(fixture)).toEqual(before);
    });

    it('does not trust the claims of an API Gateway-shaped event invoked with Cognito credentials', async () => {
      const event = httpEvent({ ...getAccount('acc-alice').http, sub: 'alice' });
      const answer = await invoke(fns.handler('getAccount'), event, cognitoContext('bob'));
      expect(answer).toMatchObject({ code: 400, error: 'INVALID_REQUEST' });
      expect(JSON.stringify(answer)).not.toContain('balance');
      const moved = httpEvent({ ...transfer('acc-alice', 'acc-bob', 100).http, sub: 'alice' });
      expect(await invoke(fns.handler('transfer'), moved, cognitoContext('bob'))).toMatchObject({ code: 400, error: 'INVALID_REQUEST' });
      expect(await snapshot(fixture)).toEqual(before);
    });

    it('refuses a forged, stale or misnamed trusted-caller assertion with 401', async () => {
      const forged = trustedContext('alice', 'x'.repeat(40));
      const stale = trustedContext('alice', undefined, Date.now() - 10 * 60_000);
      const renamed = assertionContext({
        ...signCallerAssertion(TRUSTED_SECRET, 'bob', { functionName: 'test', stage: 'dev', payload: { accountId: 'acc-alice' } }),
        sub: 'alice',
      });
      for (const context of [forged, stale, renamed]) {
        expect(await invoke(fns.handler('getAccount'), { accountId: 'acc-alice' }, context)).toEqual(envelope('UNAUTHORIZED', 401));
        expect(await invoke(fns.handler('transfer'), { from: 'acc-alice', to: 'acc-bob', amount: 1 }, context)).toEqual(
          envelope('UNAUTHORIZED', 401),
        );
      }
      expect(await snapshot(fixture)).toEqual(before);
    });
  });

  describe("idempotency keys are the caller's own", () => {
    it.each(['http', 'direct (Cognito)'] as const)(
      "a stranger reusing Alice's purchase key over %s buys for himself and never sees Alice's order",
      async (transport) => {
        const aliceOrder = data.orders.find((o) => o.uid === 'alice')!.orderNo;
        const attempt = purchase('p-1', 1, 'seed-order-1');
        const answer = await send(
          {
            ...attempt,
            http: { ...attempt.http, body: { quantity: 1, strategy: 'transaction' } },
            payload: { ...attempt.payload, strategy: 'transaction' },
          },
          'mallory',
          transport,
        );
        expect(answer).toMatchObject({ code: 200, data: { order: { uid: transport === 'http' ? 'mallory' : cognitoOwner('mallory') } } });
        expect(answer.data.order.orderNo).not.toBe(aliceOrder);
        // Alice's order and everything else of hers are as they were.
        const after = await snapshot(fixture);
        for (const collection of ['carts', 'accounts', 'ledger']) expect(after[collection]).toEqual(before[collection]);
        const aliceOrders = (s: Snapshot) => s.orders!.filter((o) => o.uid === 'alice');
        expect(aliceOrders(after)).toEqual(aliceOrders(before));
      },
    );
  });
});
