/**
 * The MongoDB sender of the conditional-write port: the hooks shared/storeCore.ts calls. Each sends what
 * ./builders built and reports what happened.
 *
 * A Mongo write whose filter matches nothing says only "no": unlike DynamoDB it returns no document. One read
 * afterwards shows why. Between the write and the read the document may change, so the core treats that read
 * as `read-after` (it may try the write again), and `current` is the document just after the failed write.
 * The exception is a plain version compare-and-swap (`expectVersion` and `set`, the `version` strategy's write):
 * it goes out as one conditional pipeline that always finds the document and returns the one it decided on
 * (casUpdate.ts), so a refusal costs one round trip and `current` is exact.
 *
 * `transact` runs the writes in order inside one session's transaction, once; the first one whose condition
 * fails aborts everything. A TransientTransactionError (a WriteConflict with a concurrent transaction, mostly)
 * comes back as the value `{ ok: false, reason: 'contention' }`: the operation re-runs it through its one retry
 * policy (shared/operations/contention.ts), bounded by its deadline and attempts. ClientSession.withTransaction
 * would re-run it here, bounded only by a fixed 120 s (driver 7.x ignores `timeoutMS`: CSOT is a documented
 * no-op there, and checked on the real server), so it is not used, and the bounds are ours:
 * - nothing is sent once the deadline has passed;
 * - every operation carries `maxTimeMS` = the time left, so a slow or stuck server stops at the deadline;
 * - it commits by itself, retrying an unknown commit result (the transport's uncertainty, not contention) only
 *   until the deadline (the driver's commit loop would go on for 120 s).
 */
import type { ClientSession, Collection, MongoClient } from 'mongodb';
import type { CollectionShape, Schema } from '../../shared/collections';
import { realRetryDeps, retry, type RetryDeps, type RetryPolicy } from '../../shared/retry';
import type { ConditionalStore, Doc, TxContended, TxOptions } from '../../shared/store';
import { createStore, type PlannedWrite, type Refused, type StoreHooks } from '../../shared/storeCore';
import { buildFilter, buildUpdate, plan, type MongoWrite } from './builders';
import { afterCas, buildCasUpdate, casApplied } from './casUpdate';
import { buildListQuery } from './list';
import { fromStored, toStored, type StoredDocument } from './storedDocument';
import { isUnavailable, MAX_TIME_EXPIRED, unavailableError, withUnavailableErrors } from './unavailable';

export interface MongoStoreOptions {
  /** Connected lazily by the driver on first use; `close()` closes it. */
  client: MongoClient;
  dbName: string;
  schema: Schema;
  /** Clock, jitter and sleep for the bounded retries (tests inject a fake clock). */
  retryDeps?: RetryDeps;
}

/** The budget of a transaction called without a deadline: well inside a Lambda's usual timeout. */
export const DEFAULT_TX_BUDGET_MS = 10_000;
export const COMMIT_POLICY: RetryPolicy = { maxAttempts: 8, baseDelayMs: 10, maxDelayMs: 200 };
const DUPLICATE_KEY = 11000;
const MAX_TIME_MS_LIMIT = 2 ** 31 - 1;

/**
 * A ConditionalStore on MongoDB (a replica set: transactions need one). Collections are `dbName.<name>` for
 * the names in `schema`; create them and their TTL indexes first with `ensureIndexes`.
 *
 * Throws what shared/storeCore.ts throws (InvalidSpecError before anything is sent; INTERNAL when a failed
 * write cannot be explained); AppError SERVICE_UNAVAILABLE when the database is unreachable, stalled or has no
 * primary (unavailable.ts); other driver errors as they come.
 */
export function createMongoStore(options: MongoStoreOptions): ConditionalStore {
  return withUnavailableErrors(
    createStore({ schema: options.schema, hooks: mongoHooks(options), refusedDocument: 'read-after', retryDeps: options.retryDeps }),
  );
}

/** A write refused by the unique `_id` index (by code: bundles can duplicate the driver's error classes). */
export function isDuplicateKey(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === DUPLICATE_KEY;
}

function isMaxTimeExpired(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === MAX_TIME_EXPIRED;
}

