/**
 * The conditional-write port: "apply this change only if this condition holds", backend-neutral.
 *
 * Every document has a string `id` and an integer `version` that starts at 1. Operations and adapters meet
 * here; nothing in this file knows about a driver.
 *
 * Failed conditions are values, not exceptions: a write answers `{ ok: false, reason, current }`, and the
 * caller decides what that means (insufficient stock, already removed, retry the CAS...). Only truly
 * exceptional states (the database is unreachable, a malformed spec) throw.
 */

/** A value a document field may hold. Numbers are safe integers wherever money or counts are stored. */
export type Scalar = string | number | boolean | null;
export type Value = Scalar | Value[] | { [field: string]: Value };

/** A stored document as the port shows it, whatever the backend keeps underneath. */
export interface Doc {
  id: string;
  version: number;
  [field: string]: unknown;
}

/** A document to insert: the store assigns `version: 1`. */
export interface NewDoc {
  id: string;
  [field: string]: unknown;
}

/** An element of a keyed array: an array field whose elements are objects with a unique string `id`. */
export interface Element {
  id: string;
  [field: string]: unknown;
}

/**
 * A condition on one top-level field. Comparisons hold only for numbers (a missing field or a field of
 * another type fails the guard on every backend). `eq` compares against a scalar field. `hasElement` and
 * `lacksElement` look into a keyed array by element id.
 */
export type Guard =
  | { field: string; op: 'gte' | 'gt' | 'lte' | 'lt'; value: number }
  | { field: string; op: 'eq'; value: string | number | boolean }
  | { field: string; op: 'exists' | 'notExists' }
  | { field: string; op: 'hasElement' | 'lacksElement'; key: string };

export type GuardOp = Guard['op'];

/** What to change, and under which conditions. All conditions must hold at the moment of the write. */
export interface UpdateSpec {
  /** Compare-and-swap: the write applies only if the stored version equals this. */
  expectVersion?: number;
  guards?: Guard[];
  set?: Record<string, Value>;
  /** Adds the (possibly negative) integer to a numeric field; a missing field counts as 0. */
  inc?: Record<string, number>;
  /** Removes the element with this id from a keyed array; implies a `hasElement` guard (exactly-once removal). */
  pull?: { field: string; key: string };
  /** Adds an element to a keyed array; implies the field exists and a `lacksElement` guard on its id. */
  push?: { field: string; element: Element };
  /**
   * Increment `version` (default true). Every writer to a document that anyone compare-and-swaps must bump,
   * or a CAS could overwrite a change it never saw.
   */
  bumpVersion?: boolean;
}

export type FailureReason = 'not_found' | 'version_conflict' | 'guard_failed' | 'already_exists';

/**
 * Why a write did not apply. Precedence when several hold: not_found, then version_conflict, then guard_failed.
 * `current` is the stored document at (DynamoDB) or just after (MongoDB) the failed write, when there is one.
 */
export type WriteFailure =
  | { ok: false; reason: 'not_found' }
  | { ok: false; reason: 'version_conflict'; current: Doc }
  | { ok: false; reason: 'guard_failed'; failed: Guard[]; current: Doc }
  | { ok: false; reason: 'already_exists'; current?: Doc };

export type WriteResult = { ok: true; doc: Doc } | WriteFailure;
/** A guarded delete: `not_found` when there is no document, `version_conflict` when its version moved on. */
export type RemoveResult = { ok: true } | { ok: false; reason: 'not_found' } | { ok: false; reason: 'version_conflict'; current: Doc };
export type InsertResult = { ok: true; doc: Doc } | { ok: false; reason: 'already_exists'; current?: Doc };

/**
 * One write inside a transaction. No document may appear twice in one transaction. `label` names the write so
 * that a failure can say which one failed (`TxResult.label`); callers branch on it, never on a position.
 */
export type TxWrite =
  | { kind: 'update'; collection: string; id: string; spec: UpdateSpec; label?: string }
  | { kind: 'insert'; collection: string; doc: NewDoc; label?: string }
  /** Changes nothing; the transaction commits only if the conditions hold. */
  | { kind: 'check'; collection: string; id: string; expectVersion?: number; guards?: Guard[]; label?: string };

