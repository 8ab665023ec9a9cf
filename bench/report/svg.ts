/**
 * A hand-written SVG chart of the hot item: goodput against concurrency (left) and p99 latency against
 * concurrency on a log scale (right), one line per contestant. Plain text, no chart library.
 */
import type { CellFigures } from '../stats';

const WIDTH = 980;
const HEIGHT = 440;
const PANEL = { top: 72, bottom: 60, left: 70, width: 330 };
const COLORS: Record<string, string> = {
  raw: '#000000',
  'raw+order': '#7f7f7f',
  atomic: '#1f77b4',
  version: '#2ca02c',
  transaction: '#9467bd',
  naive: '#d62728',
  'seed 000': '#ff7f0e',
  'seed 003 spin': '#8c564b',
};
const DASHED = new Set(['raw', 'raw+order', 'naive', 'seed 000', 'seed 003 spin']);

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function niceMax(x: number): number {
  if (x <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(x));
  return [1, 2, 2.5, 5, 10].map((m) => m * p).find((v) => v >= x)!;
}

interface Axis {
  y(value: number): number;
  ticks: { value: number; label: string }[];
}

function linearAxis(max: number, y0: number, y1: number): Axis {
  const top = niceMax(max);
  return {
    y: (v) => y0 - (v / top) * (y0 - y1),
    ticks: Array.from({ length: 6 }, (_, i) => ({ value: (top * i) / 5, label: String(Math.round((top * i) / 5)) })),
  };
}

function logAxis(min: number, max: number, y0: number, y1: number): Axis {
  const lo = Math.floor(Math.log10(Math.max(min, 0.1)));
  const hi = Math.max(lo + 1, Math.ceil(Math.log10(Math.max(max, 1))));
  return {
    y: (v) => y0 - ((Math.log10(Math.max(v, 10 ** lo)) - lo) / (hi - lo)) * (y0 - y1),
    ticks: Array.from({ length: hi - lo + 1 }, (_, i) => ({ value: 10 ** (lo + i), label: String(10 ** (lo + i)) })),
  };
}

function panel(x0: number, title: string, yLabel: string, levels: number[], series: Map<string, (number | null)[]>, log: boolean): string {
  const y0 = HEIGHT - PANEL.bottom;
  const y1 = PANEL.top;
  const values = [...series.values()].flat().filter((v): v is number => v !== null && Number.isFinite(v));
  const axis = log ? logAxis(Math.min(...values), Math.max(...values), y0, y1) : linearAxis(Math.max(...values, 1), y0, y1);
  const x = (i: number) => x0 + (levels.length === 1 ? PANEL.width / 2 : (i / (levels.length - 1)) * PANEL.width);
  const out: string[] = [];
  out.push(`<text x="${x0 + PANEL.width / 2}" y="${y1 - 22}" text-anchor="middle" font-size="15" font-weight="bold">${esc(title)}</text>`);
  for (const t of axis.ticks) {
    const y = axis.y(t.value).toFixed(1);
    out.push(`<line x1="${x0}" x2="${x0 + PANEL.width}" y1="${y}" y2="${y}" stroke="#e0e0e0"/>`);
    out.push(`<text x="${x0 - 8}" y="${y}" text-anchor="end" dominant-baseline="middle" font-size="11">${t.label}</text>`);
  }
  for (const [i, c] of levels.entries()) out.push(`<text x="${x(i)}" y="${y0 + 18}" text-anchor="middle" font-size="11">${c}</text>`);
  out.push(
    `<line x1="${x0}" x2="${x0}" y1="${y1}" y2="${y0}" stroke="#333"/><line x1="${x0}" x2="${x0 + PANEL.width}" y1="${y0}" y2="${y0}" stroke="#333"/>`,
  );
  out.push(`<text x="${x0 + PANEL.width / 2}" y="${y0 + 38}" text-anchor="middle" font-size="12">concurrency</text>`);
  out.push(
    `<text transform="translate(${x0 - 50} ${(y0 + y1) / 2}) rotate(-90)" text-anchor="middle" font-size="12">${esc(yLabel)}</text>`,
  );
  for (const [name, points] of series) {
    const color = COLORS[name] ?? '#17becf';
    const dash = DASHED.has(name) ? ' stroke-dasharray="6 4"' : '';
    const coords = points
      .map((v, i) => (v === null ? null : `${x(i).toFixed(1)},${axis.y(v).toFixed(1)}`))
      .filter((p): p is string => p !== null);
    out.push(`<polyline fill="none" stroke="${color}" stroke-width="2"${dash} points="${coords.join(' ')}"/>`);
    for (const p of coords) {
      const [cx, cy] = p.split(',');
      out.push(`<circle cx="${cx}" cy="${cy}" r="3" fill="${color}"/>`);
    }
  }
  return out.join('\n');
}

export function hotItemChart(cells: CellFigures[], title: string): string | null {
  const hot = cells.filter((c) => c.group === 'hot');
  if (hot.length === 0) return null;
  const levels = [...new Set(hot.map((c) => c.concurrency))].sort((a, b) => a - b);
  const names = [...new Set(hot.map((c) => c.contestant))];
  const at = (name: string, pick: (c: CellFigures) => number | undefined) =>
    levels.map((level) => pick(hot.find((c) => c.contestant === name && c.concurrency === level)!) ?? null);
  const goodput = new Map(names.map((n) => [n, at(n, (c) => c?.goodput)]));
  const p99 = new Map(names.map((n) => [n, at(n, (c) => c?.latencyMs?.p99)]));
  const legend = names
    .map((n, i) => {
      const x = 820;
      const y = PANEL.top + i * 22;
      const dash = DASHED.has(n) ? ' stroke-dasharray="6 4"' : '';
      return `<line x1="${x}" x2="${x + 28}" y1="${y}" y2="${y}" stroke="${COLORS[n] ?? '#17becf'}" stroke-width="2"${dash}/><text x="${x + 34}" y="${y}" dominant-baseline="middle" font-size="12">${esc(n)}</text>`;
    })
    .join('\n');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="${WIDTH / 2}" y="18" text-anchor="middle" font-size="13" fill="#555">${esc(title)}</text>`,
    panel(PANEL.left, 'Goodput (successful purchases/s)', 'purchases per second', levels, goodput, false),
    panel(PANEL.left + PANEL.width + 80, 'p99 latency (ms, log scale)', 'milliseconds', levels, p99, true),
    legend,
    '</svg>',
    '',
  ].join('\n');
}
