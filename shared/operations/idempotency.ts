/**
 * At most one side effect per idempotency key. Keys are scoped per caller and operation: the record's id is a
 * hash of (operation, uid, key), so two users' "abc" never meet. The record also holds a fingerprint of the
 * validated command: the same key with a different request is IDEMPOTENCY_KEY_REUSED (422).
 *
 * The record is written atomically with the business write, in one of two ways:
 * - inside the business transaction (`runOnceInTransaction`): the claim is the transaction's first write and
 *   carries the final response, so either both commit or neither does;
 * - as the guarded insert that decides it (`runOnceWithLease`, for the non-transactional purchase
 *   strategies): an insert-if-absent of a `pending` record with a lease; whoever inserts it runs, everyone else
 *   waits for the answer. A crashed holder's lease expires after its own Lambda deadline, and the next caller
 *   takes over with a compare-and-swap, first checking whether the earlier run finished after all
 *   (`previousRef`); so does the next caller after a holder that failed.
 *
 * Only successes are remembered: a request that failed left no side effect, so retrying it with the same key
 * runs it again. A leased run that fails with a client error (below 500: nothing was written) deletes its
 * record; one that fails otherwise may have sold (an order insert whose answer was lost), so its record stays
 * `aborted` with its ref for the next holder to check. Records expire after 24 hours (DynamoDB TTL / a Mongo TTL index on `expiresAt`); an expired
 * record that the backend has not deleted yet is treated as absent.
 *
 * Errors: IDEMPOTENCY_KEY_REUSED (422), IDEMPOTENCY_IN_PROGRESS (409, retryable).
 */
import { AppError, isAppError } from '../errors';
import { canonicalJson, sha256Hex } from '../hash';
import type { SuccessKey } from '../messages';
import type { Doc, TxWrite, Value } from '../store';
import type { OperationDeps } from './deps';

export const IDEMPOTENCY = 'idempotency';
export const IDEMPOTENCY_TTL_S = 24 * 60 * 60;
/** A lease outlives its holder's Lambda deadline by this much before anyone may take over. */
const LEASE_MARGIN_MS = 2_000;
const MAX_ROUNDS = 8;

export interface IdempotentRequest {
  uid: string;
  op: 'purchase' | 'transfer';
  key: string;
  /** The validated command (without the key); its canonical hash is the fingerprint. */
  command: unknown;
}

export interface StoredResponse {
  status: number;
  msg: SuccessKey;
  data: unknown;
}

export interface OnceResult {
  response: StoredResponse;
  /** True when this answer repeats an earlier request's result. */
  replayed: boolean;
}

type RecordState = 'pending' | 'done' | 'aborted';

export function recordId(req: Pick<IdempotentRequest, 'uid' | 'op' | 'key'>): string {
  return sha256Hex(`${req.op}\n${req.uid}\n${req.key}`);
}

export function fingerprint(req: IdempotentRequest): string {
  return sha256Hex(canonicalJson({ op: req.op, command: req.command }));
}

type Seen =
  | { kind: 'absent' }
  | { kind: 'retake'; doc: Doc }
  | { kind: 'replay'; response: StoredResponse }
  | { kind: 'pending' };

