/**
 * The three writes that move money exactly once, shared by transfers, order payments and refunds: debit `from`
 * guarded by its balance (and by its owner when the caller must own it), credit `to` only if it is an account,
 * and insert the ledger entry only if it is absent. They are labelled `debit`, `credit` and `ledger`, so a
 * refused transaction says which one stopped it.
 */
import { ACCOUNTS, LEDGER } from '../collections';
import type { Guard, NewDoc, TxWrite } from '../store';

export interface MoneyMove {
  from: string;
  to: string;
  amount: number;
  /** The `sub` that must own `from`; absent for server-side moves (a refund out of the merchant account). */
  owner?: string;
}

export function moneyMoveWrites(move: MoneyMove, ledgerEntry: NewDoc): TxWrite[] {
  const debitGuards: Guard[] = [
    ...(move.owner === undefined ? [] : [{ field: 'owner', op: 'eq', value: move.owner } as Guard]),
    { field: 'balance', op: 'gte', value: move.amount },
  ];
  return [
    { kind: 'update', label: 'debit', collection: ACCOUNTS, id: move.from, spec: { guards: debitGuards, inc: { balance: -move.amount } } },
    {
      kind: 'update',
      label: 'credit',
      collection: ACCOUNTS,
      id: move.to,
      // A numeric balance is what makes a document an account; a credit must not land anywhere else.
      spec: { guards: [{ field: 'balance', op: 'gte', value: Number.MIN_SAFE_INTEGER }], inc: { balance: move.amount } },
    },
    { kind: 'insert', label: 'ledger', collection: LEDGER, doc: ledgerEntry },
  ];
}
