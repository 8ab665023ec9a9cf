/**
 * The only retry loop in lockless. It retries only what the attempt marks as retryable, is bounded by attempts
 * and by a deadline (the Lambda's remaining time), and waits with full-jitter exponential backoff so that
 * contenders spread out instead of colliding again in lock step.
 */

export interface RetryPolicy {
  /** Total attempts including the first (>= 1). */
  maxAttempts: number;
  /** Backoff before attempt n+1 is random in [minDelayMs, min(maxDelayMs, baseDelayMs * 2^(n-1))). */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A floor under the jitter (default 0), for polling that must not spin: the delay is at least this. */
  minDelayMs?: number;
}

export interface RetryDeps {
  /** Epoch ms. */
  now: () => number;
  /** Uniform in [0, 1). */
  random: () => number;
  sleep: (ms: number) => Promise<void>;
}

export const realRetryDeps: RetryDeps = {
  now: Date.now,
  random: Math.random,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** What one attempt decided: done with a value, or "try again" with the reason kept for the final answer. */
export type AttemptOutcome<T, F> = { done: true; value: T } | { done: false; failure: F };

export type RetryResult<T, F> =
  | { ok: true; value: T; attempts: number }
  | { ok: false; failure: F; attempts: number; exhausted: 'attempts' | 'deadline' };

/** Full-jitter backoff before the attempt that follows attempt number `attempt` (1-based). */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const floor = Math.min(policy.minDelayMs ?? 0, ceiling);
  // Nothing to draw (a policy without waits): no random number is taken, so seeded sequences stay as they were.
  if (ceiling <= floor) return floor;
  return floor + Math.floor(random() * (ceiling - floor));
}

/**
 * What a caller that observes its contention may use instead of the policy's blind exponential backoff: the wait
 * before attempt `attempt + 1`, from what attempt `attempt` saw (`failure`). Still capped by the loop's bounds.
 */
export type BackoffFromFailure<F> = (attempt: number, failure: F, random: () => number) => number;

/**
 * Runs `attempt` until it is done, the attempts run out, or the next attempt could not finish before
 * `deadline` (epoch ms; `reserveMs` is kept back for the attempt itself and the answer). `backoff` replaces
 * the policy's full-jitter delay (the attempt budget and the deadline bound it the same way).
 */
export async function retry<T, F>(
  attempt: (n: number) => Promise<AttemptOutcome<T, F>>,
  policy: RetryPolicy,
  options: { deadline?: number; reserveMs?: number; deps?: RetryDeps; backoff?: BackoffFromFailure<F> } = {},
): Promise<RetryResult<T, F>> {
  const deps = options.deps ?? realRetryDeps;
  const reserve = options.reserveMs ?? 0;
  const maxAttempts = Math.max(1, Math.floor(policy.maxAttempts));
  for (let n = 1; ; n++) {
    const outcome = await attempt(n);
    if (outcome.done) return { ok: true, value: outcome.value, attempts: n };
    if (n >= maxAttempts) return { ok: false, failure: outcome.failure, attempts: n, exhausted: 'attempts' };
    const delay = options.backoff
      ? Math.max(0, Math.floor(options.backoff(n, outcome.failure, deps.random)))
      : backoffDelay(policy, n, deps.random);
    if (options.deadline !== undefined && deps.now() + delay + reserve >= options.deadline) {
      return { ok: false, failure: outcome.failure, attempts: n, exhausted: 'deadline' };
    }
    if (delay > 0) await deps.sleep(delay);
  }
}
