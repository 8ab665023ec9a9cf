/**
 * `transact` on MongoDB: the writes run in order inside one session's transaction, and the first one
 * whose condition fails aborts everything and becomes the TxResult.
 *
 * The transaction is re-run on a TransientTransactionError (a WriteConflict with a concurrent transaction,
 * mostly). ClientSession.withTransaction does the same, but its only bound is a fixed 120 s (driver 7.x
 * ignores `timeoutMS`: CSOT is a documented no-op there, and checked on the real server), after which it
 * rethrows the conflict. So the loop is ours, and so are its bounds:
 * - it counts the runs and checks the deadline before each, and throws AppError TRANSACTION_CONFLICT;
 * - every operation carries `maxTimeMS` = the time left, so a slow or stuck server stops at the deadline;
 * - it commits by itself, retrying an unknown commit result only until the deadline (the driver's commit
 *   loop would go on for 120 s). A transient error at commit re-runs the transaction.
 */
import type { ClientSession, Collection, Document, MongoClient } from 'mongodb';
import { classifyFailure, txConditions, validateTransaction } from '../../shared/conditions';
import { AppError } from '../../shared/errors';
import { retry, type RetryDeps, type RetryPolicy } from '../../shared/retry';
import type { CollectionShape } from '../../shared/collections';
import type { TxOptions, TxResult, TxWrite, WriteFailure } from '../../shared/store';
import { buildFilter, buildUpdate, type WriteConditions } from './filter';
import { fromStored, toStored, type StoredDocument } from './storedDocument';

export const DEFAULT_TX_MAX_ATTEMPTS = 5;
/** The budget of a transaction called without a deadline: well inside a Lambda's usual timeout. */
export const DEFAULT_TX_BUDGET_MS = 10_000;
const COMMIT_POLICY: RetryPolicy = { maxAttempts: 8, baseDelayMs: 10, maxDelayMs: 200 };
const DUPLICATE_KEY = 11000;
const MAX_TIME_MS_LIMIT = 2 ** 31 - 1;

/** A collection with the shape the schema gives it. */
export interface Target {
  collection: Collection<StoredDocument>;
  shape: CollectionShape;
}

/** A write refused by the unique `_id` index (by code: bundles can duplicate the driver's error classes). */
export function isDuplicateKey(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === DUPLICATE_KEY;
}

export interface TransactionContext {
  client: MongoClient;
  target: (collection: string) => Target;
  deps: RetryDeps;
}

/** A write prepared before the session starts, so that a bad spec fails before anything is sent. */
interface Plan {
  write: TxWrite;
  into: Target;
  id: string;
  conditions: WriteConditions;
  filter: Document;
  /** The update document, or the document to insert. */
  change?: Document;
}

/**
 * Aborts the transaction with the port's answer. Thrown and caught in this module only, so `instanceof` cannot
 * be fooled by a duplicated bundle.
 */
class WriteRefused extends Error {
  constructor(readonly index: number, readonly failure: WriteFailure) {
    super(`transaction write ${index} refused: ${failure.reason}`);
  }
}

function hasLabel(err: unknown, label: string): boolean {
  const labelled = err as { hasErrorLabel?: (label: string) => boolean } | null;
  return typeof labelled?.hasErrorLabel === 'function' && labelled.hasErrorLabel(label);
}

function plan(write: TxWrite, into: Target): Plan {
  const id = write.kind === 'insert' ? write.doc.id : write.id;
  const conditions = txConditions(write);
  const filter = buildFilter(id, conditions, into.shape);
  if (write.kind === 'insert') return { write, into, id, conditions, filter, change: toStored(write.doc, into.shape) };
  if (write.kind === 'update') return { write, into, id, conditions, filter, change: buildUpdate(write.spec, into.shape) };
  return { write, into, id, conditions, filter };
}

