/**
 * docs/openapi.json: generated from the code, valid OpenAPI 3.1, the same routes as serverless.yml, request
 * schemas that accept exactly what the edge accepts, and responses that real answers of the real handlers
 * (on both backends) match, error codes included.
 */
import Ajv2020 from 'ajv/dist/2020';
import fc from 'fast-check';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as z from 'zod/mini';
import { ERROR_CODES } from '../../shared/errors';
import { CartItemBody, PurchaseBody, TransferBody } from '../../shared/validation';
import { buildOpenApi, errorCodesOf } from '../../scripts/openapi/document';
import { OPENAPI_FILE, openApiText } from '../../scripts/openapi/generate';
import { adminClaims, call, type EventInput } from '../support/events';
import { loadAll, seedDataset, type Dataset } from '../support/dataset';
import type { LoadedFunctions } from '../support/functions';
import { openApiDocument, openApiProblems } from '../support/openApi';
import { BACKENDS, backendFixture, type BackendFixture } from '../support/stores';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { functionsFor } = require('../../scripts/serverless/functions.cjs') as {
  functionsFor: (env: Record<string, string>) => Record<string, { events?: Array<{ httpApi?: { method: string; path: string } }> }>;
};

describe('the OpenAPI document', () => {
  it('is what `npm run openapi` generates from the code (run it after changing a route, schema or code)', () => {
    expect(readFileSync(OPENAPI_FILE, 'utf8')).toBe(openApiText());
  });

  /** @seriousme/openapi-schema-validator is ESM only: it runs in its own process (scripts/openapi/validate.mjs). */
  const validate = (document: unknown) => {
    const run = spawnSync(process.execPath, [join(__dirname, '..', '..', 'scripts', 'openapi', 'validate.mjs'), '-'], {
      input: JSON.stringify(document),
      encoding: 'utf8',
    });
    return { status: run.status, result: JSON.parse(run.stdout) as { valid: boolean; version: string; errors?: unknown } };
  };

  it('is valid OpenAPI 3.1 for a standard validator', () => {
    const { status, result } = validate(buildOpenApi());
    expect(result).toEqual({ valid: true, version: '3.1' });
    expect(status).toBe(0);
  });

  it('would be refused by that validator when broken', () => {
    const broken = JSON.parse(openApiText());
    broken.paths['/transfers'].post.responses['200'].content = 'not an object';
    const { status, result } = validate(broken);
    expect(result.valid).toBe(false);
    expect(status).toBe(1);
  });

  it('has exactly the routes of serverless.yml, with a token required on the same ones', () => {
    const fromServerless = Object.entries(functionsFor({}))
      .flatMap(([, fn]) => fn.events ?? [])
      .map((event) => event.httpApi)
      .filter((route): route is { method: string; path: string; authorizer?: unknown } => route !== undefined)
      .map((route) => `${route.method} ${route.path} ${'authorizer' in route ? 'token' : 'public'}`)
      .sort();
    const fromDocument = Object.entries(openApiDocument.paths)
      .flatMap(([path, methods]) =>
        Object.entries(methods).map(
          ([method, op]) =>
            `${method.toUpperCase()} ${path} ${(op as unknown as { security: unknown[] }).security.length > 0 ? 'token' : 'public'}`,
        ),
      )
      .sort();
    expect(fromDocument).toEqual(fromServerless);
    expect(fromDocument.length).toBeGreaterThan(0);
  });

  it('names every public error code, with its status', () => {
    const schema = openApiDocument.components.schemas.ErrorCode as { enum: string[] };
    expect(schema.enum.sort()).toEqual(Object.keys(ERROR_CODES).sort());
    const declared = new Set(
      Object.values(openApiDocument.paths).flatMap((methods) => Object.values(methods).flatMap((op) => errorCodesOf(op.operationId))),
    );
    // Every code but the ones only direct invocation can answer appears on some route.
    expect([...Object.keys(ERROR_CODES)].filter((code) => !declared.has(code as keyof typeof ERROR_CODES))).toEqual([]);
  });

  describe('request bodies accept exactly what the edge accepts', () => {
    const ajv = new Ajv2020({ strict: false, validateFormats: false });
    const schemas = openApiDocument.components.schemas;
    const value = fc.oneof(
      fc.integer({ min: -3, max: 1_002 }),
      fc.constantFrom(0.5, 1e12, 1e12 + 1, 2 ** 53, '1', null, true, [], {}),
      fc.constantFrom('atomic', 'version', 'transaction', 'ATOMIC', 'a', 'acc-alice', 'p-1', '', 'x'.repeat(65), 'a b', 'a.b', '$gt'),
      fc.string({ maxLength: 70 }),
    );
    const valid: Record<string, fc.Arbitrary<unknown>> = {
      quantity: fc.integer({ min: 1, max: 1_000 }),
      strategy: fc.constantFrom('atomic', 'version', 'transaction'),
      amount: fc.integer({ min: 1, max: 1e12 }),
    };
    const id = fc.constantFrom('p-1', 'acc-alice', 'acc-bob', 'i1', 'x'.repeat(64));
    /** Mostly valid bodies with a field missing, wrong or extra now and then: both sides of the boundary. */
    const body = (keys: string[]) =>
      fc
        .tuple(
          fc.record(
            Object.fromEntries(
              keys.map((key) => [key, fc.oneof({ weight: 4, arbitrary: valid[key] ?? id }, { weight: 1, arbitrary: value })]),
            ),
            { requiredKeys: [] },
          ),
          fc.option(fc.tuple(fc.constantFrom('uid', 'owner', 'extra'), value), { freq: 5 }),
        )
        .map(([fields, extra]) => (extra ? { ...fields, [extra[0]]: extra[1] } : fields));
    const cases: Array<[string, z.ZodMiniType, string[], boolean]> = [
      ['PurchaseBody', PurchaseBody, ['quantity', 'strategy'], true],
      ['AddCartItemBody', CartItemBody, ['id', 'productId', 'quantity'], true],
      // JSON Schema cannot say "from differs from to": the document may accept a body the server then refuses.
      ['TransferBody', TransferBody, ['from', 'to', 'amount'], false],
    ];
    it.each(cases)('%s', (name, schema, keys, exact) => {
      const validate = ajv.compile(schemas[name] as object);
      let accepted = 0;
      fc.assert(
        fc.property(body(keys), (candidate) => {
          const byZod = schema.safeParse(candidate).success;
          const byDocument = validate(candidate) as boolean;
          if (byZod) accepted++;
          if (exact) return byZod === byDocument;
          return !byZod || byDocument;
        }),
        { seed: 20261202, numRuns: 3_000 },
      );
      expect(accepted).toBeGreaterThan(100); // the property saw both sides: valid bodies and refusals
      expect(accepted).toBeLessThan(2_700);
    });
  });
});

