/**
 * The catalog's admin operations: create a product, edit it (seed 001's CMS case: a compare-and-swap on the
 * version the editor read), and restock it (an increment: no version read, so it never fights a purchase).
 *
 * Errors: PRODUCT_EXISTS, PRODUCT_NOT_FOUND, PRECONDITION_REQUIRED, PRECONDITION_FAILED (details.current: the
 * product as it is now, for the editor to merge), TRANSACTION_CONFLICT, IDEMPOTENCY_KEY_REUSED,
 * IDEMPOTENCY_IN_PROGRESS, SERVICE_UNAVAILABLE.
 */
import { PRODUCTS } from '../collections';
import { AppError } from '../errors';
import { asProduct, publicProduct } from '../model';
import type { Doc, TxWrite, Value } from '../store';
import { transactUntilDecided } from './contention';
import type { OperationDeps } from './deps';
import { runOnceInTransaction, type OnceTransact } from './idempotency';

export interface NewProduct {
  id: string;
  name: string;
  price: number;
  stock: number;
  limitPerUser?: number;
}

/** Inserts the product with `sold: 0` only if its id is new. Errors: PRODUCT_EXISTS. */
export async function createProduct(deps: Pick<OperationDeps, 'store'>, input: NewProduct) {
  const { id, name, price, stock, limitPerUser } = input;
  const doc = { id, name, price, stock, sold: 0, ...(limitPerUser !== undefined ? { limitPerUser } : {}) };
  const inserted = await deps.store.insert(PRODUCTS, doc);
  if (!inserted.ok) throw new AppError('PRODUCT_EXISTS', `product ${id} already exists`);
  return publicProduct(asProduct(inserted.doc)!);
}

export interface ProductEdit {
  productId: string;
  /**
   * The version the editor read (from If-Match): undefined when the request named none (428), null when it
   * named one that is no version of this product (412).
   */
  expectVersion: number | undefined | null;
  name?: string;
  price?: number;
}

/**
 * Writes `name` and `price` only if the product is still at `expectVersion`: one compare-and-swap, never a
 * retry (a retry would overwrite the change the editor has not seen, which is the lost update this prevents).
 * Errors: PRECONDITION_REQUIRED, PRECONDITION_FAILED (with the current product), PRODUCT_NOT_FOUND.
 */
export async function editProduct(deps: Pick<OperationDeps, 'store'>, edit: ProductEdit) {
  if (edit.expectVersion === undefined) throw new AppError('PRECONDITION_REQUIRED', 'If-Match is required to edit a product');
  const set: Record<string, Value> = {};
  if (edit.name !== undefined) set.name = edit.name;
  if (edit.price !== undefined) set.price = edit.price;
  if (edit.expectVersion === null) throw stale(await deps.store.get(PRODUCTS, edit.productId), edit.productId);
  const result = await deps.store.update(PRODUCTS, edit.productId, {
    expectVersion: edit.expectVersion,
    // Only a product is edited: a document without a numeric stock is not one.
    guards: [{ field: 'stock', op: 'gte', value: Number.MIN_SAFE_INTEGER }],
    set,
  });
  if (result.ok) return publicProduct(asProduct(result.doc)!);
  if (result.reason === 'version_conflict') throw stale(result.current, edit.productId);
  throw new AppError('PRODUCT_NOT_FOUND', `product ${edit.productId} not found`);
}

function stale(current: Doc | null, productId: string): AppError {
  const product = asProduct(current);
  if (!product) return new AppError('PRODUCT_NOT_FOUND', `product ${productId} not found`);
  return new AppError('PRECONDITION_FAILED', 'the product changed since it was read', { details: { current: publicProduct(product) } });
}

export interface RestockInput {
  uid: string;
  productId: string;
  quantity: number;
  deadline: number;
  idempotencyKey?: string;
}

export interface RestockOutcome {
  productId: string;
  added: number;
}

/**
 * Adds `quantity` to the stock in one guarded increment (the product must exist; an update never creates one).
 * It bumps the version like every writer of a product, since editors and the `version` purchase strategy
 * compare-and-swap on it. With an idempotency key, the increment and the key's claim commit in one
 * transaction, so a retried restock adds once. Errors: PRODUCT_NOT_FOUND, TRANSACTION_CONFLICT,
 * IDEMPOTENCY_KEY_REUSED, IDEMPOTENCY_IN_PROGRESS.
 */
export async function restock(deps: OperationDeps, input: RestockInput): Promise<{ data: RestockOutcome; replayed: boolean }> {
  const data: RestockOutcome = { productId: input.productId, added: input.quantity };
  if (!input.idempotencyKey) {
    const result = await deps.store.update(PRODUCTS, input.productId, restockWrite(input).spec);
    if (!result.ok) throw notFound(input.productId);
    return { data, replayed: false };
  }
  return runOnceInTransaction(
    deps,
    { uid: input.uid, op: 'restock', key: input.idempotencyKey, command: { productId: input.productId, quantity: input.quantity } },
    input.deadline,
    (transact) => restockOnce(deps, input, data, transact),
  );
}

async function restockOnce(deps: OperationDeps, input: RestockInput, data: RestockOutcome, transact: OnceTransact) {
  const { result } = await transactUntilDecided(() => transact(data, [restockWrite(input)], { deadline: input.deadline }), {
    maxAttempts: deps.policies.transactionAttempts,
    deadline: input.deadline,
    deps,
  });
  if (!result.ok) throw notFound(input.productId);
  return data;
}

const notFound = (productId: string) => new AppError('PRODUCT_NOT_FOUND', `product ${productId} not found`);

/** The increment, named `restock`: only on a document with a numeric stock (a product). */
function restockWrite(input: Pick<RestockInput, 'productId' | 'quantity'>): TxWrite & { kind: 'update' } {
  return {
    kind: 'update',
    label: 'restock',
    collection: PRODUCTS,
    id: input.productId,
    spec: { guards: [{ field: 'stock', op: 'gte', value: Number.MIN_SAFE_INTEGER }], inc: { stock: input.quantity } },
  };
}
