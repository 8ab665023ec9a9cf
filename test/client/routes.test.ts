/**
 * The client's routes are the deployed ones, and what it sends passes the server's own schemas: the HTTP body,
 * the Idempotency-Key header and the direct-invocation payload of every method.
 */
import { ROUTES, type WireRequest } from '../../client/src';
import { ADMIN_ROUTES, createAdminClient } from '../../client/src/admin';
import {
  IdempotencyKey,
  parseInput,
  parseWith,
  PurchaseBody,
  PurchasePayload,
  TransferBody,
  TransferPayload,
  CartItemBody,
  AddCartItemPayload,
  RemoveCartItemPayload,
  GetCartPayload,
  GetProductPayload,
  GetOrderPayload,
  GetAccountPayload,
  type Schema,
} from '../../shared/validation';
import { CreateProductBody, EditProductBody, EditProductPayload, RestockBody, RestockPayload } from '../../shared/catalogSchemas';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod/mini';
import { envelope, fakeTransport } from './support/fakeTransport';

// Plain CommonJS read by serverless.yml: the operations as deployed.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const DEPLOYED = require('../../scripts/serverless/functions.cjs') as {
  OPERATIONS: Record<string, { method: string; path: string; public?: boolean }>;
};

const DIRECT: Record<string, Schema<unknown>> = {
  getProduct: GetProductPayload,
  purchase: PurchasePayload,
  getOrder: GetOrderPayload,
  transfer: TransferPayload,
  getAccount: GetAccountPayload,
  addCartItem: AddCartItemPayload,
  removeCartItem: RemoveCartItemPayload,
  getCart: GetCartPayload,
  // functions/listOrders.ts keeps its payload schema to itself; this is its shape.
  listOrders: z.strictObject({ limit: z.optional(z.number()), cursor: z.optional(z.string()) }),
  createProduct: CreateProductBody,
  editProduct: EditProductPayload,
  restock: RestockPayload,
};
const BODY: Record<string, Schema<unknown>> = {
  purchase: PurchaseBody,
  transfer: TransferBody,
  addCartItem: CartItemBody,
  createProduct: CreateProductBody,
  editProduct: EditProductBody,
  restock: RestockBody,
};

describe('routes', () => {
  it("are the deployed operations, with their methods, paths and access (the buyer's and the admin entry's together)", () => {
    const deployed = Object.fromEntries(
      Object.entries(DEPLOYED.OPERATIONS).map(([op, s]) => [op, { method: s.method, path: s.path, public: s.public === true }]),
    );
    const client = Object.fromEntries(
      Object.entries({ ...ROUTES, ...ADMIN_ROUTES }).map(([op, r]) => [op, { method: r.method, path: r.path, public: r.public === true }]),
    );
    expect(client).toEqual(deployed);
    expect(Object.keys(ROUTES).filter((op) => op in ADMIN_ROUTES)).toEqual([]);
  });

  it("leave to the admin entry exactly the operations whose handler admits admins only (access: 'admin')", () => {
    const adminOnly = Object.keys(DEPLOYED.OPERATIONS).filter((op) =>
      /access: 'admin'/.test(readFileSync(join(__dirname, '..', '..', 'functions', `${op}.ts`), 'utf8')),
    );
    expect(adminOnly.sort()).toEqual(Object.keys(ADMIN_ROUTES).sort());
  });

  it("send what the server's schemas accept, over HTTP and as a direct payload", async () => {
    const fake = fakeTransport(envelope(200, { msg: 'OK', data: {} }));
    const client = createAdminClient({ baseUrl: 'http://x', transport: fake.transport, lang: 'en' });
    await client.getProduct('p1');
    await client.purchase('p1', { quantity: 2 });
    await client.purchase('p1', { quantity: 1, strategy: 'transaction' });
    await client.getOrder('O1');
    await client.transfer({ from: 'a', to: 'b', amount: 5 });
    await client.getAccount('a');
    await client.addCartItem('c1', { id: 'i1', productId: 'p1', quantity: 1 });
    await client.removeCartItem('c1', 'i1');
    await client.getCart('c1');
    await client.listOrders({ limit: 5, cursor: 'abc' });
    await client.createProduct({ id: 'p9', name: 'N', price: 1, stock: 2 });
    await client.editProduct('p9', { price: 3 }, { ifMatch: '"p9.v1"' });
    await client.restock('p9', 4);

    const check = (r: WireRequest) => {
      // The direct entry takes `lang` off before the strict schema, as lambdaFunction.ts does.
      const { lang, ...payload } = r.payload;
      expect(lang).toBe('en');
      parseInput(DIRECT[r.operation]!, payload, 'payload');
      if (BODY[r.operation]) parseWith(BODY[r.operation]!, JSON.parse(r.body!), 'body');
      else expect(r.body).toBeUndefined();
      if (r.method !== 'GET') parseWith(IdempotencyKey, r.headers['idempotency-key'], 'headers.idempotency-key');
    };
    expect(fake.requests).toHaveLength(13);
    for (const request of fake.requests) expect(() => check(request)).not.toThrow();
    // The key travels in the payload exactly where the direct schema has room for it.
    expect(fake.requests.filter((r) => 'idempotencyKey' in r.payload).map((r) => r.operation)).toEqual([
      'purchase',
      'purchase',
      'transfer',
      'addCartItem',
      'removeCartItem',
      'restock',
    ]);
    const list = fake.requests.find((r) => r.operation === 'listOrders')!;
    expect(list.url).toBe('http://x/orders?limit=5&cursor=abc');
    const edit = fake.requests.find((r) => r.operation === 'editProduct')!;
    expect([edit.method, edit.headers['if-match']]).toEqual(['PATCH', '"p9.v1"']);
  });
});
