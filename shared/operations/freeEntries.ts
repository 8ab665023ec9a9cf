/**
 * The daily reset of free entries (seed 004, problem 4: "several processes reset users' free entries at once"),
 * run exactly once per UTC day however many instances start it, without a row lock.
 *
 * What free entries are here: every user account may take `allowance` free entries per UTC day. The reset does
 * not walk the accounts (the port has no scan, and a sweep over millions of rows is what made seed 004 lock):
 * it opens the day. `maintenance/free-entries` = `{ day, allowance, resetAt, token }` names the current day,
 * and an account's own counter `{ freeDay, freeUsed }` counts only while `freeDay` is that day; a counter of an
 * older day reads as 0 used (takeFreeEntry). Opening a day therefore resets every account at once, in one write.
 *
 * Exactly once: the run takes the lease `free-entries-reset` (leases.ts), then commits in one transaction the
 * lease's fence (no newer holder), the per-day marker `maintenance/free-entries:{day}` (inserted only if absent)
 * and the new day. A second instance finds the lease held (`busy`) or the marker there (`already-done`); a
 * paused holder finds its fence refused (`lease-lost`). Nothing is written twice.
 *
 * Errors: whatever the store throws (SERVICE_UNAVAILABLE, INTERNAL); TRANSACTION_CONFLICT when contention
 * outlasts the retries; takeFreeEntry: VERSION_CONFLICT when the account keeps moving for TAKE_POLICY's attempts.
 */
import { ACCOUNTS, MAINTENANCE } from '../collections';
import { AppError } from '../errors';
import { asAccount } from '../model';
import { retry, type RetryPolicy } from '../retry';
import type { TxWrite } from '../store';
import { transactUntilDecided } from './contention';
import type { OperationDeps } from './deps';
import { acquireLease, fence, releaseLease } from './leases';

export const FREE_ENTRIES_DOC = 'free-entries';
export const RESET_LEASE = 'free-entries-reset';
/** Longer than a reset ever takes (three store calls); a crashed run blocks the next one this long at most. */
export const RESET_LEASE_TTL_MS = 60_000;
export const DEFAULT_FREE_ENTRIES_PER_DAY = 3;

export interface ResetInput {
  /** Epoch ms: the day to open is its UTC date. */
  now: number;
  deadline: number;
  /** Free entries per account for the day; LOCKLESS_FREE_ENTRIES_PER_DAY or DEFAULT_FREE_ENTRIES_PER_DAY. */
  allowance?: number;
}

export type ResetSummary =
  | { status: 'reset'; day: string; allowance: number; token: number }
  | { status: 'already-done'; day: string }
  | { status: 'busy'; day: string; holder: string }
  | { status: 'lease-lost'; day: string };

const DAY_MS = 86_400_000;
export const utcDay = (epochMs: number) => new Date(epochMs).toISOString().slice(0, 10);
export const dayMarkerId = (day: string) => `${FREE_ENTRIES_DOC}:${day}`;

/** The daily allowance from the environment; anything but a non-negative integer gives the default. */
export function freeEntriesAllowance(env: NodeJS.ProcessEnv = process.env): number {
  const value = Number(env.LOCKLESS_FREE_ENTRIES_PER_DAY);
  return env.LOCKLESS_FREE_ENTRIES_PER_DAY !== undefined && Number.isSafeInteger(value) && value >= 0
    ? value
    : DEFAULT_FREE_ENTRIES_PER_DAY;
}

/**
 * Opens the UTC day of `input.now` for free entries, once. For the scheduled maintenance function and
 * `POST /maintenance/reset-free-entries`. At most 1 + 2 x ACQUIRE_ROUNDS + 1 + T + 1 store calls; one read once
 * the day is open.
 */
