/**
 * At most one side effect per idempotency key. Keys are scoped per caller and operation: the record's id is a
 * hash of (operation, uid, key), so two users' "abc" never meet. The record also holds a fingerprint of the
 * validated command: the same key with a different request is IDEMPOTENCY_KEY_REUSED (422).
 *
 * The record is written atomically with the business write, in one of two ways:
 * - inside the business transaction (`runOnceInTransaction`): this module puts the claim in front of the
 *   operation's writes, carrying the answer, so either both commit or neither does; a claim that fails (by its
 *   label) lost to a duplicate, and the duplicate's answer is replayed;
 * - as the guarded insert that decides it (`runOnceWithLease`, for the non-transactional purchase
 *   strategies): an insert-if-absent of a `pending` record with a lease; whoever inserts it runs, everyone else
 *   waits for the answer. A crashed holder's lease expires after its own Lambda deadline, and the next caller
 *   takes over with a compare-and-swap, first checking whether the earlier run finished after all
 *   (`previousRef`); so does the next caller after a holder that failed.
 *
 * Only successes are remembered: a request that failed left no side effect, so retrying it with the same key
 * runs it again. A leased run that fails with a client error (below 500: nothing was written) deletes its
 * record; one that fails otherwise may have sold (an order insert whose answer was lost), so its record stays
 * `aborted` with its ref for the next holder to check.
 *
 * A record holds the answer's `data` only: the envelope's status and message belong to the edge, which composes
 * them for a replay as for a first answer. Records written before that held `response: { status, msg, data }`;
 * they are still replayed (from `response.data`) until their TTL removes them. Records expire after 24 hours (DynamoDB TTL / a Mongo TTL index on `expiresAt`); an expired
 * record that the backend has not deleted yet is treated as absent.
 *
 * Errors: IDEMPOTENCY_KEY_REUSED (422), IDEMPOTENCY_IN_PROGRESS (409, retryable).
 */
import { IDEMPOTENCY } from '../collections';
import { AppError, isAppError } from '../errors';
import { canonicalJson, sha256Hex } from '../hash';
import { retry, type RetryPolicy } from '../retry';
import { isContended, type Doc, type TxOptions, type TxResult, type TxWrite, type Value } from '../store';
import { METRIC } from '../metrics';
import type { OperationDeps } from './deps';

/** Re-exported for tests and scripts that read the records. */
export { IDEMPOTENCY };
export const IDEMPOTENCY_TTL_S = 24 * 60 * 60;
/** A lease outlives its holder's Lambda deadline by this much before anyone may take over. */
const LEASE_MARGIN_MS = 2_000;
/**
 * Claims or leases lost to a concurrent duplicate, each followed by a fresh read; rare, so no wait in between.
 * Bounded by count: a run takes at most 8 rounds.
 */
export const ROUNDS_POLICY: RetryPolicy = { maxAttempts: 8, baseDelayMs: 0, maxDelayMs: 0 };
/**
 * Reading the record again while a duplicate holds its lease: every 20-80 ms, bounded only by the caller's
 * deadline (IDEMPOTENCY_IN_PROGRESS after it), so at most one read per 20 ms of the time left.
 */
export const POLL_POLICY: RetryPolicy = { maxAttempts: Number.POSITIVE_INFINITY, baseDelayMs: 80, maxDelayMs: 80, minDelayMs: 20 };

export interface IdempotentRequest {
  uid: string;
  op: 'purchase' | 'transfer' | 'restock' | 'pay' | 'roundEntry' | 'cartAdd' | 'cartRemove';
  key: string;
  /** The validated command (without the key); its canonical hash is the fingerprint. */
  command: unknown;
}

export interface OnceResult<T> {
  data: T;
  /** True when this answer repeats an earlier request's result. */
  replayed: boolean;
}

type RecordState = 'pending' | 'done' | 'aborted';

/**
 * An answer repeated from the record: counted as IdempotentReplays here, where every keyed operation decides
 * it (purchases, transfers, restocks, payments, round entries, cart changes), so no operation can forget to.
 */
