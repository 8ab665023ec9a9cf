/**
 * The reconciler: gives back, exactly once, the units of numbered takes (takes.ts) whose function died before
 * inserting the order, and never the units of a take whose order exists.
 *
 * It decides per take, by whether a document exists at the take's derived order number (an order in any status,
 * or a `void` tombstone), never by sums over orders: orders that are later cancelled, expired or refunded give
 * their stock back themselves, and stay where they are.
 *
 * One run per product:
 * 1. It reads the product and keeps a mark on it: (`markTakes`, `markUnits`, `markAt`), the counters as read and
 *    the reconciler's clock after the read. Every take up to `markTakes` happened before `markAt`.
 * 2. Once `holdMs` (twice the function timeout) has passed since `markAt`, every function that made one of those
 *    takes has stopped. For each take after the watermark (`settledTakes`) up to the mark, a missing order gets
 *    a `void` tombstone (insert-if-absent: a late insert of that order now fails, and its function answers an
 *    error, not a sale). The lost units are the range's units (`markUnits - settledUnits`) minus the units
 *    accounted for: orders, and tombstones the function itself wrote with the stock it gave back (`returned`).
 * 3. One write gives them back and moves the watermark, guarded by the watermark it started from: two
 *    reconcilers racing compute the same range and the same units, and only one write applies.
 *
 * Cost: one get per take of the range (a tombstone insert for each lost one), one or two product writes per run.
 * Metrics: the units given back count as UnitsReleased, only by the run whose write applied (never twice).
 * Errors: whatever the store throws (the run stops; the next one starts again from the watermark).
 */
import { ORDERS, PRODUCTS } from '../collections';
import { asProduct, type Product } from '../model';
import { countReleased } from '../metrics';
import type { Doc, Guard } from '../store';
import type { OperationDeps } from './deps';
import { counter, SETTLED_TAKES, SETTLED_UNITS, TAKEN_UNITS, TAKES, takeOrderNo } from './takes';

export interface ReconcileSettings {
  /** How old a take must be before a missing order counts as lost: twice the function timeout. */
  holdMs: number;
  /** Order lookups in flight at once (default 16). */
  parallel?: number;
}

export interface ProductReconciliation {
  productId: string;
  stock: number;
  sold: number;
  takes: number;
  settledTakes: number;
  /** Takes settled by this run. */
  holdsSettled: number;
  /** Units this run gave back. */
  unitsReleased: number;
  /** Tombstones this run found or wrote for takes without an order. */
  lostTakes: number;
}

const MARK_TAKES = 'markTakes';
const MARK_UNITS = 'markUnits';
const MARK_AT = 'markAt';

