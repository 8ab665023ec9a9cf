/**
 * A scenario is a pluggable workload: which contestants race in it, the documents it seeds for each of them,
 * the sequence of requests, and the invariant it checks in the database afterwards. Every contestant gets
 * its own documents (so one contestant's lost updates cannot touch another's) and the same request sequence.
 */
import type { Contestant } from '../contestants/contestant';
import type { Invoker } from '../invoke/invoker';
import type { PreparedRequest } from '../load';
import type { Sample } from '../outcome';
import type { RawDriver } from '../raw/rawDriver';

export type ScenarioGroup = 'uncontended' | 'hot' | 'mixed' | 'transfer-hot' | 'transfer-cold';

/** What the database shows after a cell. Purchases fill the stock figures, transfers the money ones. */
export interface Verification {
  /** Units taken off stock (sum of initial - final). */
  taken?: number;
  /** Units the answers told buyers they got. */
  delivered?: number;
  /** Units sold that stock never gave up (delivered - taken, plus any negative stock). */
  oversold?: number;
  /** |sum of balances after - before|: money created or destroyed. */
  imbalance?: number;
  /** Documents left below zero. */
  negative?: number;
}

export interface BenchEnv {
  backend: 'dynamodb' | 'mongodb';
  raw: RawDriver;
  invoker: Invoker;
}

export interface Workload {
  /** Request number i, prepared: building it is not timed, its `send` is. */
  request(i: number): PreparedRequest;
  verify(samples: Sample[]): Promise<Verification>;
}

export interface Scenario {
  /** Unique in a run and safe in a document id: `uncontended`, `hot-c32`, `transfer-hot`... */
  id: string;
  group: ScenarioGroup;
  title: string;
  concurrency: number;
  takes(contestant: Contestant): boolean;
  /** Why the scenario cannot run here (printed as `skipped: ...`), or null. */
  skipReason(env: BenchEnv): string | null;
  prepare(env: BenchEnv, contestant: Contestant, tag: string): Promise<Workload>;
}
