/**
 * Cold start up to the first answer, per backend: a fresh Node process loads a bundle and answers one
 * GET /products/{id} (an API Gateway HTTP API v2 event) from the running database, as a Lambda container's first
 * invocation does: init, then the store is created, connects and reads. Its yardstick is a minimal hand-written
 * handler (bench/minimal/) that makes the same database call through the same client, built with the same
 * esbuild options, so `ratio` is lockless's own cost on a cold start.
 *
 * On DynamoDB one more bundle is loaded: getProduct built with the AWS SDK left out, resolved at run time from
 * node_modules (NODE_PATH), the way a function that relies on the Lambda runtime's copy of the SDK loads it.
 * That answers, by measurement, whether to bundle the SDK (docs/benchmark.md, "Bundles and cold start").
 *
 * Two more rows answer issue 13's question, whether Powertools' logger may replace shared/log.ts at no cost:
 * getProduct with its request line on (LOCKLESS_LOG_LEVEL=info; the other rows run silent), built as it is and
 * with bench/variants/powertoolsLog.ts in place of shared/log.ts.
 *
 * One more row keeps the build before side files (esbuild.config.mjs SIDE_FILES) for comparison in the same run:
 * getProduct with its adapter and the metrics sink bundled into index.js, the adapter reached through
 * adapters/index.ts's require() (esbuild wraps it and the AWS SDK in lazy module wrappers, evaluated at the first
 * request, and cannot tree-shake the SDK through them).
 *
 * Every lockless bundle is built as the functions are, with its side files next to it in a folder of its own.
 *
 * Processes are interleaved across bundles, as in bundles.ts; the empty bundle is loaded in the same loop so
 * that the init ratios of these rows compare with a reference taken under the same conditions.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { dynamoSettings, mongoSettings } from '../shared/config';
import { createDynamoDocumentClient } from '../adapters/dynamodb/client';
import { createMongoClient } from '../adapters/mongodb/client';
import { bundleOptions, SIDE_FILES } from '../esbuild.config.mjs';
import { buildEmpty } from './bundles';
import { httpEvent } from './invoke/events';
import type { BackendName } from './options';
import { createDynamoRaw } from './raw/dynamoRaw';
import { createMongoRaw } from './raw/mongoRaw';
import { BENCH_ENV } from './servers';
import { median } from './stats';

const run = promisify(execFile);
const ROOT = join(__dirname, '..');

export type FirstRequestTarget =
  | 'empty'
  | 'getProduct'
  | 'minimal'
  | 'getProduct, SDK not bundled'
  | 'getProduct, logging'
  | 'getProduct, Powertools logger'
  | 'getProduct, adapter bundled in';

export interface FirstRequestFigures {
  runs: number;
  /**
   * Per bundle: size, medians in ms of process start to loaded (init) and to the first answer, and the CPU
   * time the process had used by then (user + system; waiting for a core or for the database is not in it,
   * so on a busy machine it moves less than the wall-clock times).
   */
  bundles: Array<{
    name: FirstRequestTarget;
    bytes: number;
    initMs: number;
    firstMs: number | null;
    initRatio: number;
    firstRatio: number | null;
    initCpuMs: number;
    firstCpuMs: number | null;
    firstCpuRatio: number | null;
  }>;
}

/** Loads the bundle in argv[1], then (unless argv[2] is empty) calls its handler once with the event in argv[2]. */
const PROBE = `const { performance } = require('node:perf_hooks');
const [file, event] = process.argv.slice(1);
const context = { awsRequestId: 'cold', functionName: 'cold', getRemainingTimeInMillis: () => 10000 };
const cpuMs = () => { const { user, system } = process.cpuUsage(); return (user + system) / 1000; };
// getProduct: its API Gateway entry (since issue 10 handler is the direct one); the minimal handlers have only handler.
const loaded = require(file);
const handler = loaded.httpHandler || loaded.handler;
const initMs = performance.now();
const initCpuMs = cpuMs();
if (!event) { process.stdout.write(JSON.stringify({ initMs, initCpuMs })); process.exit(0); }
handler(JSON.parse(event), context).then((answer) => {
  const firstMs = performance.now();
  const firstCpuMs = cpuMs();
  process.stdout.write(JSON.stringify({ initMs, initCpuMs, firstMs, firstCpuMs, status: answer.statusCode }));
  process.exit(0);
}, (err) => { console.error(err); process.exit(1); });`;