/** See the file comment. Throws InvalidSpecError, AppError TRANSACTION_CONFLICT or INTERNAL, driver errors. */
export async function runTransaction(ctx: TransactionContext, writes: TxWrite[], options: TxOptions): Promise<TxResult> {
  validateTransaction(writes);
  const plans = writes.map((write) => plan(write, ctx.target(write.collection)));
  // A NaN would silently switch a bound off (every comparison with it is false), so it counts as absent.
  const requested = options.maxAttempts;
  const maxAttempts = Number.isFinite(requested) ? Math.max(1, Math.floor(requested as number)) : DEFAULT_TX_MAX_ATTEMPTS;
  const deadline = Number.isFinite(options.deadline) ? (options.deadline as number) : ctx.deps.now() + DEFAULT_TX_BUDGET_MS;
  // maxTimeMS must be a positive int32: round up, and never 0 (which means "no limit" to the server).
  const timeLeft = () => Math.min(MAX_TIME_MS_LIMIT, Math.max(1, Math.ceil(deadline - ctx.deps.now())));
  let attempts = 0;
  let lastTransient: unknown;
  const giveUp = (why: string) =>
    new AppError('TRANSACTION_CONFLICT', `transaction not committed: ${why} after ${attempts} attempt(s)`, {
      cause: lastTransient,
      details: { attempts },
    });
  if (ctx.deps.now() >= deadline) throw giveUp('deadline passed');

  const session = ctx.client.startSession();
  try {
    const txOptions = { readConcern: { level: 'snapshot' as const }, writeConcern: { w: 'majority' as const }, maxCommitTimeMS: timeLeft() };
    // Our own loop rather than ClientSession.withTransaction: that one stops re-running after a fixed 120 s and
    // rethrows the last WriteConflict, which a long deadline (a busy test machine, a long Lambda timeout) reaches
    // at a hot document; here only the attempts and the deadline bound the reruns. Same steps otherwise: abort
    // an open transaction on any error, re-run on TransientTransactionError, rethrow anything else.
    for (;;) {
      if (attempts >= maxAttempts) throw giveUp('attempts exhausted');
      if (ctx.deps.now() >= deadline) throw giveUp('deadline passed');
      attempts += 1;
      session.startTransaction(txOptions);
      try {
        for (const [index, p] of plans.entries()) await runWrite(p, index, session, timeLeft);
        await commit(session, ctx.deps, deadline);
        return { ok: true, attempts };
      } catch (err) {
        if (session.inTransaction()) await session.abortTransaction().catch(() => undefined);
        if (err instanceof WriteRefused) return { ...err.failure, index: err.index };
        // A conflict, or a transient failure before or at commit: nothing was committed, so run it again.
        if (hasLabel(err, 'TransientTransactionError') && !hasLabel(err, 'UnknownTransactionCommitResult')) {
          lastTransient = err;
          continue;
        }
        throw err;
      }
    }
  } finally {
    await session.endSession();
  }
}

async function runWrite(p: Plan, index: number, session: ClientSession, timeLeft: () => number): Promise<void> {
  const { collection, shape } = p.into;
  if (p.write.kind === 'insert') {
    try {
      await collection.insertOne(p.change as StoredDocument, { session, maxTimeMS: timeLeft() });
      return;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      // The server has already aborted the transaction: a read in the session would fail with
      // NoSuchTransaction, labelled transient, and re-run everything for nothing. Read the committed document.
      const stored = await collection.findOne({ _id: { $eq: p.id } }, { maxTimeMS: timeLeft() });
      const current = stored ? { current: fromStored(stored, shape) } : {};
      throw new WriteRefused(index, { ok: false, reason: 'already_exists', ...current });
    }
  }
  const options = { session, maxTimeMS: timeLeft() };
  if (p.write.kind === 'update') {
    if ((await collection.updateOne(p.filter, p.change as Document, options)).matchedCount > 0) return;
  } else if (await collection.findOne(p.filter, { ...options, projection: { _id: 1 } })) {
    return;
  }
  // Same session, same snapshot: the read sees what the filter saw, so the classification is exact.
  const stored = await collection.findOne({ _id: { $eq: p.id } }, { session, maxTimeMS: timeLeft() });
  const failure = classifyFailure(stored ? fromStored(stored, shape) : null, p.conditions);
  if (!failure) {
    throw new AppError('INTERNAL', `transaction write ${index} matched nothing although its conditions hold`);
  }
  throw new WriteRefused(index, failure);
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
