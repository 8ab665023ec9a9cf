// Builds one minified CommonJS bundle per Lambda handler: functions/<name>.ts -> dist/<name>/index.js.
//
// The backend is fixed at build time (BACKEND=dynamodb|mongodb, default dynamodb): LOCKLESS_BACKEND becomes a
// constant, so the other adapter and its driver are dropped from every bundle.
//
//   node esbuild.config.mjs            build all
//   node esbuild.config.mjs --quiet    build without the size table
import { build } from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));

/** Modules in functions/ that wire handlers together rather than being one. */
const NOT_HANDLERS = new Set(['runtime.ts']);

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

export function handlerNames() {
  return readdirSync(join(root, 'functions'))
    .filter((file) => file.endsWith('.ts') && !NOT_HANDLERS.has(file))
    .map((file) => file.slice(0, -3))
    .sort();
}

export async function buildAll({ backend = process.env.BACKEND || 'dynamodb', outdir = join(root, 'dist'), quiet = false } = {}) {
  if (backend !== 'dynamodb' && backend !== 'mongodb') throw new Error(`BACKEND must be dynamodb or mongodb, not ${backend}`);
  rmSync(outdir, { recursive: true, force: true });
  const names = handlerNames();
  const result = await build({
    // Each handler, and next to it the SSM secret reader it loads only when a secret is named by parameter
    // (functions/runtime.ts), so the SSM client costs nothing to a container that reads no parameter.
    entryPoints: Object.fromEntries(
      names.flatMap((name) => [
        [`${name}/index`, join(root, 'functions', `${name}.ts`)],
        [`${name}/ssm`, join(root, 'adapters', 'secrets', 'ssmSecrets.ts')],
      ]),
    ),
    outdir,
    bundle: true,
    minify: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    // Prefer ES modules so unused parts of the AWS SDK are tree-shaken.
    mainFields: ['module', 'main'],
    define: { 'process.env.LOCKLESS_BACKEND': JSON.stringify(backend), 'process.env.LOCKLESS_BUNDLED': '"true"' },
    external: MONGODB_OPTIONAL,
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
  });
  const sizes = Object.fromEntries(
    Object.entries(result.metafile.outputs).map(([file, output]) => [file.replace(/^.*dist\//, ''), output.bytes]),
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