function hasLabel(err: unknown, label: string): boolean {
  const labelled = err as { hasErrorLabel?: (label: string) => boolean } | null;
  return typeof labelled?.hasErrorLabel === 'function' && labelled.hasErrorLabel(label);
}

/**
 * Aborts the transaction with the refused write. Thrown and caught in this module only, so `instanceof` cannot
 * be fooled by a duplicated bundle.
 */
class WriteRefused extends Error {
  constructor(
    readonly index: number,
    readonly current: Doc | null,
  ) {
    super(`transaction write ${index} refused`);
  }
}

function mongoHooks(options: MongoStoreOptions): StoreHooks {
  const { client } = options;
  const deps = options.retryDeps ?? realRetryDeps;
  const db = client.db(options.dbName);
  const collectionOf = (name: string) => db.collection<StoredDocument>(name);

  async function read(collection: Collection<StoredDocument>, shape: CollectionShape, id: string): Promise<Doc | null> {
    const stored = await collection.findOne({ _id: { $eq: id } });
    return stored ? fromStored(stored, shape) : null;
  }

  return {
    get: (name, shape, id) => read(collectionOf(name), shape, id),

    async update(name, shape, id, spec, conditions) {
      const collection = collectionOf(name);
      // A plain version CAS decides and shows the document in one round trip (casUpdate.ts).
      const cas = buildCasUpdate(id, spec, conditions, shape);
      if (cas) {
        const before = await collection.findOneAndUpdate(cas.filter, cas.pipeline, {
          returnDocument: 'before',
          includeResultMetadata: false,
        });
        if (!before) return { ok: false, current: null };
        if (casApplied(cas, before)) return { ok: true, doc: fromStored(afterCas(cas, before), shape) };
        return { ok: false, current: fromStored(before, shape) };
      }
      // The document itself or null; false is driver 7's default, spelled out so a default flip cannot bite.
      const after = await collection.findOneAndUpdate(buildFilter(id, conditions, shape), buildUpdate(spec, shape), {
        returnDocument: 'after',
        includeResultMetadata: false,
      });
      if (after) return { ok: true, doc: fromStored(after, shape) };
      return { ok: false, current: await read(collection, shape, id) };
    },

    async insert(name, shape, doc) {
      const collection = collectionOf(name);
      const stored = toStored(doc, shape);
      try {
        await collection.insertOne(stored);
        return { ok: true, doc: fromStored(stored, shape) };
      } catch (err) {
        // The unique _id index decides races between inserts; the loser reads what won.
        if (!isDuplicateKey(err)) throw err;
        return { ok: false, current: await read(collection, shape, doc.id) };
      }
    },

    async remove(name, shape, id, expectVersion) {
      const collection = collectionOf(name);
      const removed = await collection.deleteOne({ _id: { $eq: id }, version: { $eq: expectVersion } });
      if (removed.deletedCount === 1) return { ok: true };
      // Classified by one read after the refused delete, as update is.
      return { ok: false, current: await read(collection, shape, id) };
    },

    transact: (planned, txOptions) => runTransaction(client, deps, planned, txOptions),

    async list(name, shape, index, query) {
      const { filter, sort, limit } = buildListQuery(index, query);
      const found = await collectionOf(name).find(filter, { sort, limit }).toArray();
      const docs = found.slice(0, query.limit).map((stored) => fromStored(stored, shape));
      const last = docs.at(-1);
      return found.length > query.limit && last ? { docs, next: { sort: last[index.sort] as string | number, id: last.id } } : { docs };
    },

    async close() {
      await client.close();
    },
  };

  async function runTransaction(
    mongo: MongoClient,
    clock: RetryDeps,
    planned: PlannedWrite[],
    txOptions: TxOptions,
  ): Promise<{ ok: true; attempts: number } | (Refused & { index: number }) | TxContended> {
    const writes = planned.map((p) => ({ p, built: plan(p), collection: collectionOf(p.write.collection) }));
    // A NaN would silently switch the bound off (every comparison with it is false), so it counts as absent.
    const deadline = Number.isFinite(txOptions.deadline) ? (txOptions.deadline as number) : clock.now() + DEFAULT_TX_BUDGET_MS;
    // maxTimeMS must be a positive int32: round up, and never 0 (which means "no limit" to the server).
    const timeLeft = () => Math.min(MAX_TIME_MS_LIMIT, Math.max(1, Math.ceil(deadline - clock.now())));
    // Nothing is sent after the deadline; to the operation this is one more contended try that wrote nothing.
    if (clock.now() >= deadline) return { ok: false, reason: 'contention', attempts: 0 };

    const session = mongo.startSession();
    try {
      // One run, not ClientSession.withTransaction (see the file comment): abort an open transaction on any
      // error, answer a TransientTransactionError as contention, rethrow anything else.
      session.startTransaction({ readConcern: { level: 'snapshot' }, writeConcern: { w: 'majority' }, maxCommitTimeMS: timeLeft() });
      let committing = false;
      try {
        for (const [index, w] of writes.entries()) await runWrite(w.collection, w.p.shape, w.p.id, w.built, index, session, timeLeft);
        committing = true;
        await commit(session, clock, deadline);
        return { ok: true, attempts: 1 };
      } catch (err) {
        if (session.inTransaction()) await session.abortTransaction().catch(() => undefined);
        if (err instanceof WriteRefused) return { ok: false, index: err.index, current: err.current };
        // A conflict, or a transient failure before or at commit: nothing was committed. The operation decides
        // whether to run it again (shared/operations/contention.ts).
        if (hasLabel(err, 'TransientTransactionError') && !hasLabel(err, 'UnknownTransactionCommitResult')) {
          return { ok: false, reason: 'contention', attempts: 1 };
        }
        // The time ran out (maxTimeMS) while a write waited for a lock held by a contender, before any commit was
        // sent: the server aborts the transaction, so nothing applied. That is contention outlasting the deadline,
        // which the operation answers 409 (retryable, not applied), not a database of unknown outcome.
        if (!committing && isMaxTimeExpired(err)) return { ok: false, reason: 'contention', attempts: 1 };
        // Unreachable before the commit was sent: a transaction never committed applies nothing.
        if (!committing && isUnavailable(err)) {
          throw unavailableError(err, 'not-applied');
        }
        throw err;
      }
    } finally {
      await session.endSession();
    }
  }
}

