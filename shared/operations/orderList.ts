/**
 * The caller's orders, newest first, a page at a time: one read of the orders' `byUser` index (collections.json),
 * whose partition is always the verified caller, so no input can reach another user's orders.
 *
 * Void tombstones (orders.ts: an order insert settled as never having happened) are left out, and the page is
 * filled up from after them.
 */
import { ORDERS } from '../collections';
import { publicOrder, type Order } from '../model';
import type { ListPosition } from '../store';
import type { OperationDeps } from './deps';

export const DEFAULT_ORDER_PAGE = 20;
export const MAX_ORDER_PAGE = 100;

export interface OrderListInput {
  uid: string;
  limit: number;
  after?: ListPosition;
}

/** Reads after a page came back short of void tombstones; they are rare, so a few reads fill any page. */
export const FILL_ROUNDS = 3;

/**
 * One page of `uid`'s orders and where the next one starts (absent on the last page). One store call, or up
 * to FILL_ROUNDS when void tombstones took places in the page (it may then still be short, with `next` set).
 */
export async function listOrders(deps: Pick<OperationDeps, 'store'>, input: OrderListInput) {
  const orders: ReturnType<typeof publicOrder>[] = [];
  let after = input.after;
  for (let round = 0; round < FILL_ROUNDS; round++) {
    const page = await deps.store.list(ORDERS, {
      index: 'byUser',
      equals: { uid: input.uid },
      order: 'desc',
      limit: input.limit - orders.length,
      ...(after ? { after } : {}),
    });
    // The index's partition is the caller; the check costs nothing and keeps that a fact of this function too.
    for (const doc of page.docs) if (doc.uid === input.uid && doc.status !== 'void') orders.push(publicOrder(doc as Order));
    after = page.next;
    if (!after || orders.length === input.limit) break;
  }
  return { orders, ...(after ? { next: after } : {}) };
}
