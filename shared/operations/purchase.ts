/**
 * Purchase: check stock, take it, create the order, with one of three strategies.
 *
 * - `atomic`: one guarded write (`stock >= quantity`, decrement). No read, no retry; then the order insert.
 *   Under `atomic` and `version` the write that takes the stock also numbers the take, and the order number is
 *   derived from it (takes.ts), so a reconciler (reconcile.ts) gives back the units of a function that died
 *   before its order.
 * - `version`: read, check, compare-and-swap on `version`; a lost race retries with jittered backoff,
 *   bounded by attempts and the Lambda's remaining time. Then the order insert.
 * - `transaction`: the guarded decrement and the order insert commit together or not at all.
 *
 * With an idempotency key, a repeat of the same request returns the first result and has no second effect
 * (see idempotency.ts for how each strategy records the key atomically with its write).
 *
 * A product with `limitPerUser` always goes through a transaction (purchaseLimits.ts).
 *
 * Errors: PRODUCT_NOT_FOUND, INSUFFICIENT_STOCK, PURCHASE_LIMIT_EXCEEDED, VERSION_CONFLICT (version budget spent),
 * TRANSACTION_CONFLICT (contention outlasted `transactionAttempts` or the deadline), IDEMPOTENCY_KEY_REUSED,
 * IDEMPOTENCY_IN_PROGRESS, INTERNAL, SERVICE_UNAVAILABLE (also: DynamoDB throttled the transaction until the
 * deadline).
 */
import { ORDERS, PRODUCTS } from '../collections';
import { AppError, toAppError } from '../errors';
import { METRIC, type MetricName } from '../metrics';
import { asProduct, isOrder, publicOrder, type Order, type Product } from '../model';
import { retry } from '../retry';
import type { Strategy } from '../model';
import type { OperationDeps } from './deps';
import { isContended, type TxContended, type TxWrite } from '../store';
import { ATTEMPT_RESERVE_MS, contentionError, contentionPolicy } from './contention';
import { linkLease, runOnceInTransaction, runOnceWithLease, type IdempotentRequest, type Lease, type OnceTransact } from './idempotency';
import { buildOrder, createOrderForTakenStock } from './orders';
import { ALLOWANCE, ensureAllowance, limitExceeded, limitOf, NO_LIMIT_GUARD, withLimit } from './purchaseLimits';
import { orderNoOfTake, takeIncrements, takeSets } from './takes';
import { refreshAfterWait, versionBackoff, type VersionConflictSeen } from './versionBackoff';

export interface PurchaseInput {
  uid: string;
  productId: string;
  quantity: number;
  strategy: Strategy;
  /** Epoch ms after which no new attempt starts. */
  deadline: number;
  idempotencyKey?: string;
}

export interface PurchaseOutcome {
  order: ReturnType<typeof publicOrder>;
  /** Stock left right after this purchase (under `transaction`: read just after commit; null if unknown). */
  stock: number | null;
  attempts: number;
  strategy: Strategy;
}

export interface PurchaseResult {
  data: PurchaseOutcome;
  /** True when an idempotent repeat returned the first request's result. */
  replayed: boolean;
}

const notFound = (id: string) => new AppError('PRODUCT_NOT_FOUND', `product ${id} not found`);
const insufficient = (input: PurchaseInput, available: unknown) =>
  new AppError('INSUFFICIENT_STOCK', 'insufficient stock', {
    details: { requested: input.quantity, available: typeof available === 'number' ? available : 0 },
  });

export async function purchase(deps: OperationDeps, input: PurchaseInput): Promise<PurchaseResult> {
  let result: PurchaseResult;
  try {
    result = await purchaseOnce(deps, input);
  } catch (thrown) {
    deps.metrics.count(failureMetric(toAppError(thrown).code));
    throw thrown;
  }
  // A replay sold nothing now: idempotency.ts counts it as IdempotentReplays, and PurchaseSucceeded counts
  // units of work done once.
  if (!result.replayed) {
    deps.metrics.count(METRIC.purchaseSucceeded);
    deps.metrics.count(METRIC.purchaseAttempts, result.data.attempts);
  }
  return result;
}

/** The outcome a refused purchase is counted under. */
function failureMetric(code: string): MetricName {
  if (code === 'INSUFFICIENT_STOCK') return METRIC.purchaseSoldOut;
  if (code === 'VERSION_CONFLICT' || code === 'TRANSACTION_CONFLICT') return METRIC.purchaseConflict;
  return METRIC.purchaseFailed;
}

