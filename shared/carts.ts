/**
 * A shopping cart as operations see it. Items are a keyed array (shared/collections.json): MongoDB stores an
 * array, DynamoDB a map keyed by item id, and the adapters show both as an array. Neither order means
 * anything (DynamoDB's comes back sorted by id, MongoDB's in insertion order), so the domain decides it here.
 */
import type { Doc, Element } from './store';

export const CARTS = 'carts';

/** Items one cart may hold: every add is guarded by `itemCount < MAX_CART_ITEMS`. */
export const MAX_CART_ITEMS = 100;

export interface CartItem extends Element {
  id: string;
  productId: string;
  quantity: number;
  /** ISO 8601, from the operation's clock when the item was added. */
  addedAt: string;
}

export interface Cart extends Doc {
  /** The `sub` of the only caller who may read or change the cart. */
  owner: string;
  items: CartItem[];
  /**
   * How many items the cart holds; changed by the same guarded write that adds or removes an item, so it never
   * drifts from `items.length`.
   */
  itemCount: number;
}

/** What a client may see of a cart: items ordered by `addedAt`, then by id. */
export interface PublicCart {
  id: string;
  owner: string;
  items: Array<Pick<CartItem, 'id' | 'productId' | 'quantity' | 'addedAt'>>;
  itemCount: number;
  version: number;
}

/** Narrows a stored document to a cart, or null if a field the operations rely on is missing. */
export function asCart(doc: Doc | null): Cart | null {
  if (!doc) return null;
  if (typeof doc.owner !== 'string' || !Array.isArray(doc.items) || typeof doc.itemCount !== 'number') return null;
  return doc as Cart;
}

/** Oldest first; equal times by id, in code-unit order (not locale order) so every runtime agrees. */
export function compareItems(a: CartItem, b: CartItem): number {
  if (a.addedAt !== b.addedAt) return a.addedAt < b.addedAt ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function publicCart(cart: Cart): PublicCart {
  return {
    id: cart.id,
    owner: cart.owner,
    items: [...cart.items]
      .sort(compareItems)
      .map(({ id, productId, quantity, addedAt }) => ({ id, productId, quantity, addedAt })),
    itemCount: cart.itemCount,
    version: cart.version,
  };
}
