/**
 * Creating the order after a stock decrement (strategies `atomic` and `version`), and giving the stock back
 * when the order cannot be created.
 *
 * The hard case is an insert whose outcome is unknown (a timeout: it may have landed). Giving the stock back
 * then could leave an order whose units are for sale again. So before restocking we settle the order number
 * with an insert-if-absent of a `void` tombstone: if the tombstone lands, the order never will (same id), and
 * restocking is safe; if the order is already there, the purchase succeeded after all. If even that cannot be
 * decided, we keep the units off sale (never oversell) and log STOCK_HELD for reconciliation.
 */
import { ORDERS, PRODUCTS } from '../collections';
import { AppError, toAppError } from '../errors';
import { METRIC } from '../metrics';
import type { Order, Product } from '../model';
import { retry, type RetryPolicy } from '../retry';
import type { OperationDeps } from './deps';

/**
 * Settling an order number, and giving stock back, after a failed order insert: each is one write, tried again
 * only when the store throws (the database is unreachable or gave no answer), at most 3 times with jitter.
 * Bounded by count, not by the deadline: giving stock back is worth the last milliseconds, and a Lambda past its
 * deadline is stopped anyway (STOCK_HELD is logged first when it is not).
 */
export const REPAIR_POLICY: RetryPolicy = { maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 60 };

export function buildOrder(product: Product, uid: string, quantity: number, orderNo: string, now: number): Order {
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
    status: 'created',
    createdAt: new Date(now).toISOString(),
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
    order = buildOrder(product, uid, quantity, orderNo, deps.now());
  } catch (buildError) {
    // Nothing was inserted under this order number, so no tombstone is needed before giving the stock back.
    await restock(deps, { orderNo, productId: product.id, quantity });
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
    const settled = await settleOrder(deps, order);
    if (settled === 'exists') return { ...order };
    if (settled === 'voided') await restock(deps, order);
    throw toAppError(insertError);
  }
}

/** Runs `write` under REPAIR_POLICY; undefined when every attempt threw. */
async function repair<T>(deps: OperationDeps, write: () => Promise<T>): Promise<T | undefined> {
  const run = await retry<T, unknown>(
    async () => {
      try {
        return { done: true, value: await write() };
      } catch (err) {
        return { done: false, failure: err };
      }
    },
    REPAIR_POLICY,
    { deps },
  );
  return run.ok ? run.value : undefined;
}

async function settleOrder(deps: OperationDeps, order: Order): Promise<'exists' | 'voided' | 'unknown'> {
  const tombstone = await repair(deps, () =>
    deps.store.insert(ORDERS, {
      id: order.orderNo,
      orderNo: order.orderNo,
      uid: order.uid,
      productId: order.productId,
      quantity: order.quantity,
      status: 'void',
      createdAt: new Date(deps.now()).toISOString(),
    }),
  );
  if (tombstone) return tombstone.ok || tombstone.current?.status === 'void' ? 'voided' : 'exists';
  deps.log('error', { event: 'STOCK_HELD', orderNo: order.orderNo, productId: order.productId, quantity: order.quantity });
  deps.metrics.count(METRIC.unitsHeld, order.quantity);
  return 'unknown';
}

async function restock(deps: OperationDeps, order: Pick<Order, 'orderNo' | 'productId' | 'quantity'>): Promise<void> {
  const result = await repair(deps, () =>
    deps.store.update(PRODUCTS, order.productId, { inc: { stock: order.quantity, sold: -order.quantity } }),
  );
  if (result) {
    deps.log(result.ok ? 'warn' : 'error', {
      event: result.ok ? 'STOCK_RESTORED' : 'STOCK_RESTORE_FAILED',
      orderNo: order.orderNo,
      productId: order.productId,
      quantity: order.quantity,
      ...(result.ok ? {} : { reason: result.reason }),
    });
    return;
  }
  // The order is void, so these units are off sale until someone puts them back: logged, never oversold.
  deps.log('error', { event: 'STOCK_HELD', orderNo: order.orderNo, productId: order.productId, quantity: order.quantity });
  deps.metrics.count(METRIC.unitsHeld, order.quantity);
}
