/**
 * The metrics port: what operations and adapters count, without knowing where counts go. The edge opens one
 * scope per invocation (`withMetricsScope`) and hands it to the operation (`Call.metrics`, then
 * `deps.metrics`); the scope is written out once when the invocation ends, answered or failed (timeouts
 * included: the edge answers them before the Lambda is stopped). functions/runtime.ts binds the sink to
 * Powertools (EMF lines on stdout); until then, and in tools and unit tests, counts go nowhere.
 *
 * The scope is passed by hand, not found through AsyncLocalStorage: on Node 20 that turns on promise hooks for
 * the rest of the process, a cost on every promise the AWS SDK makes, first request included (measured on the
 * cold-start probe). Two invocations in one process (tests, serverless-offline) therefore never mix counts.
 * Adapters have no invocation at hand: they count into `invocationMetrics`, the scope of the invocation that
 * started last and has not ended, exact in Lambda, where a container runs one invocation at a time.
 *
 * Metric names are public (dashboards and alarms use them): never rename one.
 */
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

/** One invocation's counts and dimensions. */
export interface MetricsScope extends Metrics {
  /** Adds a dimension (e.g. `strategy`) to this invocation's counts. */
  dimension(name: string, value: string): void;
}

const NO_SINK: MetricsSink = { publish: () => {} };
let sink: MetricsSink = NO_SINK;
/**
 * The scope of the invocation that started last and has not ended (adapters count into it). Kept on
 * `globalThis` under a registered symbol, not in a module variable: a deployed function's adapter is a bundle
 * of its own (dist/<fn>/adapter.js, esbuild.config.mjs) with its own copy of this module, and its counts must
 * reach the scope the handler's copy opened.
 */
const CURRENT = Symbol.for('lockless.metrics.invocationScope');
type ScopeHolder = { [CURRENT]?: MetricsScope };
const holder = globalThis as ScopeHolder;

/** Binds where scopes are written (once per container; functions/runtime.ts). */
export function useMetricsSink(next: MetricsSink): void {
  sink = next;
}

/** For adapters, which have no invocation at hand: counts into the running invocation's scope, else nowhere. */
export const invocationMetrics: Metrics = {
  count: (name, value) => holder[CURRENT]?.count(name, value),
};

/** Counts nothing (unit tests that do not look at metrics). */
export const NO_METRICS: Metrics = { count: () => {} };

function newScope(
  dimensions: Record<string, string>,
): MetricsScope & { counts: Map<MetricName, number>; dimensions: Record<string, string> } {
  return {
    counts: new Map(),
    dimensions: { ...dimensions },
    count(name, value = 1) {
      if (value > 0) this.counts.set(name, (this.counts.get(name) ?? 0) + value);
    },
    dimension(name, value) {
      if (value) this.dimensions[name] = value;
    },
  };
}

/**
 * Runs `work` with a fresh scope and writes the scope once when it settles, whether it resolved or threw. A
 * scope that counted nothing writes nothing. A sink that fails never fails the invocation.
 */
export async function withMetricsScope<T>(dimensions: Record<string, string>, work: (scope: MetricsScope) => Promise<T>): Promise<T> {
  const scope = newScope(dimensions);
  holder[CURRENT] = scope;
  try {
    return await work(scope);
  } finally {
    if (holder[CURRENT] === scope) holder[CURRENT] = undefined;
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
