/**
 * Writes a `--bursts` run: bench/results/<stamp>-bursts.json (every figure, the machine) and <stamp>-bursts.md
 * (per backend: the burst table, the default strategy against `atomic`, the reconciler's cost).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { BurstCell, BurstReport } from '../bursts';
import type { MachineInfo } from '../machine';
import { machineBlock } from './markdown';

const ratio = (a: number, b: number) => (b > 0 ? (a / b).toFixed(2) : '-');

function burstTable(cells: BurstCell[]): string {
  return [
    '| buyers | strategy | bought | refused | 409 | 5xx | timeouts | other | p50 ms | p99 ms | s | bought/s | orders read back | stock after |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...cells.map(
      (c) =>
        `| ${c.buyers} | ${c.strategy === 'default' ? `default (${c.answeredAs})` : c.strategy} | ${c.bought} | ${c.refused} | ${c.conflicts409} | ${c.fivexx} | ${c.timeouts} | ${c.other} | ${c.p50ms} | ${c.p99ms} | ${c.seconds} | ${c.goodput} | ${c.readBack}/${c.bought} (${c.ordersStored} stored) | ${c.stockAfter} |`,
    ),
  ].join('\n');
}

/** The default strategy (no `strategy` sent) against `atomic` sent explicitly, per burst size. */
export function defaultVsAtomic(cells: BurstCell[]): string[] {
  const sizes = [...new Set(cells.map((c) => c.buyers))];
  return sizes.flatMap((buyers) => {
    const def = cells.find((c) => c.buyers === buyers && c.strategy === 'default');
    const atomic = cells.find((c) => c.buyers === buyers && c.strategy === 'atomic');
    if (!def || !atomic) return [];
    return [
      `${buyers} buyers: default (${def.answeredAs}) / atomic: bought/s ${ratio(def.goodput, atomic.goodput)}, p50 ${ratio(def.p50ms, atomic.p50ms)}, p99 ${ratio(def.p99ms, atomic.p99ms)}`,
    ];
  });
}

function reconcileTable(r: BurstReport): string {
  return [
    '| pass | ms | products | takes settled | units released | store calls |',
    '|---|---|---|---|---|---|',
    ...r.reconcile.map(
      (p) =>
        `| ${p.pass} | ${p.ms} | ${p.products} | ${p.takesSettled} | ${p.unitsReleased} | ${Object.entries(p.calls)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')} |`,
    ),
  ].join('\n');
}

export function writeBurstResults(
  outDir: string,
  stamp: string,
  machine: MachineInfo,
  reports: BurstReport[],
): { files: string[]; markdown: string } {
  mkdirSync(outDir, { recursive: true });
  const json = join(outDir, `${stamp}-bursts.json`);
  writeFileSync(json, `${JSON.stringify({ machine, reports }, null, 1)}\n`);
  const markdown = [
    `## lockless HTTP bursts, ${machine.date.slice(0, 16).replace('T', ' ')} UTC`,
    '',
    machineBlock(machine),
    "- `npm run bench -- --bursts`: serverless-offline with `npm start`'s settings (10 s timeout, 32 at once per function); 100 units; every buyer at once, quantity 1, own user and Idempotency-Key; each 200 read back by its buyer",
    '',
    ...reports.flatMap((r) => [
      `### ${r.backend}: ${r.server}`,
      '',
      burstTable(r.cells),
      '',
      ...defaultVsAtomic(r.cells).map((line) => `- ${line}`),
      '',
      "**The reconciler's cost** (one scheduled run's reconcile task over the burst products; `settle` runs twice the function timeout after `mark`):",
      '',
      reconcileTable(r),
      '',
    ]),
  ].join('\n');
  const md = join(outDir, `${stamp}-bursts.md`);
  writeFileSync(md, `${markdown}\n`);
  return { files: [json, md].map((f) => relative(process.cwd(), f)), markdown };
}
