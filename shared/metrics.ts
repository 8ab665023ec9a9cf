/**
 * The metrics port: what operations and adapters count, without knowing where counts go. The edge opens one
 * scope per invocation (`withMetricsScope`), every count made while it runs lands in that scope, and the scope
 * is written out once when the invocation ends, answered or failed (timeouts included: the edge answers them
 * before the Lambda is stopped). functions/runtime.ts binds the sink to Powertools (EMF lines on stdout);
 * until then, and in tools and unit tests, counts go nowhere.
 *
 * A scope follows the invocation through its promises (AsyncLocalStorage), so two invocations running in the
 * same process (tests, serverless-offline) never mix their counts or their dimensions.
 *
 * Metric names are public (dashboards and alarms use them): never rename one.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { logLine } from './log';

export const METRIC = Object.freeze({
  /** A purchase that took stock and created its order (replays are IdempotentReplays, not this). */
  purchaseSucceeded: 'PurchaseSucceeded',
  /** A purchase refused with INSUFFICIENT_STOCK. */
  purchaseSoldOut: 'PurchaseSoldOut',
  /** A purchase that lost to contention until its budget or deadline ran out (VERSION_CONFLICT, TRANSACTION_CONFLICT). */
  purchaseConflict: 'PurchaseConflict',
  /** Any other refused or failed purchase (not found, idempotency refusals, unavailable, internal). */
  purchaseFailed: 'PurchaseFailed',
  /** The attempts a successful purchase took, summed: PurchaseAttempts / PurchaseSucceeded = attempts per success. */
  purchaseAttempts: 'PurchaseAttempts',
  /** A compare-and-swap lost to a concurrent write (strategy `version`). */
  versionConflicts: 'VersionConflicts',
  /** A transaction run lost to contention or throttling; it runs again unless its budget or deadline is spent. */
  transactionRetries: 'TransactionRetries',
  /** A request answered from an earlier one's idempotency record (purchase or transfer): nothing done again. */
  idempotentReplays: 'IdempotentReplays',
  /** Units taken by a write whose order insert failed, kept off sale (the STOCK_HELD log line). */
  unitsHeld: 'UnitsHeld',
  /** Held units put back on sale (the reconciler counts them with `countReleased`). */
  unitsReleased: 'UnitsReleased',
  /** A DynamoDB request or transaction refused for throughput. */
  throttles: 'Throttles',
} as const);
export type MetricName = (typeof METRIC)[keyof typeof METRIC];

/** What operations and adapters are given: add `value` (default 1) to a count of the current invocation. */
export interface Metrics {
  count(name: MetricName, value?: number): void;
}

/** Where a finished scope goes: counts by name, and the dimensions they are reported under. */
export interface MetricsSink {
  publish(counts: ReadonlyMap<MetricName, number>, dimensions: Readonly<Record<string, string>>): void;
}

interface Scope {
  counts: Map<MetricName, number>;
  dimensions: Record<string, string>;
}

const scopes = new AsyncLocalStorage<Scope>();
const NO_SINK: MetricsSink = { publish: () => {} };
let sink: MetricsSink = NO_SINK;

/** Binds where scopes are written (once per container; functions/runtime.ts). */
export function useMetricsSink(next: MetricsSink): void {
  sink = next;
}

/** Counts into the scope of the invocation that is running; outside any scope, counts are dropped. */
export const invocationMetrics: Metrics = {
  count(name, value = 1) {
    const scope = scopes.getStore();
    if (!scope || !(value > 0)) return;
    scope.counts.set(name, (scope.counts.get(name) ?? 0) + value);
  },
};

/** Counts nothing (unit tests that do not look at metrics). */
export const NO_METRICS: Metrics = { count: () => {} };

/** Adds a dimension (e.g. `strategy`) to the running invocation's counts. */
export function addMetricDimension(name: string, value: string): void {
  const scope = scopes.getStore();
  if (scope && value) scope.dimensions[name] = value;
}

/**
 * Runs `work` in a fresh scope and writes the scope once when it settles, whether it resolved or threw. A
 * scope that counted nothing writes nothing. A sink that fails never fails the invocation.
 */
export async function withMetricsScope<T>(dimensions: Record<string, string>, work: () => Promise<T>): Promise<T> {
  const scope: Scope = { counts: new Map(), dimensions: { ...dimensions } };
  try {
    return await scopes.run(scope, work);
  } finally {
    if (scope.counts.size > 0) {
      try {
        sink.publish(scope.counts, scope.dimensions);
      } catch (err) {
        // Metrics are best effort: the answer matters more than its count.
        logLine('warn', { event: 'METRICS_PUBLISH_FAILED', cause: err });
      }
    }
  }
}

/** For the reconciler: `units` held units were put back on sale. */
export function countReleased(metrics: Metrics, units: number): void {
  metrics.count(METRIC.unitsReleased, units);
}
