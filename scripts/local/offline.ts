/**
 * Runs `serverless offline start` (serverless v3 + serverless-offline 13) as a child process we own, waits
 * until it serves, and stops exactly that process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stopChild, waitFor, waitForExit } from '../../tools/servers/process';

export interface OfflineHandle {
  httpUrl: string;
  lambdaEndpoint: string;
  pid: number;
  process: ChildProcess;
  /** Everything the process printed (the last 50 kB). */
  output(): string;
  stop(): Promise<void>;
  /**
   * SIGKILL, with no grace: the whole process group when it was started with `processGroup` (the offline
   * process and anything it started), else the process alone. Resolves once it has exited, with the pids
   * of the group still alive afterwards (none expected; Linux only, elsewhere always empty).
   */
  kill(): Promise<number[]>;
}

export interface OfflineOptions {
  httpPort: number;
  lambdaPort: number;
  host?: string;
  /** Extra environment for the handlers (backend, endpoints, table prefix...). */
  env: Record<string, string | undefined>;
  /** Echo the child's output to ours (npm start) instead of only keeping it (tests). */
  echo?: boolean;
  cwd?: string;
  /**
   * Start it in a process group of its own (tests that kill it: `kill()` then reaches everything it started).
   * Off for `npm start`, where Ctrl-C in the terminal must reach it with the rest of the group.
   */
  processGroup?: boolean;
}

const ROOT = join(__dirname, '..', '..');

/**
 * Locally every function runs in one process beside the emulators on a shared machine, where a busy CPU alone
 * can hold a connect or an answer for longer than the deployed budgets (1 s connect, 2 s per request) allow:
 * give them 5 s each, unless set. The function still answers 503 at its own deadline, inside its timeout.
 */
const LOCAL_DB_ROOM = {
  LOCKLESS_DB_CONNECT_TIMEOUT_MS: process.env.LOCKLESS_DB_CONNECT_TIMEOUT_MS ?? '5000',
  LOCKLESS_DB_REQUEST_TIMEOUT_MS: process.env.LOCKLESS_DB_REQUEST_TIMEOUT_MS ?? '5000',
  // Up to 32 invocations of a function share its one module instance here, where Lambda gives each a container
  // and a pool of its own. MongoDB's deployed pool (10) shared by 32 lets writes queued behind a transaction's
  // locks hold every connection while that transaction waits for one to commit: mixed bursts then ran into the
  // deadline (docs/local-runtime.md). 128 connections per function is room for 32 invocations.
  LOCKLESS_DB_MAX_SOCKETS: process.env.LOCKLESS_DB_MAX_SOCKETS ?? '128',
};

export async function startOffline(options: OfflineOptions): Promise<OfflineHandle> {
  const host = options.host ?? '127.0.0.1';
  const cli = require.resolve('serverless/bin/serverless.js', { paths: [options.cwd ?? ROOT] });
  const args = [
    cli,
    'offline',
    'start',
    '--httpPort',
    String(options.httpPort),
    '--lambdaPort',
    String(options.lambdaPort),
    '--host',
    host,
    '--noPrependStageInUrl',
  ];
  const child = spawn(process.execPath, args, {
    cwd: options.cwd ?? ROOT,
    env: {
      ...process.env,
      // serverless v3 must not try to reach the network for telemetry or notifications.
      SLS_TELEMETRY_DISABLED: '1',
      SLS_NOTIFICATIONS_MODE: 'off',
      SLS_DEPRECATION_DISABLE: '*',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      // The SDK needs credentials to sign requests even for DynamoDB Local; real ones win when present.
      AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID || 'local',
      AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY || 'local',
      AWS_REGION: process.env.AWS_REGION || 'us-east-1',
      ...LOCAL_DB_ROOM,
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.processGroup ?? false,
  });
  let output = '';
  const collect = (stream: NodeJS.WriteStream) => (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-50_000);
    if (options.echo) stream.write(chunk);
  };
  child.stdout?.on('data', collect(process.stdout));
  child.stderr?.on('data', collect(process.stderr));

  try {
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`serverless offline exited with ${child.exitCode}:\n${output.slice(-3000)}`);
        // serverless prints a failed start as an "Error:" block and may keep its Lambda port open.
        if (/^Error:/m.test(output)) throw new Error(`serverless offline exited: failed to start:\n${output.slice(-3000)}`);
        return /Server ready/.test(output);
      },
      { timeoutMs: 90_000, intervalMs: 200, what: 'serverless offline to serve' },
    );
  } catch (err) {
    await stopChild(child);
    throw err;
  }
  return {
    httpUrl: `http://${host}:${options.httpPort}`,
    lambdaEndpoint: `http://${host}:${options.lambdaPort}`,
    pid: child.pid ?? -1,
    process: child,
    output: () => output,
    stop: () => stopChild(child, 10_000),
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null && child.pid) {
        if (options.processGroup) process.kill(-child.pid, 'SIGKILL');
        else child.kill('SIGKILL');
      }
      await waitForExit(child, 10_000);
      return options.processGroup && child.pid ? groupMembers(child.pid) : [];
    },
  };
}

/** The live processes of process group `pgid` (from /proc; empty where there is no /proc). */
function groupMembers(pgid: number): number[] {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return [];
  }
  return pids.map(Number).filter((pid) => {
    try {
      // /proc/<pid>/stat: "pid (comm) state ppid pgrp ...": the fields after the last ')' start at state.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return Number(fields[2]) === pgid && fields[0] !== 'Z';
    } catch {
      return false; // gone meanwhile
    }
  });
}
