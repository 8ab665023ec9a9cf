/**
 * A database server of its own for the fault tests, on a fixed port and data directory so that it can be
 * frozen (SIGSTOP/SIGCONT), killed (SIGKILL) and restarted on the same data. Only processes started here are
 * ever signalled, by the PID their launcher returned.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COLLECTIONS } from '../../shared/collections';
import { ensureTables } from '../../adapters/dynamodb';
import { createMongoClient, ensureIndexes } from '../../adapters/mongodb';
import { startDynamoDbLocal, type DynamoDbLocalHandle } from '../../tools/servers/dynamodbLocal';
import { startMongo, type MongoHandle } from '../../tools/servers/mongod';
import { freePort, waitForExit } from '../../tools/servers/process';
import { rawDynamoClient, type BackendName } from '../support/stores';

export interface FaultServer {
  /** Environment that points handlers at this server. */
  env: Record<string, string>;
  pid(): number;
  freeze(): void;
  thaw(): void;
  /** SIGKILL, then start again on the same port and data directory. */
  killAndRestart(): Promise<void>;
  stop(): Promise<void>;
}

const PREFIX = 'faults-';
const DB = 'faults';

export async function startFaultServer(backend: BackendName): Promise<FaultServer> {
  const dataDir = await mkdtemp(join(tmpdir(), `lockless-faults-${backend}-`));
  const port = await freePort();
  if (backend === 'dynamodb') {
    // In-memory DynamoDB Local cannot survive a kill: the file-backed mode keeps the data.
    const start = () => startDynamoDbLocal({ port, dbPath: dataDir });
    let server: DynamoDbLocalHandle = await start();
    const admin = rawDynamoClient(server.endpoint);
    await ensureTables(admin, PREFIX);
    admin.destroy();
    return {
      env: { LOCKLESS_BACKEND: 'dynamodb', LOCKLESS_DYNAMODB_ENDPOINT: server.endpoint, LOCKLESS_TABLE_PREFIX: PREFIX },
      pid: () => server.pid,
      freeze: () => process.kill(server.pid, 'SIGSTOP'),
      thaw: () => process.kill(server.pid, 'SIGCONT'),
      async killAndRestart() {
        server.process.kill('SIGKILL');
        await waitForExit(server.process, 10_000);
        server = await start();
      },
      async stop() {
        await server.stop();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  }
  const start = () => startMongo({ port, dbPath: dataDir, ignoreUri: true });
  let server: MongoHandle = await start();
  const admin = createMongoClient(server.uri);
  await ensureIndexes(admin.db(DB), COLLECTIONS);
  await admin.close();
  const pid = () => server.pid ?? -1;
  return {
    env: { LOCKLESS_BACKEND: 'mongodb', LOCKLESS_MONGODB_URI: server.uri, LOCKLESS_MONGODB_DB: DB },
    pid,
    freeze: () => process.kill(pid(), 'SIGSTOP'),
    thaw: () => process.kill(pid(), 'SIGCONT'),
    async killAndRestart() {
      const dead = pid();
      process.kill(dead, 'SIGKILL');
      // Wait until the old process is gone before a new mongod takes the same data directory.
      for (let i = 0; i < 100; i++) {
        try {
          process.kill(dead, 0);
          await new Promise((r) => setTimeout(r, 100));
        } catch {
          break;
        }
      }
      server = await start();
    },
    async stop() {
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
