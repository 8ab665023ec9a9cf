/** Percentiles and the figures of one cell (one contestant in one scenario), from its timed samples. */
import type { Family } from './contestants/contestant';
import type { CpuFigures } from './cpu';
import type { Sample } from './outcome';
import type { Verification } from './scenarios/scenario';

/** Nearest-rank percentile of ascending `sorted` (p in 0..100); NaN for no values. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function median(values: number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
}

export interface Latency {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

export function latencyOf(samples: Sample[]): Latency | null {
  if (samples.length === 0) return null;
  const ms = samples.map((s) => s.end - s.start).sort((a, b) => a - b);
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return {
    p50: round(percentile(ms, 50)),
    p95: round(percentile(ms, 95)),
    p99: round(percentile(ms, 99)),
    max: round(ms[ms.length - 1]!),
    mean: round(ms.reduce((s, x) => s + x, 0) / ms.length),
  };
}

export interface CellFigures {
  scenario: string;
  group: string;
  concurrency: number;
  contestant: string;
  family: Family;
  /** Every answered request (reads included), and the writes among them (purchases or transfers). */
  requests: number;
  writes: number;
  elapsedMs: number;
  /** True when the per-cell time cap ended the load before the requested count. */
  capped: boolean;
  /** Answered requests per second. */
  throughput: number;
  /** Successful writes per second. */
  goodput: number;
  latencyMs: Latency | null;
  writeLatencyMs: Latency | null;
  readLatencyMs: Latency | null;
  successes: number;
  conflicts: number;
  insufficient: number;
  errors: number;
  errorCodes: Record<string, number>;
  /** Mean and max attempts per successful write. */
  meanAttempts: number;
  maxAttempts: number;
  /** Writes answered with a conflict / writes. */
  conflictRate: number;
  /** Conflicts answered while the contended document could still have served the request. */
  spurious: number;
  spuriousRate: number;
  verification: Verification;
  cpu: CpuFigures;
}

/**
 * A conflict is spurious when it was answered before any request on the same document was refused for lack
 * of stock (or balance): stock only goes down, so until then units were left. Benchmark documents are seeded
 * with far more than a run can take, so in practice every conflict is spurious.
 */
export function spuriousConflicts(writes: Sample[]): number {
  const soldOutAt = new Map<string, number>();
  for (const s of writes) {
    if (s.outcome.kind === 'insufficient') soldOutAt.set(s.key, Math.min(soldOutAt.get(s.key) ?? Infinity, s.end));
  }
  return writes.filter((s) => s.outcome.kind === 'conflict' && s.end < (soldOutAt.get(s.key) ?? Infinity)).length;
}

export function cellFigures(
  meta: Pick<CellFigures, 'scenario' | 'group' | 'concurrency' | 'contestant' | 'family'>,
  load: { samples: Sample[]; elapsedMs: number; capped: boolean },
  verification: Verification,
  cpu: CpuFigures,
): CellFigures {
  const { samples, elapsedMs } = load;
  const writes = samples.filter((s) => s.kind !== 'read');
  const reads = samples.filter((s) => s.kind === 'read');
  const count = (kind: string) => writes.filter((s) => s.outcome.kind === kind).length;
  const successes = writes.filter((s) => s.outcome.kind === 'ok');
  const attempts = successes.map((s) => s.outcome.attempts);
  const errorCodes: Record<string, number> = {};
  for (const s of samples)
    if (s.outcome.kind === 'error') errorCodes[s.outcome.error ?? '?'] = (errorCodes[s.outcome.error ?? '?'] ?? 0) + 1;
  const seconds = elapsedMs / 1000;
  const conflicts = count('conflict');
  const spurious = spuriousConflicts(writes);
  const rate = (n: number) => (writes.length ? n / writes.length : 0);
  return {
    ...meta,
    requests: samples.length,
    writes: writes.length,
    elapsedMs: Math.round(elapsedMs),
    capped: load.capped,
    throughput: samples.length / seconds,
    goodput: successes.length / seconds,
    latencyMs: latencyOf(samples),
    writeLatencyMs: latencyOf(writes),
    readLatencyMs: latencyOf(reads),
    successes: successes.length,
    conflicts,
    insufficient: count('insufficient'),
    errors: samples.filter((s) => s.outcome.kind === 'error').length,
    errorCodes,
    meanAttempts: attempts.length ? attempts.reduce((s, x) => s + x, 0) / attempts.length : 0,
    maxAttempts: attempts.length ? Math.max(...attempts) : 0,
    conflictRate: rate(conflicts),
    spurious,
    spuriousRate: rate(spurious),
    verification,
    cpu,
  };
}
