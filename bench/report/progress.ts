/** One line per cell while the run goes, so a long run shows where it is. */
import type { CellFigures } from '../stats';
import { fmtMs, fmtPct, fmtRate } from './format';

export function formatCell(c: CellFigures): string {
  const l = c.latencyMs;
  const parts = [
    c.contestant.padEnd(14),
    `${String(c.requests).padStart(5)} req${c.capped ? '*' : ' '}`,
    `${fmtRate(c.throughput).padStart(6)}/s`,
    `good ${fmtRate(c.goodput).padStart(6)}/s`,
    `p50 ${fmtMs(l?.p50).padStart(6)} p99 ${fmtMs(l?.p99).padStart(6)} ms`,
    `att ${c.meanAttempts.toFixed(2)}`,
    `conflict ${fmtPct(c.conflictRate)}`,
  ];
  if (c.verification.oversold !== undefined) parts.push(`oversold ${c.verification.oversold}`);
  if (c.verification.imbalance !== undefined) parts.push(`imbalance ${c.verification.imbalance}`);
  parts.push(`cpu client ${c.cpu.workerCores} server ${c.cpu.serverCores ?? '-'} all ${c.cpu.machineCores ?? '-'}`);
  if (c.errors) parts.push(`errors ${c.errors} ${JSON.stringify(c.errorCodes)}`);
  return parts.join('  ');
}
