/**
 * Purchase: check stock, take it, create the order, with one of three strategies.
 *
 * - `atomic`: one guarded write (`stock >= quantity`, decrement). No read, no retry; then the order insert.
 * - `version`: read, check, compare-and-swap on `version`; a lost race retries with jittered backoff,
 *   bounded by attempts and the Lambda's remaining time. Then the order insert.
 * - `transaction` (default): the guarded decrement and the order insert commit together or not at all.
 *
 * Errors: PRODUCT_NOT_FOUND, INSUFFICIENT_STOCK, VERSION_CONFLICT (version budget spent),
 * TRANSACTION_CONFLICT (transient contention outlasted the transaction budget), INTERNAL, SERVICE_UNAVAILABLE.
 */
import { AppError } from '../errors';
import { asProduct, publicOrder, type Order, type Product } from '../model';
import { retry } from '../retry';
import type { Strategy } from '../validation';
import type { OperationDeps } from './deps';
import { buildOrder, createOrderForTakenStock, ORDERS, PRODUCTS } from './orders';

export interface PurchaseInput {
  uid: string;
  productId: string;
  quantity: number;
  strategy: Strategy;
  /** Epoch ms after which no new attempt starts. */
  deadline: number;
}

export interface PurchaseOutcome {
  order: ReturnType<typeof publicOrder>;
  /** Stock left right after this purchase (under `transaction`: read just after commit; null if that read failed). */
  stock: number | null;
  attempts: number;
  strategy: Strategy;
}

/** Time one more attempt needs; the loop does not start one that could not finish before the deadline. */
const ATTEMPT_RESERVE_MS = 150;

const notFound = (id: string) => new AppError('PRODUCT_NOT_FOUND', `product ${id} not found`);
const insufficient = (input: PurchaseInput, available: unknown) =>
  new AppError('INSUFFICIENT_STOCK', 'insufficient stock', {
    details: { requested: input.quantity, available: typeof available === 'number' ? available : 0 },
  });

export async function purchase(deps: OperationDeps, input: PurchaseInput): Promise<PurchaseOutcome> {
  switch (input.strategy) {
    case 'atomic':
      return atomicPurchase(deps, input);
    case 'version':
      return versionPurchase(deps, input);
    case 'transaction':
      return transactionPurchase(deps, input);
  }
}

function outcome(order: Order, stock: number | null, attempts: number, strategy: Strategy): PurchaseOutcome {
  return { order: publicOrder(order), stock, attempts, strategy };
}

async function atomicPurchase(deps: OperationDeps, input: PurchaseInput): Promise<PurchaseOutcome> {
  const result = await deps.store.update(PRODUCTS, input.productId, {
    guards: [
      { field: 'stock', op: 'gte', value: input.quantity },
      // A document without a numeric price is not for sale; refusing it here avoids taking stock we cannot bill.
      { field: 'price', op: 'gte', value: 0 },
    ],
    inc: { stock: -input.quantity, sold: input.quantity },
  });
  if (!result.ok) {
    if (result.reason === 'guard_failed' && result.failed.some((g) => g.field === 'stock')) {
      throw insufficient(input, result.current.stock);
    }
    throw notFound(input.productId);
  }
  const product = requireProduct(result.doc, input.productId);
  const order = await createOrderForTakenStock(deps, product, input.uid, input.quantity);
  return outcome(order, product.stock, 1, 'atomic');
}

async function versionPurchase(deps: OperationDeps, input: PurchaseInput): Promise<PurchaseOutcome> {
  const run = await retry<Product, 'conflict'>(
    async () => {
      const snapshot = asProduct(await deps.store.get(PRODUCTS, input.productId));
      if (!snapshot) throw notFound(input.productId);
      if (snapshot.stock < input.quantity) throw insufficient(input, snapshot.stock);
      // The decision was made on the snapshot; the CAS makes it stand only if nothing changed since.
      const result = await deps.store.update(PRODUCTS, input.productId, {
        expectVersion: snapshot.version,
        set: { stock: snapshot.stock - input.quantity, sold: snapshot.sold + input.quantity },
      });
      if (result.ok) return { done: true, value: requireProduct(result.doc, input.productId) };
      if (result.reason === 'not_found') throw notFound(input.productId);
      return { done: false, failure: 'conflict' };
    },
    deps.policies.version,
    { deadline: input.deadline, reserveMs: ATTEMPT_RESERVE_MS, deps },
  );
  if (!run.ok) {
    throw new AppError('VERSION_CONFLICT', `version conflict after ${run.attempts} attempts`, {
      details: { attempts: run.attempts },
    });
  }
  const order = await createOrderForTakenStock(deps, run.value, input.uid, input.quantity);
  return outcome(order, run.value.stock, run.attempts, 'version');
}

async function transactionPurchase(deps: OperationDeps, input: PurchaseInput): Promise<PurchaseOutcome> {
  const run = await retry<Order, 'stale'>(
    async () => {
      // The snapshot supplies the price for the order; the transaction re-checks it did not change.
      const snapshot = asProduct(await deps.store.get(PRODUCTS, input.productId));
      if (!snapshot) throw notFound(input.productId);
      if (snapshot.stock < input.quantity) throw insufficient(input, snapshot.stock);
      const order = buildOrder(snapshot, input.uid, input.quantity, deps.newOrderNo(deps.now()), deps.now());
      const { version: _v, ...orderFields } = order;
      const result = await deps.store.transact(
        [
          {
            kind: 'update',
            collection: PRODUCTS,
            id: input.productId,
            spec: {
              guards: [
                { field: 'stock', op: 'gte', value: input.quantity },
                { field: 'price', op: 'eq', value: snapshot.price },
              ],
              inc: { stock: -input.quantity, sold: input.quantity },
            },
          },
          { kind: 'insert', collection: ORDERS, doc: orderFields },
        ],
        { deadline: input.deadline, maxAttempts: deps.policies.transactionAttempts },
      );
      if (result.ok) return { done: true, value: order };
      if (result.index === 0 && result.reason === 'not_found') throw notFound(input.productId);
      if (result.index === 0 && result.reason === 'guard_failed' && result.failed.some((g) => g.field === 'stock')) {
        throw insufficient(input, result.current.stock);
      }
      // The price moved (or, vanishingly rarely, the order number was taken): decide again on a fresh read.
      return { done: false, failure: 'stale' };
    },
    deps.policies.snapshot,
    { deadline: input.deadline, reserveMs: ATTEMPT_RESERVE_MS, deps },
  );
  if (!run.ok) throw new AppError('VERSION_CONFLICT', 'the product changed during every attempt', { details: { attempts: run.attempts } });
  return outcome(run.value, await stockAfterCommit(deps, input.productId), run.attempts, 'transaction');
}

/** The purchase is committed whatever this read does; a failed read only leaves `stock` unknown. */
async function stockAfterCommit(deps: OperationDeps, productId: string): Promise<number | null> {
  try {
    return asProduct(await deps.store.get(PRODUCTS, productId))?.stock ?? null;
  } catch {
    return null;
  }
}

function requireProduct(doc: unknown, id: string): Product {
  const product = asProduct(doc as Parameters<typeof asProduct>[0]);
  if (!product) throw new AppError('INTERNAL', `product ${id} is missing stock or price`);
  return product;
}
