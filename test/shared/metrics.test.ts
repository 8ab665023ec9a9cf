import { countReleased, invocationMetrics, METRIC, useMetricsSink, withMetricsScope, type MetricName } from '../../shared/metrics';

type Published = { counts: Record<string, number>; dimensions: Record<string, string> };

function recordingSink(): Published[] {
  const published: Published[] = [];
  useMetricsSink({
    publish: (counts, dimensions) => published.push({ counts: Object.fromEntries(counts), dimensions: { ...dimensions } }),
  });
  return published;
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('metrics scopes', () => {
  it('writes one line per invocation, with its own counts and dimensions, even when invocations interleave', async () => {
    // Arrange
    const published = recordingSink();
    const invocation = (strategy: string, conflicts: number) =>
      withMetricsScope({ function: 'purchase' }, async (metrics) => {
        metrics.dimension('strategy', strategy);
        for (let i = 0; i < conflicts; i++) {
          metrics.count(METRIC.versionConflicts);
          await tick();
        }
        metrics.count(METRIC.purchaseSucceeded);
      });

    // Act
    await Promise.all([invocation('version', 3), invocation('transaction', 1)]);

    // Assert
    expect(published).toHaveLength(2);
    expect(published).toEqual(
      expect.arrayContaining([
        { counts: { VersionConflicts: 3, PurchaseSucceeded: 1 }, dimensions: { function: 'purchase', strategy: 'version' } },
        { counts: { VersionConflicts: 1, PurchaseSucceeded: 1 }, dimensions: { function: 'purchase', strategy: 'transaction' } },
      ]),
    );
  });

  it('writes the counts of an invocation that throws, and rethrows', async () => {
    const published = recordingSink();

    const run = withMetricsScope({ function: 'transfer' }, async (metrics) => {
      metrics.count(METRIC.transactionRetries, 2);
      throw new Error('boom');
    });

    await expect(run).rejects.toThrow('boom');
    expect(published).toEqual([{ counts: { TransactionRetries: 2 }, dimensions: { function: 'transfer' } }]);
  });

  it('writes nothing for an invocation that counted nothing, and drops counts made outside any invocation', async () => {
    const published = recordingSink();

    invocationMetrics.count(METRIC.throttles);
    await withMetricsScope({ function: 'getProduct' }, async () => 'ok');

    expect(published).toEqual([]);
  });

  it('keeps the answer when the sink fails', async () => {
    useMetricsSink({
      publish: () => {
        throw new Error('stdout closed');
      },
    });

    const answer = await withMetricsScope({ function: 'purchase' }, async (metrics) => {
      metrics.count(METRIC.purchaseSoldOut);
      return 'answered';
    });

    expect(answer).toBe('answered');
  });

  it('counts what adapters report into the invocation that is running, and nowhere after it ended', async () => {
    const published = recordingSink();

    await withMetricsScope({ function: 'purchase' }, async () => {
      invocationMetrics.count(METRIC.throttles, 2);
    });
    invocationMetrics.count(METRIC.throttles);

    expect(published).toEqual([{ counts: { Throttles: 2 }, dimensions: { function: 'purchase' } }]);
  });

  it('countReleased adds released units for the reconciler', () => {
    const counted: Array<[MetricName, number | undefined]> = [];

    countReleased({ count: (name, value) => counted.push([name, value]) }, 3);

    expect(counted).toEqual([['UnitsReleased', 3]]);
  });
});
