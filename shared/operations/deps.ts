/** What operations need from the world, passed in so they run the same against a fake clock or a real one. */
import type { ConditionalStore } from '../store';
import type { RetryPolicy } from '../retry';
import { logLine, type LogLevel } from '../log';
import { newOrderNo, newTransferId } from '../ids';
import { ADD_ROUNDS_POLICY } from './carts';
import { ROUNDS_POLICY } from './idempotency';
import { REPAIR_POLICY } from './orders';

export interface OperationDeps {
  store: ConditionalStore;
  /** Epoch ms. */
  now: () => number;
  /** Uniform in [0, 1): jitter. */
  random: () => number;
  sleep: (ms: number) => Promise<void>;
  newOrderNo: (now: number) => string;
  newTransferId: (now: number) => string;
  log: (level: LogLevel, fields: Record<string, unknown>) => void;
  policies: {
    /** Budget of the read-check-CAS loop of the `version` strategy. */
    version: RetryPolicy;
    /** Re-runs of a transaction whose snapshot went stale (the price changed under it). */
    snapshot: RetryPolicy;
    /** Whole-transaction attempts the store may make on transient conflicts. */
    transactionAttempts: number;
  };
}

/**
 * Defaults measured with 200 buyers racing for 100 units on both backends (one run each, same machine): a
 * backoff cap of 200 ms congests the hot item (6-11 s, up to 28 attempts), 500 ms sold out in ~3 s with at
 * most 12 attempts, 1-2 s caps were slower again. The attempt budget leaves room; the deadline bounds it first.
 */
export const DEFAULT_POLICIES: OperationDeps['policies'] = {
  version: { maxAttempts: 64, baseDelayMs: 5, maxDelayMs: 500 },
  snapshot: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 50 },
  // MongoDB aborts every transaction that loses a write conflict on a hot document; each waits its backoff
  // and tries again, so a hot item needs tens of attempts. The deadline stops it first in a real Lambda.
  transactionAttempts: 64,
};

/**
 * The most store calls (port calls: get, update, insert, remove, transact) one request can make, by operation,
 * with V = version.maxAttempts, S = snapshot.maxAttempts, R = idempotency rounds (ROUNDS_POLICY, 8), 3 order
 * repairs (REPAIR_POLICY), 3 cart rounds (ADD_ROUNDS_POLICY), and P = the idempotency polls while a duplicate
 * holds the key (POLL_POLICY: at most one per 20 ms of the time left before the deadline). With the defaults:
 *
 * | operation                                  | formula                          | defaults  |
 * |--------------------------------------------|----------------------------------|-----------|
 * | read a product, order, account or cart     | 1                                | 1         |
 * | purchase atomic                            | 2 + 3 + 3                        | 8         |
 * | purchase version                           | 2V + 1 + 3 + 3                   | 135       |
 * | purchase transaction                       | 2S + 1                           | 7         |
 * | purchase atomic/version with a key (lease) | 2(R-1) + 2 + 2 + that + 1 + P    | 27 / 154 + P |
 * | purchase transaction with a key            | 3(R-1) + 1 + (2S + 1) + 1 + P    | 30 + P    |
 * | transfer                                   | 1                                | 1         |
 * | transfer with a key                        | 2(R-1) + 2 + P                   | 16 + P    |
 * | add a cart item                            | 1 + 3 x 4                        | 13        |
 * | remove a cart item                         | 1                                | 1         |
 *
 * Each store call then makes at most this many database requests (its own bounded retries, in the adapter):
 * - DynamoDB: a get 3 (unavailable.ts SEND_POLICY); a single write 5 x 3 = 15 (sender.ts DEFAULT_ATTEMPTS while a
 *   transaction holds the item, each sent up to 3 times); a transaction T x 3 (T = transactionAttempts).
 * - MongoDB: a get 2 (the driver's one retry); an update 3 x (2 + 2) = 12 (storeCore REREAD_POLICY, each a
 *   write and a read, each retried once by the driver); an insert or remove 4; a transaction T x (n + 10)
 *   for n writes (each write, one read classifying a refusal, up to 8 commit tries while the result is unknown,
 *   one abort).
 * The deadline bounds every loop above except the order repairs and the cart rounds, which are bounded by count.
 * test/shared/operations/retryBounds.test.ts drives each operation into its worst case and checks the count.
 */
export function worstCaseStoreCalls(policies: OperationDeps['policies'], polls = 0) {
  const V = policies.version.maxAttempts;
  const S = policies.snapshot.maxAttempts;
  const R = ROUNDS_POLICY.maxAttempts;
  // Settling the order number, then (once settled) giving the stock back.
  const repairs = 2 * REPAIR_POLICY.maxAttempts;
  const atomic = 2 + repairs;
  const version = 2 * V + 1 + repairs;
  const transaction = 2 * S + 1;
  const leased = (run: number) => 2 * (R - 1) + 2 + 2 + run + 1 + polls;
  return {
    read: 1,
    purchase: { atomic, version, transaction },
    keyedPurchase: { atomic: leased(atomic), version: leased(version), transaction: 3 * (R - 1) + 1 + transaction + 1 + polls },
    transfer: 1,
    keyedTransfer: 2 * (R - 1) + 2 + polls,
    addCartItem: 1 + ADD_ROUNDS_POLICY.maxAttempts * 4,
    removeCartItem: 1,
  };
}

/** Reads `LOCKLESS_VERSION_MAX_ATTEMPTS` and friends over the defaults; bad values fall back to defaults. */
export function policiesFromEnv(env: NodeJS.ProcessEnv = process.env): OperationDeps['policies'] {
  const int = (name: string, fallback: number) => {
    const value = Number(env[name]);
    return Number.isSafeInteger(value) && value >= 1 ? value : fallback;
  };
  return {
    version: {
      maxAttempts: int('LOCKLESS_VERSION_MAX_ATTEMPTS', DEFAULT_POLICIES.version.maxAttempts),
      baseDelayMs: int('LOCKLESS_VERSION_BASE_DELAY_MS', DEFAULT_POLICIES.version.baseDelayMs),
      maxDelayMs: int('LOCKLESS_VERSION_MAX_DELAY_MS', DEFAULT_POLICIES.version.maxDelayMs),
    },
    snapshot: DEFAULT_POLICIES.snapshot,
    transactionAttempts: int('LOCKLESS_TRANSACTION_ATTEMPTS', DEFAULT_POLICIES.transactionAttempts),
  };
}

/** The production wiring of everything but the store. */
export function createDeps(store: ConditionalStore, overrides: Partial<OperationDeps> = {}): OperationDeps {
  return {
    store,
    now: Date.now,
    random: Math.random,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    newOrderNo,
    newTransferId,
    log: logLine,
    policies: policiesFromEnv(),
    ...overrides,
  };
}
