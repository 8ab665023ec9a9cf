/** What operations need from the world, passed in so they run the same against a fake clock or a real one. */
import type { ConditionalStore } from '../store';
import type { RetryPolicy } from '../retry';
import { logLine, type LogLevel } from '../log';
import { newOrderNo, newTransferId } from '../ids';

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
