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
 * One more row weighs a change to the build: getProduct with its adapter imported statically instead of with
 * adapters/index.ts's require() (which makes esbuild wrap the adapter and the AWS SDK in lazy module wrappers,
 * evaluated at the first request, and keep SDK modules it cannot tree-shake through them).
 *
 * Processes are interleaved across bundles, as in bundles.ts; the empty bundle is loaded in the same loop so
 * that the init ratios of these rows compare with a reference taken under the same conditions.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { dynamoSettings, mongoSettings } from '../shared/config';
import { createDynamoDocumentClient } from '../adapters/dynamodb/client';
import { createMongoClient } from '../adapters/mongodb/client';
import { bundleOptions } from '../esbuild.config.mjs';
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
  | 'getProduct, adapter imported statically';

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

/** adapters/index.ts with `backend`'s adapter imported statically (evaluated at init, tree-shaken) instead of require()d. */
function staticAdapter(backend: BackendName) {
  return {
    name: 'static-adapter',
    setup(b: { onLoad: (o: { filter: RegExp }, f: (a: { path: string }) => { contents: string; loader: 'ts' } | undefined) => void }) {
      const index = join(ROOT, 'adapters', 'index.ts');
      b.onLoad({ filter: /adapters[\\/]index\.ts$/ }, (args) => {
        if (args.path !== index) return undefined;
        const source = readFileSync(index, 'utf8');
        const needle = `require('./${backend}') as typeof import('./${backend}')`;
        if (!source.includes(needle)) throw new Error(`adapters/index.ts no longer loads its adapter with ${needle}`);
        return { contents: `import * as staticAdapter from './${backend}';\n${source.replace(needle, 'staticAdapter')}`, loader: 'ts' };
      });
    },
  };
}

async function buildOne(
  backend: BackendName,
  entry: string,
  outfile: string,
  sdkBundled = true,
  powertoolsLog = false,
  adapterStatic = false,
): Promise<number> {
  const options = bundleOptions(backend);
  const result = await build({
    ...options,
    entryPoints: [entry],
    outfile,
    external: [...(options.external ?? []), ...(sdkBundled ? [] : ['@aws-sdk/*'])],
    plugins: [...(options.plugins ?? []), ...(powertoolsLog ? [powertoolsLogger] : []), ...(adapterStatic ? [staticAdapter(backend)] : [])],
  });
  return Object.values(result.metafile.outputs)[0]?.bytes ?? 0;
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
    const targets: Array<{ name: FirstRequestTarget; file: string; bytes: number; nodePath?: string; env?: Record<string, string> }> = [
      { name: 'empty', file: empty.file, bytes: empty.bytes },
      { name: 'getProduct', file: join(dir, 'getProduct.js'), bytes: await buildOne(backend, getProduct, join(dir, 'getProduct.js')) },
      { name: 'minimal', file: join(dir, 'minimal.js'), bytes: await buildOne(backend, minimal, join(dir, 'minimal.js')) },
    ];
    if (backend === 'dynamodb') {
      const file = join(dir, 'sdk-external.js');
      targets.push({
        name: 'getProduct, SDK not bundled',
        file,
        bytes: await buildOne(backend, getProduct, file, false),
        nodePath: join(ROOT, 'node_modules'),
      });
    }
    const logging = { LOCKLESS_LOG_LEVEL: 'info' };
    targets.push(
      { name: 'getProduct, logging', file: join(dir, 'getProduct.js'), bytes: targets[1]!.bytes, env: logging },
      {
        name: 'getProduct, Powertools logger',
        file: join(dir, 'powertools-log.js'),
        bytes: await buildOne(backend, getProduct, join(dir, 'powertools-log.js'), true, true),
        env: logging,
      },
    );
    targets.push({
      name: 'getProduct, adapter imported statically',
      file: join(dir, 'static-adapter.js'),
      bytes: await buildOne(backend, getProduct, join(dir, 'static-adapter.js'), true, false, true),
    });
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
