/**
 * The backoff of the `version` strategy: it follows the contention a purchase observes instead of a blind
 * exponential schedule.
 *
 * A lost compare-and-swap hands back the document that beat it (the store's `current`), so the purchase knows
 * how far the version moved since its snapshot and over how long: `overMs / moved` is the time the item takes
 * per write right now (the `gap`). A CAS can only win when no other write lands between its snapshot and its
 * arrival, so the item serves one contender per gap at best; after `n` straight losses, about 2^n contenders
 * are presumed ahead, and the wait is drawn (full jitter) from up to that many gaps. A hot item's gap is short
 * and its contenders many; a quiet item's gap is about one round trip and a loser retries almost at once.
 *
 * Fairness, which is also the p99: past `agingMs` the ceiling shrinks in proportion to the request's age (never
 * below one gap), so a request that has waited longer backs off less and is first in line when the item frees, instead of a newcomer with a fresh,
 * short schedule overtaking it again and again.
 *
 * No state is shared between requests (one Lambda container serves one request): all of this is derived from
 * what the request itself saw.
 */
import type { RetryPolicy } from '../retry';

/** What one lost compare-and-swap showed. */
export interface VersionConflictSeen {
  /** Versions the document moved between the snapshot the CAS was built on and the document that beat it (>= 1). */
  moved: number;
  /** Ms between receiving that snapshot and receiving the conflict. */
  overMs: number;
  /** Ms since the purchase started. */
  ageMs: number;
  /** The snapshot had been kept through a wait (not re-read), so the conflict may only say that it aged. */
  keptThroughWait: boolean;
  /** Conflicts so far on snapshots that had not aged by a wait: races truly lost (>= 0). */
  racesLost: number;
}

/** The knobs of the version backoff, next to the attempt budget (deps.ts DEFAULT_POLICIES.version). */
export interface VersionBackoffPolicy extends RetryPolicy {
  /** After this long, a request's ceiling shrinks in proportion to its age (half at 2x...), to one gap at least. */
  agingMs: number;
}

/**
 * Ms per write on the item, as the purchase saw it, but never below `baseDelayMs`. On the 2-core bench machine
 * the floor (100 ms) is what counts at a hot item: shorter steps let losers come back before the item could
 * serve them and every extra CAS slowed the winners (deps.ts DEFAULT_POLICIES has the figures). The observed
 * gap takes over when the item's writes are further apart than that.
 */
export function writeGap(policy: VersionBackoffPolicy, seen: Pick<VersionConflictSeen, 'moved' | 'overMs'>): number {
  return Math.max(policy.baseDelayMs, seen.overMs / Math.max(1, seen.moved));
}

/**
 * Whether a snapshot kept through a wait of `waitedMs` should be read again before the CAS: when the wait was
 * longer than the gap, a write has more likely than not landed, and a read (one call on every backend) is then
 * cheaper than a CAS bound to fail (on MongoDB a refused write costs the write and a read).
 */
export function rereadAfterWait(policy: VersionBackoffPolicy, seen: VersionConflictSeen, waitedMs: number): boolean {
  return waitedMs > writeGap(policy, seen);
}

/** The wait before the next attempt, from what the lost one saw; `random` is uniform in [0, 1). */
export function versionBackoff(policy: VersionBackoffPolicy, seen: VersionConflictSeen, random: () => number): number {
  // A snapshot kept through a wait may have lost only because it aged; its conflict handed back the current
  // document, as a read would have, and the race is run at once on it.
  if (seen.keptThroughWait) return 0;
  const gap = writeGap(policy, seen);
  const presumedAhead = 2 ** Math.min(Math.max(1, seen.racesLost), 10);
  const aging = seen.ageMs > policy.agingMs ? policy.agingMs / seen.ageMs : 1;
  // Never below one gap: when every contender is old (concurrency 64 on the bench), shrinking further turned
  // the oldest into a storm of CASes that only slowed the item (measured: 25.9 attempts per success).
  const ceiling = Math.max(Math.min(policy.maxDelayMs, gap), Math.min(policy.maxDelayMs, gap * presumedAhead) * aging);
  const floor = Math.min(policy.minDelayMs ?? 0, ceiling);
  return floor + random() * (ceiling - floor);
}