function replay<T>(deps: Pick<OperationDeps, 'metrics'>, data: unknown): OnceResult<T> {
  deps.metrics.count(METRIC.idempotentReplays);
  return { data: data as T, replayed: true };
}

export function recordId(req: Pick<IdempotentRequest, 'uid' | 'op' | 'key'>): string {
  return sha256Hex(`${req.op}\n${req.uid}\n${req.key}`);
}

export function fingerprint(req: IdempotentRequest): string {
  return sha256Hex(canonicalJson({ op: req.op, command: req.command }));
}

type Seen = { kind: 'absent' } | { kind: 'retake'; doc: Doc } | { kind: 'replay'; data: unknown } | { kind: 'pending' };

/** What a stored record means for this request. Throws IDEMPOTENCY_KEY_REUSED. */
function judge(doc: Doc | null, req: IdempotentRequest, now: number): Seen {
  if (!doc) return { kind: 'absent' };
  // Expired but not yet deleted by the backend's TTL sweep: dead, whatever it held.
  if (typeof doc.expiresAt === 'number' && doc.expiresAt * 1000 <= now) return { kind: 'retake', doc };
  if (doc.fingerprint !== fingerprint(req)) {
    throw new AppError('IDEMPOTENCY_KEY_REUSED', 'idempotency key already used for a different request');
  }
  const state = doc.state as RecordState;
  if (state === 'done') return { kind: 'replay', data: storedData(doc) };
  const leaseUntil = typeof doc.leaseUntil === 'number' ? doc.leaseUntil : 0;
  if (state === 'pending' && leaseUntil > now) return { kind: 'pending' };
  return { kind: 'retake', doc };
}

/** The answer a `done` record holds: `data`, or, in a record of the older shape, `response.data`. */
function storedData(doc: Doc): unknown {
  if (Object.hasOwn(doc, 'data')) return doc.data;
  const legacy = doc.response;
  return typeof legacy === 'object' && legacy !== null ? (legacy as { data?: unknown }).data : undefined;
}

function freshFields(req: IdempotentRequest, now: number) {
  return {
    uid: req.uid,
    op: req.op,
    fingerprint: fingerprint(req),
    createdAt: new Date(now).toISOString(),
    expiresAt: Math.floor(now / 1000) + IDEMPOTENCY_TTL_S,
  };
}

/**
 * Reads the key's record until no running duplicate holds it: then it is a replay, or absent, or a record this
 * caller may take. Waiting is bounded by the caller's deadline (IDEMPOTENCY_IN_PROGRESS after it).
 */
async function turnOf(
  deps: OperationDeps,
  id: string,
  req: IdempotentRequest,
  deadline: number,
): Promise<Exclude<Seen, { kind: 'pending' }>> {
  const run = await retry<Exclude<Seen, { kind: 'pending' }>, 'pending'>(
    async () => {
      const seen = judge(await deps.store.get(IDEMPOTENCY, id), req, deps.now());
      return seen.kind === 'pending' ? { done: false, failure: 'pending' } : { done: true, value: seen };
    },
    POLL_POLICY,
    { deadline, deps },
  );
  if (!run.ok) throw inProgress();
  return run.value;
}

function inProgress(): AppError {
  return new AppError('IDEMPOTENCY_IN_PROGRESS', 'the same request is still being processed');
}

/** The label of the claim write: a transaction failing on it lost to a duplicate that committed first. */
export const CLAIM = 'idempotency-claim';
/** Carried from `transact` to `runOnceInTransaction` by its code, never by its class. */
const CLAIM_LOST = 'CLAIM_LOST';

/**
 * The store's `transact` for an operation running under a key: it puts the claim in front of `writes`, carrying
 * `data` (the answer the operation gives if this transaction commits). A claim that fails does not come back:
 * runOnceInTransaction takes over and answers with the duplicate's result.
 */
export type OnceTransact = (data: unknown, writes: TxWrite[], options?: TxOptions) => Promise<TxResult>;