/**
 * A committed transaction (the store runs it once per call, so `attempts` is 1). A failure says why and names
 * the write that failed: by its `label` when it has one, and by its position (`index`, kept for callers that
 * build unlabelled transactions); nothing was written.
 */
export type TxFailure = WriteFailure & { index: number; label?: string };

/**
 * A transaction that did not run to a decision and wrote nothing, through no fault of its writes: it lost to
 * concurrent writes (`contention`: DynamoDB TransactionConflict, MongoDB TransientTransactionError), or DynamoDB
 * cancelled it for throttling (`throttled`). Running the same writes again later may commit. The store does not
 * retry it: the operation decides, through its one retry policy (shared/operations/contention.ts).
 * `attempts` is 1, or 0 when the deadline had passed and nothing was sent.
 */
export type TxContended = { ok: false; reason: 'contention' | 'throttled'; attempts: number };

export type TxResult = { ok: true; attempts: number } | TxFailure | TxContended;

/** True for a transaction that lost to contention or throttling (worth running again), not to its conditions. */
export function isContended(result: TxResult): result is TxContended {
  return !result.ok && (result.reason === 'contention' || result.reason === 'throttled');
}

/** The failure of `write` (at `index`) as a TxResult: the label travels with it when the write has one. */
export function txFailure(write: TxWrite, index: number, failure: WriteFailure): TxFailure {
  return write.label === undefined ? { ...failure, index } : { ...failure, index, label: write.label };
}

export interface TxOptions {
  /**
   * Absolute deadline (epoch ms): the store sends nothing after it, and bounds the database's work by it
   * (MongoDB `maxTimeMS`, DynamoDB's resends of an unanswered request).
   */
  deadline?: number;
}

/**
 * Where a page of `list` starts: just after the document with this sort value and id (the last one of the
 * previous page). A position, not a snapshot: documents written since then show up where they sort.
 */
export interface ListPosition {
  sort: string | number;
  id: string;
}

/**
 * A read of one partition of a declared index (collections.json `indexes`), in sort order. `equals` names the
 * index's partition field and nothing else; `after` continues from a previous page's `next`.
 */
export interface ListQuery {
  index: string;
  equals: Record<string, string>;
  order: 'asc' | 'desc';
  /** 1 to MAX_LIST_LIMIT. */
  limit: number;
  after?: ListPosition;
}

/** At most `limit` documents; `next` is set only when more may follow. */
export interface ListPage {
  docs: Doc[];
  next?: ListPosition;
}

/** The most documents one `list` call returns: a page, never a scan. */
export const MAX_LIST_LIMIT = 1_000;

export interface ConditionalStore {
  /** Strongly consistent read; null when absent. */
  get(collection: string, id: string): Promise<Doc | null>;
  /** One guarded write. Never creates a document. */
  update(collection: string, id: string, spec: UpdateSpec): Promise<WriteResult>;
  /** Creates the document with version 1 only if no document has its id. */
  insert(collection: string, doc: NewDoc): Promise<InsertResult>;
  /** Deletes the document only if its version is still `expectVersion` (so nothing it did not see is lost). */
  remove(collection: string, id: string, expectVersion: number): Promise<RemoveResult>;
  /**
   * All or nothing, in one attempt. Contention and throttling come back as a value (TxContended), never
   * retried here; only transport failures are resent inside the adapter (unavailable.ts).
   */
  transact(writes: TxWrite[], options?: TxOptions): Promise<TxResult>;
  /**
   * One page of an index's partition in sort order. Documents with equal sort values come in an order the
   * backend keeps from page to page (by id on MongoDB; DynamoDB's own), so paging neither repeats nor skips one.
   * Eventually consistent on DynamoDB (a GSI): a document written a moment ago may be missing from it.
   */
  list(collection: string, query: ListQuery): Promise<ListPage>;
  /** Releases connections (tests and scripts; handlers keep the store for the life of the container). */
  close(): Promise<void>;
}
