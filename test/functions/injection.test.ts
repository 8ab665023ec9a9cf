/**
 * Injection is refused everywhere, on both backends: MongoDB operator objects in any field, keys starting with
 * `$` or containing `.`, `__proto__` / `constructor` / `prototype` keys (as JSON.parse really delivers them:
 * own properties), and DynamoDB expression syntax in ids. In bodies, path parameters and direct payloads, at
 * the top level and nested. The caller is Alice acting on her own cart and account, so an injection that got
 * through would have something to write; every answer is 400 INVALID_REQUEST naming the field, and no
 * collection changes.
 */
import { call, cognitoContext, invoke } from '../support/events';
import { loadAll, seedDataset, snapshot, type Snapshot } from '../support/dataset';
import type { LoadedFunctions } from '../support/functions';
import { BACKENDS, backendFixture, type BackendFixture } from '../support/stores';

/** Operator objects and other non-scalar values, as JSON text (parsed afresh for every request). */
const OPERATOR_VALUES = [
  '{"$gt": ""}',
  '{"$ne": null}',
  '{"$gte": 0}',
  '{"$in": ["p-1", "p-2"]}',
  '{"$regex": ".*"}',
  '{"$where": "sleep(100) || true"}',
  '{"$expr": {"$gt": ["$balance", 0]}}',
  '["$ne", null]',
  '{"S": "acc-alice"}',
  '{"N": "1"}',
];

/** Strings that mean something to a DynamoDB expression, a Mongo path or a parser, none of them a valid id. */
const EXPRESSION_IDS = [
  '#a',
  ':v',
  'attribute_exists(x)',
  'attribute_not_exists(id) OR id = :id',
  'a.b',
  'items.#id',
  'items[0]',
  '$where',
  '$ne',
  'SET balance = :x',
  'id)',
  'a\u0000b',
  '__proto__.x',
  'acc-alice OR 1=1',
  '',
  'x'.repeat(65),
];

/** Keys that must never reach a schema: JSON text, so `__proto__` is an own property as in a real request. */
const INJECTED_KEYS = ['"__proto__"', '"constructor"', '"prototype"', '"$where"', '"$set"', '"items.a"', '"balance.x"', '"a.b"'];

interface Route {
  fn: string;
  /** A valid body (JSON text without the braces) and path for Alice's own resource. */
  path: string;
  pathParameters: Record<string, string>;
  method: string;
  body?: Record<string, unknown>;
  /** The valid direct payload for the same request. */
  payload: Record<string, unknown>;
}

const ROUTES: Route[] = [
  { fn: 'getProduct', method: 'GET', path: '/products/p-1', pathParameters: { id: 'p-1' }, payload: { productId: 'p-1' } },
  {
    fn: 'purchase',
    method: 'POST',
    path: '/products/p-1/purchase',
    pathParameters: { id: 'p-1' },
    body: { quantity: 1, strategy: 'atomic' },
    payload: { productId: 'p-1', quantity: 1, strategy: 'atomic' },
  },
  { fn: 'getOrder', method: 'GET', path: '/orders/O-1', pathParameters: { orderNo: 'O-1' }, payload: { orderNo: 'O-1' } },
  {
    fn: 'addCartItem',
    method: 'POST',
    path: '/carts/cart-alice/items',
    pathParameters: { id: 'cart-alice' },
    body: { id: 'new', productId: 'p-1', quantity: 1 },
    payload: { cartId: 'cart-alice', item: { id: 'new', productId: 'p-1', quantity: 1 } },
  },
  {
    fn: 'removeCartItem',
    method: 'DELETE',
    path: '/carts/cart-alice/items/a',
    pathParameters: { id: 'cart-alice', itemId: 'a' },
    payload: { cartId: 'cart-alice', itemId: 'a' },
  },
  { fn: 'getCart', method: 'GET', path: '/carts/cart-alice', pathParameters: { id: 'cart-alice' }, payload: { cartId: 'cart-alice' } },
  {
    fn: 'transfer',
    method: 'POST',
    path: '/transfers',
    pathParameters: {},
    body: { from: 'acc-alice', to: 'acc-bob', amount: 1 },
    payload: { from: 'acc-alice', to: 'acc-bob', amount: 1 },
  },
  {
    fn: 'getAccount',
    method: 'GET',
    path: '/accounts/acc-alice',
    pathParameters: { id: 'acc-alice' },
    payload: { accountId: 'acc-alice' },
  },
];