/**
 * Runs `execute` at most once per key. `execute` commits through the `transact` it is given, and returns its
 * answer; when that answer differs from the data its committed transaction carried (facts known only after the
 * commit), the record is amended afterwards, best effort.
 */
export async function runOnceInTransaction<T>(
  deps: OperationDeps,
  req: IdempotentRequest,
  deadline: number,
  execute: (transact: OnceTransact) => Promise<T>,
): Promise<OnceResult<T>> {
  const id = recordId(req);
  // Each round after the first follows a claim that lost a race to a concurrent duplicate, which is rare.
  const rounds = await retry<OnceResult<T>, 'lost'>(
    async () => {
      const seen = await turnOf(deps, id, req, deadline);
      if (seen.kind === 'replay') return { done: true, value: replay<T>(deps, seen.data) };
      const now = deps.now();
      const fields = { ...freshFields(req, now), state: 'done' };
      // A retaken record may keep an old lease and ref: harmless, a `done` record is only ever replayed.
      const claim = (data: unknown): TxWrite =>
        seen.kind === 'absent'
          ? { kind: 'insert', label: CLAIM, collection: IDEMPOTENCY, doc: { id, ...fields, data } }
          : {
              kind: 'update',
              label: CLAIM,
              collection: IDEMPOTENCY,
              id,
              spec: { expectVersion: seen.doc.version, set: { ...fields, data: data as Value } },
            };
      let committed: { data: unknown } | undefined;
      const transact: OnceTransact = async (data, writes, options) => {
        const result = await deps.store.transact([claim(data), ...writes], options);
        if (result.ok) committed = { data };
        else if (!isContended(result) && result.label === CLAIM)
          throw Object.assign(new Error('another request with this idempotency key committed first'), { code: CLAIM_LOST });
        return result;
      };
      let data: T;
      try {
        data = await execute(transact);
      } catch (err) {
        if ((err as { code?: unknown } | null)?.code === CLAIM_LOST) return { done: false, failure: 'lost' };
        throw err;
      }
      if (committed && canonicalJson(committed.data) !== canonicalJson(data)) await rememberAnswer(deps, id, data);
      return { done: true, value: { data, replayed: false } };
    },
    ROUNDS_POLICY,
    { deps },
  );
  if (!rounds.ok) throw inProgress();
  return rounds.value;
}

/**
 * Replays should repeat the first answer, parts of which may be known only after the commit (the stock left);
 * best effort, after the commit that matters.
 */
async function rememberAnswer(deps: OperationDeps, id: string, data: unknown): Promise<void> {
  try {
    await deps.store.update(IDEMPOTENCY, id, {
      guards: [{ field: 'state', op: 'eq', value: 'done' }],
      set: { data: data as Value },
      bumpVersion: false,
    });
  } catch {
    // A replay then shows the answer as committed (for a purchase: `stock: null`); the effect itself is recorded.
  }
}

export interface Lease {
  id: string;
  /** The record's version while we hold it: our updates compare-and-swap on it. */
  version: number;
  /** The reference (order number...) this run must use, fixed for this holder. */
  ref: string;
  /** The reference of an earlier holder that crashed or failed: check whether its work was done after all. */
  previousRef?: string;
}

/**
 * Runs `execute` at most once per key for operations without a transaction: the holder of the lease runs,
 * concurrent duplicates wait for its answer (IDEMPOTENCY_IN_PROGRESS if it does not come before their
 * deadline). `newRef` mints the reference stored with the lease.
 */