/** What a stored record means for this request. Throws IDEMPOTENCY_KEY_REUSED. */
function judge(doc: Doc | null, req: IdempotentRequest, now: number): Seen {
  if (!doc) return { kind: 'absent' };
  // Expired but not yet deleted by the backend's TTL sweep: dead, whatever it held.
  if (typeof doc.expiresAt === 'number' && doc.expiresAt * 1000 <= now) return { kind: 'retake', doc };
  if (doc.fingerprint !== fingerprint(req)) {
    throw new AppError('IDEMPOTENCY_KEY_REUSED', 'idempotency key already used for a different request');
  }
  const state = doc.state as RecordState;
  if (state === 'done') return { kind: 'replay', response: doc.response as StoredResponse };
  const leaseUntil = typeof doc.leaseUntil === 'number' ? doc.leaseUntil : 0;
  if (state === 'pending' && leaseUntil > now) return { kind: 'pending' };
  return { kind: 'retake', doc };
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

/** One polling pause while another request holds the lease; false when our own deadline does not allow it. */
async function waitForHolder(deps: OperationDeps, deadline: number): Promise<boolean> {
  const delay = 20 + Math.floor(deps.random() * 60);
  if (deps.now() + delay >= deadline) return false;
  await deps.sleep(delay);
  return true;
}

/**
 * Reads the key's record until no running duplicate holds it: then it is a replay, or absent, or a record this
 * caller may take. Waiting is bounded by the caller's deadline (IDEMPOTENCY_IN_PROGRESS after it).
 */
async function turnOf(deps: OperationDeps, id: string, req: IdempotentRequest, deadline: number): Promise<Exclude<Seen, { kind: 'pending' }>> {
  for (;;) {
    const seen = judge(await deps.store.get(IDEMPOTENCY, id), req, deps.now());
    if (seen.kind !== 'pending') return seen;
    if (!(await waitForHolder(deps, deadline))) throw inProgress();
  }
}

function inProgress(): AppError {
  return new AppError('IDEMPOTENCY_IN_PROGRESS', 'the same request is still being processed');
}

/** Thrown by a transactional operation when its claim (the transaction's first write) lost a race. */
export class ClaimLost extends Error {
  readonly code = 'CLAIM_LOST';
}

/** The label of the claim write in a transaction: a failure with this label means another request won. */
export const CLAIM = 'idempotency-claim';

/** Builds the claim write a transactional operation puts first in its transaction, with its final response. */
export type Claim = (response: StoredResponse) => TxWrite;

/**
 * Runs `execute` at most once per key. `execute(claim)` must put `claim(response)` first in its transaction
 * and throw ClaimLost if that write fails (another request with the same key committed first).
 */
export async function runOnceInTransaction(
  deps: OperationDeps,
  req: IdempotentRequest,
  deadline: number,
  execute: (claim: Claim) => Promise<StoredResponse>,
): Promise<OnceResult> {
  const id = recordId(req);
  // Each round is a claim that lost a race to a concurrent duplicate, which is rare.
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const seen = await turnOf(deps, id, req, deadline);
    if (seen.kind === 'replay') return { response: seen.response, replayed: true };
    const now = deps.now();
    const fields = { ...freshFields(req, now), state: 'done' };
    // A retaken record may keep an old lease and ref: harmless, a `done` record is only ever replayed.
    const claim: Claim = (response) =>
      seen.kind === 'absent'
        ? { kind: 'insert', label: CLAIM, collection: IDEMPOTENCY, doc: { id, ...fields, response } }
        : { kind: 'update', label: CLAIM, collection: IDEMPOTENCY, id, spec: { expectVersion: seen.doc.version, set: { ...fields, response: response as unknown as Value } } };
    try {
      return { response: await execute(claim), replayed: false };
    } catch (err) {
      if (err instanceof ClaimLost) continue;
      throw err;
    }
  }
  throw inProgress();
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
export async function runOnceWithLease(
  deps: OperationDeps,
  req: IdempotentRequest,
  deadline: number,
  newRef: () => string,
  execute: (lease: Lease) => Promise<StoredResponse>,
): Promise<OnceResult> {
  const id = recordId(req);
  // Each round is a lease that lost a race to a concurrent duplicate, which is rare.
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const seen = await turnOf(deps, id, req, deadline);
    if (seen.kind === 'replay') return { response: seen.response, replayed: true };
    const now = deps.now();
    const ref = newRef();
    const pending = { ...freshFields(req, now), state: 'pending' as const, leaseUntil: deadline + LEASE_MARGIN_MS, ref };
    let lease: Lease;
    if (seen.kind === 'absent') {
      const inserted = await deps.store.insert(IDEMPOTENCY, { id, ...pending });
      if (!inserted.ok) continue;
      lease = { id, version: inserted.doc.version, ref };
    } else {
      const taken = await deps.store.update(IDEMPOTENCY, id, { expectVersion: seen.doc.version, set: pending as Record<string, Value> });
      if (!taken.ok) continue;
      // A holder that crashed (pending) or failed (aborted) may still have sold under its ref: a failure whose
      // outcome it could not decide (an order insert whose answer was lost) looks like any other failure.
      const earlier = seen.doc.state !== 'done' && typeof seen.doc.ref === 'string' ? seen.doc.ref : undefined;
      lease = { id, version: taken.doc.version, ref, ...(earlier ? { previousRef: earlier } : {}) };
    }
    return { response: await runHolding(deps, lease, execute), replayed: false };
  }
  throw inProgress();
}

async function runHolding(deps: OperationDeps, lease: Lease, execute: (lease: Lease) => Promise<StoredResponse>): Promise<StoredResponse> {
  let response: StoredResponse;
  try {
    response = await execute(lease);
  } catch (err) {
    // The key is free again. A client error (4xx) is answered before anything is written, so the record goes;
    // otherwise, when whether something was done could not be decided, the record keeps our ref and the next
    // holder checks it first (previousRef). A run that itself took over from such a holder keeps the record too.
    if (changedNothing(err) && !lease.previousRef) await forget(deps, lease);
    else await release(deps, lease, { state: 'aborted' });
    throw err;
  }
  await release(deps, lease, { state: 'done', response });
  return response;
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
