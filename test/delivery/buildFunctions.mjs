// Run by bundleBudget.test.ts in a plain node process (Jest's module sandbox cannot load esbuild.config.mjs):
// builds every function for backend argv[2] with the functions' esbuild options into argv[3], and prints each
// bundle's size and inputs as JSON.
import { createRequire } from 'node:module';
import { join } from 'node:path';

const [backend, outdir] = process.argv.slice(2);
const root = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..', '..');
const { build } = createRequire(join(root, 'package.json'))('esbuild');
const { bundleOptions, handlerNames } = await import(join(root, 'esbuild.config.mjs'));
const names = handlerNames();
const result = await build({
  ...bundleOptions(backend),
  entryPoints: Object.fromEntries(names.map((name) => [name, join(root, 'functions', `${name}.ts`)])),
  outdir,
});
const bundles = {};
for (const [file, output] of Object.entries(result.metafile.outputs)) {
  const name = file.replace(/^.*\//, '').replace(/\.js$/, '');
  bundles[name] = { bytes: output.bytes, inputs: Object.keys(output.inputs) };
}
process.stdout.write(JSON.stringify(bundles));
