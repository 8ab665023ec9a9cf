/**
 * A MongoDB store of its own for the adapter's server tests: a fresh database, a store whose client reports
 * every command it sends (to observe conflicts and timeouts), and a second client to play the other party.
 */
import * as os from 'node:os';
import { MongoClient, type CommandFailedEvent, type CommandStartedEvent, type Db } from 'mongodb';
import { COLLECTIONS } from '../../../shared/collections';
import type { RetryDeps } from '../../../shared/retry';
import type { ConditionalStore } from '../../../shared/store';
import { createMongoClient, createMongoStore, ensureIndexes } from '../../../adapters/mongodb';
import { mongoUri, namespace } from '../../support/stores';

export interface MongoTestFixture {
  store: ConditionalStore;
  /** The store's own client, with command monitoring on. */
  storeClient: MongoClient;
  /** Another client on the same database, for raw reads and for the competing transaction. */
  other: MongoClient;
  db: Db;
  started: CommandStartedEvent[];
  failed: CommandFailedEvent[];
  cleanup(): Promise<void>;
}

export async function mongoTestFixture(label: string, retryDeps?: RetryDeps): Promise<MongoTestFixture> {
  const dbName = namespace(label);
  const other = createMongoClient(mongoUri());
  const db = other.db(dbName);
  await ensureIndexes(db, COLLECTIONS);
  // Like createMongoClient, but monitored; the os adapter keeps the handshake working inside Jest's sandbox.
  const storeClient = new MongoClient(mongoUri(), { monitorCommands: true, runtimeAdapters: { os } });
  const started: CommandStartedEvent[] = [];
  const failed: CommandFailedEvent[] = [];
  storeClient.on('commandStarted', (event) => started.push(event));
  storeClient.on('commandFailed', (event) => failed.push(event));
  const store = createMongoStore({ client: storeClient, dbName, schema: COLLECTIONS, retryDeps });
  return {
    store,
    storeClient,
    other,
    db,
    started,
    failed,
    async cleanup() {
      await store.close();
      await db.dropDatabase();
      await other.close();
    },
  };
}
