/**
 * A shopping cart as operations see it. Items are a keyed array (shared/collections.json): MongoDB stores an
 * array, DynamoDB a map keyed by item id, and the adapters show both as an array. Neither order means
 * anything (DynamoDB's comes back sorted by id, MongoDB's in insertion order), so the domain decides it here.
 */
import { sha256Hex } from './hash';
import type { Doc, Element } from './store';

/** Items one cart may hold: every add is guarded by `itemCount < MAX_CART_ITEMS`. */
export const MAX_CART_ITEMS = 100;

/** Carts one owner may create: every creation is guarded by the owner's cart count (cartCountKey). */
export const MAX_CARTS_PER_OWNER = 20;

/**
 * The stored key of `owner`'s cart `cartId`. Cart ids are chosen by clients, so they are scoped to their owner:
 * two users' `cart-1` are two documents, nobody can take another's id first, and whether an id is taken by
 * someone else cannot show. Clients only ever see `cartId`.
 */
export function cartKey(owner: string, cartId: string): string {
  return `c${sha256Hex(`cart\n${owner}\n${cartId}`).slice(0, 40)}`;
}

/** The stored key of the document counting `owner`'s carts (in the carts collection, never a cart itself). */
export function cartCountKey(owner: string): string {
  return `n${sha256Hex(`cart-count\n${owner}`).slice(0, 40)}`;
}

export interface CartItem extends Element {
  id: string;
  productId: string;
  quantity: number;
  /** ISO 8601, from the operation's clock when the item was added. */
  addedAt: string;
}

export interface Cart extends Doc {
  /** The id the owner gave the cart; the stored `id` is cartKey(owner, cartId). */
  cartId: string;
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
  if (typeof doc.cartId !== 'string' || typeof doc.owner !== 'string' || !Array.isArray(doc.items) || typeof doc.itemCount !== 'number')
    return null;
  return doc as Cart;
}

/** Oldest first; equal times by id, in code-unit order (not locale order) so every runtime agrees. */
export function compareItems(a: CartItem, b: CartItem): number {
  if (a.addedAt !== b.addedAt) return a.addedAt < b.addedAt ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function publicCart(cart: Cart): PublicCart {
  return {
    id: cart.cartId,
    owner: cart.owner,
    items: [...cart.items].sort(compareItems).map(({ id, productId, quantity, addedAt }) => ({ id, productId, quantity, addedAt })),
    itemCount: cart.itemCount,
    version: cart.version,
  };
}
