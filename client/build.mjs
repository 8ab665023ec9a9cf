// Builds the client SDK: client/src -> client/dist/index.mjs (ESM) and index.cjs (CommonJS), minified, plain
// ES2018 with no Node built-ins (mini-program build tools and old WebViews read it), and its type declarations.
//
//   node client/build.mjs           build and print the sizes
//   node client/build.mjs --json    build and print the sizes as JSON (test/client/build.test.ts)
//   node client/build.mjs --no-types
//   node client/build.mjs --out DIR  build into DIR instead of client/dist
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const args = new Set(argv);
const out = argv.includes('--out') ? argv[argv.indexOf('--out') + 1] : join(here, 'dist');

// Only what this script writes is removed first, whatever directory --out names.
for (const name of ['index.mjs', 'index.cjs', 'types']) rmSync(join(out, name), { recursive: true, force: true });
const common = {
  entryPoints: [join(here, 'src', 'index.ts')],
  bundle: true,
  minify: true,
  target: 'es2018',
  platform: 'neutral',
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
};
const formats = { esm: 'index.mjs', cjs: 'index.cjs' };
const sizes = {};
for (const [format, file] of Object.entries(formats)) {
  const result = await build({ ...common, format, outfile: join(out, file) });
  const inputs = Object.keys(result.metafile.inputs);
  const outside = inputs.filter((path) => !path.startsWith('client/src/') && !path.includes('/client/src/'));
  if (outside.length > 0) throw new Error(`the client bundle must hold only client/src, not ${outside.join(', ')}`);
  const bytes = readFileSync(join(out, file));
  sizes[format] = { file: join(out, file), bytes: bytes.length, gzip: gzipSync(bytes).length };
}

if (!args.has('--no-types')) {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(
    process.execPath,
    [tsc, '-p', join(here, 'tsconfig.json'), '--noEmit', 'false', '--declaration', '--emitDeclarationOnly', '--outDir', join(out, 'types')],
    { stdio: 'inherit' },
  );
}

if (args.has('--json')) console.log(JSON.stringify(sizes));
else for (const [format, s] of Object.entries(sizes)) console.log(`${format.padEnd(4)} ${s.file}  ${s.bytes} B minified, ${s.gzip} B gzip`);