/** Reconciles one product; null when there is no such product. */
export async function reconcileProduct(
  deps: OperationDeps,
  productId: string,
  settings: ReconcileSettings,
): Promise<ProductReconciliation | null> {
  const product = asProduct(await deps.store.get(PRODUCTS, productId));
  if (!product) return null;
  // Read after the product: every take the read shows happened before this instant.
  const now = deps.now();
  const takes = counter(product, TAKES);
  const settled = counter(product, SETTLED_TAKES);
  const report: ProductReconciliation = {
    productId,
    stock: product.stock,
    sold: product.sold,
    takes,
    settledTakes: settled,
    holdsSettled: 0,
    unitsReleased: 0,
    lostTakes: 0,
  };
  const markTakes = counter(product, MARK_TAKES);
  const markPending = product[MARK_AT] !== undefined && markTakes > settled;
  const newMark = { [MARK_TAKES]: takes, [MARK_UNITS]: counter(product, TAKEN_UNITS), [MARK_AT]: now };
  if (!markPending) {
    if (takes > settled) await placeMark(deps, product, newMark);
    return report;
  }
  if (now - counter(product, MARK_AT) < settings.holdMs) return report;

  const range = await settleRange(deps, product, settled, markTakes, settings.parallel ?? 16);
  const lost = counter(product, MARK_UNITS) - counter(product, SETTLED_UNITS) - range.accountedUnits;
  if (lost < range.lostTakes || (lost > 0 && range.lostTakes === 0)) {
    // The counters and the orders disagree: guessing could give units back twice, so nothing moves.
    deps.log('error', { event: 'RECONCILE_MISMATCH', productId, from: settled, to: markTakes, lost, lostTakes: range.lostTakes });
    return report;
  }
  const result = await deps.store.update(PRODUCTS, productId, {
    guards: [watermarkGuard(product)],
    inc: { stock: lost, sold: -lost },
    set: {
      [SETTLED_TAKES]: markTakes,
      [SETTLED_UNITS]: counter(product, MARK_UNITS),
      ...(takes > markTakes ? newMark : {}),
    },
  });
  if (!result.ok) return report; // another reconciler moved the watermark first: it gave these units back
  const after = asProduct(result.doc) as Product;
  if (lost > 0) {
    deps.log('warn', { event: 'STOCK_RECONCILED', productId, takes: [settled + 1, markTakes], units: lost });
    countReleased(deps.metrics, lost);
  }
  return {
    ...report,
    stock: after.stock,
    sold: after.sold,
    settledTakes: markTakes,
    holdsSettled: markTakes - settled,
    unitsReleased: lost,
    lostTakes: range.lostTakes,
  };
}

/** The watermark as this run read it: a write guarded by it applies only if no other run moved it. */
function watermarkGuard(product: Product): Guard {
  return product[SETTLED_TAKES] === undefined
    ? { field: SETTLED_TAKES, op: 'notExists' }
    : { field: SETTLED_TAKES, op: 'eq', value: counter(product, SETTLED_TAKES) };
}

/** A new mark, unless another run placed one since our read (then theirs stands). */
async function placeMark(deps: OperationDeps, product: Product, mark: Record<string, number>): Promise<void> {
  const guard: Guard =
    product[MARK_AT] === undefined ? { field: MARK_AT, op: 'notExists' } : { field: MARK_AT, op: 'eq', value: counter(product, MARK_AT) };
  await deps.store.update(PRODUCTS, product.id, { guards: [guard], set: mark });
}

/** Looks up every take in (from, to]; voids the ones without an order. */
async function settleRange(
  deps: OperationDeps,
  product: Product,
  from: number,
  to: number,
  parallel: number,
): Promise<{ accountedUnits: number; lostTakes: number }> {
  let accountedUnits = 0;
  let lostTakes = 0;
  let next = from + 1;
  const worker = async () => {
    while (next <= to) {
      const take = next++;
      const doc = await settleTake(deps, product, take);
      if (doc === 'lost') lostTakes += 1;
      else accountedUnits += doc;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(parallel, to - from)) }, worker));
  return { accountedUnits, lostTakes };
}

/** The units a take's document accounts for, or 'lost' when the take's units are still out. */
async function settleTake(deps: OperationDeps, product: Product, take: number): Promise<number | 'lost'> {
  const orderNo = takeOrderNo(product, take);
  let doc: Doc | null | undefined = await deps.store.get(ORDERS, orderNo);
  if (!doc) {
    const tombstone = { id: orderNo, orderNo, productId: product.id, take, status: 'void', createdAt: new Date(deps.now()).toISOString() };
    const inserted = await deps.store.insert(ORDERS, tombstone);
    if (inserted.ok) return 'lost';
    doc = inserted.current ?? (await deps.store.get(ORDERS, orderNo));
    if (!doc) throw new Error(`order ${orderNo} neither inserts nor reads`);
  }
  // A tombstone without `returned` is a reconciler's (this run's or a concurrent one's): its units are out.
  if (doc.status === 'void' && doc.returned !== true) return 'lost';
  if (typeof doc.quantity !== 'number') throw new Error(`order ${orderNo} has no quantity`);
  return doc.quantity;
}
