/**
 * What the routes answer (the `data` of a success) and the result every client method returns. Amounts and
 * prices are integers in minor units; versions are integers starting at 1.
 */
import type { ErrorCode, ErrorData } from './codes';

export type Strategy = 'atomic' | 'version' | 'transaction';

export interface Product {
  id: string;
  name: string;
  price: number;
  stock: number;
  version: number;
  /** At most this many units per buyer across their live orders. */
  limitPerUser?: number;
}

/** pending_payment → paid | cancelled | expired; paid → shipped | refunded. `created`: before payment existed. */
export type OrderStatus = 'pending_payment' | 'paid' | 'cancelled' | 'expired' | 'shipped' | 'refunded' | 'created';

export interface Order {
  orderNo: string;
  uid: string;
  productId: string;
  quantity: number;
  price: number;
  amount: number;
  status: OrderStatus;
  createdAt: string;
  /** When an unpaid order expires. */
  expiresAt?: string;
  version: number;
}

/** What pay, cancel, ship and refund answer; `payment` is the ledger entry of a payment or a refund. */
export interface OrderTransitionOutcome {
  order: Order;
  payment?: { paymentId: string; from: string; to: string; amount: number; createdAt: string };
}

export interface PurchaseOutcome {
  order: Order;
  /** Stock left right after this purchase; null when the server could not tell. */
  stock: number | null;
  /** How many times the server tried (version strategy); not the client's tries. */
  attempts: number;
  strategy: Strategy;
}

export interface TransferOutcome {
  transfer: { transferId: string; from: string; to: string; amount: number; createdAt: string };
}

/** A lottery round; `seed`, `winningNumber`, `winningEntryId` and `drawnAt` once drawn. */
export interface Round {
  id: string;
  name: string;
  totalShares: number;
  sold: number;
  price: number;
  prize: number;
  capPerUser: number;
  status: 'open' | 'full' | 'drawn';
  /** sha256(seed), published at creation: check the revealed seed against it. */
  commitment: string;
  createdAt: string;
  version: number;
  finalEntryId?: string;
  seed?: string;
  winningNumber?: number;
  winningEntryId?: string;
  drawnAt?: string;
}

export interface RoundEntry {
  id: string;
  roundId: string;
  accountId: string;
  shares: number;
  /** The consecutive share numbers this entry holds. */
  numbers: number[];
  amount: number;
  createdAt: string;
}

export interface EnterRoundOutcome {
  entry: RoundEntry;
  round: Round;
  attempts: number;
}

export interface DrawOutcome {
  round: Round;
  /** False when an earlier (or concurrent) draw recorded the result. */
  drawnNow: boolean;
}

export interface NewRound {
  id: string;
  name?: string;
  totalShares: number;
  price: number;
  capPerUser: number;
  prize?: number;
}

/** One item of a batch adjustment as the server reports it. */
export interface AdjustItemOutcome {
  index: number;
  accountId: string;
  delta: number;
  status: 'applied' | 'refused' | 'pending';
  /** Why a refused item was refused. */
  error?: 'INSUFFICIENT_BALANCE' | 'ACCOUNT_NOT_FOUND';
}

export interface BatchAdjustOutcome {
  batchId: string;
  /** False: the server's deadline stopped the work; send the same batch again to finish it. */
  complete: boolean;
  applied: number;
  refused: number;
  pending: number;
  items: AdjustItemOutcome[];
}

export interface ResetFreeEntriesOutcome {
  status: 'reset' | 'already-done' | 'busy' | 'lease-lost';
  day: string;
  allowance?: number;
  token?: number;
  holder?: string;
}

export interface Account {
  id: string;
  owner: string;
  balance: number;
  version: number;
}

export interface CartItem {
  id: string;
  productId: string;
  quantity: number;
  addedAt: string;
}

export interface Cart {
  id: string;
  owner: string;
  items: CartItem[];
  itemCount: number;
  version: number;
}

export interface OrderPage {
  /** Newest first. */
  orders: Order[];
  /** Pass as `cursor` for the next page; absent on the last one. Valid only for the user it was given to. */
  nextCursor?: string;
}

export interface RestockOutcome {
  productId: string;
  added: number;
}

export interface RemoveOutcome {
  removed: true;
  version: number;
}

/** What every result carries besides its outcome. */
interface Common {
  /** The HTTP status (for a direct invocation, the envelope's code); 0 when there was no answer at all. */
  code: number;
  /** For people, in the client's language. */
  msg: string;
  /** How many requests the client sent for this call (1 when the first answer was final). */
  tries: number;
  /** The Idempotency-Key sent on every try of a state-changing call; reuse it to ask again later. */
  idempotencyKey?: string;
}

export interface Ok<T> extends Common {
  ok: true;
  error?: undefined;
  data: T;
  /**
   * True when the server repeated the answer of an earlier request with the same idempotency key (over HTTP the
   * Idempotent-Replayed header; on a direct invocation the envelope's `replayed: true`).
   */
  replayed: boolean;
  /** The ETag header, when the route sends one over HTTP (products): the If-Match of a later edit. */
  etag?: string;
}

export interface Failure<C extends ErrorCode> extends Common {
  ok: false;
  /** The stable code to branch on. */
  error: C;
  data?: ErrorData<C>;
}

/** One member per code, so `switch (result.error)` narrows `data` (INSUFFICIENT_STOCK: { requested, available }). */
export type AnyFailure = { [C in ErrorCode]: Failure<C> }[ErrorCode];

/** Every method's answer: the envelope's shape (`code`, `msg`, `data`, `error`) plus `ok`, `tries`, `replayed`. */
export type Result<T> = Ok<T> | AnyFailure;
