/**
 * The composition root for stores: builds the configured adapter (shared/config.ts) and keeps one store (and
 * its connection pool) at module scope, so a warm Lambda container reuses it across invocations.
 *
 * Each adapter is loaded only when chosen. A bundle holds one of them: esbuild.config.mjs leaves the other
 * (and its driver) out.
 */
import { COLLECTIONS } from '../shared/collections';
import type { FunctionConfig } from '../shared/config';
import type { OverdueOrders } from '../shared/overdueOrders';
import type { ConditionalStore } from '../shared/store';

let store: ConditionalStore | undefined;
/** The maintenance finders' own clients (MongoClient, DynamoDB client), closed with the store. */
const ownClients: Array<{ close?(): Promise<void>; destroy?(): void }> = [];

/** Keeps `client` to be closed by closeStore, and answers it. */
function owned<C extends { close?(): Promise<void>; destroy?(): void }>(client: C): C {
  ownClients.push(client);
  return client;
}

/** The container's store; `mongoUri` is the URI itself, read from `config.mongodb.uri` (functions/runtime.ts). */
export function getStore(config: FunctionConfig, mongoUri?: string): ConditionalStore {
  if (store) return store;
  if (config.backend === 'mongodb') {
    const mongo = require('./mongodb') as typeof import('./mongodb');
    if (!mongoUri) throw new Error('LOCKLESS_MONGODB_URI is not set');
    store = mongo.createMongoStore({
      client: mongo.createMongoClient(mongoUri, config.mongodb),
      dbName: config.mongodb.dbName,
      schema: COLLECTIONS,
    });
  } else {
    const dynamo = require('./dynamodb') as typeof import('./dynamodb');
    store = dynamo.createDynamoStore({
      client: dynamo.createDynamoDocumentClient(config.dynamodb),
      tablePrefix: config.dynamodb.tablePrefix,
      schema: COLLECTIONS,
    });
  }
  return store;
}

/**
 * Closes and forgets the store, and the maintenance finders with their clients (scripts and tests; a Lambda keeps
 * them): an open MongoClient would keep a test process alive after its servers stopped.
 */
export async function closeStore(): Promise<void> {
  const current = store;
  const clients = ownClients.splice(0);
  store = undefined;
  overdueOrders = undefined;
  catalog = undefined;
  await Promise.all([current?.close(), ...clients.map((client) => (client.close ? client.close() : client.destroy?.()))]);
}

let overdueOrders: OverdueOrders | undefined;

/**
 * The expiry sweep's finder of overdue orders on the configured backend (shared/overdueOrders.ts), kept like the
 * store. For the scheduled maintenance function: `expireOverdueOrders({ ...deps, overdueOrders }, { now, deadline })`.
 * On MongoDB it has a client (and pool) of its own, opened at its first read.
 */
export function getOverdueOrders(config: FunctionConfig, mongoUri?: string): OverdueOrders {
  if (overdueOrders) return overdueOrders;
  // Only `./mongodb` and `./dynamodb` themselves: esbuild.config.mjs leaves out the adapter a bundle does not use.
  if (config.backend === 'mongodb') {
    const mongo = require('./mongodb') as typeof import('./mongodb');
    if (!mongoUri) throw new Error('LOCKLESS_MONGODB_URI is not set');
    overdueOrders = mongo.createMongoOverdueOrders({
      client: owned(mongo.createMongoClient(mongoUri, config.mongodb)),
      dbName: config.mongodb.dbName,
    });
  } else {
    const dynamo = require('./dynamodb') as typeof import('./dynamodb');
    overdueOrders = dynamo.createDynamoOverdueOrders({
      client: owned(dynamo.createDynamoDocumentClient(config.dynamodb)),
      tablePrefix: config.dynamodb.tablePrefix,
    });
  }
  return overdueOrders;
}

let catalog: import('../shared/maintenance').Catalog | undefined;

/** The container's maintenance catalog (scans; the scheduled maintenance function only), kept like the store. */
export function getCatalog(config: FunctionConfig, mongoUri?: string): import('../shared/maintenance').Catalog {
  if (catalog) return catalog;
  if (config.backend === 'mongodb') {
    const mongo = require('./mongodb') as typeof import('./mongodb');
    if (!mongoUri) throw new Error('LOCKLESS_MONGODB_URI is not set');
    catalog = mongo.createMongoCatalog({ client: owned(mongo.createMongoClient(mongoUri, config.mongodb)), dbName: config.mongodb.dbName });
  } else {
    const dynamo = require('./dynamodb') as typeof import('./dynamodb');
    catalog = dynamo.createDynamoCatalog({
      client: owned(dynamo.createDynamoDocumentClient(config.dynamodb)),
      tablePrefix: config.dynamodb.tablePrefix,
    });
  }
  return catalog;
}
