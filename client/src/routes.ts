/**
 * One entry per buyer's route of the HTTP API (and per direct-invocation function), as deployed; the admin
 * routes are in admin/adminRoutes.ts, so the buyer's bundle does not carry them. test/client/routes.test.ts holds
 * the two tables together to scripts/serverless/functions.cjs. `payloadKey` says where a state-changing call's
 * idempotency key goes on a direct invocation: only purchase, transfer, addCartItem, removeCartItem, payOrder,
 * enterRound and restock accept one in their payload (their schemas are strict).
 */
import type { BuyerOperation } from './transport';

export interface Route {
  method: 'GET' | 'POST' | 'DELETE' | 'PATCH';
  path: string;
  /** Public routes need no token. */
  public?: true;
  /** The idempotency key also goes into the direct payload. */
  payloadKey?: true;
}

export const ROUTES: Record<BuyerOperation, Route> = {
  getProduct: { method: 'GET', path: '/products/{id}', public: true },
  purchase: { method: 'POST', path: '/products/{id}/purchase', payloadKey: true },
  getOrder: { method: 'GET', path: '/orders/{orderNo}' },
  transfer: { method: 'POST', path: '/transfers', payloadKey: true },
  getAccount: { method: 'GET', path: '/accounts/{id}' },
  addCartItem: { method: 'POST', path: '/carts/{id}/items', payloadKey: true },
  removeCartItem: { method: 'DELETE', path: '/carts/{id}/items/{itemId}', payloadKey: true },
  getCart: { method: 'GET', path: '/carts/{id}' },
  listOrders: { method: 'GET', path: '/orders' },
  payOrder: { method: 'POST', path: '/orders/{orderNo}/pay', payloadKey: true },
  cancelOrder: { method: 'POST', path: '/orders/{orderNo}/cancel' },
  getRound: { method: 'GET', path: '/rounds/{id}', public: true },
  enterRound: { method: 'POST', path: '/rounds/{id}/entries', payloadKey: true },
};

/** The path with its parameters filled in, each URI-encoded. */
export function fillPath(path: string, params: Record<string, string>): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params[name] ?? ''));
}
