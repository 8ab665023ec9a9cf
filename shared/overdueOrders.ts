/**
 * Finding unpaid orders whose payment window has closed: a read on the orders' `statusExpiresAt` index
 * (shared/collections.json), kept apart from the conditional-write port because only the expiry sweep needs it.
 *
 * What it finds is a list of candidates, not a decision: a DynamoDB GSI is eventually consistent, and an order
 * may be paid or cancelled between the read and the sweep's write. The sweep decides each order with a write
 * guarded by its status (shared/operations/expireOverdueOrders.ts), so a stale candidate changes nothing.
 */

/** The status the index is read under, and the field it is ordered by (epoch ms). */
export const OVERDUE_INDEX = { name: 'statusExpiresAt', status: 'pending_payment', sort: 'expiresAt' } as const;

export interface OverdueOrders {
  /**
   * Up to `limit` order numbers with status `pending_payment` and `expiresAt <= now` (epoch ms), oldest first.
   * Throws AppError SERVICE_UNAVAILABLE when the database cannot be reached.
   */
  find(now: number, limit: number): Promise<string[]>;
}
