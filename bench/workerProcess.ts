/** Runs bench/worker.ts for one backend in a child process with that backend's environment, and reads its figures. */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Resources } from './resources';
import type { WorkerInput, WorkerOutput } from './worker';

const TSX_CLI = require.resolve('tsx/cli');

export async function runWorker(
  input: Omit<WorkerInput, 'outFile'>,
  env: Record<string, string>,
  resources: Resources,
): Promise<WorkerOutput> {
  const dir = mkdtempSync(join(tmpdir(), 'lockless-bench-'));
  const removeDir = async () => rmSync(dir, { recursive: true, force: true });
  // Registered too, so that Ctrl-C (which exits without unwinding this function) leaves no folder behind.
  resources.add(`${input.backend}-figures-dir`, removeDir);
  const outFile = join(dir, 'figures.json');
  // The tsx CLI runs the script in a process of its own, out of reach of --cpu-prof: profile with tsx as a loader.
  const args = input.options.profileDir
    ? ['--cpu-prof', '--cpu-prof-dir', input.options.profileDir, '--import', 'tsx', join(__dirname, 'worker.ts')]
    : [TSX_CLI, join(__dirname, 'worker.ts')];
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...env, BENCH_WORKER: JSON.stringify({ ...input, outFile }) },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const label = `worker-${input.backend}`;
  resources.add(label, async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  });
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (exitCode) => resolve(exitCode));
    });
    if (code !== 0) throw new Error(`the ${input.backend} worker exited with ${code}`);
    return JSON.parse(readFileSync(outFile, 'utf8')) as WorkerOutput;
  } finally {
    await resources.release(label);
    await resources.release(`${input.backend}-figures-dir`);
  }
}
