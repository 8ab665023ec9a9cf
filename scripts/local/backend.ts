/**
 * Brings up the database side of a local run: the server (DynamoDB Local in memory, or MongoDB), the tables or
 * indexes, and the demo data. Used by `npm start`; the end-to-end tests reuse the preparation step.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { COLLECTIONS } from '../../shared/collections';
import { intSetting, setting, type Backend } from '../../shared/config';
import { createDynamoDocumentClient, createDynamoStore, ensureTables } from '../../adapters/dynamodb';
import { createMongoClient, createMongoStore, ensureIndexes } from '../../adapters/mongodb';
import type { ConditionalStore } from '../../shared/store';
import { startDynamoDbLocal } from '../../tools/servers/dynamodbLocal';
import { startMongo } from '../../tools/servers/mongod';
import { seedDemoData } from './demoData';

export type { Backend };

export interface LocalBackend {
  backend: Backend;
  /** Environment the handlers need to reach this backend. */
  env: Record<string, string>;
  describe: string;
  stop(): Promise<void>;
}

/** The low-level client that creates and deletes tables (the SDK signs every request, DynamoDB Local ignores it). */
export function dynamoAdminClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
}

export async function prepareDynamo(endpoint: string, tablePrefix: string): Promise<ConditionalStore> {
  const admin = dynamoAdminClient(endpoint);
  try {
    await ensureTables(admin, tablePrefix);
  } finally {
    admin.destroy();
  }
  return createDynamoStore({ client: createDynamoDocumentClient({ endpoint }), tablePrefix, schema: COLLECTIONS });
}

export async function prepareMongo(uri: string, dbName: string): Promise<ConditionalStore> {
  const client = createMongoClient(uri);
  await client.connect();
  await ensureIndexes(client.db(dbName), COLLECTIONS);
  return createMongoStore({ client, dbName, schema: COLLECTIONS });
}

export async function startLocalBackend(
  backend: Backend,
  options: { tablePrefix: string; dbName: string; log: (line: string) => void },
): Promise<LocalBackend> {
  if (backend === 'dynamodb') {
    const external = setting('LOCKLESS_DYNAMODB_ENDPOINT');
    const port = intSetting('LOCKLESS_DYNAMODB_PORT', 0) || undefined;
    const server = external ? undefined : await startDynamoDbLocal({ port });
    const endpoint = external ?? server!.endpoint;
    const store = await prepareDynamo(endpoint, options.tablePrefix);
    const seeded = await seedDemoData(store).finally(() => store.close());
    options.log(`DynamoDB ${server ? `Local (in memory, pid ${server.pid})` : '(external)'} at ${endpoint}; seeded ${fmt(seeded)}`);
    return {
      backend,
      env: { LOCKLESS_BACKEND: 'dynamodb', LOCKLESS_DYNAMODB_ENDPOINT: endpoint, LOCKLESS_TABLE_PREFIX: options.tablePrefix },
      describe: endpoint,
      stop: async () => server?.stop(),
    };
  }
  const mongo = await startMongo({ log: options.log });
  try {
    const store = await prepareMongo(mongo.uri, options.dbName);
    const seeded = await seedDemoData(store).finally(() => store.close());
    options.log(`MongoDB ${mongo.kind}${mongo.pid ? ` (pid ${mongo.pid})` : ''} at ${mongo.uri}; seeded ${fmt(seeded)}`);
  } catch (err) {
    await mongo.stop();
    throw err;
  }
  return {
    backend,
    env: { LOCKLESS_BACKEND: 'mongodb', LOCKLESS_MONGODB_URI: mongo.uri, LOCKLESS_MONGODB_DB: options.dbName },
    describe: mongo.uri,
    stop: () => mongo.stop(),
  };
}

function fmt(seeded: { inserted: string[]; existing: string[] }): string {
  const parts = [];
  if (seeded.inserted.length) parts.push(`inserted ${seeded.inserted.join(', ')}`);
  if (seeded.existing.length) parts.push(`kept existing ${seeded.existing.join(', ')}`);
  return parts.join('; ') || 'nothing';
}

/** Where `npm start` leaves the settings of its database for `npm run reconcile` (ignored by git). */
export const LOCAL_BACKEND_FILE = join('.lockless', 'local-backend.json');

export function writeLocalBackend(env: Record<string, string>): void {
  mkdirSync(dirname(LOCAL_BACKEND_FILE), { recursive: true });
  writeFileSync(LOCAL_BACKEND_FILE, `${JSON.stringify(env, null, 2)}\n`);
}

/** The settings `npm start` left, or undefined when it has not run here. */
export function readLocalBackend(): Record<string, string> | undefined {
  if (!existsSync(LOCAL_BACKEND_FILE)) return undefined;
  return JSON.parse(readFileSync(LOCAL_BACKEND_FILE, 'utf8')) as Record<string, string>;
}
