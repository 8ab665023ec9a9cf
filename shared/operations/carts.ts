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
 * Cart ids are chosen by clients but stored under a key scoped to the owner (cartKey): a caller only ever
 * reaches their own carts, so another user's cart ids can be neither taken first nor probed. The owner guard
 * stays on every write as a second line. A new cart also counts against its owner's MAX_CARTS_PER_OWNER (a
 * counter document raised in the same transaction that inserts the cart), and an item must name an existing
 * product.
 *
 * These are the changes without an idempotency key. With one, cartChanges.ts runs the same guarded writes with
 * the key's claim, in one transaction, after a read of the cart.
 */
import { CARTS, PRODUCTS } from '../collections';
import { AppError, isAppError } from '../errors';
import {
  asCart,
  cartCountKey,
  cartKey,
  MAX_CART_ITEMS,
  MAX_CARTS_PER_OWNER,
  publicCart,
  type Cart,
  type CartItem,
  type PublicCart,
} from '../carts';
import type { Guard, TxResult, TxWrite, UpdateSpec, WriteFailure } from '../store';
import { retry, type RetryPolicy } from '../retry';
import { transactUntilDecided } from './contention';
import type { OperationDeps } from './deps';

export type CartDeps = Pick<OperationDeps, 'store' | 'now' | 'random' | 'sleep'>;

/** The item a caller asks to add; the operation stamps `addedAt`. */
export type NewCartItem = Pick<CartItem, 'id' | 'productId' | 'quantity'>;

export interface RemoveOutcome {
  removed: true;
  /** The cart's version after the removal. */
  version: number;
}

/**
 * Update-then-insert rounds of `addItem`. A lost insert race means the cart now exists, so the second push
 * settles it; a third round only matters if the cart vanished in between, which no operation does today. No
 * wait between rounds: the round after a lost race succeeds at once.
 */
export const ADD_ROUNDS_POLICY: RetryPolicy = { maxAttempts: 3, baseDelayMs: 0, maxDelayMs: 0 };

/**
 * Runs of the new-cart transaction while it loses to contention on the owner's cart count (only that owner's
 * concurrent first adds contend there). Five, as the stores allowed before contention came back as a value.
 */
export const CREATE_CART_ATTEMPTS = 5;

export const cartNotFound = (cartId: string) => new AppError('CART_NOT_FOUND', `cart ${cartId} not found`);

/**
 * Adds `item` to the caller's cart `cartId`, creating the cart if it does not exist yet.
 * @returns the cart after the add, items ordered by `addedAt` then id.
 * @throws AppError PRODUCT_NOT_FOUND when no product has the item's productId, ITEM_EXISTS when the cart
 *   already holds an item with this id, CART_FULL when the cart already holds MAX_CART_ITEMS items,
 *   CART_LIMIT_REACHED when a new cart would exceed MAX_CARTS_PER_OWNER, VERSION_CONFLICT (retryable) if the
 *   cart kept appearing and disappearing for every round, INTERNAL for a stored cart without items or count.
 */
export async function addItem(deps: CartDeps, uid: string, cartId: string, item: NewCartItem): Promise<PublicCart> {
  await requireProduct(deps, item.productId);
  const key = cartKey(uid, cartId);
  const element = stamped(item, deps.now());
  const rounds = await retry<PublicCart, 'raced'>(async () => {
    const pushed = await deps.store.update(CARTS, key, pushSpec(uid, element));
    if (pushed.ok) return { done: true, value: publicCart(requireCart(pushed.doc, cartId)) };
    if (pushed.reason !== 'not_found') throw addRefused(pushed, cartId);

    const cart = newCart(uid, cartId, element);
    const created = await createCart(deps, uid, cart, (writes) => deps.store.transact(writes));
    if (created) return { done: true, value: publicCart(requireCart({ ...cart, version: 1 }, cartId)) };
    // The caller created this cart concurrently (another request of theirs): push into it in the next round,
    // whose guards then decide duplicates and the limit.
    return { done: false, failure: 'raced' };
  }, ADD_ROUNDS_POLICY);
  if (rounds.ok) return rounds.value;
  throw new AppError('VERSION_CONFLICT', `cart ${cartId} kept changing while an item was added`, {
    details: { attempts: rounds.attempts },
  });
}

/** Products are never deleted, so a product read now still exists when the item is written. Errors: PRODUCT_NOT_FOUND. */
export async function requireProduct(deps: Pick<CartDeps, 'store'>, productId: string): Promise<void> {
  if (!(await deps.store.get(PRODUCTS, productId))) throw new AppError('PRODUCT_NOT_FOUND', `product ${productId} not found`);
}

/** The element stored for `item`, stamped with the operation's clock. */
export function stamped(item: NewCartItem, now: number): CartItem {
  return { id: item.id, productId: item.productId, quantity: item.quantity, addedAt: new Date(now).toISOString() };
}

/** A cart as first stored: `uid`'s cart `cartId` holding `element`. */
export type NewCart = { id: string; cartId: string; owner: string; items: CartItem[]; itemCount: number };

export function newCart(uid: string, cartId: string, element: CartItem): NewCart {
  return { id: cartKey(uid, cartId), cartId, owner: uid, items: [element], itemCount: 1 };
}

/**
 * The add's one write: push `element`, guarded by `owner = uid` and `itemCount < MAX_CART_ITEMS`; the push
 * implies "no element with this id yet", so a duplicate is refused rather than stored twice.
 */
