/**
 * The metrics sink of a deployed function: Powertools for AWS Lambda's metrics utility, which writes each
 * invocation's counts as one CloudWatch Embedded Metric Format (EMF) line on stdout. CloudWatch Logs turns
 * the line into metrics; no API call, no extra latency beyond the write.
 *
 * Namespace: LOCKLESS_METRICS_NAMESPACE (default `lockless`). Dimensions: `service` (Powertools' own,
 * POWERTOOLS_SERVICE_NAME, default `lockless`), `function`, and `strategy` where the request has one.
 */
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { MetricsSink } from '../../shared/metrics';

type PowertoolsMetrics = typeof import('@aws-lambda-powertools/metrics');

export const DEFAULT_METRICS_NAMESPACE = 'lockless';

export function powertoolsMetricsSink(namespace: string = DEFAULT_METRICS_NAMESPACE): MetricsSink {
  let metrics: Metrics | undefined;
  let unit: PowertoolsMetrics['MetricUnit']['Count'];
  return {
    publish(counts, dimensions) {
      if (!metrics) {
        // Loaded at the first invocation that counts something, not at init: a read-only function (getProduct)
        // never runs Powertools' module code, and none pays for it in its cold start's init phase.
        const powertools = require('@aws-lambda-powertools/metrics') as PowertoolsMetrics;
        metrics = new powertools.Metrics({ namespace, serviceName: process.env.POWERTOOLS_SERVICE_NAME || 'lockless' });
        unit = powertools.MetricUnit.Count;
      }
      // Synchronous from here to the write: no other invocation's counts can slip into this line.
      metrics.addDimensions({ ...dimensions });
      for (const [name, value] of counts) metrics.addMetric(name, unit, value);
      metrics.publishStoredMetrics();
    },
  };
}
