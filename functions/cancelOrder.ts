/**
 * POST /orders/{orderNo}/cancel: the buyer cancels an unpaid order (shared/operations/orderTransitions.ts). Optional If-Match with
 * the order's ETag. Also a direct invocation. Payloads, answers and errors: the API table in README.md.
 */
import { cancelOrder } from '../shared/operations/orderTransitions';
import { fieldlessTransition } from './orderTransition';

export const { handler, httpHandler } = fieldlessTransition({
  name: 'cancelOrder',
  access: 'user',
  msg: 'CANCELLED',
  transition: cancelOrder,
});
