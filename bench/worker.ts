/**
 * One backend's race, in a process of its own: the parent sets the backend's environment (LOCKLESS_BACKEND,
 * endpoints, table prefix or database) before this process loads any handler, exactly as a Lambda container
 * gets it, and reads the figures back from the file named in BENCH_WORKER.
 */
import { writeFileSync } from 'node:fs';
import { dynamoSettings, mongoSettings } from '../shared/config';
import { createDynamoDocumentClient } from '../adapters/dynamodb';
import { createMongoClient } from '../adapters/mongodb';
import type { Contestant } from './contestants/contestant';
import { roster } from './contestants/roster';
import { cpuSince, cpuSnapshot } from './cpu';
import { httpInvoker } from './invoke/http';
import { inProcessInvoker } from './invoke/inProcess';
import { drive } from './load';
import type { BackendName, BenchOptions } from './options';
import { createDynamoRaw } from './raw/dynamoRaw';
import { createMongoRaw } from './raw/mongoRaw';
import type { RawDriver } from './raw/rawDriver';
import { catalogue } from './scenarios/catalogue';
import { seedProducts } from './scenarios/purchases';
import type { BenchEnv } from './scenarios/scenario';
import { cellFigures, type CellFigures } from './stats';
import { formatCell } from './report/progress';

export interface WorkerInput {
  backend: BackendName;
  options: BenchOptions;
  /** serverless-offline's base URL in --http mode. */
  httpUrl?: string;
  /** The database server process this run started, for its CPU figures. */
  serverPid?: number;
  outFile: string;
}

export interface WorkerOutput {
  backend: BackendName;
  mode: 'in-process' | 'http';
  cells: CellFigures[];
  skipped: { scenario: string; reason: string }[];
}

function rawDriver(backend: BackendName): RawDriver {
  const env = process.env;
  // The client settings adapters/index.ts gives the handlers, so only the layers above differ.
  if (backend === 'dynamodb') {
    const dynamo = dynamoSettings(env);
    return createDynamoRaw(createDynamoDocumentClient(dynamo), dynamo.tablePrefix);
  }
  const mongo = mongoSettings(env);
  return createMongoRaw(createMongoClient(mongo.uri.value!, mongo), mongo.dbName);
}

/**
 * Opens every pool (at concurrency 64, the highest the scenarios use) and warms the code paths and the
 * server's JIT: up to 600 requests or 2 s per contestant, a third of them reads.
 */
async function warmUp(env: BenchEnv, contestants: Contestant[]): Promise<void> {
  for (const c of contestants) {
    if (!c.purchase) continue;
    const id = `warm-${c.slug}`;
    await seedProducts(env.raw, [id]);
    await drive(
      (i) =>
        i % 3 === 2 && c.read
          ? { kind: 'read', key: id, send: c.read(id) }
          : { kind: 'purchase', key: id, send: c.purchase!(id, `warm-${i}`, 1) },
      {
        concurrency: 64,
        requests: 600,
        maxMs: 2_000,
      },
    );
  }
}

async function main(): Promise<void> {
  const input = JSON.parse(process.env.BENCH_WORKER ?? 'null') as WorkerInput | null;
  if (!input) throw new Error('bench/worker.ts is started by bench/run.ts');
  const { backend, options, serverPid } = input;
  const raw = rawDriver(backend);
  const invoker = input.httpUrl ? httpInvoker(input.httpUrl) : inProcessInvoker();
  const env: BenchEnv = { backend, raw, invoker };
  const output: WorkerOutput = { backend, mode: invoker.mode, cells: [], skipped: [] };
  const log = (line: string) => process.stdout.write(`[${backend}] ${line}\n`);
  try {
    const contestants = roster(raw, invoker).filter((c) => options.contestants.length === 0 || options.contestants.includes(c.slug));
    await warmUp(env, contestants);
    for (const scenario of catalogue(options)) {
      const reason = scenario.skipReason(env);
      if (reason) {
        log(`${scenario.title}: skipped: ${reason}`);
        output.skipped.push({ scenario: scenario.id, reason });
        continue;
      }
      log(scenario.title);
      for (const contestant of contestants.filter((c) => scenario.takes(c))) {
        const workload = await scenario.prepare(env, contestant, `${scenario.id}-${contestant.slug}`);
        const before = cpuSnapshot(serverPid);
        const load = await drive(workload.request, {
          concurrency: scenario.concurrency,
          requests: options.requests,
          maxMs: options.seconds * 1000,
        });
        const cpu = cpuSince(before, cpuSnapshot(serverPid), load.samples.length);
        const verification = await workload.verify(load.samples);
        const cell = cellFigures(
          {
            scenario: scenario.id,
            group: scenario.group,
            concurrency: scenario.concurrency,
            contestant: contestant.name,
            family: contestant.family,
          },
          load,
          verification,
          cpu,
        );
        output.cells.push(cell);
        log(`  ${formatCell(cell)}`);
      }
    }
  } finally {
    await invoker.close().catch(() => {});
    await raw.close().catch(() => {});
  }
  writeFileSync(input.outFile, JSON.stringify(output));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
