/**
 * How a DynamoDB request may be retried, decided by what could have happened to it.
 *
 * The SDK's own retries (off: the client has maxAttempts 1) resend any timed-out request. For a conditional
 * write that is wrong: if the first attempt applied and only its answer was lost, the resent write fails its
 * own condition and the caller is told "stock insufficient" or "item not found" for a write that succeeded.
 * So lockless retries here, by kind:
 * - throttled, or never sent (no connection): nothing applied, any request may go again;
 * - sent but unanswered (a timeout, a reset, a 5xx): reads go again; a transaction goes again with the same
 *   ClientRequestToken, which DynamoDB deduplicates; a conditional write does not, its outcome is unknown.
 * What cannot be retried, or runs out of attempts, becomes AppError SERVICE_UNAVAILABLE (503, retryable),
 * whose `details.outcome` says whether the write may have applied.
 */
import { AppError } from '../../shared/errors';
import { invocationMetrics, METRIC } from '../../shared/metrics';
import { retry, type RetryDeps, type RetryPolicy } from '../../shared/retry';

export type RequestKind = 'read' | 'conditional-write' | 'transaction';
type Failure = 'throttled' | 'not-sent' | 'unanswered';

const THROTTLED = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'LimitExceededException',
]);
/** Sent, and the service or the network gave no usable answer. */
const UNANSWERED_NAMES = new Set(['TimeoutError', 'InternalServerError', 'ServiceUnavailable', 'TransactionInProgressException']);
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
const UNANSWERED_CODES = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED']);

export const SEND_POLICY: RetryPolicy = { maxAttempts: 3, baseDelayMs: 25, maxDelayMs: 250 };

/** What happened to a failed request, or undefined for an answer the caller must handle itself. */
export function failureOf(err: unknown): Failure | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const { name, code, message, $metadata } = err as {
    name?: string;
    code?: string;
    message?: string;
    $metadata?: { httpStatusCode?: number };
  };
  if (name && THROTTLED.has(name)) return 'throttled';
  // A network error from another realm (a vm sandbox) fails the SDK's `instanceof Error`, and the SDK re-wraps
  // it as "AWS SDK error wrapper for Error: connect ECONNREFUSED ..." without its `code`: read it from the text.
  const wrapped = /^AWS SDK error wrapper for .*?\b(E[A-Z_]+)\b/.exec(message ?? '')?.[1];
  if (!code && wrapped) return failureOf({ name, code: wrapped, message: message?.replace(/^AWS SDK error wrapper for /, ''), $metadata });
  if (code && NOT_SENT_CODES.has(code)) return 'not-sent';
  // The SDK's connection timeout: the socket never connected, so the request never left.
  if (name === 'TimeoutError' && /did not establish a connection/.test(message ?? '')) return 'not-sent';
  if ((name && UNANSWERED_NAMES.has(name)) || (code && UNANSWERED_CODES.has(code))) return 'unanswered';
  if (/socket hang up/i.test(message ?? '')) return 'unanswered';
  const status = $metadata?.httpStatusCode;
  if (typeof status === 'number' && status >= 500) return 'unanswered';
  return undefined;
}

function mayRetry(kind: RequestKind, failure: Failure): boolean {
  return failure !== 'unanswered' || kind !== 'conditional-write';
}

function unavailable(kind: RequestKind, failure: Failure, cause: unknown, attempts: number): AppError {
  const outcome = kind === 'read' || failure !== 'unanswered' ? 'not-applied' : 'unknown';
  return new AppError('SERVICE_UNAVAILABLE', `DynamoDB ${kind} failed (${failure}) after ${attempts} attempt(s)`, {
    cause,
    details: { outcome },
  });
}

/**
 * Sends with the retry rules above. Answers the service gives on purpose (a failed condition, a cancelled
 * transaction, a validation error) are rethrown untouched for the caller.
 * @throws AppError SERVICE_UNAVAILABLE when the database cannot be reached or does not answer in time.
 */
export async function send<T>(kind: RequestKind, request: () => Promise<T>, deps: RetryDeps, deadline?: number): Promise<T> {
  let last: { failure: Failure; cause: unknown } | undefined;
  const result = await retry<T, Failure>(
    async () => {
      try {
        return { done: true, value: await request() };
      } catch (err) {
        const failure = failureOf(err);
        if (!failure) throw err;
        last = { failure, cause: err };
        if (failure === 'throttled') invocationMetrics.count(METRIC.throttles);
        if (!mayRetry(kind, failure)) throw unavailable(kind, failure, err, 1);
        return { done: false, failure };
      }
    },
    SEND_POLICY,
    { deps, deadline },
  );
  if (result.ok) return result.value;
  throw unavailable(kind, result.failure, last?.cause, result.attempts);
}