describe.each(BACKENDS)('real answers on %s match the document', (backend) => {
  let fixture: BackendFixture;
  let fns: LoadedFunctions;
  let data: Dataset;
  const seen = new Set<string>();

  beforeAll(async () => {
    fixture = await backendFixture(backend, 'openapi');
    fns = loadAll(backend, fixture);
    data = await seedDataset(fixture, fns);
  });
  afterAll(async () => {
    await fns?.close();
    await fixture?.cleanup();
  });

  async function check(operation: string, input: EventInput, expected: number) {
    const answer = await call(fns.http(operation), input);
    expect(answer.statusCode).toBe(expected);
    expect(openApiProblems(operation, answer.statusCode, answer.body, answer.headers)).toEqual([]);
    seen.add(`${operation} ${answer.statusCode}`);
    return answer;
  }

  it('for a success and the refusals of every route', async () => {
    const product = data.products[0]!.id;
    await check('getProduct', { method: 'GET', path: `/products/${product}`, pathParameters: { id: product } }, 200);
    await check('getProduct', { method: 'GET', path: '/products/nx', pathParameters: { id: 'nx' } }, 404);
    await check('getProduct', { method: 'GET', path: '/products/a.b', pathParameters: { id: 'a.b' } }, 400);

    const buy = (body: unknown, extra: Partial<EventInput> = {}) => ({
      method: 'POST',
      path: `/products/${product}/purchase`,
      pathParameters: { id: product },
      body,
      sub: 'alice',
      ...extra,
    });
    for (const strategy of ['atomic', 'version', 'transaction']) {
      await check('purchase', buy({ quantity: 1, strategy }, { headers: { 'idempotency-key': `oa-${strategy}` } }), 200);
      const replay = await check('purchase', buy({ quantity: 1, strategy }, { headers: { 'idempotency-key': `oa-${strategy}` } }), 200);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      await check('purchase', buy({ quantity: 2, strategy }, { headers: { 'idempotency-key': `oa-${strategy}` } }), 422);
    }
    await check('purchase', buy({ quantity: 1_000 }), 422);
    await check('purchase', buy({ quantity: '1' }), 400);
    await check('purchase', buy({ quantity: 1 }, { sub: undefined }), 401);
    await check('purchase', { ...buy({ quantity: 1 }), path: '/products/nx/purchase', pathParameters: { id: 'nx' } }, 404);

    const order = data.orders.find((o) => o.uid === 'alice')!.orderNo;
    await check('getOrder', { method: 'GET', path: `/orders/${order}`, pathParameters: { orderNo: order }, sub: 'alice' }, 200);
    await check('getOrder', { method: 'GET', path: `/orders/${order}`, pathParameters: { orderNo: order }, sub: 'bob' }, 404);
    const page = await check('listOrders', { method: 'GET', path: '/orders', query: { limit: '1' }, sub: 'alice' }, 200);
    expect(page.body.data.orders).toHaveLength(1);
    await check('listOrders', { method: 'GET', path: '/orders', query: { cursor: 'x' }, sub: 'alice' }, 400);

    let transfers = 0;
    const transfer = (body: unknown, sub = 'alice') => ({
      method: 'POST',
      path: '/transfers',
      body,
      sub,
      headers: { 'idempotency-key': `oa-t-${++transfers}` },
    });
    await check('transfer', transfer({ from: 'acc-alice', to: 'acc-bob', amount: 1 }), 200);
    await check('transfer', transfer({ from: 'acc-alice-2', to: 'acc-bob', amount: 10_000 }), 422);
    await check('transfer', transfer({ from: 'acc-bob', to: 'acc-alice', amount: 1 }), 403);
    await check('transfer', transfer({ from: 'acc-alice', to: 'acc-alice', amount: 1 }), 400);
    await check('transfer', transfer({ from: 'acc-alice', to: 'acc-nx', amount: 1 }), 404);

    await check('getAccount', { method: 'GET', path: '/accounts/acc-alice', pathParameters: { id: 'acc-alice' }, sub: 'alice' }, 200);
    await check('getAccount', { method: 'GET', path: '/accounts/acc-bob', pathParameters: { id: 'acc-bob' }, sub: 'alice' }, 404);

    const cart = 'oa-cart';
    const add = (item: unknown) => ({
      method: 'POST',
      path: `/carts/${cart}/items`,
      pathParameters: { id: cart },
      body: item,
      sub: 'alice',
    });
    await check('addCartItem', add({ id: 'i1', productId: product, quantity: 1 }), 200);
    await check('addCartItem', add({ id: 'i1', productId: product, quantity: 1 }), 409);
    await check('addCartItem', add({ id: 'i2', productId: 'nx', quantity: 1 }), 404);
    await check('getCart', { method: 'GET', path: `/carts/${cart}`, pathParameters: { id: cart }, sub: 'alice' }, 200);
    await check('getCart', { method: 'GET', path: `/carts/${cart}`, pathParameters: { id: cart }, sub: 'bob' }, 404);
    const remove = { method: 'DELETE', path: `/carts/${cart}/items/i1`, pathParameters: { id: cart, itemId: 'i1' }, sub: 'alice' };
    await check('removeCartItem', remove, 200);
    await check('removeCartItem', remove, 404);
    // With a key: the replay (and its header) and the key reused for another item, on both cart writes.
    const keyed = { 'idempotency-key': 'oa-cart-add' };
    await check('addCartItem', { ...add({ id: 'i3', productId: product, quantity: 1 }), headers: keyed }, 200);
    const replayed = await check('addCartItem', { ...add({ id: 'i3', productId: product, quantity: 1 }), headers: keyed }, 200);
    expect(replayed.headers['idempotent-replayed']).toBe('true');
    await check('addCartItem', { ...add({ id: 'i4', productId: product, quantity: 1 }), headers: keyed }, 422);
    const removeI3 = {
      ...remove,
      path: `/carts/${cart}/items/i3`,
      pathParameters: { id: cart, itemId: 'i3' },
      headers: { 'idempotency-key': 'oa-rm' },
    };
    await check('removeCartItem', removeI3, 200);
    expect((await check('removeCartItem', removeI3, 200)).headers['idempotent-replayed']).toBe('true');

    const admin = { sub: 'ada', claims: adminClaims };
    const created = { id: 'oa-new', name: 'OpenAPI', price: 100, stock: 1 };
    await check('createProduct', { method: 'POST', path: '/products', body: created, ...admin }, 201);
    await check('createProduct', { method: 'POST', path: '/products', body: created, ...admin }, 409);
    await check('createProduct', { method: 'POST', path: '/products', body: created, sub: 'alice' }, 403);
    const patch = (headers: Record<string, string>) => ({
      method: 'PATCH',
      path: '/products/oa-new',
      pathParameters: { id: 'oa-new' },
      body: { price: 200 },
      headers,
      ...admin,
    });
    await check('editProduct', patch({ 'if-match': '"oa-new.v1"' }), 200);
    await check('editProduct', patch({ 'if-match': '"oa-new.v1"' }), 412);
    await check('editProduct', patch({}), 428);
    const restock = { method: 'POST', path: '/products/oa-new/restock', pathParameters: { id: 'oa-new' }, body: { quantity: 5 }, ...admin };
    await check('restock', { ...restock, headers: { 'idempotency-key': 'oa-r' } }, 200);
    await check('restock', { ...restock, path: '/products/nx/restock', pathParameters: { id: 'nx' } }, 404);
    // The order lifecycle: alice pays her seeded order, an admin ships it; bob cancels his; refusals of each.
    const orderRoute = (name: string, orderNo: string, extra: Partial<EventInput> = {}) => ({
      method: 'POST',
      path: `/orders/${orderNo}/${name}`,
      pathParameters: { orderNo },
      sub: 'alice',
      ...extra,
    });
    const payBody = (accountId: string) => ({ body: { accountId } });
    await check('payOrder', orderRoute('pay', order, { ...payBody('acc-alice'), headers: { 'if-match': `"${order}.v9"` } }), 412);
    await check('payOrder', orderRoute('pay', order, payBody('acc-bob')), 403);
    await check('payOrder', orderRoute('pay', order, payBody('acc-alice-2')), 422);
    await check('payOrder', orderRoute('pay', order, { ...payBody('acc-alice'), headers: { 'idempotency-key': 'oa-pay' } }), 200);
    await check('payOrder', orderRoute('pay', order, payBody('acc-alice')), 409);
    await check('payOrder', orderRoute('pay', order, { ...payBody('acc-bob'), sub: 'bob' }), 404);
    await check('cancelOrder', orderRoute('cancel', order), 409);
    await check('shipOrder', orderRoute('ship', order), 403);
    await check('refundOrder', orderRoute('refund', order), 403);
    await check('shipOrder', orderRoute('ship', order, { sub: 'ada', claims: adminClaims }), 200);
    await check('refundOrder', orderRoute('refund', order, { sub: 'ada', claims: adminClaims }), 409);
    const bobs = data.orders.find((o) => o.uid === 'bob')!.orderNo;
    await check('cancelOrder', orderRoute('cancel', bobs, { sub: 'bob' }), 200);
    await check('cancelOrder', orderRoute('cancel', bobs, { sub: 'bob', body: {} }), 400);
    // A refund needs a paid order: bob buys one unit and pays it from his account.
    const bought = await check('purchase', buy({ quantity: 1 }, { sub: 'bob' }), 200);
    const bobsPaid = bought.body.data.order.orderNo as string;
    await check('payOrder', orderRoute('pay', bobsPaid, { ...payBody('acc-bob'), sub: 'bob' }), 200);
    await check('refundOrder', orderRoute('refund', bobsPaid, { sub: 'ada', claims: adminClaims }), 200);
    const newRound = (body: unknown, who: Partial<EventInput> = admin) => ({ method: 'POST', path: '/rounds', body, ...who });
    await check('createRound', newRound({ id: 'oa-round', totalShares: 2, price: 1, capPerUser: 2 }), 200);
    await check('createRound', newRound({ id: 'oa-round', totalShares: 2, price: 1, capPerUser: 2 }), 409);
    await check('createRound', newRound({ id: 'oa-x', totalShares: 2, price: 1, capPerUser: 2 }, { sub: 'alice' }), 403);
    const round = (suffix: string) => ({ path: `/rounds/oa-round${suffix}`, pathParameters: { id: 'oa-round' } });
    await check('getRound', { method: 'GET', ...round('') }, 200);
    await check('getRound', { method: 'GET', path: '/rounds/nx', pathParameters: { id: 'nx' } }, 404);
    const enter = (body: unknown) => ({ method: 'POST', ...round('/entries'), body, sub: 'alice' });
    await check('drawRound', { method: 'POST', ...round('/draw'), ...admin }, 422);
    await check('enterRound', enter({ accountId: 'acc-alice', shares: 3 }), 422);
    await check('enterRound', enter({ accountId: 'acc-bob', shares: 1 }), 403);
    await check('enterRound', enter({ accountId: 'acc-alice', shares: 2 }), 200);
    await check('drawRound', { method: 'POST', ...round('/draw'), ...admin }, 200);
    await check('getRound', { method: 'GET', ...round('') }, 200);
    const adjust = (body: unknown, who: Partial<EventInput> = admin) => ({ method: 'POST', path: '/accounts/batch-adjust', body, ...who });
    const items = [
      { accountId: 'acc-bob', delta: 5, reason: 'bonus' },
      { accountId: 'acc-nx', delta: 5, reason: 'nobody' },
    ];
    await check('batchAdjust', adjust({ batchId: 'oa-batch', items }), 200);
    await check('batchAdjust', adjust({ batchId: 'oa-batch', items: [items[0]] }), 422);
    await check('batchAdjust', adjust({ batchId: 'oa-batch', items }, { sub: 'alice' }), 403);
    await check('batchAdjust', adjust({ batchId: 'oa-batch', items: [{ accountId: 'acc-bob', delta: 0, reason: 'x' }] }), 400);
    const reset = (who: Partial<EventInput> = admin) => ({ method: 'POST', path: '/maintenance/reset-free-entries', ...who });
    await check('resetFreeEntries', reset(), 200);
    await check('resetFreeEntries', reset({ sub: 'alice' }), 403);

    // Every operation was seen succeeding.
    const operations = Object.values(openApiDocument.paths).flatMap((methods) => Object.values(methods).map((op) => op.operationId));
    expect(operations.filter((op) => !seen.has(`${op} 200`) && !seen.has(`${op} 201`))).toEqual([]);
  });

  it('and a wrong answer would not', () => {
    expect(openApiProblems('getProduct', 409, { code: 409, msg: 'x', error: 'ITEM_EXISTS' })).not.toEqual([]);
    expect(openApiProblems('purchase', 422, { code: 422, msg: 'x', error: 'CART_FULL' })).not.toEqual([]);
    expect(openApiProblems('getOrder', 200, { code: 200, msg: 'x', data: { orderNo: 'o' } })).not.toEqual([]);
    expect(
      openApiProblems('getProduct', 200, { code: 200, msg: 'x', data: { id: 'p', name: 'n', price: 1, stock: 1, version: 1 } }, {}),
    ).not.toEqual([]);
  });
});
