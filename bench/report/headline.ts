/**
 * The headline ratios of one run, against the issue's targets. They are reported, never asserted: a missed
 * target says by how much, with the diagnostic figures measured in the same run that show where the gap is.
 */
import type { ColdStartFigures } from '../bundles';
import type { BackendName } from '../options';
import type { CellFigures } from '../stats';
import { fmtMs, fmtPct, fmtRatio } from './format';

export interface Headline {
  id: 'uncontended-p50' | 'hot-goodput' | 'oversold' | 'version-spurious';
  label: string;
  value: number | null;
  target: string;
  met: boolean | null;
  /** How far from the target (same unit as value), when missed. */
  missedBy: number | null;
  /** Diagnostics from the same run: the ratios that locate the gap. */
  detail: string;
}

const find = (cells: CellFigures[], scenario: string, contestant: string) =>
  cells.find((c) => c.scenario === scenario && c.contestant === contestant);

function hotLevel(cells: CellFigures[], wanted: number): number | null {
  const levels = [...new Set(cells.filter((c) => c.group === 'hot').map((c) => c.concurrency))];
  if (levels.length === 0) return null;
  return levels.reduce((best, c) => (Math.abs(c - wanted) < Math.abs(best - wanted) ? c : best));
}

const ratio = (a: number | undefined, b: number | undefined) => (a !== undefined && b !== undefined && b > 0 ? a / b : null);
const r = (x: number | null) => (x === null ? '-' : fmtRatio(x));

export function headlines(cells: CellFigures[]): Headline[] {
  const out: Headline[] = [];

  // Latency at concurrency 1 is the cost of one request; the working concurrency's ratio is given beside it.
  const uncontended = [...new Set(cells.filter((c) => c.group === 'uncontended').map((c) => c.scenario))].sort(
    (a, b) => Number(a.split('-c')[1]) - Number(b.split('-c')[1]),
  );
  const [first, ...others] = uncontended;
  const raw = first ? find(cells, first, 'raw') : undefined;
  const rawOrder = first ? find(cells, first, 'raw+order') : undefined;
  const atomic = first ? find(cells, first, 'atomic') : undefined;
  if (first && raw && atomic) {
    const value = ratio(atomic.latencyMs?.p50, raw.latencyMs?.p50);
    const p50 = (scenario: string, name: string) => find(cells, scenario, name)?.latencyMs?.p50;
    out.push({
      id: 'uncontended-p50',
      label: `uncontended p50 (c=${raw.concurrency}), atomic handler / raw driver`,
      value,
      target: '<= 1.15',
      met: value === null ? null : value <= 1.15,
      missedBy: value !== null && value > 1.15 ? value - 1.15 : null,
      detail:
        `raw+order / raw = ${r(ratio(rawOrder?.latencyMs?.p50, raw.latencyMs?.p50))}, ` +
        `atomic / raw+order = ${r(ratio(atomic.latencyMs?.p50, rawOrder?.latencyMs?.p50))}; ` +
        `p50 ms raw ${raw.latencyMs?.p50}, raw+order ${rawOrder?.latencyMs?.p50 ?? '-'}, atomic ${atomic.latencyMs?.p50}; ` +
        `client CPU per request: raw ${raw.cpu.workerUsPerRequest} us, raw+order ${rawOrder?.cpu.workerUsPerRequest ?? '-'} us, atomic ${atomic.cpu.workerUsPerRequest} us` +
        others
          .map(
            (s) =>
              `; at ${s.replace('uncontended-', '')}: atomic / raw = ${r(ratio(p50(s, 'atomic'), p50(s, 'raw')))}, ` +
              `atomic / raw+order = ${r(ratio(p50(s, 'atomic'), p50(s, 'raw+order')))}`,
          )
          .join(''),
    });
  }

  const level = hotLevel(cells, 32);
  const hotRaw = level === null ? undefined : find(cells, `hot-c${level}`, 'raw');
  const hotRawOrder = level === null ? undefined : find(cells, `hot-c${level}`, 'raw+order');
  const hotAtomic = level === null ? undefined : find(cells, `hot-c${level}`, 'atomic');
  if (hotRaw && hotAtomic) {
    const value = ratio(hotAtomic.goodput, hotRaw.goodput);
    out.push({
      id: 'hot-goodput',
      label: `hot item c=${level} goodput, atomic / raw ceiling`,
      value,
      target: '>= 0.85',
      met: value === null ? null : value >= 0.85,
      missedBy: value !== null && value < 0.85 ? 0.85 - value : null,
      detail:
        `raw+order / raw = ${r(ratio(hotRawOrder?.goodput, hotRaw.goodput))}, ` +
        `atomic / raw+order = ${r(ratio(hotAtomic.goodput, hotRawOrder?.goodput))}; ` +
        `cores busy (client/server/machine): raw ${cores(hotRaw)}, raw+order ${hotRawOrder ? cores(hotRawOrder) : '-'}, atomic ${cores(hotAtomic)}`,
    });
  }

  const lockless = cells.filter((c) => c.family === 'lockless');
  if (lockless.length) {
    const oversold = lockless.reduce(
      (s, c) => s + (c.verification.oversold ?? 0) + (c.verification.imbalance ?? 0) + (c.verification.negative ?? 0),
      0,
    );
    const naive = cells.filter((c) => c.contestant === 'naive');
    const baseline = naive.reduce((s, c) => s + (c.verification.oversold ?? 0), 0);
    out.push({
      id: 'oversold',
      label: 'oversold units (and money imbalance), every lockless strategy and scenario',
      value: oversold,
      target: '= 0',
      met: oversold === 0,
      missedBy: oversold > 0 ? oversold : null,
      detail: naive.length
        ? `for comparison the naive read-check-write oversold ${baseline} units in the same run`
        : 'the naive baseline did not run',
    });
  }

  const version = cells.filter((c) => c.contestant === 'version');
  if (version.length) {
    const worst = version.reduce((a, b) => (b.spuriousRate > a.spuriousRate ? b : a));
    out.push({
      id: 'version-spurious',
      label: '`version` (default budget) spurious failures, worst scenario',
      value: worst.spuriousRate,
      target: '< 1%',
      met: worst.spuriousRate < 0.01,
      missedBy: worst.spuriousRate >= 0.01 ? worst.spuriousRate - 0.01 : null,
      detail:
        (worst.spurious === 0
          ? `no conflict answered in any scenario`
          : `worst: ${worst.scenario} (${worst.spurious} of ${worst.writes})`) +
        `; mean attempts per success ${version.map((c) => `${c.scenario} ${c.meanAttempts.toFixed(2)}`).join(', ')}` +
        `; p99 ms ${version.map((c) => `${c.scenario} ${c.latencyMs?.p99 ?? '-'}`).join(', ')}`,
    });
  }
  return out;
}

