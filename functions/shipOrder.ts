/**
 * POST /orders/{orderNo}/ship: an admin ships a paid order (shared/operations/orderTransitions.ts). Optional If-Match with
 * the order's ETag. Also a direct invocation. Payloads, answers and errors: the API table in README.md.
 */
import { shipOrder } from '../shared/operations/orderTransitions';
import { fieldlessTransition } from './orderTransition';

export const { handler, httpHandler } = fieldlessTransition({
  name: 'shipOrder',
  access: 'admin',
  msg: 'SHIPPED',
  transition: shipOrder,
});
