/**
 * Writes a run's results: bench/results/<stamp>-<backend>.json (every figure), <stamp>-<backend>-hot.svg (the
 * hot-item chart) and <stamp>.md (the tables of every backend). Returns the Markdown for the console.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { ColdStartFigures } from '../bundles';
import type { MachineInfo } from '../machine';
import type { BenchOptions } from '../options';
import { backendSection, bundleTable, LEGEND, machineBlock, type BackendReport } from './markdown';
import { hotItemChart } from './svg';

/** `2026-11-25T10-18`: sortable, and safe in a file name. */
export function stampOf(date: Date): string {
  return date.toISOString().slice(0, 16).replace(':', '-');
}

export function writeResults(
  outDir: string,
  stamp: string,
  machine: MachineInfo,
  options: BenchOptions,
  cold: ColdStartFigures | null,
  reports: BackendReport[],
): { files: string[]; markdown: string } {
  mkdirSync(outDir, { recursive: true });
  const files: string[] = [];
  const sections: string[] = [];
  for (const report of reports) {
    const base = `${stamp}-${report.backend}`;
    const json = join(outDir, `${base}.json`);
    writeFileSync(
      json,
      `${JSON.stringify(
        {
          machine,
          options,
          ...report,
          bundles: cold
            ? {
                runs: cold.runs,
                empty: cold.empty,
                functions: cold.byBackend[report.backend as 'dynamodb' | 'mongodb'] ?? [],
                firstRequest: cold.firstRequest[report.backend as 'dynamodb' | 'mongodb'] ?? null,
              }
            : null,
        },
        null,
        1,
      )}\n`,
    );
    files.push(json);
    const svg = hotItemChart(
      report.cells,
      `lockless, hot item on ${report.backend}, handlers ${report.mode}; ${machine.date.slice(0, 10)}, ${machine.cores} cores, node ${machine.node}`,
    );
    if (svg) {
      const file = join(outDir, `${base}-hot.svg`);
      writeFileSync(file, svg);
      files.push(file);
    }
    sections.push(backendSection(report, svg ? `${base}-hot.svg` : undefined));
  }
  if (reports.length === 0 && cold) {
    // --cold-only: no scenario ran, so the figures get a file of their own.
    const json = join(outDir, `${stamp}-cold.json`);
    writeFileSync(json, `${JSON.stringify({ machine, options, bundles: cold }, null, 1)}\n`);
    files.push(json);
  }
  const markdown = [
    `## lockless benchmark, ${machine.date.slice(0, 16).replace('T', ' ')} UTC`,
    '',
    machineBlock(machine),
    options.coldOnly
      ? `- options: --cold-only (bundles and cold start, no scenarios), ${options.coldRuns} fresh processes per bundle`
      : `- options: ${options.requests} requests per cell, ${options.seconds} s cap per cell, concurrency ${options.concurrency} (uncontended, mixed, transfers), hot item at ${options.hot.join(', ')}${options.quick ? ', --quick' : ''}${options.http ? ', --http' : ''}`,
    '',
    ...sections,
    ...(reports.length > 0 ? [LEGEND, ''] : []),
    ...(cold ? ['### Bundles and cold start', '', bundleTable(cold)] : []),
  ].join('\n');
  const md = join(outDir, `${stamp}.md`);
  writeFileSync(md, `${markdown}\n`);
  files.push(md);
  return { files: files.map((f) => relative(process.cwd(), f)), markdown };
}
