/**
 * Drawing a full lottery round, exactly once, and the periodic sweep that draws every full round.
 *
 * The winning number follows from values fixed before anyone asks for the draw (shared/rounds.ts
 * winningNumber: the committed seed, the round id and the final entry's id), so drawing twice can only ever
 * pick the same number. One transaction, guarded by status `full`, then:
 * - `round`: status `drawn`, the winning number, entry, account and user;
 * - `pool`: the prize out of the round's pool account, guarded by its balance;
 * - `winner`: the prize into the account the winning entry was paid from;
 * - `ledger`: the prize's ledger entry, insert-if-absent under `prize-<roundId>`;
 * - `queue`: the round leaves the queue of rounds to draw.
 * Two concurrent draws: one commits, the other's `round` guard fails and it answers the recorded result.
 *
 * Errors: ROUND_NOT_FOUND, ROUND_NOT_FULL, TRANSACTION_CONFLICT, SERVICE_UNAVAILABLE, INTERNAL.
 */
import { LEDGER, ROUND_ENTRIES, ROUND_QUEUE, ROUNDS } from '../collections';
import { AppError, toAppError } from '../errors';
import {
  asRound,
  asRoundEntry,
  entryId,
  FULL_ROUNDS_QUEUE,
  MAX_SHARES_PER_ENTRY,
  prizeLedgerId,
  publicRound,
  winningNumber,
  type Round,
  type RoundEntry,
} from '../rounds';
import type { TxWrite } from '../store';
import { creditWrite, debitWrite } from './accountWrites';
import { transactUntilDecided } from './contention';
import type { OperationDeps } from './deps';

export interface DrawOutcome {
  round: ReturnType<typeof publicRound>;
  /** False when an earlier (or concurrent) draw recorded this result. */
  drawnNow: boolean;
}

const notFound = (roundId: string) => new AppError('ROUND_NOT_FOUND', `round ${roundId} not found`);

async function readRound(deps: Pick<OperationDeps, 'store'>, roundId: string): Promise<Round> {
  const round = asRound(await deps.store.get(ROUNDS, roundId));
  if (!round) throw notFound(roundId);
  return round;
}

/**
 * The entry holding `number`: entries are keyed by their first number and hold at most MAX_SHARES_PER_ENTRY
 * consecutive numbers, so it is the first one found stepping down from `number` (at most that many reads).
 */
export async function entryHolding(deps: Pick<OperationDeps, 'store'>, roundId: string, number: number): Promise<RoundEntry> {
  for (let first = number; first >= Math.max(1, number - MAX_SHARES_PER_ENTRY + 1); first--) {
    const entry = asRoundEntry(await deps.store.get(ROUND_ENTRIES, entryId(roundId, first)));
    if (entry) {
      if (entry.lastNumber >= number) return entry;
      break;
    }
  }
  throw new AppError('INTERNAL', `no entry of round ${roundId} holds number ${number}`);
}

/** Draws `roundId` if it is full; answers the recorded result if it was already drawn. */
export async function drawRound(deps: OperationDeps, input: { roundId: string; deadline: number; now?: number }): Promise<DrawOutcome> {
  const round = await readRound(deps, input.roundId);
  if (round.status === 'drawn') return { round: publicRound(round), drawnNow: false };
  if (round.status !== 'full' || !round.finalEntryId) throw new AppError('ROUND_NOT_FULL', `round ${round.id} is not full`);

  const number = winningNumber(round.seed, round.id, round.finalEntryId, round.totalShares);
  const winner = await entryHolding(deps, round.id, number);
  const drawnAt = new Date(input.now ?? deps.now()).toISOString();
  const after: Round = {
    ...round,
    status: 'drawn',
    version: round.version + 1,
    winningNumber: number,
    winningEntryId: winner.id,
    winnerUid: winner.uid,
    winnerAccountId: winner.accountId,
    drawnAt,
  };
  const { result } = await transactUntilDecided(() => deps.store.transact(drawWrites(after, winner), { deadline: input.deadline }), {
    maxAttempts: deps.policies.transactionAttempts,
    deadline: input.deadline,
    deps,
  });
  if (result.ok) return { round: publicRound(after), drawnNow: true };
  if (result.label === 'round') {
    // A concurrent draw committed first (or the round vanished): what is recorded is the answer.
    const now = await readRound(deps, input.roundId);
    if (now.status === 'drawn') return { round: publicRound(now), drawnNow: false };
  }
  throw new AppError('INTERNAL', `draw of round ${round.id} refused by its ${result.label ?? 'unlabelled'} write (${result.reason})`);
}

