/**
 * POST /orders/{orderNo}/refund: an admin refunds a paid order (shared/operations/orderTransitions.ts). Optional If-Match with
 * the order's ETag. Also a direct invocation. Payloads, answers and errors: the API table in README.md.
 */
import { refundOrder } from '../shared/operations/orderTransitions';
import { fieldlessTransition } from './orderTransition';

export const { handler, httpHandler } = fieldlessTransition({
  name: 'refundOrder',
  access: 'admin',
  msg: 'REFUNDED',
  transition: refundOrder,
});
