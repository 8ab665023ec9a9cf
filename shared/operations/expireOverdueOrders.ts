/**
 * The expiry sweep: a periodic task (the scheduled maintenance function, `npm run reconcile` locally) that expires
 * unpaid orders whose payment window has closed and returns their stock.
 *
 * It reads candidates from the orders' `statusExpiresAt` index (shared/overdueOrders.ts) and expires each one
 * with expireOrder: one transaction guarded by `status = pending_payment` and `expiresAt <= now`. Sweeps may run
 * at once (a slow minute overlapping the next, a manual run): each order still expires once, because only one
 * guarded transaction can move it out of `pending_payment`; the others find it moved and skip it. A payment or a
 * cancellation racing the sweep is decided the same way.
 *
 * Orders are taken one at a time, oldest first, and no new one is started after `deadline`; whatever is left is
 * found again by the next sweep. At most `limit` orders per run: 1 index read + 2 store calls per order (a read,
 * then a transaction, plus its contention retries).
 */
import { toAppError } from '../errors';
import type { OverdueOrders } from '../overdueOrders';
import type { OperationDeps } from './deps';
import { expireOrder } from './orderTransitions';

export interface SweepInput {
  /** Epoch ms: orders with `expiresAt <= now` are overdue. */
  now: number;
  /** Epoch ms after which no new order is started. */
  deadline: number;
  /** At most this many orders per run (default 100). */
  limit?: number;
}

export interface SweepSummary {
  /** Candidates the index gave. */
  found: number;
  /** Orders this run expired (their stock is back). */
  expired: number;
  /** Candidates someone else moved first (paid, cancelled, expired by another sweep): nothing done. */
  skipped: number;
  /** Orders whose expiry failed for another reason (logged); the next sweep tries them again. */
  failed: number;
  /** Units returned to stock by this run. */
  unitsReturned: number;
  /** True when the deadline stopped the run before every candidate was tried. */
  stoppedEarly: boolean;
}

/** Time one more order needs; the sweep does not start one that could not finish before the deadline. */
const ORDER_RESERVE_MS = 250;
const SKIPPED_CODES = new Set(['INVALID_TRANSITION', 'ORDER_NOT_FOUND']);

export async function expireOverdueOrders(
  deps: OperationDeps & { overdueOrders: OverdueOrders },
  input: SweepInput,
): Promise<SweepSummary> {
  const summary: SweepSummary = { found: 0, expired: 0, skipped: 0, failed: 0, unitsReturned: 0, stoppedEarly: false };
  const candidates = await deps.overdueOrders.find(input.now, input.limit ?? 100);
  summary.found = candidates.length;
  for (const orderNo of candidates) {
    if (deps.now() + ORDER_RESERVE_MS > input.deadline) {
      summary.stoppedEarly = true;
      break;
    }
    try {
      const { order } = await expireOrder(deps, { orderNo, now: input.now, deadline: input.deadline });
      summary.expired += 1;
      summary.unitsReturned += order.quantity;
    } catch (err) {
      const error = toAppError(err);
      if (SKIPPED_CODES.has(error.code)) {
        summary.skipped += 1;
      } else {
        summary.failed += 1;
        deps.log('error', { event: 'ORDER_EXPIRY_FAILED', orderNo, error: error.code, cause: error.cause ?? error });
      }
    }
  }
  deps.log('info', { event: 'ORDER_SWEEP', ...summary });
  return summary;
}
