/**
 * Every route as the fuzzer builds it: method, access, the HTTP request (path, path parameters, body, key) and
 * the keys its body and direct payload may hold. Commands use the direct payload's field names.
 */
import type { Command, RouteName } from './requests';

export interface Route {
  method: 'GET' | 'POST' | 'DELETE' | 'PATCH';
  access: 'user' | 'public' | 'admin';
  /** Path, path parameters, query, body fields and idempotency key of the HTTP request for `c`. */
  http(c: Command): { path: string; params: Record<string, string>; query?: Record<string, string>; body?: Command; key?: string };
  /** The query parameters the route declares (a query mutation never uses these names). */
  query?: string[];
  /** Keys a body (HTTP) or a payload (direct) may hold, per level. */
  bodyKeys?: string[];
  payloadKeys: string[];
}

export const ITEM_KEYS = ['id', 'productId', 'quantity'];
const s = (v: unknown) => String(v);

export const ROUTES: Record<RouteName, Route> = {
  getProduct: {
    method: 'GET',
    access: 'public',
    http: (c) => ({ path: `/products/${s(c.productId)}`, params: { id: s(c.productId) } }),
    payloadKeys: ['productId'],
  },
  purchase: {
    method: 'POST',
    access: 'user',
    http: (c) => ({
      path: `/products/${s(c.productId)}/purchase`,
      params: { id: s(c.productId) },
      body: { quantity: c.quantity, ...(c.strategy ? { strategy: c.strategy } : {}) },
      ...(c.idempotencyKey ? { key: s(c.idempotencyKey) } : {}),
    }),
    bodyKeys: ['quantity', 'strategy'],
    payloadKeys: ['productId', 'quantity', 'strategy', 'idempotencyKey'],
  },
  getOrder: {
    method: 'GET',
    access: 'user',
    http: (c) => ({ path: `/orders/${s(c.orderNo)}`, params: { orderNo: s(c.orderNo) } }),
    payloadKeys: ['orderNo'],
  },
  addCartItem: {
    method: 'POST',
    access: 'user',
    http: (c) => ({
      path: `/carts/${s(c.cartId)}/items`,
      params: { id: s(c.cartId) },
      body: c.item as Command,
      ...(c.idempotencyKey ? { key: s(c.idempotencyKey) } : {}),
    }),
    bodyKeys: ITEM_KEYS,
    payloadKeys: ['cartId', 'item', 'idempotencyKey'],
  },
  removeCartItem: {
    method: 'DELETE',
    access: 'user',
    http: (c) => ({
      path: `/carts/${s(c.cartId)}/items/${s(c.itemId)}`,
      params: { id: s(c.cartId), itemId: s(c.itemId) },
      ...(c.idempotencyKey ? { key: s(c.idempotencyKey) } : {}),
    }),
    payloadKeys: ['cartId', 'itemId', 'idempotencyKey'],
  },
  getCart: {
    method: 'GET',
    access: 'user',
    http: (c) => ({ path: `/carts/${s(c.cartId)}`, params: { id: s(c.cartId) } }),
    payloadKeys: ['cartId'],
  },
  transfer: {
    method: 'POST',
    access: 'user',
    http: (c) => ({
      path: '/transfers',
      params: {},
      body: { from: c.from, to: c.to, amount: c.amount },
      ...(c.idempotencyKey ? { key: s(c.idempotencyKey) } : {}),
    }),
    bodyKeys: ['from', 'to', 'amount'],
    payloadKeys: ['from', 'to', 'amount', 'idempotencyKey'],
  },
  getAccount: {
    method: 'GET',
    access: 'user',
    http: (c) => ({ path: `/accounts/${s(c.accountId)}`, params: { id: s(c.accountId) } }),
    payloadKeys: ['accountId'],
  },
  listOrders: {
    method: 'GET',
    access: 'user',
    http: (c) => ({ path: '/orders', params: {}, query: Object.fromEntries(Object.entries(c).map(([k, v]) => [k, s(v)])) }),
    query: ['limit', 'cursor'],
    payloadKeys: ['limit', 'cursor'],
  },
  // Admin routes: the dataset's users are no admins, so every one of these is refused (403) before it is read.
  createProduct: {
    method: 'POST',
    access: 'admin',
    http: (c) => ({ path: '/products', params: {}, body: c }),
    bodyKeys: ['id', 'name', 'price', 'stock', 'limitPerUser'],
    payloadKeys: ['id', 'name', 'price', 'stock', 'limitPerUser'],
  },
  editProduct: {
    method: 'PATCH',
    access: 'admin',
    http: (c) => ({
      path: `/products/${s(c.productId)}`,
      params: { id: s(c.productId) },
      body: { ...(c.name !== undefined ? { name: c.name } : {}), ...(c.price !== undefined ? { price: c.price } : {}) },
    }),
    bodyKeys: ['name', 'price'],
    payloadKeys: ['productId', 'ifMatch', 'name', 'price'],
  },
  restock: {
    method: 'POST',
    access: 'admin',
    http: (c) => ({
      path: `/products/${s(c.productId)}/restock`,
      params: { id: s(c.productId) },
      body: { quantity: c.quantity },
      ...(c.idempotencyKey ? { key: s(c.idempotencyKey) } : {}),
    }),
    bodyKeys: ['quantity'],
    payloadKeys: ['productId', 'quantity', 'idempotencyKey'],
  },
  payOrder: {
    method: 'POST',
    access: 'user',
    http: (c) => ({
      path: `/orders/${s(c.orderNo)}/pay`,
      params: { orderNo: s(c.orderNo) },
      body: { accountId: c.accountId },
      ...(c.idempotencyKey ? { key: s(c.idempotencyKey) } : {}),
    }),
    bodyKeys: ['accountId'],
    payloadKeys: ['orderNo', 'accountId', 'ifMatch', 'idempotencyKey'],
  },
  cancelOrder: transition('cancel', 'user'),
  shipOrder: transition('ship', 'admin'),
  refundOrder: transition('refund', 'admin'),
  getRound: {
    method: 'GET',
    access: 'public',
    http: (c) => ({ path: `/rounds/${s(c.roundId)}`, params: { id: s(c.roundId) } }),
    payloadKeys: ['roundId'],
  },
  enterRound: {
    method: 'POST',
    access: 'user',
    http: (c) => ({
      path: `/rounds/${s(c.roundId)}/entries`,
      params: { id: s(c.roundId) },
      body: { accountId: c.accountId, shares: c.shares },
      ...(c.idempotencyKey ? { key: s(c.idempotencyKey) } : {}),
    }),
    bodyKeys: ['accountId', 'shares'],
    payloadKeys: ['roundId', 'accountId', 'shares', 'idempotencyKey'],
  },
  batchAdjust: {
    method: 'POST',
    access: 'admin',
    http: (c) => ({ path: '/accounts/batch-adjust', params: {}, body: { batchId: c.batchId, items: c.items } }),
    bodyKeys: ['batchId', 'items'],
    payloadKeys: ['batchId', 'items'],
  },
  resetFreeEntries: {
    method: 'POST',
    access: 'admin',
    http: () => ({ path: '/maintenance/reset-free-entries', params: {} }),
    payloadKeys: [],
  },
};

/** An order transition without fields: a POST without a body (any body is refused). */
function transition(name: string, access: Route['access']): Route {
  return {
    method: 'POST',
    access,
    http: (c) => ({ path: `/orders/${s(c.orderNo)}/${name}`, params: { orderNo: s(c.orderNo) } }),
    payloadKeys: ['orderNo', 'ifMatch'],
  };
}
