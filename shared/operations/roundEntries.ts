/**
 * Buying shares of a lottery round (seed 004's "atomic lottery entry", without its FOR UPDATE row lock).
 *
 * Read the round and the caller's holding, decide, then one transaction commits all of it or nothing:
 * - `round`: sold += shares, compare-and-swap on the version just read, also guarded by status `open` and
 *   `sold <= total - shares`; the same write sets status `full` (and the final entry) when it sells the last share;
 * - `holding`: the per-(user, round) counter, inserted if absent or CAS-updated, guarded by the cap;
 * - `debit`: the caller's own account, `price x shares`, guarded by owner and balance;
 * - `credit`: the round's pool account;
 * - `entry`: the entry, insert-if-absent under id round + first number;
 * - `ledger`: the ledger entry recording the debit and the credit (same id as the entry, prefixed);
 * - `queue`: when the round becomes full, it joins the queue of rounds to draw.
 *
 * The share numbers are sold+1..sold+shares of the snapshot the CAS is guarded on: a commit proves nobody sold
 * in between, so no two entries hold the same number (the entry id, round + first number, would refuse it too).
 * A CAS lost to another entry is read and decided again, with backoff, in the one loop that also runs contended
 * transactions again (at most `transactionAttempts` runs, within the deadline).
 *
 * Worst case per request, with T = transactionAttempts: at most T transaction runs and 2 + T reads (the first
 * snapshot is two reads; a contended run is followed by one read of the round, a lost CAS by none, a lost holding
 * by two), so 3T + 2 store calls; under an Idempotency-Key, R = 8 claim rounds of that at most (idempotency.ts),
 * plus its polls. The deadline stops it long before, and backoff (ENTRY_BACKOFF) sits between runs.
 *
 * Errors: ROUND_NOT_FOUND, ROUND_SOLD_OUT (fewer shares left than asked, or not open), ENTRY_CAP_EXCEEDED,
 * INSUFFICIENT_BALANCE, FORBIDDEN (the account is not the caller's), TRANSACTION_CONFLICT, IDEMPOTENCY_KEY_REUSED,
 * IDEMPOTENCY_IN_PROGRESS, SERVICE_UNAVAILABLE, INTERNAL.
 */
import { LEDGER, ROUND_ENTRIES, ROUND_HOLDINGS, ROUND_QUEUE, ROUNDS } from '../collections';
import { AppError } from '../errors';
import { retry } from '../retry';
import {
  asRound,
  entryId,
  poolAccountId,
  entryLedgerId,
  FULL_ROUNDS_QUEUE,
  holdingId,
  publicEntry,
  publicRound,
  type Round,
  type RoundEntry,
} from '../rounds';
import { isContended, type Doc, type TxContended, type TxWrite } from '../store';
import { creditWrite, debitRefusal, debitWrite } from './accountWrites';
import { ATTEMPT_RESERVE_MS, contentionError } from './contention';
import type { OperationDeps } from './deps';
import { runOnceInTransaction, type OnceTransact } from './idempotency';

export interface EnterRoundInput {
  uid: string;
  roundId: string;
  accountId: string;
  shares: number;
  deadline: number;
  idempotencyKey?: string;
}

export interface EnterRoundOutcome {
  entry: ReturnType<typeof publicEntry>;
  round: ReturnType<typeof publicRound>;
  /** Transaction runs this entry took (contended ones and lost CASes included). */
  attempts: number;
}

export async function enterRound(deps: OperationDeps, input: EnterRoundInput): Promise<{ data: EnterRoundOutcome; replayed: boolean }> {
  // Nobody owns a pool; paying from the round's own pool would also name one item twice in one transaction,
  // which DynamoDB refuses outright (a 500, not a refusal).
  if (input.accountId === poolAccountId(input.roundId)) throw new AppError('FORBIDDEN', 'the caller does not own the account');
  if (!input.idempotencyKey) return { data: await runEntry(deps, input), replayed: false };
  return runOnceInTransaction(
    deps,
    {
      uid: input.uid,
      op: 'roundEntry',
      key: input.idempotencyKey,
      command: { roundId: input.roundId, accountId: input.accountId, shares: input.shares },
    },
    input.deadline,
    (transact) => runEntry(deps, input, transact),
  );
}