async function purchaseOnce(deps: OperationDeps, input: PurchaseInput): Promise<PurchaseResult> {
  if (!input.idempotencyKey) return { data: await runStrategy(deps, input), replayed: false };
  const req: IdempotentRequest = {
    uid: input.uid,
    op: 'purchase',
    key: input.idempotencyKey,
    command: { productId: input.productId, quantity: input.quantity, strategy: input.strategy },
  };
  return input.strategy === 'transaction'
    ? runOnceInTransaction(deps, req, input.deadline, (transact) => transactionPurchase(deps, input, transact))
    : runOnceWithLease(
        deps,
        req,
        input.deadline,
        () => deps.newOrderNo(deps.now()),
        (lease) => leasedPurchase(deps, input, lease),
      );
}

function runStrategy(deps: OperationDeps, input: PurchaseInput, lease?: Lease): Promise<PurchaseOutcome> {
  switch (input.strategy) {
    case 'atomic':
      return atomicPurchase(deps, input, lease);
    case 'version':
      return versionPurchase(deps, input, lease);
    case 'transaction':
      return transactionPurchase(deps, input);
  }
}

/** Under a lease: if a crashed holder already created its order, that order is the answer; else run now. */
async function leasedPurchase(deps: OperationDeps, input: PurchaseInput, lease: Lease): Promise<PurchaseOutcome> {
  if (lease.previousRef) {
    const earlier = await deps.store.get(ORDERS, lease.previousRef);
    // Any real order (not a void tombstone): it may have been paid or cancelled since, it is still the answer.
    if (isOrder(earlier) && earlier.uid === input.uid) {
      const product = asProduct(await deps.store.get(PRODUCTS, input.productId));
      return outcome(earlier as Order, product?.stock ?? null, 1, input.strategy);
    }
  }
  return runStrategy(deps, input, lease);
}

/**
 * The order of a numbered take (takes.ts): its number is derived from the take. Under a lease, the record first
 * points at that number, so a duplicate that takes over after a crash finds the order (previousRef); a crash
 * before that leaves no order, and the reconciler gives the units back.
 */
async function orderForTake(deps: OperationDeps, product: Product, input: PurchaseInput, lease?: Lease): Promise<Order> {
  const orderNo = orderNoOfTake(product);
  if (lease) await linkLease(deps, lease, orderNo);
  return createOrderForTakenStock(deps, product, input.uid, input.quantity, orderNo);
}

function outcome(order: Order, stock: number | null, attempts: number, strategy: Strategy): PurchaseOutcome {
  return { order: publicOrder(order), stock, attempts, strategy };
}

async function atomicPurchase(deps: OperationDeps, input: PurchaseInput, lease?: Lease): Promise<PurchaseOutcome> {
  const result = await deps.store.update(PRODUCTS, input.productId, {
    guards: [
      { field: 'stock', op: 'gte', value: input.quantity },
      // A document without a numeric price is not for sale; refusing it here avoids taking stock we cannot bill.
      { field: 'price', op: 'gte', value: 0 },
      NO_LIMIT_GUARD,
    ],
    inc: { stock: -input.quantity, sold: input.quantity, ...takeIncrements(input.quantity) },
  });
  if (!result.ok) {
    if (result.reason === 'guard_failed' && result.failed.some((g) => g.field === 'stock')) {
      throw insufficient(input, result.current.stock);
    }
    // A limited product counts the buyer's units in the same commit: only a transaction can (purchaseLimits.ts).
    if (result.reason === 'guard_failed' && result.failed.every((g) => g.field === NO_LIMIT_GUARD.field)) {
      return transactionPurchase(deps, input, undefined, lease?.ref);
    }
    throw notFound(input.productId);
  }
  const product = requireProduct(result.doc, input.productId);
  const order = await orderForTake(deps, product, input, lease);
  return outcome(order, product.stock, 1, 'atomic');
}

/**
 * Read once, then compare-and-swap on `version`. A lost CAS hands back the document that beat it, which is the
 * next attempt's snapshot (one round trip on both backends, adapters/mongodb/casUpdate.ts); only after a wait
 * long against the item's write gap, when that snapshot is surely stale, does a read refresh it first. The wait
 * between attempts is a contention window counted in the round trips the CAS took (versionBackoff.ts). Bounds:
 * `version.maxAttempts` CASes (and a read before each but the first), and no attempt starts
 * that could not finish before the deadline (ATTEMPT_RESERVE_MS); the last wait is shortened to fit rather than
 * giving up while time remains. Spent: VERSION_CONFLICT (409, retryable, nothing was taken).
 */