export async function resetFreeEntries(deps: OperationDeps, input: ResetInput): Promise<ResetSummary> {
  const day = utcDay(input.now);
  const allowance = input.allowance ?? freeEntriesAllowance();
  // The scheduled run asks every minute: once the day is open, one read answers, with no lease taken.
  const opened = await deps.store.get(MAINTENANCE, FREE_ENTRIES_DOC);
  if (typeof opened?.dayNumber === 'number' && opened.dayNumber >= Math.floor(input.now / DAY_MS)) return { status: 'already-done', day };
  const owner = `reset-${input.now}-${Math.floor(deps.random() * 1e9)}`;
  const taken = await acquireLease(deps, RESET_LEASE, owner, RESET_LEASE_TTL_MS);
  if (!taken.ok) return { status: 'busy', day, holder: taken.holder };
  const { lease } = taken;
  try {
    const current = await deps.store.get(MAINTENANCE, FREE_ENTRIES_DOC);
    const dayNumber = Math.floor(input.now / DAY_MS);
    const fields = { day, dayNumber, allowance, resetAt: new Date(input.now).toISOString(), token: lease.token };
    // Days only move forward: a run that computed its day before midnight and got the lease after the next
    // day's run must not open yesterday again.
    const forward = [{ field: 'dayNumber', op: 'lt' as const, value: dayNumber }];
    const openDay: TxWrite = current
      ? { kind: 'update', label: 'day', collection: MAINTENANCE, id: FREE_ENTRIES_DOC, spec: { guards: forward, set: fields } }
      : { kind: 'insert', label: 'day', collection: MAINTENANCE, doc: { id: FREE_ENTRIES_DOC, ...fields } };
    const writes: TxWrite[] = [
      fence(lease),
      { kind: 'insert', label: 'marker', collection: MAINTENANCE, doc: { id: dayMarkerId(day), day, token: lease.token, owner } },
      openDay,
    ];
    const { result } = await transactUntilDecided(() => deps.store.transact(writes, { deadline: input.deadline }), {
      maxAttempts: deps.policies.transactionAttempts,
      deadline: input.deadline,
      deps,
    });
    if (result.ok) return { status: 'reset', day, allowance, token: lease.token };
    // `marker`: this day is done; `day`: this day or a later one is already open.
    if (result.label === 'marker' || result.label === 'day') return { status: 'already-done', day };
    // `fence`: a newer holder exists.
    return { status: 'lease-lost', day };
  } finally {
    await releaseLease(deps, lease);
  }
}

export type TakeResult = { ok: true; day: string; left: number } | { ok: false; reason: 'not-open' | 'none-left' | 'not-your-account' };

/** Rounds of read, decide, compare-and-swap when another writer moved the account or the day meanwhile. */
export const TAKE_POLICY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 50 };

/**
 * Takes one of today's free entries of `accountId` for its owner `uid` (for the code that spends them, e.g. a
 * lottery entry). One transaction: the day document must still name the day decided on (a reset in between
 * refuses it), and the account's counter moves by compare-and-swap on its version. At most
 * TAKE_POLICY.maxAttempts x 3 store calls, through the one retry loop.
 */
export async function takeFreeEntry(deps: OperationDeps, input: { uid: string; accountId: string; deadline: number }): Promise<TakeResult> {
  const run = await retry<TakeResult, 'moved'>(
    async () => {
      const today = await deps.store.get(MAINTENANCE, FREE_ENTRIES_DOC);
      if (!today || typeof today.day !== 'string' || typeof today.allowance !== 'number') return done({ ok: false, reason: 'not-open' });
      const account = asAccount(await deps.store.get(ACCOUNTS, input.accountId));
      if (!account || account.owner !== input.uid) return done({ ok: false, reason: 'not-your-account' });
      const used = account.freeDay === today.day && typeof account.freeUsed === 'number' ? account.freeUsed : 0;
      if (used >= today.allowance) return done({ ok: false, reason: 'none-left' });
      const result = await deps.store.transact(
        [
          {
            kind: 'check',
            label: 'day',
            collection: MAINTENANCE,
            id: FREE_ENTRIES_DOC,
            guards: [{ field: 'day', op: 'eq', value: today.day }],
          },
          {
            kind: 'update',
            label: 'account',
            collection: ACCOUNTS,
            id: account.id,
            spec: { expectVersion: account.version, set: { freeDay: today.day, freeUsed: used + 1 } },
          },
        ],
        { deadline: input.deadline },
      );
      if (result.ok) return done({ ok: true, day: today.day, left: today.allowance - used - 1 });
      // Refused (the day turned, the account moved) or contended: decide again on fresh reads.
      return { done: false, failure: 'moved' };
    },
    TAKE_POLICY,
    { deadline: input.deadline, deps },
  );
  if (run.ok) return run.value;
  throw new AppError('VERSION_CONFLICT', 'the account kept changing while taking a free entry', { details: { attempts: run.attempts } });
}

const done = (value: TakeResult) => ({ done: true as const, value });
