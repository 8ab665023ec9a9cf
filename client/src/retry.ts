/**
 * The client's one retry loop. It asks again only where asking again is safe and may help: a 503, a 409
 * IDEMPOTENCY_IN_PROGRESS (the first request is still running) and no answer at all; every try of a
 * state-changing call carries the same idempotency key, so the server acts at most once. Waits are full-jitter
 * exponential (a random time up to base * 2^n, at most cap), so a crowd of buyers does not come back in step.
 *
 * Worst case per call: `maxTries` requests, and `deadlineMs` in all: each try's own limit is cut to what is
 * left, and no wait starts that would end past the deadline.
 */
import { failure, isRetryable, type Answer } from './envelope';
import { ownMessage, type Lang } from './messages';

export interface RetryPolicy {
  /** All tries and waits of one call together. */
  deadlineMs: number;
  /** One try's limit (cut to the time left). */
  tryTimeoutMs: number;
  maxTries: number;
  baseMs: number;
  capMs: number;
}

export const DEFAULT_POLICY: RetryPolicy = { deadlineMs: 15_000, tryTimeoutMs: 10_000, maxTries: 8, baseMs: 100, capMs: 2_000 };

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
  /** In [0, 1): the jitter. */
  random(): number;
}

declare function setTimeout(fn: () => void, ms: number): unknown;
declare function clearTimeout(id: unknown): void;

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: () => Math.random(),
};

/** The wait before try n + 1 (n >= 1). */
export function backoff(policy: RetryPolicy, tries: number, random: number): number {
  return Math.floor(random * Math.min(policy.capMs, policy.baseMs * 2 ** (tries - 1)));
}

/** One try bounded by `timeoutMs`, whatever the transport does about its own timeout. */
async function bounded(attempt: (timeoutMs: number) => Promise<Answer>, timeoutMs: number, lang: Lang): Promise<Answer> {
  let timer: unknown;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([attempt(timeoutMs), timeout]);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    return failure(0, 'NETWORK_ERROR', ownMessage('NETWORK_ERROR', lang), { reason: reason.slice(0, 200) });
  } finally {
    clearTimeout(timer);
  }
}

export async function withRetries(
  attempt: (timeoutMs: number) => Promise<Answer>,
  policy: RetryPolicy,
  clock: Clock,
  lang: Lang,
): Promise<{ answer: Answer; tries: number }> {
  const deadline = clock.now() + policy.deadlineMs;
  let tries = 0;
  for (;;) {
    tries += 1;
    const answer = await bounded(attempt, Math.max(1, Math.min(policy.tryTimeoutMs, deadline - clock.now())), lang);
    if (!isRetryable(answer) || tries >= policy.maxTries) return { answer, tries };
    const wait = backoff(policy, tries, clock.random());
    if (clock.now() + wait >= deadline) return { answer, tries };
    await clock.sleep(wait);
  }
}
