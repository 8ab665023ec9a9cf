/**
 * A MongoDB single-node replica set for local runs and tests (transactions need a replica set).
 *
 * Order of preference:
 * 1. `LOCKLESS_MONGODB_URI` (or the old MONGODB_URI) when set: the user's own cluster or Atlas; nothing is started or stopped.
 * 2. On Linux with Debian's wine64: the official Windows mongod 7.0.15 under Wine (see mongodBinary.ts).
 *    No Linux mongod can be downloaded on machines that reach only the npm registry and Debian.
 * 3. Otherwise mongodb-memory-server's download of a native binary, bounded by a timeout so an offline
 *    machine gets a clear error instead of a hang.
 * `LOCKLESS_MONGOD=wine|native` forces 2 or 3.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import * as os from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { setting } from '../../shared/config';
import { cacheDir, ensureMongodExe } from './mongodBinary';
import { freePort, stopChild, waitFor, waitForExit } from './process';

export interface MongoHandle {
  uri: string;
  /** PID of the mongod process we started; undefined when LOCKLESS_MONGODB_URI points elsewhere. */
  pid?: number;
  port?: number;
  dbPath?: string;
  kind: 'external' | 'wine' | 'native';
  stop(): Promise<void>;
}

export interface MongoOptions {
  /** Reuse this data directory (for kill-and-restart tests); otherwise a fresh temporary one. */
  dbPath?: string;
  port?: number;
  log?: (line: string) => void;
  /** Ignore LOCKLESS_MONGODB_URI (fault tests need a server they own). */
  ignoreUri?: boolean;
}

const WINE64 = process.env.LOCKLESS_WINE64 || '/usr/lib/wine/wine64';
const REPL_SET = 'rs0';

export async function startMongo(options: MongoOptions = {}): Promise<MongoHandle> {
  const external = setting('LOCKLESS_MONGODB_URI');
  if (external && !options.ignoreUri) {
    return { uri: external, kind: 'external', stop: async () => {} };
  }
  const choice = process.env.LOCKLESS_MONGOD || (process.platform === 'linux' && existsSync(WINE64) ? 'wine' : 'native');
  if (choice === 'wine') return startWineMongod(options);
  if (choice === 'native') return startNativeMongod(options);
  throw new Error(`LOCKLESS_MONGOD must be "wine" or "native", not "${choice}"`);
}

async function startWineMongod(options: MongoOptions): Promise<MongoHandle> {
  const log = options.log ?? (() => {});
  if (!existsSync(WINE64)) {
    throw new Error(`${WINE64} not found: install Debian's wine64 (apt-get install wine64) or set LOCKLESS_MONGODB_URI`);
  }
  const exe = await ensureMongodExe(log);
  const ownsDbPath = !options.dbPath;
  const dbPath = options.dbPath ?? (await mkdtemp(join(os.tmpdir(), 'lockless-mongod-')));
  await mkdir(dbPath, { recursive: true });
  const port = options.port ?? (await freePort());
  const winePrefix = join(cacheDir(), 'wine-prefix');
  await mkdir(winePrefix, { recursive: true });
  const env = { ...process.env, WINEPREFIX: winePrefix, WINEDEBUG: '-all', WINEDLLOVERRIDES: 'mscoree,mshtml=' };

  const args = [
    exe,
    '--dbpath',
    `Z:${dbPath}`,
    '--bind_ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--replSet',
    REPL_SET,
    '--wiredTigerCacheSizeGB',
    '0.25',
    // Mandatory under Wine: mongod's diagnostics thread crashes about a second after start without it.
    '--setParameter',
    'diagnosticDataCollectionEnabled=false',
  ];
  const child = spawn(WINE64, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (d: Buffer) => (output = (output + d.toString()).slice(-20_000));
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);

  const cleanup = async () => {
    await stopChild(child);
    if (ownsDbPath) await rm(dbPath, { recursive: true, force: true });
  };
  try {
    // A cold Wine prefix takes ~12 s to boot, a warm one ~3 s.
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`mongod exited with ${child.exitCode}:\n${output.slice(-3000)}`);
        return output.includes('Waiting for connections');
      },
      { timeoutMs: 120_000, what: 'mongod to listen' },
    );
    await initiateReplicaSet(port);
  } catch (err) {
    await cleanup();
    throw err;
  }
  log(`mongod ${port} (pid ${child.pid}) under Wine, dbpath ${dbPath}`);
  return {
    uri: `mongodb://127.0.0.1:${port}/?replicaSet=${REPL_SET}`,
    pid: child.pid,
    port,
    dbPath,
    kind: 'wine',
    stop: async () => {
      await shutdownWine(child, port);
      await waitForWineserver(env);
      if (ownsDbPath) await rm(dbPath, { recursive: true, force: true });
    },
  };
}

