/**
 * Every route as the fuzzer builds it: method, access, the HTTP request (path, path parameters, body, key) and
 * the keys its body and direct payload may hold. Commands use the direct payload's field names.
 */
import type { Command, RouteName } from './requests';

export interface Route {
  method: 'GET' | 'POST' | 'DELETE';
  /** 'admin': every caller the fuzzer plays is a plain user, so a signed-in caller is always refused 403. */
  access: 'user' | 'public' | 'admin';
  /** Path, path parameters, body fields and idempotency key of the HTTP request for `c`. */
  http(c: Command): { path: string; params: Record<string, string>; body?: Command; key?: string };
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
    http: (c) => ({ path: `/carts/${s(c.cartId)}/items`, params: { id: s(c.cartId) }, body: c.item as Command }),
    bodyKeys: ITEM_KEYS,
    payloadKeys: ['cartId', 'item'],
  },
  removeCartItem: {
    method: 'DELETE',
    access: 'user',
    http: (c) => ({ path: `/carts/${s(c.cartId)}/items/${s(c.itemId)}`, params: { id: s(c.cartId), itemId: s(c.itemId) } }),
    payloadKeys: ['cartId', 'itemId'],
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
