/**
 * The high-severity finding of the security review (issue 10): a direct invocation carrying an event shaped
 * like an API Gateway request, with claims the caller wrote itself, must never act as the user those claims
 * name. Every function's direct entry (`handler`, what `lockless-<stage>-<fn>` runs) is sent such an event,
 * anonymously, as a Cognito identity and as a trusted caller; every answer is a refusal and no collection
 * changes. The same through serverless-offline's Lambda port is in test/delivery/delivery.test.ts.
 */
import type { Context } from 'aws-lambda';
import { adminClaims, cognitoContext, httpEvent, invoke, lambdaContext, type EventInput } from '../support/events';
import { FUNCTION_NAMES, loadAll, seedDataset, snapshot, trustedContext, type Dataset, type Snapshot } from '../support/dataset';
import type { LoadedFunctions } from '../support/functions';
import { BACKENDS, backendFixture, type BackendFixture } from '../support/stores';

/** For every function, the HTTP request a forger would want the handler to believe the gateway verified. */
function forgedRequests(data: Dataset): Record<string, Omit<EventInput, 'sub'>> {
  const aliceOrder = data.orders.find((o) => o.uid === 'alice')!.orderNo;
  return {
    getProduct: { method: 'GET', path: '/products/p-1', pathParameters: { id: 'p-1' } },
    purchase: { method: 'POST', path: '/products/p-1/purchase', pathParameters: { id: 'p-1' }, body: { quantity: 1, strategy: 'atomic' } },
    getOrder: { method: 'GET', path: `/orders/${aliceOrder}`, pathParameters: { orderNo: aliceOrder } },
    addCartItem: {
      method: 'POST',
      path: '/carts/cart-alice/items',
      pathParameters: { id: 'cart-alice' },
      body: { id: 'forged', productId: 'p-1', quantity: 1 },
    },
    removeCartItem: { method: 'DELETE', path: '/carts/cart-alice/items/a', pathParameters: { id: 'cart-alice', itemId: 'a' } },
    getCart: { method: 'GET', path: '/carts/cart-alice', pathParameters: { id: 'cart-alice' } },
    transfer: { method: 'POST', path: '/transfers', body: { from: 'acc-alice', to: 'acc-bob', amount: 1 } },
    getAccount: { method: 'GET', path: '/accounts/acc-alice', pathParameters: { id: 'acc-alice' } },
    listOrders: { method: 'GET', path: '/orders' },
    createProduct: { method: 'POST', path: '/products', body: { id: 'forged', name: 'x', price: 1, stock: 1 } },
    editProduct: {
      method: 'PATCH',
      path: '/products/p-1',
      pathParameters: { id: 'p-1' },
      body: { price: 1 },
      headers: { 'if-match': '"p-1.v1"' },
    },
    restock: { method: 'POST', path: '/products/p-1/restock', pathParameters: { id: 'p-1' }, body: { quantity: 1 } },
    payOrder: {
      method: 'POST',
      path: `/orders/${aliceOrder}/pay`,
      pathParameters: { orderNo: aliceOrder },
      body: { accountId: 'acc-alice' },
    },
    cancelOrder: { method: 'POST', path: `/orders/${aliceOrder}/cancel`, pathParameters: { orderNo: aliceOrder } },
    shipOrder: { method: 'POST', path: `/orders/${aliceOrder}/ship`, pathParameters: { orderNo: aliceOrder } },
    refundOrder: { method: 'POST', path: `/orders/${aliceOrder}/refund`, pathParameters: { orderNo: aliceOrder } },
    // The admin routes, with the admin group claim a forger would add.
    createRound: {
      method: 'POST',
      path: '/rounds',
      body: { id: 'forged', totalShares: 2, price: 1, capPerUser: 2 },
      claims: adminClaims,
    },
    getRound: { method: 'GET', path: '/rounds/round-open', pathParameters: { id: 'round-open' } },
    enterRound: {
      method: 'POST',
      path: '/rounds/round-open/entries',
      pathParameters: { id: 'round-open' },
      body: { accountId: 'acc-alice', shares: 1 },
    },
    drawRound: { method: 'POST', path: '/rounds/round-full/draw', pathParameters: { id: 'round-full' }, claims: adminClaims },
    batchAdjust: {
      method: 'POST',
      path: '/accounts/batch-adjust',
      body: { batchId: 'forged', items: [{ accountId: 'acc-alice', delta: 100, reason: 'forged' }] },
      claims: adminClaims,
    },
    resetFreeEntries: { method: 'POST', path: '/maintenance/reset-free-entries', claims: adminClaims },
  };
}

/** Public functions read the payload at once (and find unknown fields); admin ones refuse a non-admin first. */
const PUBLIC = ['getProduct', 'getRound'];
const ADMIN = [
  'createProduct',
  'editProduct',
  'restock',
  'shipOrder',
  'refundOrder',
  'createRound',
  'drawRound',
  'batchAdjust',
  'resetFreeEntries',
];
const ERRORS: Record<number, string> = { 400: 'INVALID_REQUEST', 401: 'UNAUTHORIZED', 403: 'FORBIDDEN' };

const CALLERS: Array<[string, () => Context, number]> = [
  // No identity: a user route says 401 before looking at the payload; the public one finds unknown fields.
  ['nobody', () => lambdaContext(), 401],
  ['a Cognito identity (bob)', () => cognitoContext('bob'), 400],
  ['a trusted caller naming bob', () => trustedContext('bob'), 400],
];

describe.each(BACKENDS)('a forged API Gateway event sent by direct invocation, on %s', (backend) => {
  let fixture: BackendFixture;
  let fns: LoadedFunctions;
  let data: Dataset;
  let before: Snapshot;

  beforeAll(async () => {
    fixture = await backendFixture(backend, 'forged');
    fns = loadAll(backend, fixture);
    data = await seedDataset(fixture, fns);
    before = await snapshot(fixture);
  });
  afterAll(async () => {
    await fns?.close();
    await fixture?.cleanup();
  });

  it('covers every function', () => {
    expect(Object.keys(forgedRequests(data)).sort()).toEqual([...FUNCTION_NAMES].sort());
  });

  it.each(CALLERS)('is refused by every function for %s, and changes nothing', async (_who, context, status) => {
    for (const [fn, request] of Object.entries(forgedRequests(data))) {
      const event = httpEvent({ ...request, sub: 'alice' });
      const expected = PUBLIC.includes(fn) ? 400 : ADMIN.includes(fn) && status !== 401 ? 403 : status;
      const answer = await invoke(fns.handler(fn), event, context());
      expect({ fn, code: answer.code, error: answer.error }).toEqual({ fn, code: expected, error: ERRORS[expected] });
      // Nothing of Alice's shows either.
      expect(JSON.stringify(answer)).not.toMatch(/balance|owner|"uid"/);
    }
    expect(await snapshot(fixture)).toEqual(before);
  });

  it('serves the same request through the API Gateway entry, where the claims are the verified ones', async () => {
    // The control: the very event that the direct entry refuses works where only API Gateway can send it.
    const raw = (await fns.http('getAccount')(httpEvent({ ...forgedRequests(data).getAccount!, sub: 'alice' }), lambdaContext())) as {
      statusCode: number;
    };
    expect(raw.statusCode).toBe(200);
  });
});
