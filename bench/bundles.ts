/**
 * Bundle size and cold-start initialisation of each function, per backend.
 *
 * Sizes come from esbuild.config.mjs `buildAll` (built into a temporary folder, so dist/ is left alone).
 * Cold start: a fresh Node process requires one bundle (what Lambda's init phase does with the handler module;
 * the store is created later, on the first call), and reports `performance.now()` when the require returned:
 * the time since the process began, node's own start-up included. The same is done for an empty bundle built
 * with the same esbuild settings; the ratio of the medians is the cost of the bundle. Runs are interleaved
 * across bundles so that drift on the machine touches all of them alike. The CPU time the process had used by
 * then is kept too: on a shared machine it moves less than the wall-clock time, which includes waiting for a core.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { buildAll } from '../esbuild.config.mjs';
import type { FirstRequestFigures } from './firstRequest';
import type { BackendName } from './options';
import { median } from './stats';

const run = promisify(execFile);

export interface BundleFigures {
  name: string;
  /** What the first request loads: index.js and the side file adapter.js (esbuild.config.mjs SIDE_FILES). */
  bytes: number;
  /** index.js alone: what init loads. */
  indexBytes: number;
  /** Medians over the runs, in ms: process start to bundle loaded, and the require alone. */
  readyMs: number;
  requireMs: number;
  /** readyMs / the empty bundle's readyMs. */
  ratio: number;
  /** Median CPU time (user + system) the process had used when the require returned, and its ratio to the empty bundle's. */
  cpuMs: number;
  cpuRatio: number;
}

export interface ColdStartFigures {
  runs: number;
  empty: { bytes: number; readyMs: number; requireMs: number; cpuMs: number };
  byBackend: Partial<Record<BackendName, BundleFigures[]>>;
  /** Filled per backend once its server runs (firstRequest.ts). */
  firstRequest: Partial<Record<BackendName, FirstRequestFigures>>;
}

const LOADER = `const { performance } = require('node:perf_hooks');
const t0 = performance.now();
require(process.argv[1]);
const t1 = performance.now();
const { user, system } = process.cpuUsage();
process.stdout.write(JSON.stringify({ readyMs: t1, requireMs: t1 - t0, cpuMs: (user + system) / 1000 }));`;

async function loadOnce(file: string): Promise<{ readyMs: number; requireMs: number; cpuMs: number }> {
  const { stdout } = await run(process.execPath, ['-e', LOADER, file], { env: { PATH: process.env.PATH ?? '' }, timeout: 30_000 });
  return JSON.parse(stdout) as { readyMs: number; requireMs: number; cpuMs: number };
}

export async function buildEmpty(outdir: string): Promise<{ file: string; bytes: number }> {
  const file = join(outdir, 'index.js');
  const result = await build({
    stdin: { contents: 'export const handler = async () => ({ statusCode: 200, body: "" });', loader: 'ts', resolveDir: outdir },
    outfile: file,
    bundle: true,
    minify: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
  });
  return { file, bytes: Object.values(result.metafile.outputs)[0]?.bytes ?? 0 };
}

/** buildAll keys sizes by output path; outside dist/ that path is relative to the project, so match the tail. */
function sizeOf(sizes: Record<string, number>, name: string, file = 'index.js'): number {
  const key = Object.keys(sizes).find((path) => path === `${name}/${file}` || path.endsWith(`/${name}/${file}`));
  return key ? sizes[key]! : 0;
}

export async function measureBundles(backends: BackendName[], runs: number, log: (line: string) => void): Promise<ColdStartFigures> {
  const root = mkdtempSync(join(tmpdir(), 'lockless-bench-bundles-'));
  try {
    const empty = await buildEmpty(join(root, 'empty'));
    const targets: { backend: BackendName | 'empty'; name: string; file: string; bytes: number; indexBytes: number }[] = [
      { backend: 'empty', name: 'empty', file: empty.file, bytes: empty.bytes, indexBytes: empty.bytes },
    ];
    for (const backend of backends) {
      const outdir = join(root, backend);
      const { names, sizes } = await buildAll({ backend, outdir, quiet: true });
      for (const name of names) {
        const indexBytes = sizeOf(sizes, name);
        targets.push({
          backend,
          name,
          file: join(outdir, name, 'index.js'),
          bytes: indexBytes + sizeOf(sizes, name, 'adapter.js'),
          indexBytes,
        });
      }
    }
    log(`cold start: ${targets.length} bundles x ${runs} fresh processes`);
    const samples = targets.map(() => ({ ready: [] as number[], require: [] as number[], cpu: [] as number[] }));
    for (let r = 0; r < runs; r++) {
      for (const [i, target] of targets.entries()) {
        const { readyMs, requireMs, cpuMs } = await loadOnce(target.file);
        samples[i]!.ready.push(readyMs);
        samples[i]!.require.push(requireMs);
        samples[i]!.cpu.push(cpuMs);
      }
    }
    const round = (x: number) => Math.round(x * 100) / 100;
    const emptyReady = median(samples[0]!.ready);
    const emptyCpu = median(samples[0]!.cpu);
    const figures: ColdStartFigures = {
      runs,
      empty: { bytes: empty.bytes, readyMs: round(emptyReady), requireMs: round(median(samples[0]!.require)), cpuMs: round(emptyCpu) },
      byBackend: {},
      firstRequest: {},
    };
    for (const [i, target] of targets.entries()) {
      if (target.backend === 'empty') continue;
      const readyMs = median(samples[i]!.ready);
      const rows = figures.byBackend[target.backend] ?? [];
      figures.byBackend[target.backend] = rows;
      rows.push({
        name: target.name,
        bytes: target.bytes,
        indexBytes: target.indexBytes,
        readyMs: round(readyMs),
        requireMs: round(median(samples[i]!.require)),
        ratio: round(readyMs / emptyReady),
        cpuMs: round(median(samples[i]!.cpu)),
        cpuRatio: round(median(samples[i]!.cpu) / emptyCpu),
      });
    }
    return figures;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