/** `fields` of `obj` with `field` replaced by raw JSON text `raw`, as JSON text. */
function withRaw(obj: Record<string, unknown>, field: string, raw: string): string {
  const parts = Object.entries(obj).map(([k, v]) => `${JSON.stringify(k)}: ${k === field ? raw : JSON.stringify(v)}`);
  if (!(field in obj)) parts.unshift(`${JSON.stringify(field)}: ${raw}`);
  return `{${parts.join(', ')}}`;
}

/** The JSON text of `obj` with an extra key (raw JSON text of the key) holding `{"x": 1}`, first. */
function withKey(obj: Record<string, unknown>, rawKey: string): string {
  return `{${rawKey}: {"polluted": true}, ${JSON.stringify(obj).slice(1)}`;
}

describe.each(BACKENDS)('injection on %s', (backend) => {
  let fixture: BackendFixture;
  let fns: LoadedFunctions;
  let before: Snapshot;

  beforeAll(async () => {
    fixture = await backendFixture(backend, 'injection');
    fns = loadAll(backend, fixture);
    await seedDataset(fixture, fns);
    before = await snapshot(fixture);
  });
  afterAll(async () => {
    await fns?.close();
    await fixture?.cleanup();
  });
  afterEach(async () => {
    expect(await snapshot(fixture)).toEqual(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  const http = (route: Route, overrides: { body?: string; pathParameters?: Record<string, string> }) =>
    call(fns.http(route.fn), {
      method: route.method,
      path: route.path,
      pathParameters: overrides.pathParameters ?? route.pathParameters,
      body: overrides.body ?? (route.body ? JSON.stringify(route.body) : undefined),
      sub: 'alice',
    });
  const direct = (route: Route, payloadText: string) => invoke(fns.handler(route.fn), JSON.parse(payloadText), cognitoContext('alice'));

  /** Asserts a 400 INVALID_REQUEST envelope whose issues name `field` (or a field under it). */
  function expectRefused(answer: { code: number; error?: string; data?: any }, field: string, label: string) {
    expect({ label, code: answer.code, error: answer.error }).toEqual({ label, code: 400, error: 'INVALID_REQUEST' });
    const fields: string[] = answer.data.issues.map((i: { field: string }) => i.field);
    expect({ label, fields }).toEqual({
      label,
      fields: expect.arrayContaining([expect.stringMatching(new RegExp(`^${field.replace(/[.$]/g, '\\$&')}`))]),
    });
  }

  describe.each(ROUTES.filter((r) => r.body))('in the body of $fn', (route) => {
    it('refuses an operator object or array in every field', async () => {
      for (const field of Object.keys(route.body!)) {
        for (const raw of OPERATOR_VALUES)
          expectRefused((await http(route, { body: withRaw(route.body!, field, raw) })).body, `body.${field}`, `${field}=${raw}`);
      }
    });

    it('refuses a forbidden key at the top level and nested in a field', async () => {
      for (const key of INJECTED_KEYS) {
        expectRefused((await http(route, { body: withKey(route.body!, key) })).body, 'body', `top ${key}`);
        const field = Object.keys(route.body!)[0]!;
        expectRefused((await http(route, { body: withRaw(route.body!, field, `{${key}: 1}`) })).body, `body.${field}`, `nested ${key}`);
      }
    });

    it('refuses expression syntax in every id field', async () => {
      const ids = Object.keys(route.body!).filter((f) => ['id', 'productId', 'from', 'to'].includes(f));
      for (const field of ids) {
        for (const id of EXPRESSION_IDS)
          expectRefused(
            (await http(route, { body: withRaw(route.body!, field, JSON.stringify(id)) })).body,
            `body.${field}`,
            `${field}=${id}`,
          );
      }
    });
  });

  describe.each(ROUTES)('in the direct payload of $fn', (route) => {
    it('refuses an operator object or array in every field', async () => {
      for (const field of Object.keys(route.payload)) {
        for (const raw of OPERATOR_VALUES)
          expectRefused(await direct(route, withRaw(route.payload, field, raw)), `payload.${field}`, `${field}=${raw}`);
      }
    });

    it('refuses a forbidden key at the top level and nested in a field', async () => {
      for (const key of INJECTED_KEYS) {
        expectRefused(await direct(route, withKey(route.payload, key)), 'payload', `top ${key}`);
        const field = Object.keys(route.payload)[0]!;
        expectRefused(await direct(route, withRaw(route.payload, field, `{${key}: 1}`)), `payload.${field}`, `nested ${key}`);
      }
    });

    it('refuses expression syntax in every id field', async () => {
      const ids = Object.keys(route.payload).filter((f) => !['quantity', 'amount', 'strategy', 'item'].includes(f));
      for (const field of ids) {
        for (const id of EXPRESSION_IDS)
          expectRefused(await direct(route, withRaw(route.payload, field, JSON.stringify(id))), `payload.${field}`, `${field}=${id}`);
      }
    });
  });

  describe("inside the item of addCartItem's direct payload", () => {
    const route = ROUTES.find((r) => r.fn === 'addCartItem')!;
    const item = route.payload.item as Record<string, unknown>;
    const payloadWithItem = (itemText: string) => `{"cartId": "cart-alice", "item": ${itemText}}`;

    it('refuses operator objects, forbidden keys and expression syntax in the item', async () => {
      for (const field of Object.keys(item)) {
        for (const raw of OPERATOR_VALUES)
          expectRefused(await direct(route, payloadWithItem(withRaw(item, field, raw))), `payload.item.${field}`, `item.${field}=${raw}`);
      }
      for (const key of INJECTED_KEYS)
        expectRefused(await direct(route, payloadWithItem(withKey(item, key))), 'payload.item', `item ${key}`);
      for (const field of ['id', 'productId']) {
        for (const id of EXPRESSION_IDS)
          expectRefused(
            await direct(route, payloadWithItem(withRaw(item, field, JSON.stringify(id)))),
            `payload.item.${field}`,
            `item.${field}=${id}`,
          );
      }
    });

    it('refuses `{"__proto__": ...}` and `{"constructor": ...}` with a valid quantity beside them', async () => {
      for (const text of [
        '{"__proto__": {"quantity": 1000}, "id": "z", "productId": "p-1", "quantity": 1}',
        '{"constructor": {"prototype": {"owner": "bob"}}, "id": "z", "productId": "p-1", "quantity": 1}',
      ]) {
        expectRefused(await direct(route, payloadWithItem(text)), 'payload.item', text);
        expectRefused((await http(route, { body: text })).body, 'body', text);
      }
    });
  });

  describe.each(ROUTES.filter((r) => Object.keys(r.pathParameters).length > 0))('in the path parameters of $fn', (route) => {
    it('refuses expression syntax and operator text in every path parameter', async () => {
      for (const name of Object.keys(route.pathParameters)) {
        for (const id of [...EXPRESSION_IDS, '{"$ne":null}', '[$ne]=1']) {
          const answer = await http(route, { pathParameters: { ...route.pathParameters, [name]: id } });
          expectRefused(answer.body, `path.${name}`, `${name}=${id}`);
        }
      }
    });
  });

  it('refuses `{"__proto__": {...}, "quantity": 1}` and `{"constructor": ...}` as a purchase body and payload', async () => {
    const route = ROUTES.find((r) => r.fn === 'purchase')!;
    for (const [body, payload] of [
      ['{"__proto__": {"strategy": "atomic"}, "quantity": 1}', '{"__proto__": {"uid": "bob"}, "productId": "p-1", "quantity": 1}'],
      [
        '{"constructor": {"prototype": {"quantity": 5}}, "quantity": 1}',
        '{"constructor": {"name": "x"}, "productId": "p-1", "quantity": 1}',
      ],
    ] as const) {
      expect((await http(route, { body })).body).toMatchObject({
        code: 400,
        error: 'INVALID_REQUEST',
        data: { issues: [{ field: 'body', message: expect.stringMatching(/^key "(__proto__|constructor)"/) }] },
      });
      expect(await direct(route, payload)).toMatchObject({
        code: 400,
        error: 'INVALID_REQUEST',
        data: { issues: [{ field: 'payload', message: expect.stringMatching(/^key "(__proto__|constructor)"/) }] },
      });
    }
  });
});