async function runWrite(
  collection: Collection<StoredDocument>,
  shape: CollectionShape,
  id: string,
  built: MongoWrite,
  index: number,
  session: ClientSession,
  timeLeft: () => number,
): Promise<void> {
  if (built.kind === 'insert') {
    try {
      await collection.insertOne(built.document, { session, maxTimeMS: timeLeft() });
      return;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      // The server has already aborted the transaction: a read in the session would fail with
      // NoSuchTransaction, labelled transient, and re-run everything for nothing. Read the committed document.
      const stored = await collection.findOne({ _id: { $eq: id } }, { maxTimeMS: timeLeft() });
      throw new WriteRefused(index, stored ? fromStored(stored, shape) : null);
    }
  }
  const options = { session, maxTimeMS: timeLeft() };
  if (built.kind === 'update') {
    if ((await collection.updateOne(built.filter, built.update, options)).matchedCount > 0) return;
  } else if (await collection.findOne(built.filter, { ...options, projection: { _id: 1 } })) {
    return;
  }
  // Same session, same snapshot: the read sees what the filter saw, so the core's classification is exact.
  const stored = await collection.findOne({ _id: { $eq: id } }, { session, maxTimeMS: timeLeft() });
  throw new WriteRefused(index, stored ? fromStored(stored, shape) : null);
}

/** Commits, retrying an unknown result (the commit is idempotent) only while the deadline allows. */
async function commit(session: ClientSession, deps: RetryDeps, deadline: number): Promise<void> {
  const run = await retry<void, unknown>(
    async () => {
      try {
        await session.commitTransaction();
        return { done: true, value: undefined };
      } catch (err) {
        if (hasLabel(err, 'UnknownTransactionCommitResult')) return { done: false, failure: err };
        throw err;
      }
    },
    COMMIT_POLICY,
    { deadline, deps },
  );
  // Still a MongoError with its label (UnknownTransactionCommitResult): the outcome is unknown, not a conflict.
  if (!run.ok) throw run.failure;
}
