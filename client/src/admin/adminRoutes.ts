/**
 * The routes only an admin's token may call (the handlers answer 403 FORBIDDEN to anyone else), kept out of the
 * buyer's bundle. Same shape as routes.ts; test/client/routes.test.ts holds both to the deployed operations.
 */
import type { Route } from '../routes';
import type { AdminOperation } from '../transport';

export const ADMIN_ROUTES: Record<AdminOperation, Route> = {
  createProduct: { method: 'POST', path: '/products' },
  editProduct: { method: 'PATCH', path: '/products/{id}' },
  restock: { method: 'POST', path: '/products/{id}/restock', payloadKey: true },
  shipOrder: { method: 'POST', path: '/orders/{orderNo}/ship' },
  refundOrder: { method: 'POST', path: '/orders/{orderNo}/refund' },
  createRound: { method: 'POST', path: '/rounds' },
  drawRound: { method: 'POST', path: '/rounds/{id}/draw' },
  batchAdjust: { method: 'POST', path: '/accounts/batch-adjust' },
  resetFreeEntries: { method: 'POST', path: '/maintenance/reset-free-entries' },
};
