/**
 * A contestant is one way of doing the work: a lockless strategy through its handler, the raw driver, or a
 * seed's code path on the raw driver. Each prepares a request (not timed) and returns the part that is timed.
 * A scenario uses the contestants that have the operation it needs.
 */
import type { Outcome } from '../outcome';

export type Send = () => Promise<Outcome>;

export const FAMILIES = ['ceiling', 'lockless', 'baseline', 'diagnostic'] as const;
export type Family = (typeof FAMILIES)[number];

export interface Contestant {
  /** As printed: `raw`, `atomic`, `seed 003 spin`... */
  name: string;
  /** Safe in a document id: `raw`, `atomic`, `seed003`... */
  slug: string;
  family: Family;
  /** One sentence for the report. */
  describe: string;
  purchase?(productId: string, uid: string, quantity: number): Send;
  read?(productId: string): Send;
  transfer?(input: { from: string; to: string; amount: number; sub: string }): Send;
}

/** The unit price every benchmark product is seeded with (minor units). */
export const BENCH_PRICE = 1999;
