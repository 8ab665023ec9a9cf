// Run by delivery tests in a plain node process (Jest's module sandbox cannot load esbuild.config.mjs): bundles
// the module source in argv[4] (resolved from the project root) for backend argv[2] with the functions' esbuild
// options into the file argv[3], and prints the bundle's inputs as JSON.
import { createRequire } from 'node:module';
import { join } from 'node:path';

const [backend, outfile, contents] = process.argv.slice(2);
const root = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..', '..');
const { build } = createRequire(join(root, 'package.json'))('esbuild');
const { bundleOptions } = await import(join(root, 'esbuild.config.mjs'));
const result = await build({ ...bundleOptions(backend), stdin: { contents, resolveDir: root, loader: 'ts' }, outfile });
process.stdout.write(JSON.stringify(Object.keys(Object.values(result.metafile.outputs)[0].inputs)));
