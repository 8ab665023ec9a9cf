/**
 * Per-user purchase limits. A product with `limitPerUser` caps the units one buyer holds across their live
 * orders (pending_payment, paid, shipped). The count lives in one allowance document per (buyer, product),
 * `{ uid, productId, held }`, and moves in the same transaction as the units:
 * - a purchase adds `quantity` to `held`, guarded by `held <= limitPerUser - quantity`, with the stock decrement
 *   and the order insert (so a limited product always goes through a transaction, whatever strategy was asked:
 *   `atomic` and `version` hand it over, see purchase.ts);
 * - cancel, expire and refund take `quantity` off `held` with the status change and the stock return
 *   (orderTransitions.ts), so a freed unit can be bought again exactly once.
 * The product write of a limited purchase is also guarded by the limit it was decided under, and an unlimited
 * one by the absence of a limit, so a limit set between the read and the commit cannot be bypassed.
 *
 * Errors: PURCHASE_LIMIT_EXCEEDED (422, details `{ limit, held, requested, remaining }`).
 */
import { ALLOWANCES, PRODUCTS } from '../collections';
import { AppError } from '../errors';
import { sha256Hex } from '../hash';
import type { Order, Product } from '../model';
import type { Doc, Guard, TxWrite } from '../store';
import type { OperationDeps } from './deps';

/** The label of the allowance write in a purchase or a transition: a failure on it names the limit. */
export const ALLOWANCE = 'allowance';

/** Guards an unlimited purchase (atomic strategy): refused when the product has a limit, which needs a transaction. */
export const NO_LIMIT_GUARD: Guard = { field: 'limitPerUser', op: 'notExists' };

/** The allowance document of one buyer and one product; hashed so any uid fits the key rules. */
export function allowanceId(uid: string, productId: string): string {
  return `al${sha256Hex(`${uid}\n${productId}`).slice(0, 40)}`;
}

export function limitOf(product: Pick<Product, 'limitPerUser'>): number | undefined {
  return typeof product.limitPerUser === 'number' ? product.limitPerUser : undefined;
}

/**
 * Creates the buyer's allowance document (`held: 0`) if it is not there yet: an update never creates a
 * document, and the purchase transaction updates it. Insert-if-absent, so concurrent first purchases agree.
 */
export async function ensureAllowance(deps: Pick<OperationDeps, 'store'>, uid: string, productId: string): Promise<void> {
  await deps.store.insert(ALLOWANCES, { id: allowanceId(uid, productId), uid, productId, held: 0 });
}

/**
 * The purchase writes with the limit applied: the product write is guarded by the limit the snapshot showed (or
 * by its absence), and, for a limited product, the buyer's allowance takes `quantity` under its limit.
 */
export function withLimit(writes: TxWrite[], snapshot: Product, uid: string, quantity: number): TxWrite[] {
  const limit = limitOf(snapshot);
  const guarded = writes.map((write) => {
    if (write.kind !== 'update' || write.collection !== PRODUCTS) return write;
    const guard: Guard = limit === undefined ? NO_LIMIT_GUARD : { field: 'limitPerUser', op: 'eq', value: limit };
    return { ...write, spec: { ...write.spec, guards: [...(write.spec.guards ?? []), guard] } };
  });
  if (limit === undefined) return guarded;
  return [
    ...guarded,
    {
      kind: 'update',
      label: ALLOWANCE,
      collection: ALLOWANCES,
      id: allowanceId(uid, snapshot.id),
      spec: { guards: [{ field: 'held', op: 'lte', value: limit - quantity }], inc: { held: quantity } },
    },
  ];
}

/** The write that frees an order's units from its buyer's allowance, or none for an unlimited product. */
export function releaseAllowanceWrites(order: Pick<Order, 'allowanceId' | 'quantity'>): TxWrite[] {
  if (!order.allowanceId) return [];
  return [
    {
      kind: 'update',
      label: ALLOWANCE,
      collection: ALLOWANCES,
      id: order.allowanceId,
      spec: { guards: [{ field: 'held', op: 'gte', value: order.quantity }], inc: { held: -order.quantity } },
    },
  ];
}

/** PURCHASE_LIMIT_EXCEEDED for a refused allowance write, with what is left to buy. */
export function limitExceeded(snapshot: Product, quantity: number, allowance: Doc): AppError {
  const limit = limitOf(snapshot) ?? 0;
  const held = typeof allowance.held === 'number' ? allowance.held : 0;
  return new AppError('PURCHASE_LIMIT_EXCEEDED', 'purchase limit per customer reached', {
    details: { limit, held, requested: quantity, remaining: Math.max(0, limit - held) },
  });
}
