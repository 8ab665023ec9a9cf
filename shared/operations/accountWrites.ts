/**
 * The two account writes every money movement is made of, shared by transfers and lottery entries and prizes:
 * a debit guarded by ownership and balance, and a credit that only lands on an account. Both go inside a
 * transaction with the ledger entry that records them.
 */
import { ACCOUNTS } from '../collections';
import { AppError } from '../errors';
import type { TxFailure, TxWrite } from '../store';

/**
 * Debit `accountId` by `amount`, only for its owner `uid` and only while its balance covers the amount
 * (balance never goes below 0). `uid` undefined: no owner guard (the system moving money out of a pool).
 */
export function debitWrite(label: string, accountId: string, amount: number, uid?: string): TxWrite {
  return {
    kind: 'update',
    label,
    collection: ACCOUNTS,
    id: accountId,
    spec: {
      guards: [
        ...(uid === undefined ? [] : [{ field: 'owner', op: 'eq' as const, value: uid }]),
        { field: 'balance', op: 'gte', value: amount },
      ],
      inc: { balance: -amount },
    },
  };
}

/** Credit `accountId` by `amount`. A numeric balance is what makes a document an account; a credit must not land anywhere else. */
export function creditWrite(label: string, accountId: string, amount: number): TxWrite {
  return {
    kind: 'update',
    label,
    collection: ACCOUNTS,
    id: accountId,
    spec: { guards: [{ field: 'balance', op: 'gte', value: Number.MIN_SAFE_INTEGER }], inc: { balance: amount } },
  };
}

/**
 * The error for a refused owner debit: INSUFFICIENT_BALANCE when only the balance guard failed on the caller's
 * own account; FORBIDDEN when the account is missing, someone else's or not an account (all alike, so nothing
 * about other accounts shows).
 */
export function debitRefusal(failure: TxFailure, requested: number): AppError {
  const ownAccount =
    failure.reason === 'guard_failed' && failure.failed.every((g) => g.field === 'balance') && typeof failure.current.balance === 'number';
  if (ownAccount) {
    return new AppError('INSUFFICIENT_BALANCE', 'insufficient balance', { details: { requested, available: failure.current.balance } });
  }
  return new AppError('FORBIDDEN', 'the caller does not own the source account');
}
