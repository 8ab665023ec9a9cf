/** Number formats shared by the progress lines, the Markdown tables and the headline. */
export const fmtRate = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
export const fmtMs = (x: number | undefined) =>
  x === undefined || Number.isNaN(x) ? '-' : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2);
export const fmtPct = (x: number) => (x === 0 ? '0%' : x < 0.001 ? '<0.1%' : `${(x * 100).toFixed(1)}%`);
export const fmtRatio = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '-');