export function pushSpec(uid: string, element: CartItem): UpdateSpec {
  return {
    guards: [
      { field: 'owner', op: 'eq', value: uid },
      { field: 'itemCount', op: 'lt', value: MAX_CART_ITEMS },
    ],
    push: { field: 'items', element },
    inc: { itemCount: 1 },
  };
}

/** The removal's one write: pull the element (which implies it is there), guarded by `owner = uid`. */
export function pullSpec(uid: string, itemId: string): UpdateSpec {
  return { guards: [{ field: 'owner', op: 'eq', value: uid }], pull: { field: 'items', key: itemId }, inc: { itemCount: -1 } };
}

/**
 * Inserts a new cart and counts it against its owner's limit, in one transaction run through `transact` (the
 * store's, or one that puts an idempotency claim in front): the count's guard (`carts < MAX_CARTS_PER_OWNER`)
 * and the cart's insert-if-absent commit together or not at all.
 * @returns false when the cart already exists (a concurrent add of the same owner created it). That includes a
 *   transaction that kept losing to contention: the owner's concurrent first adds all raise the same count, so
 *   on MongoDB they abort each other until one has created the cart (10 at once through `npm start` ran out of
 *   runs for 7 of 20 requests). Then one read tells whether the cart is there now, to push into it.
 * @throws AppError CART_LIMIT_REACHED; TRANSACTION_CONFLICT or SERVICE_UNAVAILABLE when contention outlasts
 *   `maxAttempts` (CREATE_CART_ATTEMPTS unless given) or `deadline` (contention.ts) and the cart is still absent.
 */
export async function createCart(
  deps: CartDeps,
  uid: string,
  cart: NewCart,
  transact: (writes: TxWrite[]) => Promise<TxResult>,
  options: { deadline?: number; maxAttempts?: number } = {},
): Promise<boolean> {
  const countKey = cartCountKey(uid);
  // The counter is created once per owner; losing that race to a concurrent first add is fine.
  if (!(await deps.store.get(CARTS, countKey))) await deps.store.insert(CARTS, { id: countKey, owner: uid, carts: 0 });
  const writes: TxWrite[] = [
    {
      kind: 'update',
      label: 'count',
      collection: CARTS,
      id: countKey,
      spec: { guards: [{ field: 'carts', op: 'lt', value: MAX_CARTS_PER_OWNER }], inc: { carts: 1 } },
    },
    { kind: 'insert', label: 'cart', collection: CARTS, doc: cart },
  ];
  const { deadline, maxAttempts = CREATE_CART_ATTEMPTS } = options;
  let result: TxResult;
  try {
    ({ result } = await transactUntilDecided(() => transact(writes), { maxAttempts, deadline, deps }));
  } catch (err) {
    if (isAppError(err) && err.code === 'TRANSACTION_CONFLICT' && (await deps.store.get(CARTS, cart.id))) return false;
    throw err;
  }
  if (result.ok) return true;
  if (result.label === 'cart' && result.reason === 'already_exists') return false;
  if (result.label === 'count' && result.reason === 'guard_failed') {
    throw new AppError('CART_LIMIT_REACHED', `${uid} already has ${MAX_CARTS_PER_OWNER} carts`, {
      details: { limit: MAX_CARTS_PER_OWNER },
    });
  }
  throw new AppError('INTERNAL', `unexpected ${result.reason} of ${result.label ?? 'a write'} creating cart ${cart.cartId}`);
}

/** Why a push was refused, most telling first; the owner guard comes first so nothing leaks to a stranger. */
export function addRefused(failure: WriteFailure, cartId: string): AppError {
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
 * @throws AppError CART_NOT_FOUND when the caller has no cart with this id (other users' carts are other
 *   documents); ITEM_NOT_FOUND when the cart does
 *   not hold the item (already removed, by this request's twin or anyone else, or never added).
 */
export async function removeItem(deps: CartDeps, uid: string, cartId: string, itemId: string): Promise<RemoveOutcome> {
  const result = await deps.store.update(CARTS, cartKey(uid, cartId), pullSpec(uid, itemId));
  if (result.ok) return { removed: true, version: result.doc.version };
  throw removeRefused(result, cartId, itemId);
}

/** Why a pull was refused: CART_NOT_FOUND (no such cart of the caller's), ITEM_NOT_FOUND, or INTERNAL. */
export function removeRefused(failure: WriteFailure, cartId: string, itemId: string): AppError {
  if (failure.reason === 'not_found') return cartNotFound(cartId);
  if (failure.reason === 'guard_failed') {
    if (failure.failed.some((g) => g.field === 'owner')) return cartNotFound(cartId);
    return itemNotFound(cartId, itemId);
  }
  return new AppError('INTERNAL', `unexpected ${failure.reason} removing from cart ${cartId}`);
}

export const itemNotFound = (cartId: string, itemId: string) => new AppError('ITEM_NOT_FOUND', `item ${itemId} is not in cart ${cartId}`);

/**
 * The caller's cart, items ordered by `addedAt` then id.
 * @throws AppError CART_NOT_FOUND when the caller has no cart with this id.
 */
export async function getCart(deps: Pick<CartDeps, 'store'>, uid: string, cartId: string): Promise<PublicCart> {
  const cart = asCart(await deps.store.get(CARTS, cartKey(uid, cartId)));
  if (!cart || cart.owner !== uid) throw cartNotFound(cartId);
  return publicCart(cart);
}

export function requireCart(doc: Parameters<typeof asCart>[0], cartId: string): Cart {
  const cart = asCart(doc);
  if (!cart) throw new AppError('INTERNAL', `cart ${cartId} is not shaped like a cart`);
  return cart;
}