/** Initiates rs0 once (a restart on the same dbpath is already initiated) and waits for a writable primary. */
async function initiateReplicaSet(port: number): Promise<void> {
  const client = new MongoClient(`mongodb://127.0.0.1:${port}/?directConnection=true`, {
    serverSelectionTimeoutMS: 10_000,
    // Inside a vm sandbox (Jest) driver 7.9 cannot import `os` dynamically for its handshake; hand it over.
    runtimeAdapters: { os },
  });
  try {
    await client.connect();
    const admin = client.db('admin');
    try {
      await admin.command({ replSetInitiate: { _id: REPL_SET, members: [{ _id: 0, host: `127.0.0.1:${port}` }] } });
    } catch (err) {
      // 23 = AlreadyInitialized: a restart on an existing data directory.
      if ((err as { code?: number }).code !== 23) throw err;
    }
    await waitFor(async () => (await admin.command({ hello: 1 })).isWritablePrimary === true, {
      timeoutMs: 60_000,
      intervalMs: 200,
      what: 'the replica set to elect a primary',
    });
  } finally {
    await client.close();
  }
}

async function shutdownWine(child: ChildProcess, port: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const client = new MongoClient(`mongodb://127.0.0.1:${port}/?directConnection=true`, {
    serverSelectionTimeoutMS: 3_000,
    runtimeAdapters: { os },
  });
  try {
    await client.db('admin').command({ shutdown: 1, force: true });
  } catch {
    // The server closes the connection as it goes down; that is the expected answer.
  } finally {
    await client.close().catch(() => {});
  }
  if (!(await waitForExit(child, 15_000))) await stopChild(child, 2_000);
}

/** Wine's helper processes (wineserver, services.exe ...) leave when the last Wine process exits; wait for them. */
function waitForWineserver(env: NodeJS.ProcessEnv): Promise<void> {
  const wineserver = join(WINE64, '..', 'wineserver');
  if (!existsSync(wineserver)) return Promise.resolve();
  return new Promise((resolve) => {
    execFile(wineserver, ['-w'], { env, timeout: 10_000 }, () => resolve());
  });
}

async function startNativeMongod(options: MongoOptions): Promise<MongoHandle> {
  const timeoutMs = Number(process.env.LOCKLESS_MONGOD_DOWNLOAD_TIMEOUT_MS || 180_000);
  // Loaded lazily: only machines without Wine need mongodb-memory-server.
  const { MongoMemoryReplSet } = await import('mongodb-memory-server-core');
  let timer: NodeJS.Timeout | undefined;
  const started = MongoMemoryReplSet.create({
    binary: { version: '7.0.15' },
    replSet: { count: 1, name: REPL_SET, storageEngine: 'wiredTiger' },
    instanceOpts: options.dbPath || options.port ? [{ dbPath: options.dbPath, port: options.port }] : undefined,
  });
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no native mongod after ${timeoutMs} ms (offline?); install wine64 or set LOCKLESS_MONGODB_URI`)),
      timeoutMs,
    );
  });
  try {
    const replSet = await Promise.race([started, timeout]);
    const server = replSet.servers[0]?.instanceInfo;
    return {
      uri: replSet.getUri(),
      pid: server?.instance.mongodProcess?.pid,
      port: server?.port,
      dbPath: server?.dbPath,
      kind: 'native',
      stop: async () => {
        await replSet.stop({ doCleanup: !options.dbPath, force: false });
      },
    };
  } catch (err) {
    // If the timeout won, stop whatever the download eventually starts instead of leaking it.
    started
      .then(
        (r) => r.stop(),
        () => {},
      )
      .catch(() => {});
    throw err;
  } finally {
    clearTimeout(timer);
  }
}
