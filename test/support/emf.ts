/** CloudWatch Embedded Metric Format lines, read back from stdout the way CloudWatch Logs receives them. */

/** The namespace the metrics tests configure (LOCKLESS_METRICS_NAMESPACE), so only their lines are taken. */
export const METRICS_TEST_NAMESPACE = 'lockless-metrics-test';
const NAMESPACE = METRICS_TEST_NAMESPACE;

export interface EmfLine {
  _aws: { CloudWatchMetrics: Array<{ Namespace: string; Dimensions: string[][]; Metrics: Array<{ Name: string; Unit: string }> }> };
  [field: string]: unknown;
}

/** The EMF lines of our namespace written to stdout while `work` runs (everything else passes through). */
export async function emfLinesOf<T>(work: () => Promise<T>): Promise<{ result: T; lines: EmfLine[] }> {
  const lines: EmfLine[] = [];
  const write = process.stdout.write.bind(process.stdout);
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation(((chunk: unknown, ...rest: unknown[]) => {
    const text = String(chunk);
    let parsed: EmfLine | undefined;
    try {
      parsed = JSON.parse(text) as EmfLine;
    } catch {
      parsed = undefined;
    }
    if (parsed?._aws?.CloudWatchMetrics?.[0]?.Namespace === NAMESPACE) {
      lines.push(parsed);
      return true;
    }
    return write(chunk as string, ...(rest as []));
  }) as typeof process.stdout.write);
  try {
    return { result: await work(), lines };
  } finally {
    spy.mockRestore();
  }
}

/** Each metric summed over the lines (a line holds one invocation's counts). */
export function totals(lines: EmfLine[]): Record<string, number> {
  const sums: Record<string, number> = {};
  for (const line of lines) {
    for (const { Name } of line._aws.CloudWatchMetrics[0]!.Metrics) sums[Name] = (sums[Name] ?? 0) + (line[Name] as number);
  }
  return sums;
}
