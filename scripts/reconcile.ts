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
import { COLLECTIONS } from '../shared/collections';
import { intSetting, setting } from '../shared/config';
import { runMaintenance, type Catalog } from '../shared/maintenance';
import type { OverdueOrders } from '../shared/overdueOrders';
import { createDeps } from '../shared/operations/deps';
import type { ConditionalStore } from '../shared/store';
import { readLocalBackend } from './local/backend';
import { LOCAL_TABLE_PREFIX } from './local/config';

async function open(
  env: Record<string, string | undefined>,
): Promise<{ store: ConditionalStore; catalog: Catalog; overdueOrders: OverdueOrders; close: () => Promise<void> }> {
  if ((env.LOCKLESS_BACKEND ?? 'dynamodb') === 'mongodb') {
    const mongo = await import('../adapters/mongodb');
    const uri = env.LOCKLESS_MONGODB_URI;
    if (!uri) throw new Error('no MongoDB to reconcile: start `npm start` first or set LOCKLESS_MONGODB_URI');
    const dbName = env.LOCKLESS_MONGODB_DB ?? 'lockless';
    const client = mongo.createMongoClient(uri);
    const store = mongo.createMongoStore({ client: mongo.createMongoClient(uri), dbName, schema: COLLECTIONS });
    return {
      store,
      catalog: mongo.createMongoCatalog({ client, dbName }),
      overdueOrders: mongo.createMongoOverdueOrders({ client, dbName }),
      close: () => Promise.all([store.close(), client.close()]).then(() => {}),
    };
  }
  const dynamo = await import('../adapters/dynamodb');
  const endpoint = env.LOCKLESS_DYNAMODB_ENDPOINT;
  if (!endpoint) throw new Error('no DynamoDB to reconcile: start `npm start` first or set LOCKLESS_DYNAMODB_ENDPOINT');
  const tablePrefix = env.LOCKLESS_TABLE_PREFIX ?? LOCAL_TABLE_PREFIX;
  const client = dynamo.createDynamoDocumentClient({ endpoint });
  const store = dynamo.createDynamoStore({ client, tablePrefix, schema: COLLECTIONS });
  return {
    store,
    catalog: dynamo.createDynamoCatalog({ client, tablePrefix }),
    overdueOrders: dynamo.createDynamoOverdueOrders({ client, tablePrefix }),
    close: () => store.close(),
  };
}

async function main(): Promise<void> {
  const explicit = setting('LOCKLESS_DYNAMODB_ENDPOINT') || setting('LOCKLESS_MONGODB_URI');
  const env = explicit ? process.env : { ...process.env, ...readLocalBackend() };
  const { store, catalog, overdueOrders, close } = await open(env);
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