/** What the decision needs: the round and how many shares the caller already holds in it. */
interface Snapshot {
  round: Round;
  holding: Doc | null;
}

const notFound = (roundId: string) => new AppError('ROUND_NOT_FOUND', `round ${roundId} not found`);

async function readRound(deps: OperationDeps, roundId: string): Promise<Round> {
  const round = asRound(await deps.store.get(ROUNDS, roundId));
  if (!round) throw notFound(roundId);
  return round;
}

async function readSnapshot(deps: OperationDeps, input: EnterRoundInput): Promise<Snapshot> {
  const [round, holding] = await Promise.all([
    readRound(deps, input.roundId),
    deps.store.get(ROUND_HOLDINGS, holdingId(input.roundId, input.uid)),
  ]);
  return { round, holding };
}

/** Throws the refusal the snapshot already implies: ROUND_SOLD_OUT, ENTRY_CAP_EXCEEDED. */
function judge({ round, holding }: Snapshot, input: EnterRoundInput): void {
  const available = round.status === 'open' ? round.totalShares - round.sold : 0;
  if (available < input.shares) {
    throw new AppError('ROUND_SOLD_OUT', 'not enough shares left', { details: { requested: input.shares, available } });
  }
  const held = typeof holding?.shares === 'number' ? holding.shares : 0;
  if (held + input.shares > round.capPerUser) {
    throw new AppError('ENTRY_CAP_EXCEEDED', 'per-user cap exceeded', {
      details: { cap: round.capPerUser, held, requested: input.shares },
    });
  }
}

/**
 * Backoff between runs. The round is one hot document that every entry compare-and-swaps, so only one of the
 * contenders of a snapshot can win: a longer cap than the default spreads hundreds of buyers out instead of
 * letting them collide again. Measured with test/functions/lotteryConcurrency.ts (500 entries, 60 shares; one run
 * each on a shared 2-core machine, MongoDB under Wine): the contention default (10-200 ms) took 234 s on MongoDB
 * (mean 30 runs per committed entry); 50 ms-4 s took 143 s; 100 ms-8 s took 56 s (7.8 runs) on MongoDB and
 * 34 s (2.7 runs) on DynamoDB Local.
 */
export const ENTRY_BACKOFF = { baseDelayMs: 100, maxDelayMs: 8_000 } as const;

async function runEntry(
  deps: OperationDeps,
  input: EnterRoundInput,
  transact: OnceTransact = (_data, writes, options) => deps.store.transact(writes, options),
): Promise<EnterRoundOutcome> {
  // Kept across runs: a lost CAS hands back the round as it is now, so that retry costs one transaction and no
  // read; the caller's holding changes only with the caller's own entries, so it is read again only when it moved.
  let snapshot: Snapshot | undefined;
  let refreshRound = false;
  const run = await retry<EnterRoundOutcome, TxContended | 'stale'>(
    async (attempt) => {
      if (snapshot && refreshRound) snapshot = { ...snapshot, round: await readRound(deps, input.roundId) };
      snapshot ??= await readSnapshot(deps, input);
      refreshRound = false;
      judge(snapshot, input);
      const { data, writes } = entryWrites(snapshot, input, deps.now(), attempt);
      const result = await transact(data, writes, { deadline: input.deadline });
      if (result.ok) return { done: true, value: data };
      if (isContended(result)) {
        // Lost to a concurrent transaction, most likely an entry that has committed since: the next run reads the
        // round again (one read) rather than sending a CAS that would only fail on it.
        refreshRound = true;
        return { done: false, failure: result };
      }
      switch (result.label) {
        case 'round': {
          // Another entry sold first: decide again on what it left (sold out is answered now, without a wait).
          const current = result.reason === 'not_found' ? null : asRound(result.current ?? null);
          if (!current) throw notFound(input.roundId);
          snapshot = { ...snapshot, round: current };
          judge(snapshot, input);
          return { done: false, failure: 'stale' };
        }
        case 'holding':
          snapshot = undefined; // a concurrent entry of the same caller moved the counter: read both again
          return { done: false, failure: 'stale' };
        case 'debit':
          throw debitRefusal(result, data.entry.amount);
        default:
          // credit (the pool account is gone), entry (its number taken despite the CAS), ledger, queue.
          throw new AppError('INTERNAL', `round entry refused by its ${result.label ?? 'unlabelled'} write (${result.reason})`);
      }
    },
    { ...ENTRY_BACKOFF, maxAttempts: deps.policies.transactionAttempts },
    { deadline: input.deadline, reserveMs: ATTEMPT_RESERVE_MS, deps },
  );
  if (run.ok) return run.value;
  if (run.failure !== 'stale') throw contentionError(run.failure, run.attempts, run.exhausted);
  throw new AppError('TRANSACTION_CONFLICT', 'the round kept changing under every attempt', {
    details: { attempts: run.attempts, exhausted: run.exhausted },
  });
}

