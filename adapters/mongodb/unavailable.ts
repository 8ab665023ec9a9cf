/**
 * Which MongoDB driver errors mean "the database is unreachable, stalled, or changing primary": those become
 * AppError SERVICE_UNAVAILABLE (503, retryable) instead of an INTERNAL error, with `details.outcome` saying
 * whether a write may have applied. Recognised by name, code and label, never by `instanceof` (bundles can
 * duplicate the driver's classes).
 *
 * The driver has already retried what is safe to retry: retryable writes are deduplicated by the server
 * (the session's txnNumber), so a resend after a lost answer never applies twice.
 */
import { AppError } from '../../shared/errors';
import type { ConditionalStore } from '../../shared/store';

const UNAVAILABLE_NAMES = new Set([
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongoTopologyClosedError',
  'MongoWaitQueueTimeoutError',
  'MongoPoolClearedError',
  'MongoNotConnectedError',
  'MongoOperationTimeoutError',
  'MongoWriteConcernError',
]);
/** MaxTimeMSExpired: an operation's maxTimeMS (the time left before the deadline) ran out on the server. */
export const MAX_TIME_EXPIRED = 50;
/** Server codes of a node going away or not being primary, and of maxTimeMS running out. */
const UNAVAILABLE_CODES = new Set([6, 7, MAX_TIME_EXPIRED, 89, 91, 189, 262, 9001, 10107, 11600, 11602, 13435, 13436]);
const UNAVAILABLE_LABELS = ['RetryableWriteError', 'TransientTransactionError', 'UnknownTransactionCommitResult', 'ResetPool'];

export function isUnavailable(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { name, code, errorLabels } = err as { name?: string; code?: unknown; errorLabels?: unknown };
  if (name && UNAVAILABLE_NAMES.has(name)) return true;
  if (typeof code === 'number' && UNAVAILABLE_CODES.has(code)) return true;
  return Array.isArray(errorLabels) && errorLabels.some((label) => UNAVAILABLE_LABELS.includes(label));
}

/** The 503 for an unavailable database; `outcome` says whether a write may have applied. */
export function unavailableError(err: unknown, outcome: 'unknown' | 'not-applied'): AppError {
  return new AppError('SERVICE_UNAVAILABLE', 'MongoDB is unavailable', { cause: err, details: { outcome } });
}

function translate(err: unknown, writes: boolean): unknown {
  return isUnavailable(err) ? unavailableError(err, writes ? 'unknown' : 'not-applied') : err;
}

/** The same store, answering SERVICE_UNAVAILABLE for an unavailable database. */
export function withUnavailableErrors(store: ConditionalStore): ConditionalStore {
  const wrap =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>, writes: boolean) =>
    async (...args: A): Promise<R> => {
      try {
        return await fn(...args);
      } catch (err) {
        throw translate(err, writes);
      }
    };
  return {
    get: wrap(store.get.bind(store), false),
    update: wrap(store.update.bind(store), true),
    insert: wrap(store.insert.bind(store), true),
    remove: wrap(store.remove.bind(store), true),
    transact: wrap(store.transact.bind(store), true),
    list: wrap(store.list.bind(store), false),
    close: () => store.close(),
  };
}
