/**
 * npm run bench: the lockless benchmark (not a test). See bench/README.md and `npm run bench -- --help`.
 *
 * Bundles and cold start are measured first, on a quiet machine. Then for each backend: start its server (or
 * use LOCKLESS_MONGODB_URI / LOCKLESS_DYNAMODB_ENDPOINT), make a namespace of its own, race every contestant through every
 * scenario in a worker process (in process, or through serverless-offline with --http), then drop the
 * namespace and stop exactly what was started. Then write the figures, tables and charts, and print the
 * headline ratios.
 */
import { join } from 'node:path';
import { buildAll } from '../esbuild.config.mjs';
import { startOffline } from '../scripts/local/offline';
import { freePort } from '../tools/servers/process';
import { measureBundles, type ColdStartFigures } from './bundles';
import { runBursts, type BurstReport } from './bursts';
import { writeBurstResults } from './report/burstResults';
import { measureFirstRequest } from './firstRequest';
import { machineInfo } from './machine';
import { parseOptions, USAGE, type BenchOptions } from './options';
import { coldHeadlines, formatHeadline, headlines } from './report/headline';
import type { BackendReport } from './report/markdown';
import { stampOf, writeResults } from './report/results';
import { Resources, releaseOnSignals } from './resources';
import { BENCH_ENV, startBackend, type BackendSetup } from './servers';
import { runWorker } from './workerProcess';

const log = (line: string) => process.stdout.write(`[bench] ${line}\n`);

/** --http: the bundles in dist/ (serverless.yml points there) served by serverless-offline for this backend. */
async function startHttp(setup: BackendSetup, resources: Resources): Promise<string> {
  await buildAll({ backend: setup.backend, quiet: true });
  const offline = await startOffline({
    httpPort: await freePort(),
    lambdaPort: await freePort(),
    env: setup.env,
  });
  resources.add(`offline-${setup.backend}`, () => offline.stop());
  log(`serverless-offline (pid ${offline.pid}) at ${offline.httpUrl}`);
  return offline.httpUrl;
}

async function main(): Promise<void> {
  const parsed = parseOptions(process.argv.slice(2), join(__dirname, 'results'));
  if (parsed === 'help') {
    console.log(USAGE);
    return;
  }
  const options: BenchOptions = parsed;
  // In this process's environment, so the worker and serverless-offline inherit it with the rest.
  Object.assign(process.env, BENCH_ENV);
  const resources = new Resources(log);
  releaseOnSignals(resources, log);
  const started = new Date();
  const machine = machineInfo(started);
  log(
    `${machine.cores} cores, ${machine.memoryGiB} GiB, node ${machine.node}; backends ${options.backends.join(', ')}${options.http ? ' over HTTP' : ''}`,
  );

  let cold: ColdStartFigures | null = null;
  if (options.coldRuns > 0) {
    cold = await measureBundles(options.backends, options.coldRuns, log);
  }

  const reports: BackendReport[] = [];
  const bursts: BurstReport[] = [];
  try {
    for (const backend of options.backends) {
      const setup = await startBackend(backend, resources, log);
      if (options.bursts) {
        bursts.push(await runBursts(setup, resources, log));
        await resources.releaseAll();
        continue;
      }
      // Before the scenarios, so the server is idle and holds nothing but this one product.
      if (cold) cold.firstRequest[backend] = await measureFirstRequest(backend, setup.env, options.coldRuns, log);
      if (!options.coldOnly) {
        const httpUrl = options.http ? await startHttp(setup, resources) : undefined;
        const output = await runWorker({ backend, options, serverPid: setup.serverPid, httpUrl }, setup.env, resources);
        reports.push({
          backend,
          server: setup.server,
          mode: output.mode,
          cells: output.cells,
          skipped: output.skipped,
          headline: headlines(output.cells),
        });
      }
      await resources.releaseAll();
    }
  } finally {
    await resources.releaseAll();
  }

  if (options.bursts) {
    const { files, markdown } = writeBurstResults(options.outDir, stampOf(started), machine, bursts);
    console.log(`\n${markdown}`);
    for (const file of files) log(`wrote ${file}`);
    log(`done in ${((Date.now() - started.getTime()) / 1000).toFixed(0)} s`);
    return;
  }
  const { files, markdown } = writeResults(options.outDir, stampOf(started), machine, options, cold, reports);
  console.log(`\n${markdown}`);
  for (const file of files) log(`wrote ${file}`);
  console.log('\nHeadline ratios (one run; targets are reported, not asserted):');
  for (const report of reports) {
    for (const h of report.headline) console.log(`  [${report.backend}] ${formatHeadline(h)}`);
  }
  if (cold) for (const line of coldHeadlines(cold)) console.log(`  ${line}`);
  log(`done in ${((Date.now() - started.getTime()) / 1000).toFixed(0)} s`);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
