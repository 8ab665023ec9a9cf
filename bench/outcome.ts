/** What one benchmark request came to, whoever served it (a handler, the raw driver, a seed's code path). */

export const OUTCOME_KINDS = ['ok', 'conflict', 'insufficient', 'error'] as const;
export type OutcomeKind = (typeof OUTCOME_KINDS)[number];

export type RequestKind = 'read' | 'purchase' | 'transfer';

export interface Outcome {
  kind: OutcomeKind;
  /** Attempts the server side made (CAS loops, spins); 1 where there is no loop. */
  attempts: number;
  /** Units sold (purchases) or money moved (transfers) by a successful request; 0 otherwise. */
  units: number;
  /** The error code, or the thrown error's name, of an `error` outcome. */
  error?: string;
}

/** One timed request. Times are `performance.now()` milliseconds of the process that drove it. */
export interface Sample {
  kind: RequestKind;
  /** The document the request contended for: the product, or the account money left from. */
  key: string;
  start: number;
  end: number;
  outcome: Outcome;
}

export const ok = (attempts = 1, units = 0): Outcome => ({ kind: 'ok', attempts, units });
export const conflict = (attempts: number): Outcome => ({ kind: 'conflict', attempts, units: 0 });
export const insufficient = (attempts = 1): Outcome => ({ kind: 'insufficient', attempts, units: 0 });
export const failed = (error: string, attempts = 1): Outcome => ({ kind: 'error', attempts, units: 0, error });

/** A thrown value as an `error` outcome, named by its code or error name (never its message: that varies). */
export function fromThrown(thrown: unknown): Outcome {
  const named = thrown as { code?: unknown; name?: unknown } | null;
  const label = typeof named?.code === 'string' ? named.code : typeof named?.name === 'string' ? named.name : 'thrown';
  return failed(label);
}
