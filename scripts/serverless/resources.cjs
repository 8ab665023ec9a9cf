'use strict';
/**
 * The `resources:` block of serverless.yml: the tables (scripts/serverless/tables.cjs), one role per
 * operation (functions.cjs), and the HTTP API stage's throttling.
 *
 *   resources: ${file(./scripts/serverless/resources.cjs)}
 */
const tables = require('./tables.cjs');
const { setting } = require('./settings.cjs');
const { roles } = require('./functions.cjs');

/** Requests per second across the API, and the burst above it (API Gateway's token bucket), unless overridden. */
const DEFAULT_THROTTLE = { rate: 100, burst: 200 };

function positiveNumber(name, value, fallback) {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, not ${JSON.stringify(value)}`);
  return n;
}

/** LOCKLESS_THROTTLE_RATE (requests/s, may be fractional) and LOCKLESS_THROTTLE_BURST (an integer). */
function throttle(env = process.env) {
  const rate = positiveNumber('LOCKLESS_THROTTLE_RATE', env.LOCKLESS_THROTTLE_RATE, DEFAULT_THROTTLE.rate);
  const burst = positiveNumber('LOCKLESS_THROTTLE_BURST', env.LOCKLESS_THROTTLE_BURST, DEFAULT_THROTTLE.burst);
  if (!Number.isInteger(burst)) throw new Error('LOCKLESS_THROTTLE_BURST must be an integer');
  return { rate, burst };
}

/** The SSM parameters the functions read their secrets from (shared/edge/secrets.ts), when configured. */
function secretParameters(env = process.env) {
  return [env.LOCKLESS_TRUSTED_CALLER_SECRET_PARAMETER, setting('LOCKLESS_MONGODB_URI_PARAMETER', env)].filter(
    (name) => typeof name === 'string' && name !== '',
  );
}

async function resources(context) {
  const stage = await tables.stageOf(context);
  const { rate, burst } = throttle();
  return {
    Resources: { ...tables.tableResources(stage), ...roles(stage, secretParameters()) },
    // Serverless names the HTTP API's $default stage HttpApiStage; these settings are merged into it.
    extensions: {
      HttpApiStage: { Properties: { DefaultRouteSettings: { ThrottlingBurstLimit: burst, ThrottlingRateLimit: rate } } },
    },
  };
}

module.exports = Object.assign(resources, { resources, throttle, secretParameters, DEFAULT_THROTTLE });
