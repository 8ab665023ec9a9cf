// Run by connectionString.test.ts in a plain node process (Jest's module sandbox cannot load esbuild.config.mjs):
// builds the MongoDB driver's connection-string parsing with the functions' esbuild options (so with Node's URL
// in place of whatwg-url) into argv[2], then parses every URI of the JSON array argv[3] with that bundle and with
// the packages as installed (whatwg-url and tr46), and prints both descriptions and the bundle's inputs as JSON.
import { createRequire } from 'node:module';
import { join } from 'node:path';

const [outdir, urisJson] = process.argv.slice(2);
const root = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..', '..');
const require = createRequire(join(root, 'package.json'));
const { build } = require('esbuild');
const { bundleOptions } = await import(join(root, 'esbuild.config.mjs'));

const outfile = join(outdir, 'parsing.js');
const result = await build({
  ...bundleOptions('mongodb'),
  stdin: {
    contents: `export { ConnectionString, redactConnectionString } from 'mongodb-connection-string-url';
export { parseOptions } from 'mongodb/lib/connection_string';`,
    resolveDir: root,
    loader: 'js',
  },
  outfile,
});
const bundled = require(outfile);
const installed = { ...require('mongodb-connection-string-url'), ...require('mongodb/lib/connection_string') };

const failure = (err) => ({ threw: `${err?.name}: ${err?.message}` });

/**
 * Data only, so that the two sides compare although the bundle's class names are minified: own enumerable
 * properties (symbol-keyed ones by description), Map and Set entries, in key order; functions and promises by kind.
 */
function plain(value, depth = 0, seen = new Set()) {
  if (value === undefined) return '<undefined>';
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'function') return '<function>';
  if (typeof value !== 'object' || value === null) return value;
  if (value instanceof Promise) return '<promise>';
  if (seen.has(value) || depth > 8) return '<seen>';
  seen.add(value);
  const inner = (v) => plain(v, depth + 1, seen);
  if (Array.isArray(value)) return value.map(inner);
  if (value instanceof Map) return { '<map>': [...value].map(([k, v]) => [inner(k), inner(v)]) };
  if (value instanceof Set) return { '<set>': [...value].map(inner) };
  const out = {};
  for (const key of Object.keys(value).sort()) out[key] = inner(value[key]);
  for (const symbol of Object.getOwnPropertySymbols(value)) {
    if (Object.getOwnPropertyDescriptor(value, symbol)?.enumerable) out[`<${symbol.description}>`] = inner(value[symbol]);
  }
  return out;
}

/** Everything a caller can read from ConnectionString, and the driver's parsed options, as comparable data. */
function describe({ ConnectionString, redactConnectionString, parseOptions }, uri) {
  let connectionString;
  try {
    const cs = new ConnectionString(uri);
    connectionString = {
      toString: cs.toString(),
      href: cs.href,
      protocol: cs.protocol,
      username: cs.username,
      password: cs.password,
      hosts: cs.hosts,
      isSRV: cs.isSRV,
      pathname: cs.pathname,
      search: cs.search,
      hash: cs.hash,
      searchParams: [...cs.searchParams],
      // Option names are case-insensitive: the package patches URLSearchParams for that.
      replicaSetAnyCase: cs.searchParams.get('REPLICASET'),
      redacted: cs.redact().toString(),
      clone: cs.clone().toString(),
      // Not util.inspect(cs): it differs, in how a debug print shows searchParams (Node's lists the entries).
    };
  } catch (err) {
    connectionString = failure(err);
  }
  let options;
  try {
    options = plain(parseOptions(uri));
  } catch (err) {
    options = failure(err);
  }
  let redacted;
  try {
    redacted = redactConnectionString(uri);
  } catch (err) {
    redacted = failure(err);
  }
  return { connectionString, options, redacted };
}

const uris = JSON.parse(urisJson);
const inputs = Object.keys(Object.values(result.metafile.outputs)[0].inputs);
process.stdout.write(
  JSON.stringify({ inputs, results: uris.map((uri) => ({ uri, installed: describe(installed, uri), bundled: describe(bundled, uri) })) }),
);
