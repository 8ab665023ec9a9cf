/**
 * `npm run reconcile`: one run of the scheduled maintenance (shared/maintenance.ts) against the local database,
 * printing one JSON line per product (`stock`, `sold`, `unitsInOrders`, `holdsSettled`, `unitsReleased`, ...)
 * and one per task.
 *
 * The database: the one `npm start` is running (it leaves its settings in .lockless/local-backend.json), unless
 * LOCKLESS_DYNAMODB_ENDPOINT or LOCKLESS_MONGODB_URI name one. A lost take is settled only once twice the
 * function timeout (LOCKLESS_FUNCTION_TIMEOUT_MS, 10 s) has passed since a run marked it: run it again a
 * little later (the scheduled function runs every minute).
 */
import { intSetting, setting } from '../shared/config';
import { runMaintenance } from '../shared/maintenance';
import { createDeps } from '../shared/operations/deps';
import { readLocalBackend } from './local/backend';
import { openMaintenanceBackend } from './local/maintenanceBackend';

async function main(): Promise<void> {
  const explicit = setting('LOCKLESS_DYNAMODB_ENDPOINT') || setting('LOCKLESS_MONGODB_URI');
  const env = explicit ? process.env : { ...process.env, ...readLocalBackend() };
  const { store, catalog, overdueOrders, close } = await openMaintenanceBackend(env);
  try {
    const tasks = await runMaintenance({
      deps: createDeps(store, { log: (level, fields) => console.error(JSON.stringify({ level, ...fields })) }),
      catalog,
      overdueOrders,
      // A local run has no Lambda deadline; a minute, like the scheduled function's.
      deadline: Date.now() + 60_000,
      functionTimeoutMs: intSetting('LOCKLESS_FUNCTION_TIMEOUT_MS', 10_000),
      emit: (line) => console.log(JSON.stringify(line)),
    });
    for (const task of tasks)
      console.log(JSON.stringify({ task: task.task, ok: task.ok, ms: task.ms, ...(task.error ? { error: task.error } : {}) }));
    if (tasks.some((task) => !task.ok)) process.exitCode = 1;
  } finally {
    await close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
