// Builds the client SDK's two entries from client/src, each minified as ESM (.mjs) and CommonJS (.cjs), plain
// ES2018 with no Node built-ins (mini-program build tools and old WebViews read it), and their type declarations:
//   index.mjs / index.cjs   the buyer's entry (src/index.ts), what apps and mini-programs import
//   admin.mjs / admin.cjs   the admin entry (src/admin/index.ts): the buyer's entry plus createAdminClient
// Each bundle stands alone (a mini-program loads one file), so the admin one repeats the shared core.
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
for (const name of ['index.mjs', 'index.cjs', 'admin.mjs', 'admin.cjs', 'types']) rmSync(join(out, name), { recursive: true, force: true });
const common = {
  bundle: true,
  minify: true,
  target: 'es2018',
  platform: 'neutral',
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
};
const entries = { index: join(here, 'src', 'index.ts'), admin: join(here, 'src', 'admin', 'index.ts') };
const formats = { esm: 'mjs', cjs: 'cjs' };
const sizes = {};
for (const [entry, source] of Object.entries(entries))
  for (const [format, extension] of Object.entries(formats)) {
    const file = `${entry}.${extension}`;
    const result = await build({ ...common, entryPoints: [source], format, outfile: join(out, file) });
    const inputs = Object.keys(result.metafile.inputs);
    const outside = inputs.filter((path) => !path.startsWith('client/src/') && !path.includes('/client/src/'));
    if (outside.length > 0) throw new Error(`the client bundle must hold only client/src, not ${outside.join(', ')}`);
    const bytes = readFileSync(join(out, file));
    sizes[entry] = { ...sizes[entry], [format]: { file: join(out, file), bytes: bytes.length, gzip: gzipSync(bytes).length } };
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
else
  for (const [entry, byFormat] of Object.entries(sizes))
    for (const [format, s] of Object.entries(byFormat))
      console.log(`${entry.padEnd(5)} ${format.padEnd(3)} ${s.file}  ${s.bytes} B minified, ${s.gzip} B gzip`);
