/**
 * What an operation does with a transaction that lost to contention: the store answers it as a value
 * (TxContended, one attempt per `transact` call) and the operation runs it again here, through the one retry
 * loop (shared/retry.ts), bounded by attempts and by its deadline. Nothing below retries contention, so the
 * worst case is this loop's attempts times one store call (see deps.ts worstCaseStoreCalls).
 *
 * When the attempts or the time run out, the last contended answer decides the error, as the stores decided it
 * before: throttling is AppError SERVICE_UNAVAILABLE (503, retryable, outcome not-applied); a conflict is
 * AppError TRANSACTION_CONFLICT (409, retryable) with `details.attempts`.
 */
import { AppError } from '../errors';
import { retry, type RetryDeps, type RetryPolicy } from '../retry';
import { isContended, type TxContended, type TxResult } from '../store';

/** Conflicts clear in milliseconds: a short full-jitter backoff spreads the contenders (DynamoDB's old loop). */
export const CONTENTION_BACKOFF: Omit<RetryPolicy, 'maxAttempts'> = { baseDelayMs: 10, maxDelayMs: 200 };

/** The contention policy for an attempt budget (deps.policies.transactionAttempts for the HTTP operations). */
export function contentionPolicy(maxAttempts: number): RetryPolicy {
  return { ...CONTENTION_BACKOFF, maxAttempts };
}

/** The error for a transaction that was still contended when its attempts or its deadline ran out. */
export function contentionError(last: TxContended, attempts: number, exhausted: 'attempts' | 'deadline'): AppError {
  if (last.reason === 'throttled') {
    return new AppError('SERVICE_UNAVAILABLE', `the database throttled the transaction (${attempts} attempt(s))`, {
      details: { outcome: 'not-applied' },
    });
  }
  return new AppError('TRANSACTION_CONFLICT', 'the transaction kept conflicting with concurrent writes', {
    details: { attempts, exhausted },
  });
}

/**
 * The time every retried attempt (a transaction run, a compare-and-swap) is given to finish before the deadline:
 * no retry starts with less left. The edge answers 503 with `outcome: unknown` at the deadline
 * (shared/edge/deadline.ts), so an attempt started just before it would race that answer; with the reserve,
 * contention that outlasts the budget ends as a definite 409, nothing applied. One store call on a busy 2-core
 * machine can take several hundred ms (measured: 150 ms was not enough for `version` under `npm start`).
 */
export const ATTEMPT_RESERVE_MS = 1_000;

/** A decided transaction: committed, or refused by one of its writes. */
export type TxDecided = Exclude<TxResult, TxContended>;

/**
 * Runs `attempt` (one `transact` call) until the store decides it: committed or refused by a write.
 * @returns the decision and how many runs it took.
 * @throws AppError TRANSACTION_CONFLICT or SERVICE_UNAVAILABLE (see the file comment) when contention outlasts
 *   `maxAttempts` or the deadline; whatever `attempt` throws.
 */
export async function transactUntilDecided(
  attempt: () => Promise<TxResult>,
  options: { maxAttempts: number; deadline?: number; reserveMs?: number; deps: RetryDeps },
): Promise<{ result: TxDecided; attempts: number }> {
  const run = await retry<TxDecided, TxContended>(
    async () => {
      const result = await attempt();
      return isContended(result) ? { done: false, failure: result } : { done: true, value: result };
    },
    contentionPolicy(options.maxAttempts),
    { deadline: options.deadline, reserveMs: options.reserveMs ?? ATTEMPT_RESERVE_MS, deps: options.deps },
  );
  if (!run.ok) throw contentionError(run.failure, run.attempts, run.exhausted);
  return { result: run.value, attempts: run.attempts };
}
