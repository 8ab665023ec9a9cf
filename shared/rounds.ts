/**
 * Lottery rounds (夺宝, seed 004) as operations see them, and the draw's formula. Money is in minor units.
 *
 * A round sells `totalShares` numbered shares at `price` each. Its status only moves forward:
 * `open` (selling) → `full` (the last share sold, in the same transaction) → `drawn` (the winner was paid).
 * Share numbers are 1..totalShares; an entry holds the consecutive numbers its transaction reserved.
 *
 * The draw is checkable by anyone (see winningNumber): at creation the round stores a random `seed` and shows
 * only `commitment = sha256(seed)`; the seed is shown once the round is drawn.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { sha256Hex } from './hash';
import type { Doc } from './store';

export const ROUND_STATUSES = ['open', 'full', 'drawn'] as const;
export type RoundStatus = (typeof ROUND_STATUSES)[number];

/** Largest round: the draw looks an entry up by number, and the queue and holdings stay small. */
export const MAX_TOTAL_SHARES = 10_000;
/**
 * Most shares one entry may buy. The draw finds the entry holding the winning number by stepping down from it
 * to the entry's first number, so this bounds that walk (at most this many reads).
 */
export const MAX_SHARES_PER_ENTRY = 100;
/** The owner of every pool account: no caller's sub can be empty (directIdentity.ts isUserSub), so nobody may spend from it. */
export const POOL_OWNER = '';
/** The one queue document listing full rounds until they are drawn. */
export const FULL_ROUNDS_QUEUE = 'full-rounds';

export interface Round extends Doc {
  name: string;
  totalShares: number;
  /** Shares sold so far; 0 <= sold <= totalShares, guarded by every entry. */
  sold: number;
  price: number;
  /** What the winner receives from the pool; at most price x totalShares. */
  prize: number;
  capPerUser: number;
  status: RoundStatus;
  poolAccountId: string;
  commitment: string;
  /** Secret until the draw; never shown while the round is open or full. */
  seed: string;
  createdAt: string;
  /** Set in the transaction that sells the last share. */
  finalEntryId?: string;
  winningNumber?: number;
  winningEntryId?: string;
  winnerUid?: string;
  winnerAccountId?: string;
  drawnAt?: string;
}

export interface RoundEntry extends Doc {
  roundId: string;
  uid: string;
  accountId: string;
  shares: number;
  /** The share numbers this entry holds: firstNumber..lastNumber. */
  firstNumber: number;
  lastNumber: number;
  amount: number;
  createdAt: string;
}

/** Narrows a stored document to a round, or null if a field the operations rely on is missing. */
export function asRound(doc: Doc | null): Round | null {
  if (!doc) return null;
  const numeric = ['totalShares', 'sold', 'price', 'prize', 'capPerUser'].every((f) => typeof doc[f] === 'number');
  if (!numeric || !ROUND_STATUSES.includes(doc.status as RoundStatus) || typeof doc.seed !== 'string') return null;
  return doc as Round;
}

export function asRoundEntry(doc: Doc | null): RoundEntry | null {
  if (!doc || typeof doc.firstNumber !== 'number' || typeof doc.lastNumber !== 'number') return null;
  return doc as RoundEntry;
}

/** The pool account that collects a round's entries and pays its prize. */
export const poolAccountId = (roundId: string) => `pool-${roundId}`;
/** An entry's id is its round and first number: two entries can never hold the same first number. */
export const entryId = (roundId: string, firstNumber: number) => `${roundId}-${firstNumber}`;
/** The ledger entries of a round: one per entry (its debit) and one for the prize. */
export const entryLedgerId = (id: string) => `entry-${id}`;
export const prizeLedgerId = (roundId: string) => `prize-${roundId}`;
/** The per-(user, round) counter that enforces capPerUser. */
export const holdingId = (roundId: string, uid: string) => sha256Hex(`${roundId}\n${uid}`);

/** The commitment published at creation: sha256 of the seed, hex. */
export const commitmentOf = (seed: string) => sha256Hex(seed);
export const newSeed = () => randomBytes(32).toString('hex');

/**
 * The winning number, 1..totalShares:
 *
 *   winningNumber = (HMAC-SHA256(key = seed, message = roundId + "\n" + finalEntryId) as a 256-bit integer)
 *                   mod totalShares + 1
 *
 * `seed` was fixed when the round was created (its sha256 was published then), and `finalEntryId` when the
 * last share sold, so the result was fixed before anyone asked for the draw. Anyone can check it with the
 * revealed seed (the modulo bias is below 2^-240 for any round size).
 */
export function winningNumber(seed: string, roundId: string, finalEntryId: string, totalShares: number): number {
  const digest = createHmac('sha256', seed).update(`${roundId}\n${finalEntryId}`).digest('hex');
  return Number(BigInt(`0x${digest}`) % BigInt(totalShares)) + 1;
}

/** What anyone may see of a round: the seed only once drawn; who won only as the winning entry. */
export function publicRound(round: Round) {
  const drawn = round.status === 'drawn';
  return {
    id: round.id,
    name: round.name,
    totalShares: round.totalShares,
    sold: round.sold,
    price: round.price,
    prize: round.prize,
    capPerUser: round.capPerUser,
    status: round.status,
    commitment: round.commitment,
    createdAt: round.createdAt,
    version: round.version,
    ...(round.finalEntryId ? { finalEntryId: round.finalEntryId } : {}),
    ...(drawn
      ? { seed: round.seed, winningNumber: round.winningNumber, winningEntryId: round.winningEntryId, drawnAt: round.drawnAt }
      : {}),
  };
}

export function publicEntry(entry: RoundEntry) {
  return {
    id: entry.id,
    roundId: entry.roundId,
    accountId: entry.accountId,
    shares: entry.shares,
    numbers: Array.from({ length: entry.lastNumber - entry.firstNumber + 1 }, (_, i) => entry.firstNumber + i),
    amount: entry.amount,
    createdAt: entry.createdAt,
  };
}