async function versionPurchase(deps: OperationDeps, input: PurchaseInput, lease?: Lease): Promise<PurchaseOutcome> {
  const policy = deps.policies.version;
  const started = deps.now();
  let snapshot = asProduct(await deps.store.get(PRODUCTS, input.productId));
  // When the snapshot arrived, and the item's write gap (ms per write landed) as last measured.
  let snapshotAt = deps.now();
  let gapMs: number | undefined;
  let waited = 0;
  let kept = false;
  let racesLost = 0;
  // A newer snapshot replaces `snapshot`: the writes between the two, over the time between them, are the gap.
  const replaceSnapshot = (next: Product | null, now: number) => {
    if (snapshot && next) gapMs = (now - snapshotAt) / Math.max(0.5, next.version - snapshot.version);
    snapshot = next;
    snapshotAt = now;
  };
  const run = await retry<Product | 'limited', VersionConflictSeen>(
    async () => {
      // After a wait the CAS goes out on the snapshot the last conflict handed back: if the item moved on, its
      // refusal hands back the current document (the price of a read), and if not, it wins.
      kept = waited > 0;
      if (refreshAfterWait(policy, gapMs, waited)) {
        // The item surely moved during the wait: a read is the cheaper way to learn how.
        replaceSnapshot(asProduct(await deps.store.get(PRODUCTS, input.productId)), deps.now());
        kept = false;
      }
      if (!snapshot) throw notFound(input.productId);
      if (snapshot.stock < input.quantity) throw insufficient(input, snapshot.stock);
      // A limited product goes through a transaction (purchaseLimits.ts); the CAS below would miss the limit.
      if (limitOf(snapshot) !== undefined) return { done: true, value: 'limited' };
      // The decision was made on the snapshot; the CAS makes it stand only if nothing changed since.
      const sentAt = deps.now();
      const result = await deps.store.update(PRODUCTS, input.productId, {
        expectVersion: snapshot.version,
        set: { stock: snapshot.stock - input.quantity, sold: snapshot.sold + input.quantity, ...takeSets(snapshot, input.quantity) },
      });
      if (result.ok) return { done: true, value: requireProduct(result.doc, input.productId) };
      // No guards but the version: the only other refusal is a product that is gone.
      if (result.reason !== 'version_conflict') throw notFound(input.productId);
      deps.metrics.count(METRIC.versionConflicts);
      if (!kept) racesLost += 1;
      const now = deps.now();
      // The document that won is the next snapshot; one that sold the last units ends the loop here, unwaited.
      replaceSnapshot(asProduct(result.current), now);
      const seen: VersionConflictSeen = {
        roundTripMs: now - sentAt,
        ageMs: now - started,
        keptThroughWait: kept,
        racesLost,
      };
      if (snapshot && snapshot.stock < input.quantity) throw insufficient(input, snapshot.stock);
      return { done: false, failure: seen };
    },
    policy,
    {
      deadline: input.deadline,
      reserveMs: ATTEMPT_RESERVE_MS,
      deps,
      // Shortened so that one more attempt still fits before the deadline, instead of a 409 while time is left.
      backoff: (_n, seen, random) => {
        waited = Math.max(0, Math.min(versionBackoff(policy, seen, random), input.deadline - ATTEMPT_RESERVE_MS - deps.now() - 1));
        return waited;
      },
    },
  );
  if (!run.ok) {
    throw new AppError('VERSION_CONFLICT', `version conflict after ${run.attempts} attempts`, {
      details: { attempts: run.attempts },
    });
  }
  // The lease's own order number, as a transaction purchase without numbered takes would use it.
  if (run.value === 'limited') return transactionPurchase(deps, input, undefined, lease?.ref);
  const order = await orderForTake(deps, run.value, input, lease);
  return outcome(order, run.value.stock, run.attempts, 'version');
}

