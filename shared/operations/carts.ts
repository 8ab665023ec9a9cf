/**
 * Cart operations: add an item, remove an item, read the cart. Seed 002's problem is two cloud functions
 * pulling the same array element at once, and its lock-flag answer (read the flag, then set it) races and is
 * never released by a function that crashes. Here there is no flag and no read before a write: each attempt is
 * ONE guarded write, and the guard decides who wins.
 *
 * - remove: `pull` the element, guarded by `owner = caller`; the pull implies "the element is still there",
 *   so of any number of concurrent removals of one item exactly one applies and the others are told
 *   ITEM_NOT_FOUND. `itemCount` goes down in the same write.
 * - add: `push` the element, guarded by `owner = caller` and `itemCount < MAX_CART_ITEMS`; the push implies
 *   "no element with this id yet", so a duplicate is refused rather than stored twice. `itemCount` goes up in
 *   the same write. A missing cart is created for the caller with an insert-if-absent.
 *
 * Another user's cart is answered exactly like a missing one (CART_NOT_FOUND): reading or removing from a
 * cart that is not theirs tells a caller nothing about it, not even whether it exists. Cart ids are chosen by
 * clients and global, so one thing does show: an add to a taken id is refused where an add to a free id
 * creates the cart. Only the fact "taken" leaks, never the owner or the contents.
 */
import { AppError } from '../errors';
import { asCart, CARTS, MAX_CART_ITEMS, publicCart, type Cart, type CartItem, type PublicCart } from '../carts';
import type { Guard, WriteFailure } from '../store';
import type { OperationDeps } from './deps';

export type CartDeps = Pick<OperationDeps, 'store' | 'now'>;

/** The item a caller asks to add; the operation stamps `addedAt`. */
export type NewCartItem = Pick<CartItem, 'id' | 'productId' | 'quantity'>;

export interface RemoveOutcome {
  removed: true;
  /** The cart's version after the removal. */
  version: number;
}

/**
 * Update-then-insert rounds of `addItem`. A lost insert race means the cart now exists, so the second push
 * settles it; a third round only matters if the cart vanished in between, which no operation does today.
 */
const ADD_ROUNDS = 3;

const cartNotFound = (cartId: string) => new AppError('CART_NOT_FOUND', `cart ${cartId} not found`);

/**
 * Adds `item` to the caller's cart `cartId`, creating the cart if it does not exist yet.
 * @returns the cart after the add, items ordered by `addedAt` then id.
 * @throws AppError CART_NOT_FOUND when the cart belongs to another user (existence is not revealed),
 *   ITEM_EXISTS when the cart already holds an item with this id, CART_FULL when the cart already holds
 *   MAX_CART_ITEMS items, VERSION_CONFLICT (retryable) if the
 *   cart kept appearing and disappearing for every round, INTERNAL for a stored cart without items or count.
 */
export async function addItem(deps: CartDeps, uid: string, cartId: string, item: NewCartItem): Promise<PublicCart> {
  const element: CartItem = {
    id: item.id,
    productId: item.productId,
    quantity: item.quantity,
    addedAt: new Date(deps.now()).toISOString(),
  };
  for (let round = 1; round <= ADD_ROUNDS; round++) {
    const pushed = await deps.store.update(CARTS, cartId, {
      guards: [
        { field: 'owner', op: 'eq', value: uid },
        { field: 'itemCount', op: 'lt', value: MAX_CART_ITEMS },
      ],
      push: { field: 'items', element },
      inc: { itemCount: 1 },
    });
    if (pushed.ok) return publicCart(requireCart(pushed.doc, cartId));
    if (pushed.reason !== 'not_found') throw addRefused(pushed, cartId);

    const created = await deps.store.insert(CARTS, { id: cartId, owner: uid, items: [element], itemCount: 1 });
    if (created.ok) return publicCart(requireCart(created.doc, cartId));
    // Someone created the cart between our push and our insert. If it is the caller's, push into it now (the
    // push's own guards then decide duplicates and the limit); if not, it is not the caller's business.
    if (created.current && created.current.owner !== uid) throw cartNotFound(cartId);
  }
  throw new AppError('VERSION_CONFLICT', `cart ${cartId} kept changing while an item was added`, { details: { attempts: ADD_ROUNDS } });
}

/** Why a push was refused, most telling first; the owner guard comes first so nothing leaks to a stranger. */
function addRefused(failure: WriteFailure, cartId: string): AppError {
  if (failure.reason !== 'guard_failed') {
    // No version is expected and not_found is handled by the caller: nothing else can get here.
    return new AppError('INTERNAL', `unexpected ${failure.reason} adding to cart ${cartId}`);
  }
  const failed = (field: string, op: Guard['op']) => failure.failed.some((g) => g.field === field && g.op === op);
  if (failed('owner', 'eq')) return cartNotFound(cartId);
  if (failed('items', 'exists')) return new AppError('INTERNAL', `cart ${cartId} has no items array`);
  if (failed('items', 'lacksElement')) return new AppError('ITEM_EXISTS', `the item is already in cart ${cartId}`);
  if (failed('itemCount', 'lt') && typeof failure.current.itemCount === 'number') return cartFull(cartId);
  return new AppError('INTERNAL', `cart ${cartId} has no item count`);
}

/** A full cart: 422 CART_FULL, with the limit so a client can say why. */
function cartFull(cartId: string): AppError {
  return new AppError('CART_FULL', `cart ${cartId} is full`, { details: { limit: MAX_CART_ITEMS } });
}

/**
 * Removes the item `itemId` from the caller's cart `cartId`, exactly once: one guarded write, no read.
 * @returns `{ removed: true, version }`, the version the cart has after the removal.
 * @throws AppError CART_NOT_FOUND when the cart does not exist, and also when it belongs to another user (the
 *   answer is the same so that a caller cannot probe which cart ids exist); ITEM_NOT_FOUND when the cart does
 *   not hold the item (already removed, by this request's twin or anyone else, or never added).
 */
export async function removeItem(deps: CartDeps, uid: string, cartId: string, itemId: string): Promise<RemoveOutcome> {
  const result = await deps.store.update(CARTS, cartId, {
    guards: [{ field: 'owner', op: 'eq', value: uid }],
    pull: { field: 'items', key: itemId },
    inc: { itemCount: -1 },
  });
  if (result.ok) return { removed: true, version: result.doc.version };
  if (result.reason === 'not_found') throw cartNotFound(cartId);
  if (result.reason === 'guard_failed') {
    if (result.failed.some((g) => g.field === 'owner')) throw cartNotFound(cartId);
    throw new AppError('ITEM_NOT_FOUND', `item ${itemId} is not in cart ${cartId}`);
  }
  throw new AppError('INTERNAL', `unexpected ${result.reason} removing from cart ${cartId}`);
}

/**
 * The caller's cart, items ordered by `addedAt` then id.
 * @throws AppError CART_NOT_FOUND when the cart does not exist or belongs to another user (not revealed).
 */
export async function getCart(deps: Pick<CartDeps, 'store'>, uid: string, cartId: string): Promise<PublicCart> {
  const cart = asCart(await deps.store.get(CARTS, cartId));
  if (!cart || cart.owner !== uid) throw cartNotFound(cartId);
  return publicCart(cart);
}

function requireCart(doc: Parameters<typeof asCart>[0], cartId: string): Cart {
  const cart = asCart(doc);
  if (!cart) throw new AppError('INTERNAL', `cart ${cartId} is not shaped like a cart`);
  return cart;
}
