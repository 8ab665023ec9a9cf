/**
 * Transfer: move money between two accounts in one transaction (seed 001's TransferMoney ran two separate
 * updates; a crash between them lost or minted money). Three writes commit together or not at all:
 * - debit `from`, guarded by `owner = caller` and `balance >= amount`;
 * - credit `to`, guarded to be an account with a numeric balance (an update never creates a document);
 * - insert the ledger entry `{ transferId, from, to, amount, uid, createdAt }` only if it is absent.
 * With an idempotency key the claim is a fourth write, first in the transaction.
 *
 * `from` that is missing or owned by someone else is answered the same way, 403 FORBIDDEN, so a caller learns
 * nothing about accounts that are not theirs. A missing `to` is 404 ACCOUNT_NOT_FOUND.
 *
 * Errors: FORBIDDEN, ACCOUNT_NOT_FOUND, INSUFFICIENT_BALANCE, TRANSACTION_CONFLICT (contention outlasted
 * `transactionAttempts` or the deadline), IDEMPOTENCY_KEY_REUSED, IDEMPOTENCY_IN_PROGRESS, INTERNAL,
 * SERVICE_UNAVAILABLE (also: DynamoDB throttled the transaction until the deadline).
 */
import { ACCOUNTS } from '../collections';
import { AppError } from '../errors';
import { asAccount, publicAccount } from '../model';
import { METRIC } from '../metrics';
import { isContended, type TxWrite } from '../store';
import { debitRefusal } from './accountWrites';
import { transactUntilDecided } from './contention';
import type { OperationDeps } from './deps';
import { runOnceInTransaction, type OnceTransact } from './idempotency';
import { moneyMoveWrites } from './moneyMoves';

export interface TransferInput {
  uid: string;
  from: string;
  to: string;
  amount: number;
  deadline: number;
  idempotencyKey?: string;
}

export interface TransferOutcome {
  transfer: { transferId: string; from: string; to: string; amount: number; createdAt: string };
}

export async function transfer(deps: OperationDeps, input: TransferInput): Promise<{ data: TransferOutcome; replayed: boolean }> {
  if (input.from === input.to) {
    throw new AppError('INVALID_REQUEST', 'from and to must differ', {
      details: { issues: [{ field: 'to', message: 'from and to must differ' }] },
    });
  }
  if (!input.idempotencyKey) return { data: await runTransfer(deps, input), replayed: false };
  const result = await runOnceInTransaction(
    deps,
    { uid: input.uid, op: 'transfer', key: input.idempotencyKey, command: { from: input.from, to: input.to, amount: input.amount } },
    input.deadline,
    (transact) => runTransfer(deps, input, transact),
  );
  return result;
}

/** `transact` is the store's, or under an idempotency key the one that adds the claim (idempotency.ts). */
async function runTransfer(
  deps: OperationDeps,
  input: TransferInput,
  transact: OnceTransact = (_data, writes, options) => deps.store.transact(writes, options),
): Promise<TransferOutcome> {
  // No read first: the debit's guards are the authorisation, checked at commit time, and a refused debit says
  // which guard failed (below). One round trip instead of two.
  const now = deps.now();
  const transferId = deps.newTransferId(now);
  const createdAt = new Date(now).toISOString();
  const data: TransferOutcome = { transfer: { transferId, from: input.from, to: input.to, amount: input.amount, createdAt } };
  const writes = transferWrites(input, data.transfer);
  // Contention is answered by the store as a value and run again here, the only place that retries it.
  const run = async () => {
    const result = await transact(data, writes, { deadline: input.deadline });
    if (isContended(result)) deps.metrics.count(METRIC.transactionRetries);
    return result;
  };
  const { result } = await transactUntilDecided(run, {
    maxAttempts: deps.policies.transactionAttempts,
    deadline: input.deadline,
    deps,
  });
  if (result.ok) return data;

  // Missing, someone else's, or not an account: all 403, so nothing about other accounts shows.
  if (result.label === 'debit') throw debitRefusal(result, input.amount);
  if (result.label === 'credit') throw new AppError('ACCOUNT_NOT_FOUND', `account ${input.to} not found`);
  throw new AppError('INTERNAL', `transfer id ${transferId} already in the ledger`);
}

/**
 * The writes of a transfer, named `debit`, `credit` and `ledger`: debit `from` only for its owner and only
 * while the balance covers the amount, credit `to` only if it is an account, and record the entry once.
 */
export function transferWrites(
  input: Pick<TransferInput, 'uid' | 'from' | 'to' | 'amount'>,
  entry: TransferOutcome['transfer'],
): TxWrite[] {
  return moneyMoveWrites(
    { from: input.from, to: input.to, amount: input.amount, owner: input.uid },
    { id: entry.transferId, ...entry, uid: input.uid },
  );
}

/** The account, for its owner only; anyone else gets ACCOUNT_NOT_FOUND (existence is not revealed). */
export async function getAccount(deps: Pick<OperationDeps, 'store'>, uid: string, accountId: string) {
  const account = asAccount(await deps.store.get(ACCOUNTS, accountId));
  if (!account || account.owner !== uid) throw new AppError('ACCOUNT_NOT_FOUND', `account ${accountId} not found`);
  return publicAccount(account);
}
