/** The Markdown report of a run: machine, one table per scenario group, bundles and cold start, headline. */
import type { ColdStartFigures } from '../bundles';
import type { MachineInfo } from '../machine';
import type { CellFigures } from '../stats';
import { fmtMs, fmtPct, fmtRate } from './format';
import { formatHeadline, type Headline } from './headline';

export interface BackendReport {
  backend: string;
  server: string;
  mode: 'in-process' | 'http';
  cells: CellFigures[];
  skipped: { scenario: string; reason: string }[];
  headline: Headline[];
}

const GROUP_TITLES: Record<string, string> = {
  uncontended: 'Uncontended: purchases spread over 1,000 products',
  hot: 'Hot item: one product',
  mixed: 'Mixed: 80% reads (GET /products/{id}), 20% purchases, 10 products',
  'transfer-hot': 'Transfers among 10 accounts (hot)',
  'transfer-cold': 'Transfers among 1,000 accounts (cold)',
};

function row(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}

function cellRow(c: CellFigures, transfer: boolean): string {
  const l = c.latencyMs;
  const violation = transfer ? (c.verification.imbalance ?? 0) : (c.verification.oversold ?? 0);
  return row([
    String(c.concurrency),
    c.contestant,
    `${c.requests}${c.capped ? '*' : ''}`,
    fmtRate(c.throughput),
    fmtRate(c.goodput),
    fmtMs(l?.p50),
    fmtMs(l?.p95),
    fmtMs(l?.p99),
    c.successes ? c.meanAttempts.toFixed(2) : '-',
    fmtPct(c.conflictRate),
    `${c.spurious} (${fmtPct(c.spuriousRate)})`,
    String(violation),
    c.errors ? `${c.errors} ${Object.keys(c.errorCodes).join(', ')}` : '0',
    `${c.cpu.workerCores} / ${c.cpu.serverCores ?? '-'} / ${c.cpu.machineCores ?? '-'}`,
  ]);
}

export function scenarioTables(cells: CellFigures[], skipped: BackendReport['skipped']): string {
  const out: string[] = [];
  for (const [group, title] of Object.entries(GROUP_TITLES)) {
    const rows = cells.filter((c) => c.group === group);
    const skip = skipped.find((s) => s.scenario === group);
    if (skip) {
      out.push(`#### ${title}\n\nskipped: ${skip.reason}\n`);
      continue;
    }
    if (rows.length === 0) continue;
    const transfer = group.startsWith('transfer');
    out.push(`#### ${title}\n`);
    out.push(
      row([
        'c',
        'contestant',
        'requests',
        'req/s',
        'goodput/s',
        'p50 ms',
        'p95 ms',
        'p99 ms',
        'attempts/success',
        'conflicts',
        'spurious',
        transfer ? 'imbalance' : 'oversold',
        'errors',
        'cores client / server / all',
      ]),
    );
    out.push(row(Array.from({ length: 14 }, (_, i) => (i < 2 ? '---' : '---:'))));
    for (const c of rows) out.push(cellRow(c, transfer));
    out.push('');
  }
  return out.join('\n');
}

/** Rows measured only by the first-request probe (firstRequest.ts), after the functions. */
const PROBE_ROWS = [
  ['minimal', 'minimal getProduct (hand-written, same client)'],
  ['getProduct, SDK not bundled', 'getProduct, AWS SDK not bundled'],
  ['getProduct, logging', 'getProduct, its request line logged (shared/log.ts)'],
  ['getProduct, Powertools logger', 'getProduct, its request line logged by Powertools logger'],
  ['getProduct, adapter bundled in', 'getProduct, adapter and metrics sink bundled in index.js (no side files, the build before)'],
] as const;

