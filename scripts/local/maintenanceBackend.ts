/**
 * What a local maintenance run needs from the database (`npm run reconcile`, and the benchmark's reconciler
 * cost): the store, the catalog and the overdue-orders index, built by the adapters from the environment
 * (LOCKLESS_BACKEND, LOCKLESS_DYNAMODB_ENDPOINT + LOCKLESS_TABLE_PREFIX, or LOCKLESS_MONGODB_URI +
 * LOCKLESS_MONGODB_DB), as the scheduled function builds them from its configuration.
 */
import { COLLECTIONS } from '../../shared/collections';
import type { Catalog } from '../../shared/maintenance';
import type { OverdueOrders } from '../../shared/overdueOrders';
import type { ConditionalStore } from '../../shared/store';
import { LOCAL_TABLE_PREFIX } from './config';

export interface MaintenanceBackend {
  store: ConditionalStore;
  catalog: Catalog;
  overdueOrders: OverdueOrders;
  close(): Promise<void>;
}

/** Errors: a plain Error naming the missing setting when the environment names no database. */
export async function openMaintenanceBackend(env: Record<string, string | undefined>): Promise<MaintenanceBackend> {
  if ((env.LOCKLESS_BACKEND ?? 'dynamodb') === 'mongodb') {
    const mongo = await import('../../adapters/mongodb');
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
  const dynamo = await import('../../adapters/dynamodb');
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
