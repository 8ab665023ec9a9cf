/**
 * Test fixtures: a store per test file on the real servers started by globalSetup, isolated by a unique table
 * prefix (DynamoDB) or database name (MongoDB), and dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { MongoClient } from 'mongodb';
import { COLLECTIONS } from '../../shared/collections';
import { createDynamoStore, deleteTables, ensureTables } from '../../adapters/dynamodb';
import { createMongoClient, createMongoStore, ensureIndexes } from '../../adapters/mongodb';
import type { ConditionalStore } from '../../shared/store';

export function namespace(label: string): string {
  return `t${randomBytes(4).toString('hex')}_${label.replace(/[^A-Za-z0-9]/g, '').slice(0, 20)}`;
}

export function dynamoEndpoint(): string {
  const endpoint = process.env.LOCKLESS_TEST_DYNAMODB_ENDPOINT;
  if (!endpoint) throw new Error('LOCKLESS_TEST_DYNAMODB_ENDPOINT is not set: run the tests through jest (globalSetup)');
  return endpoint;
}

export function mongoUri(): string {
  const uri = process.env.LOCKLESS_TEST_MONGODB_URI;
  if (!uri) throw new Error('LOCKLESS_TEST_MONGODB_URI is not set: run the tests through jest (globalSetup)');
  return uri;
}

/** A plain SDK client on DynamoDB Local (by default the one globalSetup started). */
export function rawDynamoClient(endpoint = dynamoEndpoint()): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

/** What every fixture offers: the store under test, a raw listing for invariant checks, and cleanup. */
export interface BackendFixture {
  store: ConditionalStore;
  tablePrefix?: string;
  dbName?: string;
  /** Every stored item of a collection, read with the raw driver (strongly consistent). */
  list(collection: string): Promise<Record<string, unknown>[]>;
  cleanup(): Promise<void>;
}

export interface DynamoFixture extends BackendFixture {
  tablePrefix: string;
  raw: DynamoDBDocumentClient;
}

export async function dynamoFixture(label: string): Promise<DynamoFixture> {
  const tablePrefix = `${namespace(label)}-`;
  const admin = rawDynamoClient();
  await ensureTables(admin, tablePrefix);
  const raw = DynamoDBDocumentClient.from(rawDynamoClient());
  const store = createDynamoStore({ client: DynamoDBDocumentClient.from(rawDynamoClient()), tablePrefix, schema: COLLECTIONS });
  return {
    store,
    tablePrefix,
    raw,
    list: (collection) => scanTable(raw, tablePrefix + collection),
    async cleanup() {
      await store.close();
      await deleteTables(admin, tablePrefix);
      admin.destroy();
      raw.destroy();
    },
  };
}

/** Every item of a table, read page by page with strongly consistent scans. */
export async function scanTable(raw: DynamoDBDocumentClient, tableName: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await raw.send(new ScanCommand({ TableName: tableName, ConsistentRead: true, ExclusiveStartKey }));
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

export interface MongoFixture extends BackendFixture {
  dbName: string;
  client: MongoClient;
}

export async function mongoFixture(label: string): Promise<MongoFixture> {
  const dbName = namespace(label);
  const client = createMongoClient(mongoUri());
  await client.connect();
  await ensureIndexes(client.db(dbName), COLLECTIONS);
  const store = createMongoStore({ client: createMongoClient(mongoUri()), dbName, schema: COLLECTIONS });
  return {
    store,
    dbName,
    client,
    async list(collection) {
      return client.db(dbName).collection(collection).find({}).toArray();
    },
    async cleanup() {
      await store.close();
      try {
        await client.db(dbName).dropDatabase();
      } finally {
        // A failed drop must still close the client, or Jest never exits (and holds the shared lock).
        await client.close();
      }
    },
  };
}

export type BackendName = 'dynamodb' | 'mongodb';
export const BACKENDS: BackendName[] = ['dynamodb', 'mongodb'];

export function backendFixture(backend: BackendName, label: string): Promise<BackendFixture> {
  return backend === 'dynamodb' ? dynamoFixture(label) : mongoFixture(label);
}
