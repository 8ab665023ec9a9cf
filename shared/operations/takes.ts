/**
 * Numbered takes: how a purchase under `atomic` or `version` leaves a trace that a reconciler can follow when the
 * function dies between taking stock and inserting the order.
 *
 * The one guarded write that takes stock also counts the take on the product: `takes` (+1) and `takenUnits`
 * (+quantity). The take's number is `takes` after that write, and the order's number is derived from
 * (product, the product's `takeSalt`, take number), so the reconciler can look up, for every take, whether its
 * order exists, without scanning orders and without any list on the hot product: it carries five counters,
 * whatever the traffic (DynamoDB's 400 KB item limit).
 *
 * The reconciler (reconcile.ts) settles takes in ranges up to a watermark, `settledTakes` / `settledUnits`.
 */
import { sha256Hex } from '../hash';
import type { Product } from '../model';
import type { Doc } from '../store';

/** Counters a numbered take adds to the product (both start at 0 when absent). */
export const TAKES = 'takes';
export const TAKEN_UNITS = 'takenUnits';
/** The reconciler's watermark: every take up to `settledTakes` has its order or has been given back. */
export const SETTLED_TAKES = 'settledTakes';
export const SETTLED_UNITS = 'settledUnits';

/** Number fields of a product, 0 when absent (products seeded before numbered takes). */
export function counter(doc: Doc | Product | null | undefined, field: string): number {
  const value = doc?.[field];
  return typeof value === 'number' && Number.isSafeInteger(value) ? value : 0;
}

/**
 * The order number of take `take` of a product: 'O' and 25 hex digits (the shape of minted order numbers).
 * `takeSalt` (a string field on the product, optional) keeps the numbers of a product re-created under the same id
 * apart from the old one's.
 */
export function takeOrderNo(product: Pick<Doc, 'id'> & { takeSalt?: unknown }, take: number): string {
  const salt = typeof product.takeSalt === 'string' ? product.takeSalt : '';
  return `O${sha256Hex(`take\n${product.id}\n${salt}\n${take}`).slice(0, 25).toUpperCase()}`;
}

/** The `inc` that counts one take of `quantity` units, to merge into the write that takes the stock. */
export function takeIncrements(quantity: number): Record<string, number> {
  return { [TAKES]: 1, [TAKEN_UNITS]: quantity };
}

/** The `set` for a compare-and-swap take (strategy `version`), computed from the snapshot it replaces. */
export function takeSets(snapshot: Product, quantity: number): Record<string, number> {
  return { [TAKES]: counter(snapshot, TAKES) + 1, [TAKEN_UNITS]: counter(snapshot, TAKEN_UNITS) + quantity };
}

/** The order number of the take that produced `after` (the product as the take wrote it). */
export function orderNoOfTake(after: Product): string {
  return takeOrderNo(after, counter(after, TAKES));
}
