'use strict';
/**
 * The HTTP API's CORS rule, so browser and H5 clients on other origins can call it. Plain CommonJS so
 * serverless.yml can load it:
 *
 *   provider.httpApi.cors: ${file(./scripts/serverless/cors.cjs):cors}
 *
 * LOCKLESS_CORS_ORIGINS names the allowed origins, comma separated (`https://shop.example.com,http://localhost:3100`),
 * or is `*` for any origin. Unset or empty: no CORS rule at all, so a deployed stage answers no cross-origin
 * request unless its deployer names the origins. `npm start` sets it to the local demo page's origins
 * (scripts/local/demoServer.ts) unless it is already set.
 *
 * No credentials mode: the API takes a bearer token in Authorization, never a cookie, so a browser needs no
 * `credentials: 'include'` (and API Gateway refuses `*` together with credentials).
 */
const { OPERATIONS } = require('./functions.cjs');

/** What the client SDK sends (client/src/client.ts). Accept-Language is safelisted, but named for clarity. */
const ALLOWED_HEADERS = ['Authorization', 'Content-Type', 'Idempotency-Key', 'Accept-Language', 'If-Match'];
/** What a browser script may read: the ETag of a read, and whether an answer was a replay (client `replayed`). */
const EXPOSED_HEADERS = ['ETag', 'Idempotent-Replayed'];
/** One preflight per route and origin every 10 minutes, not one per purchase. */
const MAX_AGE_SECONDS = 600;

/** scheme://host[:port], lower-case host, no path and no trailing slash: exactly what a browser sends as Origin. */
const ORIGIN = /^https?:\/\/[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?$/;

/**
 * Parses LOCKLESS_CORS_ORIGINS. Throws on anything a browser would never send as an Origin (a path, a trailing
 * slash, an upper-case host, `*` beside other origins): such an entry would match nothing and fail silently.
 */
function parseOrigins(value) {
  const origins = String(value ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter((o) => o !== '');
  if (origins.includes('*') && origins.length > 1) throw new Error('LOCKLESS_CORS_ORIGINS: `*` must stand alone');
  for (const origin of origins) {
    if (origin !== '*' && !ORIGIN.test(origin)) {
      throw new Error(`LOCKLESS_CORS_ORIGINS: ${JSON.stringify(origin)} is not an origin (scheme://host[:port], lower case, no path)`);
    }
  }
  return [...new Set(origins)];
}

/** The `provider.httpApi.cors` block for this environment: false when no origin is named. */
function corsFor(env) {
  const origins = parseOrigins(env.LOCKLESS_CORS_ORIGINS);
  if (origins.length === 0) return false;
  const methods = [...new Set(Object.values(OPERATIONS).map((op) => op.method)), 'OPTIONS'].sort();
  return {
    allowedOrigins: origins,
    allowedHeaders: ALLOWED_HEADERS,
    allowedMethods: methods,
    exposedResponseHeaders: EXPOSED_HEADERS,
    maxAge: MAX_AGE_SECONDS,
  };
}

module.exports = {
  ALLOWED_HEADERS,
  EXPOSED_HEADERS,
  MAX_AGE_SECONDS,
  parseOrigins,
  corsFor,
  // Serverless calls a function property of a `file()` source: the rule is read from the environment of the
  // `serverless` command (package, deploy, offline).
  cors: () => corsFor(process.env),
};