/** The answer and the writes of one attempt, decided on `snapshot` (see the file comment for each write). */
export function entryWrites(
  { round, holding }: Snapshot,
  input: Pick<EnterRoundInput, 'uid' | 'roundId' | 'accountId' | 'shares'>,
  now: number,
  attempts: number,
): { data: EnterRoundOutcome; writes: TxWrite[] } {
  const firstNumber = round.sold + 1;
  const sold = round.sold + input.shares;
  const full = sold === round.totalShares;
  const createdAt = new Date(now).toISOString();
  const id = entryId(round.id, firstNumber);
  const entry: RoundEntry = {
    id,
    version: 1,
    roundId: round.id,
    uid: input.uid,
    accountId: input.accountId,
    shares: input.shares,
    firstNumber,
    lastNumber: sold,
    amount: round.price * input.shares,
    createdAt,
  };
  const after: Round = {
    ...round,
    sold,
    status: full ? 'full' : 'open',
    version: round.version + 1,
    ...(full ? { finalEntryId: id } : {}),
  };
  const hid = holdingId(round.id, input.uid);
  const { version: _version, ...entryDoc } = entry;
  const writes: TxWrite[] = [
    {
      kind: 'update',
      label: 'round',
      collection: ROUNDS,
      id: round.id,
      spec: {
        expectVersion: round.version,
        // Redundant with the version while every writer bumps it; they state the invariant the write protects.
        guards: [
          { field: 'status', op: 'eq', value: 'open' },
          { field: 'sold', op: 'lte', value: round.totalShares - input.shares },
        ],
        set: { sold, status: after.status, ...(full ? { finalEntryId: id } : {}) },
      },
    },
    holding
      ? {
          kind: 'update',
          label: 'holding',
          collection: ROUND_HOLDINGS,
          id: hid,
          spec: {
            expectVersion: holding.version,
            guards: [{ field: 'shares', op: 'lte', value: round.capPerUser - input.shares }],
            inc: { shares: input.shares },
          },
        }
      : {
          kind: 'insert',
          label: 'holding',
          collection: ROUND_HOLDINGS,
          doc: { id: hid, roundId: round.id, uid: input.uid, shares: input.shares },
        },
    debitWrite('debit', input.accountId, entry.amount, input.uid),
    creditWrite('credit', round.poolAccountId, entry.amount),
    { kind: 'insert', label: 'entry', collection: ROUND_ENTRIES, doc: entryDoc },
    {
      kind: 'insert',
      label: 'ledger',
      collection: LEDGER,
      doc: {
        id: entryLedgerId(id),
        kind: 'round-entry',
        roundId: round.id,
        entryId: id,
        from: input.accountId,
        to: round.poolAccountId,
        amount: entry.amount,
        uid: input.uid,
        createdAt,
      },
    },
  ];
  if (full) {
    writes.push({
      kind: 'update',
      label: 'queue',
      collection: ROUND_QUEUE,
      id: FULL_ROUNDS_QUEUE,
      spec: { push: { field: 'rounds', element: { id: round.id, fullAt: createdAt } } },
    });
  }
  return { data: { entry: publicEntry(entry), round: publicRound(after), attempts }, writes };
}