export async function runOnceWithLease<T>(
  deps: OperationDeps,
  req: IdempotentRequest,
  deadline: number,
  newRef: () => string,
  execute: (lease: Lease) => Promise<T>,
): Promise<OnceResult<T>> {
  const id = recordId(req);
  // Each round after the first follows a lease that lost a race to a concurrent duplicate, which is rare.
  const rounds = await retry<OnceResult<T>, 'lost'>(
    async () => {
      const seen = await turnOf(deps, id, req, deadline);
      if (seen.kind === 'replay') return { done: true, value: replay<T>(deps, seen.data) };
      const now = deps.now();
      const ref = newRef();
      const pending = { ...freshFields(req, now), state: 'pending' as const, leaseUntil: deadline + LEASE_MARGIN_MS, ref };
      let lease: Lease;
      if (seen.kind === 'absent') {
        const inserted = await deps.store.insert(IDEMPOTENCY, { id, ...pending });
        if (!inserted.ok) return { done: false, failure: 'lost' };
        lease = { id, version: inserted.doc.version, ref };
      } else {
        const taken = await deps.store.update(IDEMPOTENCY, id, { expectVersion: seen.doc.version, set: pending as Record<string, Value> });
        if (!taken.ok) return { done: false, failure: 'lost' };
        // A holder that crashed (pending) or failed (aborted) may still have sold under its ref: a failure whose
        // outcome it could not decide (an order insert whose answer was lost) looks like any other failure.
        const earlier = seen.doc.state !== 'done' && typeof seen.doc.ref === 'string' ? seen.doc.ref : undefined;
        lease = { id, version: taken.doc.version, ref, ...(earlier ? { previousRef: earlier } : {}) };
      }
      return { done: true, value: { data: await runHolding(deps, lease, execute), replayed: false } };
    },
    ROUNDS_POLICY,
    { deps },
  );
  if (!rounds.ok) throw inProgress();
  return rounds.value;
}

async function runHolding<T>(deps: OperationDeps, lease: Lease, execute: (lease: Lease) => Promise<T>): Promise<T> {
  let data: T;
  try {
    data = await execute(lease);
  } catch (err) {
    // The key is free again. A client error (4xx) is answered before anything is written, so the record goes;
    // otherwise, when whether something was done could not be decided, the record keeps our ref and the next
    // holder checks it first (previousRef). A run that itself took over from such a holder keeps the record too.
    if (changedNothing(err) && !lease.previousRef) await forget(deps, lease);
    else await release(deps, lease, { state: 'aborted' });
    throw err;
  }
  await release(deps, lease, { state: 'done', data });
  return data;
}

/** Whether a failure is one the operations answer before any write: a client error, status below 500. */
function changedNothing(err: unknown): boolean {
  return isAppError(err) && err.status < 500;
}

/** Deletes the record we hold, so failed requests leave nothing behind; a record that moved on is left alone. */
async function forget(deps: OperationDeps, lease: Lease): Promise<void> {
  try {
    const result = await deps.store.remove(IDEMPOTENCY, lease.id, lease.version);
    if (!result.ok) deps.log('warn', { event: 'IDEMPOTENCY_RELEASE_LOST', id: lease.id, reason: result.reason });
  } catch (err) {
    // The pending lease expires on its own, and the 24 h TTL removes the record.
    deps.log('warn', { event: 'IDEMPOTENCY_RELEASE_FAILED', id: lease.id, cause: err });
  }
}

async function release(deps: OperationDeps, lease: Lease, set: Record<string, unknown>): Promise<void> {
  try {
    const result = await deps.store.update(IDEMPOTENCY, lease.id, { expectVersion: lease.version, set: set as Record<string, Value> });
    if (!result.ok) deps.log('warn', { event: 'IDEMPOTENCY_RELEASE_LOST', id: lease.id, reason: result.reason });
  } catch (err) {
    // The lease expires on its own; a later duplicate then finds our work through previousRef.
    deps.log('warn', { event: 'IDEMPOTENCY_RELEASE_FAILED', id: lease.id, cause: err });
  }
}

/**
 * Points the lease we hold at `ref` (the order number a numbered take derived), so that a duplicate taking over
 * after a crash checks that order (previousRef). A compare-and-swap on our lease's version.
 * @throws AppError IDEMPOTENCY_IN_PROGRESS when the lease moved on (a duplicate took over: we must not sell);
 *   whatever the store throws.
 */
export async function linkLease(deps: OperationDeps, lease: Lease, ref: string): Promise<void> {
  const linked = await deps.store.update(IDEMPOTENCY, lease.id, { expectVersion: lease.version, set: { ref } });
  if (!linked.ok) throw inProgress();
  lease.version = linked.doc.version;
  lease.ref = ref;
}
