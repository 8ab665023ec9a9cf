/**
 * Creating and reading lottery rounds (shared/rounds.ts has the model and the draw's formula).
 *
 * A round is created with its pool account (balance 0, owned by nobody) in one transaction, so a round never
 * exists without the account its entries pay into. Its seed is drawn here, never chosen by the caller, and only
 * its sha256 (the commitment) is shown until the draw.
 *
 * Errors: ROUND_EXISTS (the id, or its pool account id, is taken), ROUND_NOT_FOUND, INVALID_REQUEST,
 * TRANSACTION_CONFLICT, SERVICE_UNAVAILABLE.
 */
import { ACCOUNTS, ROUND_QUEUE, ROUNDS } from '../collections';
import { AppError } from '../errors';
import { asRound, commitmentOf, FULL_ROUNDS_QUEUE, newSeed, POOL_OWNER, poolAccountId, publicRound, type Round } from '../rounds';
import { transactUntilDecided } from './contention';
import type { OperationDeps } from './deps';

export interface CreateRoundInput {
  id: string;
  name?: string;
  totalShares: number;
  price: number;
  capPerUser: number;
  /** Defaults to the whole pool, price x totalShares. */
  prize?: number;
  deadline: number;
}

const invalid = (field: string, message: string) => new AppError('INVALID_REQUEST', message, { details: { issues: [{ field, message }] } });

/** Creates an open round and its empty pool account. `seed` is for tests; callers never choose it. */
export async function createRound(deps: OperationDeps, input: CreateRoundInput, seed: string = newSeed()) {
  const pool = input.price * input.totalShares;
  if (!Number.isSafeInteger(pool)) throw invalid('body.price', 'price x totalShares must be a safe integer');
  if (input.capPerUser > input.totalShares) throw invalid('body.capPerUser', 'must be at most totalShares');
  const prize = input.prize ?? pool;
  // The prize comes out of the pool, whose debit is guarded by its balance: promise no more than it will hold.
  if (prize > pool) throw invalid('body.prize', 'must be at most price x totalShares');

  // The queue a full round joins (in the entry that fills it) must exist: created once, never removed.
  const queued = await deps.store.insert(ROUND_QUEUE, { id: FULL_ROUNDS_QUEUE, rounds: [] });
  if (!queued.ok && queued.reason !== 'already_exists') throw new AppError('INTERNAL', 'could not create the round queue');

  const round: Round = {
    id: input.id,
    version: 1,
    name: input.name ?? input.id,
    totalShares: input.totalShares,
    sold: 0,
    price: input.price,
    prize,
    capPerUser: input.capPerUser,
    status: 'open',
    poolAccountId: poolAccountId(input.id),
    commitment: commitmentOf(seed),
    seed,
    createdAt: new Date(deps.now()).toISOString(),
  };
  const { version: _version, ...roundDoc } = round;
  const { result } = await transactUntilDecided(
    () =>
      deps.store.transact(
        [
          { kind: 'insert', label: 'round', collection: ROUNDS, doc: roundDoc },
          { kind: 'insert', label: 'pool', collection: ACCOUNTS, doc: { id: round.poolAccountId, owner: POOL_OWNER, balance: 0 } },
        ],
        { deadline: input.deadline },
      ),
    { maxAttempts: deps.policies.transactionAttempts, deadline: input.deadline, deps },
  );
  if (!result.ok) throw new AppError('ROUND_EXISTS', `round ${input.id} (or its pool account) already exists`);
  return publicRound(round);
}

/** The round as anyone may see it. Errors: ROUND_NOT_FOUND. */
export async function getRound(deps: Pick<OperationDeps, 'store'>, roundId: string) {
  const round = asRound(await deps.store.get(ROUNDS, roundId));
  if (!round) throw new AppError('ROUND_NOT_FOUND', `round ${roundId} not found`);
  return publicRound(round);
}
