/**
 * The three writes that move money exactly once, shared by transfers, order payments and refunds: debit `from`
 * guarded by its balance (and by its owner when the caller must own it), credit `to` only if it is an account,
 * and insert the ledger entry only if it is absent. They are labelled `debit`, `credit` and `ledger`, so a
 * refused transaction says which one stopped it.
 */
import { LEDGER } from '../collections';
import type { NewDoc, TxWrite } from '../store';
import { creditWrite, debitWrite } from './accountWrites';

export interface MoneyMove {
  from: string;
  to: string;
  amount: number;
  /** The `sub` that must own `from`; absent for server-side moves (a refund out of the merchant account). */
  owner?: string;
}

export function moneyMoveWrites(move: MoneyMove, ledgerEntry: NewDoc): TxWrite[] {
  return [
    debitWrite('debit', move.from, move.amount, move.owner),
    creditWrite('credit', move.to, move.amount),
    { kind: 'insert', label: 'ledger', collection: LEDGER, doc: ledgerEntry },
  ];
}