export function bundleTable(cold: ColdStartFigures): string {
  const backends = Object.keys(cold.byBackend) as (keyof ColdStartFigures['byBackend'])[];
  const names = [...new Set(backends.flatMap((b) => cold.byBackend[b]!.map((f) => f.name)))];
  const head = [
    'function',
    ...backends.flatMap((b) => [`${b} KiB`, `${b} init ms`, `${b} init ratio`, `${b} init + 1st request ms`, `${b} vs minimal`]),
  ];
  const lines = [row(head), row(head.map((_, i) => (i === 0 ? '---' : '---:')))];
  const none = ['-', '-', '-', '-', '-'];
  const first = (b: (typeof backends)[number], name: string) => cold.firstRequest[b]?.bundles.find((x) => x.name === name);
  lines.push(
    row(['(empty bundle)', ...backends.flatMap(() => [(cold.empty.bytes / 1024).toFixed(1), fmtMs(cold.empty.readyMs), '1.00', '-', '-'])]),
  );
  for (const name of names) {
    lines.push(
      row([
        name,
        ...backends.flatMap((b) => {
          const f = cold.byBackend[b]!.find((x) => x.name === name);
          const probe = first(b, name);
          if (!f) return none;
          return [
            (f.bytes / 1024).toFixed(1),
            fmtMs(f.readyMs),
            f.ratio.toFixed(2),
            fmtMs(probe?.firstMs ?? undefined),
            probe?.firstRatio?.toFixed(2) ?? '-',
          ];
        }),
      ]),
    );
  }
  for (const [name, label] of PROBE_ROWS) {
    if (!backends.some((b) => first(b, name))) continue;
    lines.push(
      row([
        `${label} †`,
        ...backends.flatMap((b) => {
          const probe = first(b, name);
          if (!probe) return none;
          return [
            (probe.bytes / 1024).toFixed(1),
            fmtMs(probe.initMs),
            probe.initRatio.toFixed(2),
            fmtMs(probe.firstMs ?? undefined),
            probe.firstRatio?.toFixed(2) ?? '-',
          ];
        }),
      ]),
    );
  }
  const requireAlone = `require alone: empty ${fmtMs(cold.empty.requireMs)} ms, ${backends.map((b) => `${b} ${cold.byBackend[b]!.map((f) => `${f.name} ${fmtMs(f.requireMs)}`).join(', ')}`).join('; ')} ms`;
  const indexAlone = backends
    .map((b) => `${b} ${cold.byBackend[b]!.map((f) => `${f.name} ${((f.indexBytes ?? f.bytes) / 1024).toFixed(1)}`).join(', ')} KiB`)
    .join('; ');
  const probeRuns = Object.values(cold.firstRequest)[0]?.runs;
  return [
    lines.join('\n'),
    '',
    `KiB: index.js and adapter.js, what a cold start loads by its first answer (esbuild.config.mjs SIDE_FILES; index.js alone, what init loads: ${indexAlone}).`,
    '',
    `Init ms: median over ${cold.runs} fresh \`node\` processes of the time from process start until \`require(bundle)\` (index.js) returned (${requireAlone}). Init ratio: init / the empty bundle's init.`,
    ...(probeRuns
      ? [
          '',
          `Init + 1st request ms: median over ${probeRuns} fresh processes of the time from process start until the handler answered one \`GET /products/{id}\` ` +
            `(an HTTP API v2 event) from the running database: init, creating the client, connecting, one read. Vs minimal: that time / the same for a ` +
            `minimal hand-written handler making the same call (DynamoDB \`GetItem\`, MongoDB \`findOne\`) through the same client factory and settings, ` +
            `built with the same esbuild options (bench/minimal/). † Measured in that second loop, with the database up, against an empty bundle loaded in ` +
            `the same loop; "AWS SDK not bundled" is getProduct built with \`@aws-sdk/*\` external and loaded from node_modules, as from the Lambda runtime's copy.`,
        ]
      : []),
    '',
    `CPU time (user + system) the process had used by then, which waiting for a core on a busy machine does not stretch. Init: empty ${fmtMs(cold.empty.cpuMs)} ms; ${backends
      .map((b) => `${b} ${cold.byBackend[b]!.map((f) => `${f.name} ${fmtMs(f.cpuMs)} (${f.cpuRatio.toFixed(2)}x)`).join(', ')}`)
      .join('; ')}.` +
      (probeRuns
        ? ` Init + 1st request: ${backends
            .map((b) => {
              const cpu = (name: string) => first(b, name);
              const lockless = cpu('getProduct');
              const minimal = cpu('minimal');
              const external = cpu('getProduct, SDK not bundled');
              if (!lockless?.firstCpuMs || !minimal?.firstCpuMs) return null;
              return `${b} getProduct ${fmtMs(lockless.firstCpuMs)} ms, minimal ${fmtMs(minimal.firstCpuMs)} (${lockless.firstCpuRatio?.toFixed(2)}x)${external?.firstCpuMs ? `, AWS SDK not bundled ${fmtMs(external.firstCpuMs)} (${external.firstCpuRatio?.toFixed(2)}x)` : ''}`;
            })
            .filter(Boolean)
            .join('; ')}.`
        : ''),
    '',
  ].join('\n');
}

export function machineBlock(m: MachineInfo): string {
  return [
    `- date: ${m.date}`,
    `- machine: ${m.cores} cores (${m.cpuModel}), ${m.memoryGiB} GiB memory`,
    `- node ${m.node}; ${m.java ?? 'no java'}; load average ${m.loadAtStart} when the run began`,
    `- \`uname -a\`: ${m.uname}`,
    `- commit: ${m.commit ?? 'unknown'}${m.dirty ? ' (with uncommitted changes in the work tree)' : ''}`,
  ].join('\n');
}

export function backendSection(r: BackendReport, chartFile?: string): string {
  return [
    `### ${r.backend}: ${r.server}, handlers driven ${r.mode === 'http' ? 'over HTTP through serverless-offline' : 'in process'}`,
    '',
    '**Headline (one run):**',
    '',
    ...r.headline.map((h) => `- ${formatHeadline(h).replace(/\n\s+/, '. ')}`),
    '',
    ...(chartFile ? [`![hot item, ${r.backend}](${chartFile})`, ''] : []),
    scenarioTables(r.cells, r.skipped),
  ].join('\n');
}

export const LEGEND = `c: concurrency (callers, each sending its next request when the last one answered). requests: answered
requests (* = the per-cell time cap ended the cell early). goodput: successful purchases (or transfers) per
second. Latency: every answered request. attempts/success: mean server-side attempts per success (CAS loops,
spins; 1 where there is no loop). conflicts: writes answered with a conflict (409, or a spent retry loop).
spurious: conflicts answered while units were still in stock. oversold: units the answers sold that the stock
never gave up. cores: average cores busy in the benchmark process, the database server process, and the
whole machine.`;
