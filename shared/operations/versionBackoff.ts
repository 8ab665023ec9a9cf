/**
 * The backoff of the `version` strategy, as a contention window counted in round trips of the item.
 *
 * A CAS wins only if no other write lands on the item between the moment its snapshot left the database and
 * the moment the CAS arrives: about one round trip. So the item serves at most one fresh CAS per round trip,
 * and that round trip (the `slot`) is the unit of every wait here, measured on the CAS that just lost, never a
 * fixed number of milliseconds: on an idle item it is a few ms, and under load it stretches with the queues of
 * the client, the network and the database, and the windows with it.
 *
 * - A lost race (a CAS built on a snapshot that had not aged through a wait) hands back the document that beat
 *   it. The loser then waits, full jitter, in a window of `startSlots` slots, doubled for every further race
 *   lost (binary exponential backoff, as in a contention window), capped at `maxDelayMs`.
 * - After a wait at least `rereadGaps` of the item's write gaps long (the writes the lost CAS showed since its
 *   snapshot, over that time), the snapshot is surely stale and a read refreshes it; the race is run at once on
 *   what it read. After a shorter wait the CAS goes out on the snapshot it kept: if the item moved on, its
 *   refusal hands back the current document (one round trip on every backend, see adapters/mongodb/casUpdate.ts)
 *   and the race is run again at once on it; if not, the CAS simply wins. The read measured a little better than
 *   the refused CAS on both backends (deps.ts DEFAULT_POLICIES has the figures); on MongoDB, probably because a
 *   refused CAS still goes through the write path (and its write concern) and a read does not.
 * - Fairness, which is the p99: past `agingMs` the window shrinks in proportion to the request's age, so the
 *   longer a request has waited the more often it comes back; never below `minSlots` slots, or a crowd of old
 *   requests at concurrency 64 would storm the item with CASes that only slow the winners.
 *
 * Why the first window is as wide as 64 slots: every new request brings a fresh read, and under a closed loop of
 * 32 buyers about half of the successes go to those; the losers must come back rarely enough that their CASes
 * do not crowd the item (each wasted CAS costs CPU the winners need on a 2-core machine), and a request cannot
 * learn the crowd's size cheaply: with a window that starts at one slot, the doublings needed to reach it cost
 * more CASes than they save (deps.ts DEFAULT_POLICIES has the figures).
 *
 * No state is shared between requests (one Lambda container serves one request): all of this is derived from
 * what the request itself saw.
 */
import type { RetryPolicy } from '../retry';

/** What one lost compare-and-swap showed. */
export interface VersionConflictSeen {
  /** Ms the lost CAS took, sent to answered: the round trip a contender pays on the item right now. */
  roundTripMs: number;
  /** Ms since the purchase started. */
  ageMs: number;
  /** The snapshot had been kept through a wait, so the conflict may only say that it aged. */
  keptThroughWait: boolean;
  /** Conflicts so far on snapshots that had not aged by a wait: races truly lost (>= 0). */
  racesLost: number;
}

/**
 * The knobs of the version backoff, next to the attempt budget (deps.ts DEFAULT_POLICIES.version).
 * `baseDelayMs` is the smallest slot (a round trip faster than the clock's resolution still counts as this),
 * `maxDelayMs` caps every window.
 */
export interface VersionBackoffPolicy extends RetryPolicy {
  /** After this long, a request's window shrinks in proportion to its age (half at 2x...). */
  agingMs: number;
  /** The window after the first race lost, in slots; doubled per further race lost. */
  startSlots: number;
  /** No window is narrower than this many slots (or `maxDelayMs`, if smaller). */
  minSlots: number;
  /**
   * After a wait at least this many of the item's write gaps long, the snapshot kept through it is surely stale:
   * it is refreshed by a read instead of a CAS bound to be refused (0: always the CAS).
   */
  rereadGaps: number;
}

/**
 * Whether a snapshot kept through a wait of `waitedMs` is surely stale, so that a read should refresh it instead
 * of a CAS bound to be refused: the wait lasted at least `rereadGaps` of the item's write gaps (`gapMs`, ms per
 * write, as the last lost CAS showed; unknown before any).
 */
export function refreshAfterWait(policy: VersionBackoffPolicy, gapMs: number | undefined, waitedMs: number): boolean {
  return waitedMs > 0 && policy.rereadGaps > 0 && gapMs !== undefined && waitedMs >= policy.rereadGaps * gapMs;
}

/** The slot: one round trip of a CAS on the item as the purchase saw it, never below `baseDelayMs`. */
export function slotMs(policy: VersionBackoffPolicy, seen: Pick<VersionConflictSeen, 'roundTripMs'>): number {
  return Math.max(policy.baseDelayMs, seen.roundTripMs);
}

/** The wait before the next attempt, from what the lost one saw; `random` is uniform in [0, 1). */
export function versionBackoff(policy: VersionBackoffPolicy, seen: VersionConflictSeen, random: () => number): number {
  // A snapshot kept through a wait may have lost only because it aged; its conflict handed back the current
  // document, as a read would have, and the race is run at once on it.
  if (seen.keptThroughWait) return 0;
  const slot = slotMs(policy, seen);
  const slots = policy.startSlots * 2 ** Math.min(Math.max(0, seen.racesLost - 1), 16);
  const aging = seen.ageMs > policy.agingMs ? policy.agingMs / seen.ageMs : 1;
  const floor = Math.min(policy.maxDelayMs, slot * policy.minSlots);
  const ceiling = Math.max(floor, Math.min(policy.maxDelayMs, slot * slots) * aging);
  return random() * ceiling;
}
