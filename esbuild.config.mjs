// Builds one minified CommonJS bundle per Lambda handler: functions/<name>.ts -> dist/<name>/index.js.
//
// The backend is fixed at build time (LOCKLESS_BACKEND=dynamodb|mongodb, default dynamodb): it becomes a
// constant, and the other adapter and its driver are left out of every bundle. (BACKEND is only npm start's
// alias, read by shared/config.ts; a build refuses it rather than silently building the default.)
//
//   node esbuild.config.mjs            build all
//   node esbuild.config.mjs --quiet    build without the size table
import { build } from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));

/** Modules in functions/ that wire handlers together rather than being one. */
const NOT_HANDLERS = new Set(['runtime.ts', 'orderTransition.ts']);

/** Optional peer modules the mongodb driver loads only when configured to (compression, Kerberos, KMS...). */
const MONGODB_OPTIONAL = [
  'kerberos',
  'snappy',
  '@mongodb-js/zstd',
  'mongodb-client-encryption',
  '@aws-sdk/credential-providers',
  'gcp-metadata',
  'socks',
  'aws4',
];

/**
 * The AWS SDK's credential providers that a Lambda function never reaches, left out of the bundles. In Lambda
 * the default chain's first link, the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN,
 * set by the runtime from the execution role), always answers; the SDK imports the others with a dynamic
 * import() only when every link before them failed: SSO, ini profiles, credential_process, web identity
 * tokens, container and EC2 instance metadata. Bundled, they and the nested STS/SSO clients they use were
 * about 125 KiB of every DynamoDB bundle. Elsewhere (a bundle run against real AWS with a profile) they load
 * from node_modules. test/delivery/awsCredentials.test.ts shows both.
 */
const AWS_CREDENTIAL_FALLBACKS = [
  '@aws-sdk/credential-provider-sso',
  '@aws-sdk/credential-provider-ini',
  '@aws-sdk/credential-provider-process',
  '@aws-sdk/credential-provider-web-identity',
  '@aws-sdk/credential-provider-http',
  '@smithy/credential-provider-imds',
];

/**
 * Swaps the `whatwg-url` package for scripts/build/whatwgUrl.cjs, Node's built-in URL (see that file for why it
 * parses every connection string the same): it drops tr46's Unicode tables and whatwg-url itself, about 280 KiB
 * of every MongoDB bundle. A plugin rather than `alias`, so the path does not depend on the working directory.
 */
const nodeUrlForWhatwgUrl = {
  name: 'node-url-for-whatwg-url',
  setup(build) {
    build.onResolve({ filter: /^whatwg-url$/ }, () => ({ path: join(root, 'scripts', 'build', 'whatwgUrl.cjs') }));
  },
};

export function handlerNames() {
  return readdirSync(join(root, 'functions'))
    .filter((file) => file.endsWith('.ts') && !NOT_HANDLERS.has(file))
    .map((file) => file.slice(0, -3))
    .sort();
}

/**
 * The side files a handler loads after init, each from the folder it was loaded from, each its own entry point
 * (functionEntryPoints below). The handler's index.js holds lockless's own code and the validation; what the
 * first request needs beyond that (the adapter with its driver) and what only a write's metrics need
 * (Powertools' EMF writer) are `require()`d from these when first used, so a cold start parses them once the
 * first request asks for them and not during init, and each side file is bundled from static imports, which
 * esbuild tree-shakes (a module reached through `require()` inside a bundle keeps every export of every module
 * it imports: all of the DynamoDB client's 60-odd commands and their schemas).
 * - adapter.js: the backend's adapter and its driver, where adapters/index.ts does `require('./<backend>')`.
 * - metrics.js: adapters/metrics/powertoolsMetrics.ts, where functions/runtime.ts requires it at the first publish.
 * ssm.js, the SSM secret reader, is loaded through its own path (functions/runtime.ts loadSsm).
 */
export const SIDE_FILES = {
  adapter: (backend) => join(root, 'adapters', backend, 'index.ts'),
  metrics: () => join(root, 'adapters', 'metrics', 'powertoolsMetrics.ts'),
  ssm: () => join(root, 'adapters', 'secrets', 'ssmSecrets.ts'),
};

/**
 * Leaves the adapter that `backend` does not use (and its driver) out of the bundle: adapters/index.ts loads
 * either one with `require('./<name>')`, chosen by configuration, and a bundle holds only the one it was built
 * for (shared/config.ts makes a bundle run that one). The other resolves to a module that refuses to load. The
 * one it uses is the side file adapter.js, or, with `sideFiles: false`, bundled in (wrapped by esbuild, evaluated
 * at the first `require()`; the benchmark keeps that build as a row to compare with).
 */
