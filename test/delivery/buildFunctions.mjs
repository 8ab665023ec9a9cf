// Run by bundleBudget.test.ts in a plain node process (Jest's module sandbox cannot load esbuild.config.mjs):
// builds every function for backend argv[2] with the functions' esbuild options and side files into argv[3], and
// prints, per function, the size and inputs of what its cold start loads up to the first answer (index.js and
// adapter.js; metrics.js and ssm.js are loaded later or not at all) and those of index.js alone.
import { createRequire } from 'node:module';
import { join } from 'node:path';

const [backend, outdir] = process.argv.slice(2);
const root = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..', '..');
const { build } = createRequire(join(root, 'package.json'))('esbuild');
const { bundleOptions, functionEntryPoints, handlerNames } = await import(join(root, 'esbuild.config.mjs'));
const names = handlerNames();
const result = await build({ ...bundleOptions(backend), entryPoints: functionEntryPoints(names, backend), outdir });
const bundles = {};
for (const [file, output] of Object.entries(result.metafile.outputs)) {
  const [name, part] = file.split('/').slice(-2);
  if (part !== 'index.js' && part !== 'adapter.js') continue;
  const bundle = (bundles[name] ??= { bytes: 0, inputs: [], indexBytes: 0, indexInputs: [] });
  bundle.bytes += output.bytes;
  bundle.inputs.push(...Object.keys(output.inputs));
  if (part === 'index.js') Object.assign(bundle, { indexBytes: output.bytes, indexInputs: Object.keys(output.inputs) });
}
process.stdout.write(JSON.stringify(bundles));
