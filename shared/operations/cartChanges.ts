/**
 * Cart add and remove as the handlers call them: at most once per Idempotency-Key.
 *
 * Without a key nothing changes: carts.ts's one guarded write (seed 002's hot path, no read, no transaction).
 * With a key, the claim commits in the same transaction as the change (idempotency.ts runOnceInTransaction),
 * so a retry after a lost answer replays the first answer instead of hearing ITEM_EXISTS or ITEM_NOT_FOUND.
 *
 * The write is the same guarded push or pull as without a key, with no compare-and-swap on the cart's version:
 * the guards decide refusals (the push implies "no element with this id", the pull "the element is there", so
 * of N concurrent keyed removals of one item exactly one applies), and the owner's other concurrent changes to
 * the cart are contention that the transaction loop runs through (contention.ts), not a refusal. An earlier
 * version compared the cart's version too, and 10 concurrent keyed adds of different items to one cart through
 * `npm start` answered 5 of 20 with VERSION_CONFLICT, though nothing was wrong with them.
 *
 * A transaction does not hand back the document it wrote, and the claim must carry an answer when it commits.
 * So a keyed change reads the cart first, the claim carries the answer that read predicts (the cart plus the
 * element, version + 1), and after the commit the cart is read once more: that is the answer (the cart after
 * the add, the version after the removal). When a concurrent change landed in between, it differs from the
 * prediction and idempotency.ts amends the record with it, best effort. An add's round is run again (up to
 * KEYED_CART_ROUNDS) only when a new cart's insert lost to the owner's concurrent first add; a removal has one.
 *
 * Errors: those of addItem and removeItem, and IDEMPOTENCY_KEY_REUSED, IDEMPOTENCY_IN_PROGRESS,
 * VERSION_CONFLICT (409, retryable) when an add's cart kept appearing and vanishing for every round.
 */
import { CARTS } from '../collections';
import { AppError } from '../errors';
import { cartKey, publicCart, type Cart, type PublicCart } from '../carts';
import { retry, type RetryPolicy } from '../retry';
import type { TxResult, TxWrite } from '../store';
import {
  addItem,
  addRefused,
  cartNotFound,
  CREATE_CART_ATTEMPTS,
  createCart,
  newCart,
  pullSpec,
  pushSpec,
  removeItem,
  removeRefused,
  requireCart,
  requireProduct,
  stamped,
  type NewCartItem,
  type RemoveOutcome,
} from './carts';
import { ATTEMPT_RESERVE_MS, transactUntilDecided } from './contention';
import type { OperationDeps } from './deps';
import { runOnceInTransaction, type OnceResult, type OnceTransact } from './idempotency';

/**
 * Read-then-write rounds of a keyed add: a round is run again when a new cart's insert lost to the owner's
 * concurrent first add, or the cart vanished between the read and the write. Bounded by count and by the
 * deadline, with a short jitter so the owner's concurrent changes spread out.
 */
export const KEYED_CART_ROUNDS: RetryPolicy = { maxAttempts: 5, baseDelayMs: 5, maxDelayMs: 50 };

/** The label of the cart's write in a keyed change's transaction. */
const CART = 'cart';

export interface CartChange {
  /** The verified caller: the cart's owner and the key's scope. */
  uid: string;
  cartId: string;
  deadline: number;
  idempotencyKey?: string;
}

/** Adds `item` (carts.ts addItem); with a key, at most once. */
export async function addCartItem(deps: OperationDeps, input: CartChange & { item: NewCartItem }): Promise<OnceResult<PublicCart>> {
  const { uid, cartId, item } = input;
  if (!input.idempotencyKey) return { data: await addItem(deps, uid, cartId, item), replayed: false };
  return runOnceInTransaction(
    deps,
    {
      uid,
      op: 'cartAdd',
      key: input.idempotencyKey,
      command: { cartId, item: { id: item.id, productId: item.productId, quantity: item.quantity } },
    },
    input.deadline,
    (transact) => addOnce(deps, input, transact),
  );
}

/** Removes `itemId` (carts.ts removeItem); with a key, at most once. */
export async function removeCartItem(deps: OperationDeps, input: CartChange & { itemId: string }): Promise<OnceResult<RemoveOutcome>> {
  const { uid, cartId, itemId } = input;
  if (!input.idempotencyKey) return { data: await removeItem(deps, uid, cartId, itemId), replayed: false };
  return runOnceInTransaction(
    deps,
    { uid, op: 'cartRemove', key: input.idempotencyKey, command: { cartId, itemId } },
    input.deadline,
    (transact) => removeOnce(deps, input, transact),
  );
}