const PRODUCT = 'cold-start-product';

async function seedProduct(backend: BackendName, env: Record<string, string>): Promise<void> {
  const raw =
    backend === 'dynamodb'
      ? createDynamoRaw(createDynamoDocumentClient(dynamoSettings(env)), dynamoSettings(env).tablePrefix)
      : createMongoRaw(createMongoClient(mongoSettings(env).uri.value!, mongoSettings(env)), mongoSettings(env).dbName);
  try {
    await raw.seed('products', [{ id: PRODUCT, name: 'cold start', stock: 1, sold: 0, price: 100, version: 1 }]);
  } finally {
    await raw.close();
  }
}

/** Resolves lockless's own imports of shared/log.ts to bench/variants/powertoolsLog.ts (node_modules untouched). */
const powertoolsLogger = {
  name: 'powertools-logger',
  setup(b: { onResolve: (o: { filter: RegExp }, f: (a: { path: string; importer: string }) => { path: string } | undefined) => void }) {
    const shared = join(ROOT, 'shared');
    b.onResolve({ filter: /^\.\.?\/(\.\.\/)*log$/ }, (args) =>
      args.importer.startsWith(shared) && join(args.importer, '..', args.path) === join(shared, 'log')
        ? { path: join(ROOT, 'bench', 'variants', 'powertoolsLog.ts') }
        : undefined,
    );
  },
};

interface BuildChoice {
  /** Leave `@aws-sdk/*` out, to be loaded from node_modules (as from the Lambda runtime's copy). */
  sdkExternal?: boolean;
  powertoolsLog?: boolean;
  /** The build before side files: adapter and metrics sink inside index.js. */
  noSideFiles?: boolean;
}

/**
 * Builds `entry` into `dir`/index.js with the functions' options and, unless `noSideFiles`, the side files a
 * handler loads next to it (adapter.js, metrics.js), as buildAll does. Size: what the first request loads,
 * index.js and adapter.js.
 */
async function buildOne(
  backend: BackendName,
  entry: string,
  dir: string,
  choice: BuildChoice = {},
): Promise<{ file: string; bytes: number }> {
  const options = bundleOptions(backend, { sideFiles: !choice.noSideFiles });
  const sides: Record<string, string> =
    choice.noSideFiles || !entry.startsWith(join(ROOT, 'functions'))
      ? {}
      : { adapter: SIDE_FILES.adapter(backend), metrics: SIDE_FILES.metrics() };
  const result = await build({
    ...options,
    entryPoints: { index: entry, ...sides },
    outdir: dir,
    external: [...(options.external ?? []), ...(choice.sdkExternal ? ['@aws-sdk/*'] : [])],
    plugins: [...(options.plugins ?? []), ...(choice.powertoolsLog ? [powertoolsLogger] : [])],
  });
  const bytes = Object.entries(result.metafile!.outputs)
    .filter(([file]) => /(^|\/)(index|adapter)\.js$/.test(file))
    .reduce((sum, [, output]) => sum + output.bytes, 0);
  return { file: join(dir, 'index.js'), bytes };
}