function onlyAdapter(backend, sideFiles) {
  return {
    name: 'only-adapter',
    setup(build) {
      build.onResolve({ filter: /^\.\/(dynamodb|mongodb)$/ }, (args) => {
        if (args.importer !== join(root, 'adapters', 'index.ts')) return undefined;
        if (args.path !== `./${backend}`) return { path: args.path, namespace: 'absent-adapter' };
        return sideFiles ? { path: './adapter.js', external: true } : undefined;
      });
      build.onLoad({ filter: /.*/, namespace: 'absent-adapter' }, (args) => ({
        contents: `throw new Error(${JSON.stringify(`this bundle was built for ${backend}, not ${args.path.slice(2)}`)});`,
        loader: 'js',
      }));
    },
  };
}

/** functions/runtime.ts's `require()` of the Powertools metrics sink becomes the side file metrics.js. */
const metricsSideFile = {
  name: 'metrics-side-file',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/adapters\/metrics\/powertoolsMetrics$/ }, (args) =>
      args.importer === join(root, 'functions', 'runtime.ts') && args.kind === 'require-call'
        ? { path: './metrics.js', external: true }
        : undefined,
    );
  },
};

/** LOCKLESS_BACKEND for `npm run build`. BACKEND alone is refused: it is npm start's alias, not a build setting. */
function buildBackend() {
  if (process.env.BACKEND && !process.env.LOCKLESS_BACKEND) {
    throw new Error(
      `BACKEND=${process.env.BACKEND} is read by npm start only: set LOCKLESS_BACKEND=${process.env.BACKEND} to build for it`,
    );
  }
  return process.env.LOCKLESS_BACKEND || 'dynamodb';
}

/**
 * The esbuild options every handler bundle of `backend` is built with (entry points and output aside). The
 * benchmark builds its comparison handlers with these too, so that only the source differs. `sideFiles: false`
 * bundles the adapter and the metrics sink into index.js (the build before side files, kept for the benchmark).
 */
export function bundleOptions(backend, { sideFiles = true } = {}) {
  if (backend !== 'dynamodb' && backend !== 'mongodb') throw new Error(`LOCKLESS_BACKEND must be dynamodb or mongodb, not ${backend}`);
  return {
    bundle: true,
    minify: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    // Prefer ES modules so unused parts of the AWS SDK are tree-shaken.
    mainFields: ['module', 'main'],
    define: { 'process.env.LOCKLESS_BACKEND': JSON.stringify(backend), 'process.env.LOCKLESS_BUNDLED': '"true"' },
    external: [...MONGODB_OPTIONAL, ...AWS_CREDENTIAL_FALLBACKS],
    plugins: [nodeUrlForWhatwgUrl, onlyAdapter(backend, sideFiles), ...(sideFiles ? [metricsSideFile] : [])],
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
  };
}

/**
 * Entry points for the functions `names` of `backend`: `<name>/index` (the handler) and, next to it, each side
 * file it may load (SIDE_FILES). Each function's folder is self-contained, as its deployment artifact is.
 */
export function functionEntryPoints(names, backend) {
  return Object.fromEntries(
    names.flatMap((name) => [
      [`${name}/index`, join(root, 'functions', `${name}.ts`)],
      ...Object.entries(SIDE_FILES).map(([file, source]) => [`${name}/${file}`, source(backend)]),
    ]),
  );
}

/** Where the bundles go: dist/, or LOCKLESS_DIST_DIR (relative to the project) so that tests building at once
 * for different backends never overwrite each other's bundles; serverless.yml's handlers follow the same
 * setting (scripts/serverless/functions.cjs). */
export function distDir(env = process.env) {
  return env.LOCKLESS_DIST_DIR || 'dist';
}

export async function buildAll({ backend = buildBackend(), outdir = join(root, distDir()), quiet = false } = {}) {
  const options = bundleOptions(backend);
  rmSync(outdir, { recursive: true, force: true });
  const names = handlerNames();
  const result = await build({
    ...options,
    // Each handler, and next to it the side files it loads when first needed (SIDE_FILES): the adapter at the
    // first request, the metrics writer at the first publish, the SSM reader only when a secret is named by
    // parameter (functions/runtime.ts), so the SSM client costs nothing to a container that reads no parameter.
    entryPoints: functionEntryPoints(names, backend),
    outdir,
  });
  const sizes = Object.fromEntries(
    Object.entries(result.metafile.outputs).map(([file, output]) => [relative(outdir, join(root, file)), output.bytes]),
  );
  if (!quiet) {
    for (const [file, bytes] of Object.entries(sizes)) console.log(`${file.padEnd(28)} ${(bytes / 1024).toFixed(1).padStart(8)} KiB`);
    console.log(`backend: ${backend}`);
  }
  return { names, sizes, backend };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  buildAll({ quiet: process.argv.includes('--quiet') }).catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
