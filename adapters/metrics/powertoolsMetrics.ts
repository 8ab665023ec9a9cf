/**
 * The metrics sink of a deployed function: Powertools for AWS Lambda's metrics utility, which writes each
 * invocation's counts as one CloudWatch Embedded Metric Format (EMF) line on stdout. CloudWatch Logs turns
 * the line into metrics; no API call, no extra latency beyond the write.
 *
 * Namespace: LOCKLESS_METRICS_NAMESPACE (default `lockless`). Dimensions: `service` (Powertools' own,
 * POWERTOOLS_SERVICE_NAME, default `lockless`), `function`, and `strategy` where the request has one.
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { MetricsSink } from '../../shared/metrics';

export const DEFAULT_METRICS_NAMESPACE = 'lockless';

export function powertoolsMetricsSink(namespace: string = DEFAULT_METRICS_NAMESPACE): MetricsSink {
  let metrics: Metrics | undefined;
  return {
    publish(counts, dimensions) {
      metrics ??= new Metrics({ namespace, serviceName: process.env.POWERTOOLS_SERVICE_NAME || 'lockless' });
      // Synchronous from here to the write: no other invocation's counts can slip into this line.
      metrics.addDimensions({ ...dimensions });
      for (const [name, value] of counts) metrics.addMetric(name, MetricUnit.Count, value);
      metrics.publishStoredMetrics();
    },
  };
}
