/**
 * Scheduled maintenance: a small runner of named tasks, run every minute by the scheduled `maintenance` function
 * (functions/maintenance.ts) and locally by `npm run reconcile` (scripts/reconcile.ts).
 *
 * Each task gets the operations' dependencies, a catalog (what exists, read by scan: only maintenance lists
 * documents) and an `emit` for its one-JSON-line-per-item report. Tasks run one after another; one that throws
 * is reported and does not stop the others: the reconciler of lost takes, order expiry, lottery draws and the
 * daily reset of free entries.
 */
import { toAppError } from './errors';
import type { OperationDeps } from './operations/deps';
import { expireOverdueOrders } from './operations/expireOverdueOrders';
import { resetFreeEntries } from './operations/freeEntries';
import { reconcileProduct, type ReconcileSettings } from './operations/reconcile';
import { drawFullRounds } from './operations/roundDraws';
import type { OverdueOrders } from './overdueOrders';

/** What maintenance may list; implemented by scans in each adapter (adapters/<backend>/catalog.ts). */
export interface Catalog {
  /** Every product id. */
  productIds(): Promise<string[]>;
  /** Units in orders by product, orders in any status but `void` (a report, not a decision: local runs only). */
  unitsInOrders?(): Promise<Record<string, number>>;
}

export interface MaintenanceContext {
  deps: OperationDeps;
  catalog: Catalog;
  /** Finds orders whose payment window has closed (an index query in each adapter: adapters/<backend>/overdueOrders.ts). */
  overdueOrders: OverdueOrders;
  /** Epoch ms by which the run must be done (the scheduled function's own deadline): no task starts new work after it. */
  deadline: number;
  /** The functions' timeout: the reconciler waits twice this before a take without its order counts as lost. */
  functionTimeoutMs: number;
  emit: (line: Record<string, unknown>) => void;
}

export interface MaintenanceTask {
  name: string;
  run(ctx: MaintenanceContext): Promise<void>;
}

/** Gives back the units of takes whose function died before its order (shared/operations/reconcile.ts). */
export const reconcileTakes: MaintenanceTask = {
  name: 'reconcile',
  async run(ctx) {
    const settings: ReconcileSettings = { holdMs: 2 * ctx.functionTimeoutMs };
    const ids = await ctx.catalog.productIds();
    const units = ctx.catalog.unitsInOrders ? await ctx.catalog.unitsInOrders() : undefined;
    for (const productId of ids) {
      try {
        const report = await reconcileProduct(ctx.deps, productId, settings);
        if (!report) continue;
        ctx.emit({
          task: 'reconcile',
          ...report,
          ...(units ? { unitsInOrders: units[productId] ?? 0 } : {}),
        });
      } catch (err) {
        // One product's failure (the database refused, a malformed document) leaves the others to run.
        ctx.emit({ task: 'reconcile', productId, error: toAppError(err).code });
      }
    }
  },
};

/** Expires unpaid orders whose payment window closed, returning their stock (issue 11; expireOverdueOrders.ts). */
export const expireOrders: MaintenanceTask = {
  name: 'expireOrders',
  async run(ctx) {
    const summary = await expireOverdueOrders(
      { ...ctx.deps, overdueOrders: ctx.overdueOrders },
      { now: ctx.deps.now(), deadline: ctx.deadline },
    );
    ctx.emit({ task: 'expireOrders', ...summary });
  },
};

/** Draws every full lottery round exactly once (issue 12; roundDraws.ts). */
export const drawRounds: MaintenanceTask = {
  name: 'drawRounds',
  async run(ctx) {
    ctx.emit({ task: 'drawRounds', ...(await drawFullRounds(ctx.deps, { now: ctx.deps.now(), deadline: ctx.deadline })) });
  },
};

/** Opens the day's free entries once per UTC day, however many runs start it (issue 12; freeEntries.ts). */
export const resetDailyFreeEntries: MaintenanceTask = {
  name: 'resetFreeEntries',
  async run(ctx) {
    ctx.emit({ task: 'resetFreeEntries', ...(await resetFreeEntries(ctx.deps, { now: ctx.deps.now(), deadline: ctx.deadline })) });
  },
};

/** The tasks every scheduled run performs, in order. */
export const MAINTENANCE_TASKS: readonly MaintenanceTask[] = [reconcileTakes, expireOrders, drawRounds, resetDailyFreeEntries];

export interface TaskOutcome {
  task: string;
  ok: boolean;
  ms: number;
  error?: string;
}

/** Runs `tasks` one after another; a task that throws is reported (by code) and the next one runs. */
export async function runMaintenance(
  ctx: MaintenanceContext,
  tasks: readonly MaintenanceTask[] = MAINTENANCE_TASKS,
): Promise<TaskOutcome[]> {
  const outcomes: TaskOutcome[] = [];
  for (const task of tasks) {
    const started = ctx.deps.now();
    try {
      await task.run(ctx);
      outcomes.push({ task: task.name, ok: true, ms: ctx.deps.now() - started });
    } catch (err) {
      ctx.deps.log('error', { event: 'MAINTENANCE_TASK_FAILED', task: task.name, cause: err });
      outcomes.push({ task: task.name, ok: false, ms: ctx.deps.now() - started, error: toAppError(err).code });
    }
  }
  return outcomes;
}
