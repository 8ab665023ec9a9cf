/**
 * Scheduled maintenance: a small runner of named tasks, run every minute by the scheduled `maintenance` function
 * (functions/maintenance.ts) and locally by `npm run reconcile` (scripts/reconcile.ts).
 *
 * Each task gets the operations' dependencies, a catalog (what exists, read by scan: only maintenance lists
 * documents) and an `emit` for its one-JSON-line-per-item report. Tasks run one after another; one that throws
 * is reported and does not stop the others. More tasks (order expiry, lottery draws, daily resets) join the list.
 */
import { toAppError } from './errors';
import { reconcileProduct, type ReconcileSettings } from './operations/reconcile';
import type { OperationDeps } from './operations/deps';

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

/** The tasks every scheduled run performs, in order. */
export const MAINTENANCE_TASKS: readonly MaintenanceTask[] = [reconcileTakes];

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
