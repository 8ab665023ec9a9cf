/**
 * Builds the function bundles for one test suite into a folder of its own (LOCKLESS_DIST_DIR), the way
 * `npm run build` builds dist/. Suites that serve bundles through serverless-offline run in parallel under
 * jest, for different backends: sharing dist/ let one suite's build replace the bundles another was serving.
 * Pass `env` to serverless-offline (and to `serverless package`) so its handlers point at this folder.
 */
import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { BackendName } from './stores';

const ROOT = join(__dirname, '..', '..');
const run = promisify(execFile);

export interface SuiteBundles {
  /** The folder, relative to the project, as serverless.yml's handlers name it. */
  dir: string;
  env: { LOCKLESS_DIST_DIR: string };
  remove(): Promise<void>;
}

export async function buildSuiteBundles(label: string, backend: BackendName): Promise<SuiteBundles> {
  const dir = join('.test-dist', `${label}-${backend}-${process.pid}`);
  // A child process, as delivery.test.ts does: Jest's module sandbox cannot load the .mjs config.
  await run(process.execPath, [join(ROOT, 'esbuild.config.mjs'), '--quiet'], {
    cwd: ROOT,
    env: { ...process.env, LOCKLESS_BACKEND: backend, LOCKLESS_DIST_DIR: dir },
  });
  return { dir, env: { LOCKLESS_DIST_DIR: dir }, remove: () => rm(join(ROOT, dir), { recursive: true, force: true }) };
}
