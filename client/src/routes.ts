/**
 * One entry per route of the HTTP API (and per direct-invocation function), as deployed: test/client/routes.test.ts
 * holds it to scripts/serverless/functions.cjs. `key` says where a state-changing call's idempotency key goes
 * on a direct invocation: only purchase, transfer, restock and payOrder accept one in their payload (their schemas are strict).
 * on a direct invocation: only purchase, transfer and enterRound accept one in their payload (their schemas are strict).
 */
import type { Operation } from './transport';

export interface Route {
  method: 'GET' | 'POST' | 'DELETE' | 'PATCH';
  path: string;
  /** Public routes need no token. */
  public?: true;
  /** The idempotency key also goes into the direct payload. */
  payloadKey?: true;
}

export const ROUTES: Record<Operation, Route> = {
  getProduct: { method: 'GET', path: '/products/{id}', public: true },
  purchase: { method: 'POST', path: '/products/{id}/purchase', payloadKey: true },
  getOrder: { method: 'GET', path: '/orders/{orderNo}' },
  transfer: { method: 'POST', path: '/transfers', payloadKey: true },
  getAccount: { method: 'GET', path: '/accounts/{id}' },
  addCartItem: { method: 'POST', path: '/carts/{id}/items' },
  removeCartItem: { method: 'DELETE', path: '/carts/{id}/items/{itemId}' },
  getCart: { method: 'GET', path: '/carts/{id}' },
  listOrders: { method: 'GET', path: '/orders' },
  createProduct: { method: 'POST', path: '/products' },
  editProduct: { method: 'PATCH', path: '/products/{id}' },
  restock: { method: 'POST', path: '/products/{id}/restock', payloadKey: true },
  payOrder: { method: 'POST', path: '/orders/{orderNo}/pay', payloadKey: true },
  cancelOrder: { method: 'POST', path: '/orders/{orderNo}/cancel' },
  shipOrder: { method: 'POST', path: '/orders/{orderNo}/ship' },
  refundOrder: { method: 'POST', path: '/orders/{orderNo}/refund' },
  createRound: { method: 'POST', path: '/rounds' },
  getRound: { method: 'GET', path: '/rounds/{id}', public: true },
  enterRound: { method: 'POST', path: '/rounds/{id}/entries', payloadKey: true },
  drawRound: { method: 'POST', path: '/rounds/{id}/draw' },
  batchAdjust: { method: 'POST', path: '/accounts/batch-adjust' },
  resetFreeEntries: { method: 'POST', path: '/maintenance/reset-free-entries' },
};

/** The path with its parameters filled in, each URI-encoded. */
export function fillPath(path: string, params: Record<string, string>): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params[name] ?? ''));
}
