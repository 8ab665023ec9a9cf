/**
 * Wires operations to the configured store, once per container, and registers where secrets come from
 * (shared/edge/secrets.ts: SSM parameters for deployed stages, plain variables locally). The configuration is
 * read once, by shared/config.ts.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { getStore } from '../adapters';
import { config } from '../shared/config';
import type { Call } from '../shared/edge/lambdaFunction';
import { secretFrom, useSecretReader, type SecretReader } from '../shared/edge/secrets';
import { useMetricsSink, type MetricsSink } from '../shared/metrics';
import { createDeps, type OperationDeps } from '../shared/operations/deps';

type SsmModule = typeof import('../adapters/secrets/ssmSecrets');

/**
 * The SSM reader, loaded when a parameter is first read. Bundled, it is its own file next to the handler
 * (dist/<fn>/ssm.js, esbuild.config.mjs), so a container that names no parameter never loads the SSM client
 * and Powertools at all; from source (tests, tools) it is the adapter module itself.
 */
function loadSsm(): SsmModule {
  if (config().bundled) return createRequire(__filename)(join(__dirname, 'ssm.js')) as SsmModule;
  // A path in a variable: esbuild leaves it out of the handler's bundle (this branch is dead code there).
  const source = '../adapters/secrets/ssmSecrets';
  return require(source) as SsmModule;
}

let ssm: SecretReader | undefined;
useSecretReader((name) => {
  ssm ??= loadSsm().ssmSecretReader();
  return ssm(name);
});

type PowertoolsMetricsModule = typeof import('../adapters/metrics/powertoolsMetrics');

// Each invocation's counts become one EMF line (shared/metrics.ts, adapters/metrics/powertoolsMetrics.ts).
// Powertools is loaded at the first publish, not at init: bundled, the require() below is the side file
// dist/<fn>/metrics.js (esbuild.config.mjs), which a container that only reads never loads.
let metricsSink: MetricsSink | undefined;
useMetricsSink({
  publish(counts, dimensions) {
    metricsSink ??= (require('../adapters/metrics/powertoolsMetrics') as PowertoolsMetricsModule).powertoolsMetricsSink(
      config().metricsNamespace,
    );
    metricsSink.publish(counts, dimensions);
  },
});

let deps: Promise<OperationDeps> | undefined;

/** Whether the store needs a secret read first: a MongoDB URI given only as a parameter name. */
function mongoUriFromParameter(): boolean {
  const { backend, mongodb } = config();
  return backend === 'mongodb' && !mongodb.uri.value && !!mongodb.uri.parameter;
}

const mongoUri = () => secretFrom('LOCKLESS_MONGODB_URI', config().mongodb.uri);

// Cold start: the URI's parameter is read while the container initialises, not on the first request.
if (mongoUriFromParameter()) mongoUri().catch(() => {});

/**
 * The operations' dependencies. With plain settings the store is built at the first call, synchronously; a
 * URI held in SSM is read first.
 */
export function runtimeDeps(): Promise<OperationDeps> {
  if (!deps) {
    deps = mongoUriFromParameter()
      ? mongoUri().then((uri) => createDeps(getStore(config(), uri), { orderSettings: config().orders }))
      : Promise.resolve(createDeps(getStore(config(), config().mongodb.uri.value), { orderSettings: config().orders }));
    // A failed secret read is tried again by the next request instead of breaking the container for good.
    deps.catch(() => {
      deps = undefined;
    });
  }
  return deps;
}

// The store (and, bundled, the side file adapter.js with the driver) is loaded at the first request, which a
// container initialised for provisioned concurrency has not yet had to wait for: there it is loaded during init.
// Nothing connects here; a failure is left for the first request to meet again.
if (config().provisioned) {
  try {
    runtimeDeps().catch(() => {});
  } catch {
    // A store that cannot be built (a missing URI) fails the first request, as it would on demand, not the init.
  }
}

/** The operations' dependencies for one invocation: the container's, counting into the invocation's metrics. */
export async function depsFor(call: Pick<Call, 'metrics'>): Promise<OperationDeps> {
  return { ...(await runtimeDeps()), metrics: call.metrics };
}