/** The writes of a draw (see the file comment); `after` is the round as drawn. */
export function drawWrites(after: Round, winner: RoundEntry): TxWrite[] {
  return [
    {
      kind: 'update',
      label: 'round',
      collection: ROUNDS,
      id: after.id,
      spec: {
        guards: [{ field: 'status', op: 'eq', value: 'full' }],
        set: {
          status: 'drawn',
          winningNumber: after.winningNumber!,
          winningEntryId: winner.id,
          winnerUid: winner.uid,
          winnerAccountId: winner.accountId,
          drawnAt: after.drawnAt!,
        },
      },
    },
    debitWrite('pool', after.poolAccountId, after.prize),
    creditWrite('winner', winner.accountId, after.prize),
    {
      kind: 'insert',
      label: 'ledger',
      collection: LEDGER,
      doc: {
        id: prizeLedgerId(after.id),
        kind: 'round-prize',
        roundId: after.id,
        entryId: winner.id,
        from: after.poolAccountId,
        to: winner.accountId,
        amount: after.prize,
        uid: winner.uid,
        createdAt: after.drawnAt!,
      },
    },
    { kind: 'update', label: 'queue', collection: ROUND_QUEUE, id: FULL_ROUNDS_QUEUE, spec: { pull: { field: 'rounds', key: after.id } } },
  ];
}

export interface DrawSweepSummary {
  /** Rounds the queue listed when the sweep read it. */
  queued: number;
  drawn: number;
  /** Drawn meanwhile by someone else (a concurrent sweep or an admin). */
  alreadyDrawn: number;
  failed: number;
  /** Left for the next sweep because the deadline came first. */
  skipped: number;
}

/** Time kept back from the deadline for one more draw (a few reads and one transaction). */
const DRAW_RESERVE_MS = 1_000;

/**
 * The scheduled maintenance task: draws every full round listed in the queue, oldest first, until `deadline`.
 * Safe to run from several processes at once: each round is drawn by exactly one of them (the draw's guard).
 * A draw that fails is logged and left queued for the next sweep. Never throws for one round's failure.
 */
export async function drawFullRounds(deps: OperationDeps, input: { now: number; deadline: number }): Promise<DrawSweepSummary> {
  const queue = await deps.store.get(ROUND_QUEUE, FULL_ROUNDS_QUEUE);
  const listed = Array.isArray(queue?.rounds) ? (queue.rounds as Array<{ id: string; fullAt?: string }>) : [];
  const ids = [...listed].sort((a, b) => String(a.fullAt).localeCompare(String(b.fullAt))).map((r) => r.id);
  const summary: DrawSweepSummary = { queued: ids.length, drawn: 0, alreadyDrawn: 0, failed: 0, skipped: 0 };
  for (const roundId of ids) {
    if (deps.now() + DRAW_RESERVE_MS >= input.deadline) {
      summary.skipped += 1;
      continue;
    }
    try {
      const outcome = await drawRound(deps, { roundId, deadline: input.deadline, now: input.now });
      if (outcome.drawnNow) summary.drawn += 1;
      else summary.alreadyDrawn += 1;
    } catch (err) {
      summary.failed += 1;
      const appError = toAppError(err);
      deps.log('error', { msg: 'round draw failed', roundId, code: appError.code, cause: String(appError.cause ?? appError.message) });
    }
  }
  return summary;
}
