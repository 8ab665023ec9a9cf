/**
 * The scheduled maintenance function (serverless.yml: `schedule: rate(1 minute)`; no HTTP route, no direct
 * caller): runs shared/maintenance.ts's tasks, the reconciler of lost takes first, and logs one JSON line per
 * product and one per task. Like the HTTP and direct handlers (shared/edge/lambdaFunction.ts), it counts into one
 * metrics scope per invocation (dimension `function: maintenance`), written as one EMF line when the run ends:
 * the units the reconciler gave back (UnitsReleased), and anything else the tasks count (Throttles). Locally:
 * `npm run reconcile`.
 */
import type { Context } from 'aws-lambda';
import { getCatalog, getOverdueOrders } from '../adapters';
import { config, intSetting } from '../shared/config';
import { logLine } from '../shared/log';
import { withMetricsScope } from '../shared/metrics';
import { runMaintenance, type TaskOutcome } from '../shared/maintenance';
import { depsFor } from './runtime';

/** The purchase functions' timeout (serverless.yml provider.timeout, 10 s): takes older than twice it are settled. */
const FUNCTION_TIMEOUT_MS = () => intSetting('LOCKLESS_FUNCTION_TIMEOUT_MS', 10_000);

/** Time kept back from the invocation's deadline for the last log lines. */
const MARGIN_MS = 1_000;

const DIMENSIONS = { function: 'maintenance' };

export function handler(_event: unknown, context?: Context): Promise<{ tasks: TaskOutcome[] }> {
  return withMetricsScope(DIMENSIONS, async (metrics) => {
    const deps = await depsFor({ metrics });
    const remaining = typeof context?.getRemainingTimeInMillis === 'function' ? context.getRemainingTimeInMillis() : 30_000;
    const tasks = await runMaintenance({
      deps,
      catalog: getCatalog(config(), config().mongodb.uri.value),
      overdueOrders: getOverdueOrders(config(), config().mongodb.uri.value),
      deadline: Date.now() + Math.max(0, remaining - MARGIN_MS),
      functionTimeoutMs: FUNCTION_TIMEOUT_MS(),
      emit: (line) => logLine('info', { event: 'MAINTENANCE', ...line }),
    });
    for (const task of tasks) logLine(task.ok ? 'info' : 'error', { event: 'MAINTENANCE_TASK', ...task });
    return { tasks };
  });
}