export async function measureFirstRequest(
  backend: BackendName,
  env: Record<string, string>,
  runs: number,
  log: (line: string) => void,
): Promise<FirstRequestFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'lockless-bench-first-'));
  try {
    const minimal = join(ROOT, 'bench', 'minimal', backend === 'dynamodb' ? 'dynamoGetProduct.ts' : 'mongoGetProduct.ts');
    const getProduct = join(ROOT, 'functions', 'getProduct.ts');
    const empty = await buildEmpty(join(dir, 'empty'));
    const lockless = await buildOne(backend, getProduct, join(dir, 'getProduct'));
    const targets: Array<{ name: FirstRequestTarget; file: string; bytes: number; nodePath?: string; env?: Record<string, string> }> = [
      { name: 'empty', file: empty.file, bytes: empty.bytes },
      { name: 'getProduct', ...lockless },
      { name: 'minimal', ...(await buildOne(backend, minimal, join(dir, 'minimal'))) },
    ];
    if (backend === 'dynamodb') {
      targets.push({
        name: 'getProduct, SDK not bundled',
        ...(await buildOne(backend, getProduct, join(dir, 'sdk-external'), { sdkExternal: true })),
        nodePath: join(ROOT, 'node_modules'),
      });
    }
    const logging = { LOCKLESS_LOG_LEVEL: 'info' };
    targets.push(
      { name: 'getProduct, logging', ...lockless, env: logging },
      {
        name: 'getProduct, Powertools logger',
        ...(await buildOne(backend, getProduct, join(dir, 'powertools-log'), { powertoolsLog: true })),
        env: logging,
      },
      { name: 'getProduct, adapter bundled in', ...(await buildOne(backend, getProduct, join(dir, 'bundled-in'), { noSideFiles: true })) },
    );
    await seedProduct(backend, env);
    const event = JSON.stringify(
      httpEvent({ method: 'GET', path: `/products/${PRODUCT}`, route: 'GET /products/{id}', pathParameters: { id: PRODUCT } }),
    );
    log(`cold start to the first answer (${backend}): ${targets.length} bundles x ${runs} fresh processes`);
    const samples = targets.map(() => ({ init: [] as number[], first: [] as number[], initCpu: [] as number[], firstCpu: [] as number[] }));
    for (let r = 0; r < runs; r++) {
      for (const [i, target] of targets.entries()) {
        const { stdout } = await run(process.execPath, ['-e', PROBE, target.file, target.name === 'empty' ? '' : event], {
          env: {
            PATH: process.env.PATH ?? '',
            ...BENCH_ENV,
            ...env,
            ...(target.nodePath ? { NODE_PATH: target.nodePath } : {}),
            ...target.env,
          },
          timeout: 30_000,
        });
        const out = JSON.parse(stdout.trim().split('\n').pop()!) as {
          initMs: number;
          initCpuMs: number;
          firstMs?: number;
          firstCpuMs?: number;
          status?: number;
        };
        if (target.name !== 'empty' && out.status !== 200) throw new Error(`${target.name} answered ${out.status} to its first request`);
        samples[i]!.init.push(out.initMs);
        samples[i]!.initCpu.push(out.initCpuMs);
        if (out.firstMs !== undefined) samples[i]!.first.push(out.firstMs);
        if (out.firstCpuMs !== undefined) samples[i]!.firstCpu.push(out.firstCpuMs);
      }
    }
    const round = (x: number) => Math.round(x * 100) / 100;
    const emptyInit = median(samples[0]!.init);
    const minimalFirst = median(samples[2]!.first);
    const minimalFirstCpu = median(samples[2]!.firstCpu);
    return {
      runs,
      bundles: targets.map((target, i) => {
        const initMs = median(samples[i]!.init);
        const firstMs = samples[i]!.first.length > 0 ? median(samples[i]!.first) : null;
        const firstCpuMs = samples[i]!.firstCpu.length > 0 ? median(samples[i]!.firstCpu) : null;
        return {
          name: target.name,
          bytes: target.bytes,
          initMs: round(initMs),
          firstMs: firstMs === null ? null : round(firstMs),
          initRatio: round(initMs / emptyInit),
          firstRatio: firstMs === null ? null : round(firstMs / minimalFirst),
          initCpuMs: round(median(samples[i]!.initCpu)),
          firstCpuMs: firstCpuMs === null ? null : round(firstCpuMs),
          firstCpuRatio: firstCpuMs === null ? null : round(firstCpuMs / minimalFirstCpu),
        };
      }),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
