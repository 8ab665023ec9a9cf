/**
 * Creating the order after a stock decrement (strategies `atomic` and `version`), and giving the stock back
 * when the order cannot be created.
 *
 * The hard case is an insert whose outcome is unknown (a timeout: it may have landed). Giving the stock back
 * then could leave an order whose units are for sale again. So the stock goes back in one transaction with an
 * insert-if-absent of a `void` tombstone at the order number: if the tombstone lands, the order never will (same
 * id), and the units are back; if the order is already there, the purchase succeeded after all. If even that
 * cannot be decided, we keep the units off sale (never oversell), log STOCK_HELD, and the reconciler
 * (reconcile.ts) gives them back once the function is surely gone.
 */
import { ORDERS, PRODUCTS } from '../collections';
import { AppError, toAppError } from '../errors';
import { METRIC } from '../metrics';
import type { Order, Product } from '../model';
import { retry, type RetryPolicy } from '../retry';
import { isContended, type TxWrite } from '../store';
import type { OperationDeps } from './deps';
import { DEFAULT_ORDER_SETTINGS } from '../config';
import { allowanceId } from './purchaseLimits';

/**
 * Settling an order number and giving stock back after a failed order insert: one transaction, tried again when
 * the store throws (the database is unreachable or gave no answer) or the transaction was contended, at most 3
 * times with jitter.
 * Bounded by count, not by the deadline: giving stock back is worth the last milliseconds, and a Lambda past its
 * deadline is stopped anyway (STOCK_HELD is logged first when it is not).
 */
export const REPAIR_POLICY: RetryPolicy = { maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 60 };

/**
 * A new order: `pending_payment` until paid, cancelled or expired at `now + paymentWindowMs`
 * (orderTransitions.ts). A limited product's order names the allowance it holds units of (purchaseLimits.ts).
 */
export function buildOrder(
  product: Product,
  uid: string,
  quantity: number,
  orderNo: string,
  now: number,
  paymentWindowMs: number = DEFAULT_ORDER_SETTINGS.paymentWindowMs,
): Order {
  const amount = product.price * quantity;
  if (!Number.isSafeInteger(amount)) throw new AppError('INTERNAL', `amount overflows for product ${product.id}`);
  return {
    id: orderNo,
    orderNo,
    uid,
    productId: product.id,
    quantity,
    price: product.price,
    amount,
    status: 'pending_payment',
    createdAt: new Date(now).toISOString(),
    expiresAt: now + paymentWindowMs,
    ...(typeof product.limitPerUser === 'number' ? { allowanceId: allowanceId(uid, product.id) } : {}),
    version: 1,
  };
}

/**
 * Creates the order for stock this request already took. If the order cannot be built or stored, the stock
 * goes back (see the file comment for the unknown-outcome case) and the original error is rethrown.
 */
export async function createOrderForTakenStock(
  deps: OperationDeps,
  product: Product,
  uid: string,
  quantity: number,
  orderNo: string = deps.newOrderNo(deps.now()),
): Promise<Order> {
  let order: Order;
  try {
    order = buildOrder(product, uid, quantity, orderNo, deps.now(), deps.orderSettings.paymentWindowMs);
  } catch (buildError) {
    // The tombstone goes in with the stock, so that the reconciler counts this take as given back.
    await voidAndRestock(deps, { orderNo, uid, productId: product.id, quantity });
    throw toAppError(buildError);
  }
  return insertOrderOrRestock(deps, order);
}

async function insertOrderOrRestock(deps: OperationDeps, order: Order): Promise<Order> {
  const { version: _version, ...fields } = order;
  try {
    const inserted = await deps.store.insert(ORDERS, fields);
    if (inserted.ok) return inserted.doc as Order;
    throw new AppError('INTERNAL', `order number ${order.orderNo} already taken`);
  } catch (insertError) {
    if ((await voidAndRestock(deps, order)) === 'exists') return { ...order };
    throw toAppError(insertError);
  }
}

type Settled = 'voided' | 'exists' | 'unknown';

/**
 * Settles the order number and gives the stock back in one transaction: a `void` tombstone marked `returned`
 * (so no late insert of the order can land, and the reconciler knows these units are back) and the increment.
 * Either both happen or neither: a function that dies in between leaves nothing half done, and the reconciler
 * (reconcile.ts) settles the take later. When the number is already taken, by the order (its insert landed after
 * all) or by a tombstone (ours from an attempt whose answer was lost, or the reconciler's, which gives the units
 * back itself), nothing is given back here.
 */
async function voidAndRestock(deps: OperationDeps, order: Pick<Order, 'orderNo' | 'uid' | 'productId' | 'quantity'>): Promise<Settled> {
  const tombstone = {
    id: order.orderNo,
    orderNo: order.orderNo,
    uid: order.uid,
    productId: order.productId,
    quantity: order.quantity,
    status: 'void',
    returned: true,
    createdAt: new Date(deps.now()).toISOString(),
  };
  const writes: TxWrite[] = [
    { kind: 'insert', label: 'tombstone', collection: ORDERS, doc: tombstone },
    {
      kind: 'update',
      label: 'restock',
      collection: PRODUCTS,
      id: order.productId,
      spec: { inc: { stock: order.quantity, sold: -order.quantity } },
    },
  ];
  const run = await retry<Settled, unknown>(
    async () => {
      try {
        const result = await deps.store.transact(writes);
        if (result.ok) return { done: true, value: 'voided' };
        if (isContended(result)) return { done: false, failure: result };
        if (result.label === 'tombstone') {
          const current =
            result.reason === 'already_exists' && result.current ? result.current : await deps.store.get(ORDERS, order.orderNo);
          // Nothing there (it vanished between the two reads): try again.
          if (!current) return { done: false, failure: 'absent' };
          return { done: true, value: current.status === 'void' ? 'voided' : 'exists' };
        }
        deps.log('error', { event: 'STOCK_RESTORE_FAILED', orderNo: order.orderNo, productId: order.productId, reason: result.reason });
        return { done: true, value: 'unknown' };
      } catch (err) {
        return { done: false, failure: err };
      }
    },
    REPAIR_POLICY,
    { deps },
  );
  if (run.ok && run.value === 'voided') {
    deps.log('warn', { event: 'STOCK_RESTORED', orderNo: order.orderNo, productId: order.productId, quantity: order.quantity });
  }
  if (run.ok) return run.value;
  // Nothing of the transaction was written: the units stay off sale (never oversold) until the reconciler finds
  // the take without its order and gives them back.
  deps.log('error', { event: 'STOCK_HELD', orderNo: order.orderNo, productId: order.productId, quantity: order.quantity });
  deps.metrics.count(METRIC.unitsHeld, order.quantity);
  return 'unknown';
}