const cores = (c: CellFigures) => `${c.cpu.workerCores}/${c.cpu.serverCores ?? '-'}/${c.cpu.machineCores ?? '-'}`;

export function formatHeadline(h: Headline): string {
  const value =
    h.value === null ? '-' : h.id === 'version-spurious' ? fmtPct(h.value) : h.id === 'oversold' ? String(h.value) : fmtRatio(h.value);
  const verdict =
    h.met === null
      ? 'not measured'
      : h.met
        ? 'met'
        : `MISSED by ${h.id === 'version-spurious' ? fmtPct(h.missedBy ?? 0) : h.id === 'oversold' ? h.missedBy : fmtRatio(h.missedBy ?? 0)}`;
  return `${h.label} = ${value} (target ${h.target}: ${verdict})\n      ${h.detail}`;
}

/** The issue's cold-start targets: bundle size and init per backend, and the first answer against a minimal handler. */
const COLD_TARGETS = {
  dynamodb: { maxKiB: 450, maxInitRatio: 2 as number | null },
  mongodb: { maxKiB: 850, maxInitRatio: null as number | null },
} as const;
const MAX_FIRST_REQUEST_RATIO = 1.2;

const verdict = (value: number, max: number | null, digits = 2) =>
  max === null ? 'reported' : value <= max ? 'met' : `MISSED by ${(value - max).toFixed(digits)}`;

/** The cold-start lines of the run's closing summary, one run's ratios against the targets. */
export function coldHeadlines(cold: ColdStartFigures): string[] {
  const lines: string[] = [];
  for (const backend of Object.keys(cold.byBackend) as BackendName[]) {
    const fns = cold.byBackend[backend]!;
    const targets = COLD_TARGETS[backend];
    const worst = fns.reduce((a, b) => (b.ratio > a.ratio ? b : a));
    const kib = fns.map((f) => f.bytes / 1024);
    const [small, large] = [Math.min(...kib), Math.max(...kib)];
    lines.push(
      `[${backend}] init, slowest function / empty bundle = ${fmtRatio(worst.ratio)} (${worst.name}; CPU time ${fmtRatio(worst.cpuRatio)}; target ${targets.maxInitRatio === null ? 'none on this backend' : `<= ${targets.maxInitRatio}`}: ${verdict(worst.ratio, targets.maxInitRatio)}); ` +
        `bundles ${small.toFixed(0)}-${large.toFixed(0)} KiB (target <= ${targets.maxKiB}: ${verdict(large, targets.maxKiB, 0)})`,
    );
    const first = cold.firstRequest[backend];
    const lockless = first?.bundles.find((b) => b.name === 'getProduct');
    const minimal = first?.bundles.find((b) => b.name === 'minimal');
    if (!lockless?.firstRatio || !minimal?.firstMs) continue;
    const external = first!.bundles.find((b) => b.name === 'getProduct, SDK not bundled');
    lines.push(
      `[${backend}] init + first request, getProduct / minimal handler = ${fmtRatio(lockless.firstRatio)} (target <= ${MAX_FIRST_REQUEST_RATIO}: ${verdict(lockless.firstRatio, MAX_FIRST_REQUEST_RATIO)}); ` +
        `ms: getProduct ${fmtMs(lockless.firstMs ?? undefined)}, minimal ${fmtMs(minimal.firstMs)}; CPU time ratio ${fmtRatio(lockless.firstCpuRatio ?? NaN)}` +
        (external?.firstMs
          ? `; getProduct with the AWS SDK not bundled ${fmtMs(external.firstMs)} (${fmtRatio(external.firstMs / lockless.firstMs!)}x bundled)`
          : ''),
    );
  }
  return lines;
}
