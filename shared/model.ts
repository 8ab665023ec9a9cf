/** The documents lockless stores, as operations see them. Money and prices are integers in minor units. */
import type { Doc } from './store';

/**
 * How a purchase takes stock: one guarded decrement (`atomic`, the default), read then compare-and-swap on the
 * version (`version`), or the decrement and the order in one transaction (`transaction`).
 */
export const STRATEGIES = ['atomic', 'version', 'transaction'] as const;
export type Strategy = (typeof STRATEGIES)[number];
/**
 * `atomic` is the default (issue 9): one write on the hot item, the order inserted before the answer, and the
 * reconciler (reconcile.ts) giving back the units of a function that died in between, so every acknowledged
 * purchase has its order and no unit is lost or sold twice. At a hot item it keeps its throughput where
 * `transaction` does not (MongoDB aborts every transaction that loses a write conflict). `transaction` stays
 * for clients who want stock and order in one commit.
 */
export const DEFAULT_STRATEGY: Strategy = 'atomic';

export interface Product extends Doc {
  name: string;
  /** Units left to sell. Never negative: every decrement is guarded by `stock >= quantity`. */
  stock: number;
  /** Units sold so far; `stock + sold` is constant across purchases (the invariant tests check). */
  sold: number;
  /** Unit price in minor units (fen / cents). */
  price: number;
  /** At most this many units per buyer across their live orders (purchaseLimits.ts); absent: no limit. */
  limitPerUser?: number;
}

/**
 * Where an order is in its life (orderTransitions.ts holds the allowed moves). `created` is the status of orders
 * written before payment existed: never paid, so never `paid`; see docs/orders.md for what happens to them.
 * `void` marks an order number settled after a failed insert (orders.ts): no order, never shown.
 */
export const ORDER_STATUSES = ['pending_payment', 'paid', 'cancelled', 'expired', 'shipped', 'refunded', 'created'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
/** The statuses whose units are the buyer's (they count against `limitPerUser` and are not in stock). */
export const LIVE_STATUSES: readonly OrderStatus[] = ['pending_payment', 'paid', 'shipped', 'created'];

export interface Order extends Doc {
  orderNo: string;
  uid: string;
  productId: string;
  quantity: number;
  /** Unit price at purchase time, minor units. */
  price: number;
  /** price x quantity, minor units. */
  amount: number;
  status: OrderStatus;
  createdAt: string;
  /** Epoch ms after which an unpaid order expires (absent on `created` orders from before payment existed). */
  expiresAt?: number;
  /** The per-user allowance document this order holds units of, when the product is limited. */
  allowanceId?: string;
  /** The buyer's account that paid, and the ledger entry of the payment (set by pay). */
  paidFrom?: string;
  paymentId?: string;
}

/** Narrows a stored document to a product, or null if a field the operations rely on is missing. */
export function asProduct(doc: Doc | null): Product | null {
  if (!doc) return null;
  const { stock, price } = doc;
  if (typeof stock !== 'number' || typeof price !== 'number') return null;
  return { ...doc, sold: typeof doc.sold === 'number' ? doc.sold : 0 } as Product;
}

/** What a client may see of a product. */
export function publicProduct(product: Product) {
  return {
    id: product.id,
    name: product.name,
    price: product.price,
    stock: product.stock,
    version: product.version,
    ...(typeof product.limitPerUser === 'number' ? { limitPerUser: product.limitPerUser } : {}),
  };
}

/** Whether a stored order document is a real order (any status of ORDER_STATUSES), not a `void` tombstone. */
export function isOrder(doc: Doc | null): doc is Order {
  return !!doc && (ORDER_STATUSES as readonly unknown[]).includes(doc.status) && typeof doc.quantity === 'number';
}

/** What a client may see of an order. */
export function publicOrder(order: Order) {
  return {
    orderNo: order.orderNo,
    uid: order.uid,
    productId: order.productId,
    quantity: order.quantity,
    price: order.price,
    amount: order.amount,
    status: order.status,
    createdAt: order.createdAt,
    ...(typeof order.expiresAt === 'number' ? { expiresAt: new Date(order.expiresAt).toISOString() } : {}),
    version: order.version,
  };
}

/** A wallet account. `owner` is the `sub` of the only caller who may read it or move money out of it. */
export interface Account extends Doc {
  owner: string;
  /** Minor units; never negative: every debit is guarded by `balance >= amount`. */
  balance: number;
}

/** One committed transfer; its id is the transferId. Written in the same transaction as the two balances. */
export function asAccount(doc: Doc | null): Account | null {
  if (!doc || typeof doc.owner !== 'string' || typeof doc.balance !== 'number') return null;
  return doc as Account;
}

/** What the owner may see of an account. */
export function publicAccount(account: Account) {
  return { id: account.id, owner: account.owner, balance: account.balance, version: account.version };
}
