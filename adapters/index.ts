/**
 * The composition root for stores: picks the adapter from configuration and keeps one store (and its
 * connection pool) at module scope, so a warm Lambda container reuses it across invocations.
 *
 * The backend is read from LOCKLESS_BACKEND. esbuild replaces it with a constant at build time
 * (esbuild.config.mjs), which drops the other adapter and its driver from the bundle.
 */
import { COLLECTIONS } from '../shared/collections';
import type { ConditionalStore } from '../shared/store';

export type Backend = 'dynamodb' | 'mongodb';

let store: ConditionalStore | undefined;

export function backend(): Backend {
  return process.env.LOCKLESS_BACKEND === 'mongodb' ? 'mongodb' : 'dynamodb';
}

function positiveInt(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return Number.isSafeInteger(n) && n > 0 ? n : fallback;
}

/** The MongoDB client settings the functions run with, from LOCKLESS_DB_* (also the benchmark's raw client's). */
export function mongoClientSettings(env: NodeJS.ProcessEnv = process.env) {
  return {
    serverSelectionTimeoutMs: positiveInt(env.LOCKLESS_DB_CONNECT_TIMEOUT_MS, 2_000),
    connectTimeoutMs: positiveInt(env.LOCKLESS_DB_CONNECT_TIMEOUT_MS, 1_000),
    socketTimeoutMs: positiveInt(env.LOCKLESS_DB_REQUEST_TIMEOUT_MS, 2_000),
    maxPoolSize: positiveInt(env.LOCKLESS_DB_MAX_SOCKETS, 10),
  };
}

/** The DynamoDB client settings the functions run with, from DYNAMODB_ENDPOINT and LOCKLESS_DB_*. */
export function dynamoClientSettings(env: NodeJS.ProcessEnv = process.env) {
  return {
    endpoint: env.DYNAMODB_ENDPOINT || undefined,
    connectTimeoutMs: positiveInt(env.LOCKLESS_DB_CONNECT_TIMEOUT_MS, 1_000),
    requestTimeoutMs: positiveInt(env.LOCKLESS_DB_REQUEST_TIMEOUT_MS, 2_000),
    maxSockets: positiveInt(env.LOCKLESS_DB_MAX_SOCKETS, 128),
  };
}

/** The container's store; `mongoUri` overrides MONGODB_URI (a URI read from SSM, functions/runtime.ts). */
export function getStore(options: { mongoUri?: string } = {}): ConditionalStore {
  if (store) return store;
  if (process.env.LOCKLESS_BACKEND === 'mongodb') {
    const mongo = require('./mongodb') as typeof import('./mongodb');
    const uri = options.mongoUri || process.env.MONGODB_URI;
    if (!uri) throw new Error('MONGODB_URI is not set');
    store = mongo.createMongoStore({
      client: mongo.createMongoClient(uri, mongoClientSettings()),
      dbName: process.env.MONGODB_DB || 'lockless',
      schema: COLLECTIONS,
    });
  } else {
    const dynamo = require('./dynamodb') as typeof import('./dynamodb');
    store = dynamo.createDynamoStore({
      client: dynamo.createDynamoDocumentClient(dynamoClientSettings()),
      tablePrefix: process.env.TABLE_PREFIX || 'lockless-dev-',
      schema: COLLECTIONS,
    });
  }
  return store;
}

/** Closes and forgets the store (scripts and tests; a Lambda keeps it). */
export async function closeStore(): Promise<void> {
  const current = store;
  store = undefined;
  await current?.close();
}