/**
 * `transact` is the store's, or, under an idempotency key, the one runOnceInTransaction hands out (it adds the
 * claim and records `data` with the commit).
 *
 * One retry loop, one store call per attempt, bounded by `transactionAttempts` and the deadline: a snapshot
 * (and the order priced from it) is read first and kept while only contention stops the commit (the store
 * answers it as a value); when the price moved, a fresh snapshot decides again, at most `snapshot.maxAttempts`
 * snapshots in all (then VERSION_CONFLICT). Contention that outlasts the budget is TRANSACTION_CONFLICT, or
 * SERVICE_UNAVAILABLE when DynamoDB throttled (contention.ts).
 */
async function transactionPurchase(
  deps: OperationDeps,
  input: PurchaseInput,
  transact: OnceTransact = (_data, writes, options) => deps.store.transact(writes, options),
  orderNo?: string,
): Promise<PurchaseOutcome> {
  let priced: { data: PurchaseOutcome; writes: TxWrite[]; snapshot: Product } | undefined;
  let snapshots = 0;
  const stale = () => new AppError('VERSION_CONFLICT', 'the product changed during every attempt', { details: { attempts: snapshots } });
  const run = await retry<PurchaseOutcome, TxContended | 'stale'>(
    async (attempt) => {
      if (!priced) {
        // The snapshot supplies the price for the order; the transaction re-checks it did not change.
        snapshots += 1;
        const snapshot = asProduct(await deps.store.get(PRODUCTS, input.productId));
        if (!snapshot) throw notFound(input.productId);
        if (snapshot.stock < input.quantity) throw insufficient(input, snapshot.stock);
        const now = deps.now();
        const order = buildOrder(
          snapshot,
          input.uid,
          input.quantity,
          orderNo ?? deps.newOrderNo(now),
          now,
          deps.orderSettings.paymentWindowMs,
        );
        if (limitOf(snapshot) !== undefined) await ensureAllowance(deps, input.uid, snapshot.id);
        const writes = withLimit(purchaseWrites(snapshot, input.quantity, order), snapshot, input.uid, input.quantity);
        priced = { data: outcome(order, null, snapshots, 'transaction'), writes, snapshot };
      }
      const result = await transact(priced.data, priced.writes, { deadline: input.deadline });
      // Nothing was written and the snapshot still stands: run the same writes again after a backoff.
      if (isContended(result)) {
        deps.metrics.count(METRIC.transactionRetries);
        return { done: false, failure: result };
      }
      // Every run counts in the answer, the contended ones too.
      if (result.ok) return { done: true, value: { ...priced.data, attempts: attempt } };
      if (result.label === 'product' && result.reason === 'not_found') throw notFound(input.productId);
      if (result.label === 'product' && result.reason === 'guard_failed' && result.failed.some((g) => g.field === 'stock')) {
        throw insufficient(input, result.current.stock);
      }
      if (result.label === ALLOWANCE && result.reason === 'guard_failed') {
        throw limitExceeded(priced.snapshot, input.quantity, result.current);
      }
      // The price moved (or, vanishingly rarely, the order number was taken): decide again on a fresh read.
      if (snapshots >= deps.policies.snapshot.maxAttempts) throw stale();
      priced = undefined;
      return { done: false, failure: 'stale' };
    },
    contentionPolicy(deps.policies.transactionAttempts),
    { deadline: input.deadline, reserveMs: ATTEMPT_RESERVE_MS, deps },
  );
  if (!run.ok) throw run.failure === 'stale' ? stale() : contentionError(run.failure, run.attempts, run.exhausted);
  // The data committed with a claim says `attempts` = the snapshot's number and `stock: null`; the answer knows
  // more, and runOnceInTransaction amends the record when it differs.
  return { ...run.value, stock: await stockAfterCommit(deps, input.productId) };
}

/**
 * The writes of a transactional purchase, named `product` and `order`: take `quantity` units from the product
 * the snapshot showed, only while its stock suffices and its price is still the one the order was priced at,
 * and insert the order in the same commit.
 */
export function purchaseWrites(snapshot: Product, quantity: number, order: Order): TxWrite[] {
  const { version: _version, ...orderFields } = order;
  return [
    {
      kind: 'update',
      label: 'product',
      collection: PRODUCTS,
      id: snapshot.id,
      spec: {
        guards: [
          { field: 'stock', op: 'gte', value: quantity },
          { field: 'price', op: 'eq', value: snapshot.price },
        ],
        inc: { stock: -quantity, sold: quantity },
      },
    },
    { kind: 'insert', label: 'order', collection: ORDERS, doc: orderFields },
  ];
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