async function addOnce(deps: OperationDeps, input: CartChange & { item: NewCartItem }, transact: OnceTransact): Promise<PublicCart> {
  const { uid, cartId, deadline } = input;
  await requireProduct(deps, input.item.productId);
  const element = stamped(input.item, deps.now());
  const runs = new RunBudget(deps, transact, deadline);
  return inRounds(deps, cartId, deadline, async () => {
    const cart = await ownCart(deps, uid, cartId);
    if (!cart) {
      const fresh = newCart(uid, cartId, element);
      const answer = publicCart(requireCart({ ...fresh, version: 1 }, cartId));
      const created = await createCart(deps, uid, fresh, (writes) => runs.run(answer, writes), {
        deadline,
        maxAttempts: Math.min(CREATE_CART_ATTEMPTS, runs.left(cartId)),
      });
      return created ? answer : undefined;
    }
    const predicted = publicCart({ ...cart, items: [...cart.items, element], itemCount: cart.itemCount + 1, version: cart.version + 1 });
    const spec = pushSpec(uid, element);
    const result = await runs.untilDecided(cartId, predicted, { kind: 'update', label: CART, collection: CARTS, id: cart.id, spec });
    if (result.ok) {
      const after = await ownCart(deps, uid, cartId);
      return after ? publicCart(after) : predicted;
    }
    if (result.reason === 'guard_failed') throw addRefused(result, cartId);
    return undefined;
  });
}

/** A removal needs no rounds: the pull's write decides it, or refuses it with a reason (removeRefused). */
async function removeOnce(deps: OperationDeps, input: CartChange & { itemId: string }, transact: OnceTransact): Promise<RemoveOutcome> {
  const { uid, cartId, itemId, deadline } = input;
  const cart = await ownCart(deps, uid, cartId);
  if (!cart) throw cartNotFound(cartId);
  // An item the read did not find still goes through the transaction: if a duplicate of this request (same
  // key) removed it, the claim fails first and its answer is replayed; otherwise the pull's guard refuses it
  // (ITEM_NOT_FOUND), and nothing is written.
  const predicted: RemoveOutcome = { removed: true, version: cart.version + 1 };
  const write: TxWrite = { kind: 'update', label: CART, collection: CARTS, id: cart.id, spec: pullSpec(uid, itemId) };
  const { result } = await transactUntilDecided(() => transact(predicted, [write], { deadline }), {
    maxAttempts: deps.policies.transactionAttempts,
    deadline,
    deps,
  });
  if (!result.ok) throw removeRefused(result, cartId, itemId);
  const after = await ownCart(deps, uid, cartId);
  return after ? { removed: true, version: after.version } : predicted;
}

/** The caller's cart as stored, or null when they have none of this id. Errors: INTERNAL for a malformed cart. */
async function ownCart(deps: OperationDeps, uid: string, cartId: string): Promise<Cart | null> {
  const doc = await deps.store.get(CARTS, cartKey(uid, cartId));
  if (!doc) return null;
  const cart = requireCart(doc, cartId);
  // The key is scoped to its owner; the owner check is the second line, as on every unkeyed write.
  return cart.owner === uid ? cart : null;
}

/**
 * The transaction runs of one keyed add: deps.policies.transactionAttempts in all, across its rounds (as a
 * purchase's snapshots share theirs), so the rounds add to the worst case instead of multiplying it.
 */
class RunBudget {
  private used = 0;
  constructor(
    private readonly deps: OperationDeps,
    private readonly transact: OnceTransact,
    private readonly deadline: number,
  ) {}

  /** Runs left; none left is VERSION_CONFLICT (409, retryable): the cart kept changing. */
  left(cartId: string): number {
    const left = this.deps.policies.transactionAttempts - this.used;
    if (left < 1) throw keptChanging(cartId, this.used);
    return left;
  }

  /** One run: the claim carrying `answer`, in front of `writes`. */
  run(answer: unknown, writes: TxWrite[]): Promise<TxResult> {
    this.used++;
    return this.transact(answer, writes, { deadline: this.deadline });
  }

  /** The claim and the cart's guarded write in one transaction, run again while it is contended. */
  async untilDecided(cartId: string, answer: unknown, write: TxWrite) {
    const maxAttempts = this.left(cartId);
    const { result } = await transactUntilDecided(() => this.run(answer, [write]), {
      maxAttempts,
      deadline: this.deadline,
      deps: this.deps,
    });
    return result;
  }
}

const keptChanging = (cartId: string, attempts: number) =>
  new AppError('VERSION_CONFLICT', `cart ${cartId} kept changing during a keyed change`, { details: { attempts } });

/** Runs `round` until it answers (undefined: it lost a race to a concurrent change of the cart; read again). */
async function inRounds<T>(deps: OperationDeps, cartId: string, deadline: number, round: () => Promise<T | undefined>): Promise<T> {
  const rounds = await retry<T, 'raced'>(
    async () => {
      const value = await round();
      return value === undefined ? { done: false, failure: 'raced' } : { done: true, value };
    },
    KEYED_CART_ROUNDS,
    { deadline, reserveMs: ATTEMPT_RESERVE_MS, deps },
  );
  if (rounds.ok) return rounds.value;
  throw keptChanging(cartId, rounds.attempts);
}
