/**
 * A deployed function is index.js plus side files it loads later (esbuild.config.mjs SIDE_FILES).
 * - The adapter's side file is a bundle of its own, with its own copy of shared/metrics.ts; what an adapter counts
 *   (throttles, through `invocationMetrics`) must still reach the scope the handler's copy opened. Two bundles of
 *   that module, loaded in one fresh process, stand for index.js and adapter.js.
 * - Init loads index.js alone, except in a container initialised for provisioned concurrency, which loads the
 *   adapter during init (functions/runtime.ts). Shown on the real bundles, in fresh processes (no database:
 *   nothing connects before the first request).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildSuiteBundles, type SuiteBundles } from '../support/bundles';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');

const ENTRY = `export { invocationMetrics, useMetricsSink, withMetricsScope } from './shared/metrics';`;

/** Opens a scope through the first copy, counts through the second, and prints what the first copy's sink got. */
const PROBE = `const handlerCopy = require(process.argv[1]);
const adapterCopy = require(process.argv[2]);
let published = null;
handlerCopy.useMetricsSink({ publish: (counts, dimensions) => { published = { counts: [...counts], dimensions }; } });
handlerCopy
  .withMetricsScope({ function: 'purchase' }, async () => adapterCopy.invocationMetrics.count('Throttles', 2))
  .then(() => {
    adapterCopy.invocationMetrics.count('Throttles', 5); // after the scope ended: counted nowhere
    process.stdout.write(JSON.stringify(published));
  });`;

describe('side files', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lockless-side-files-'));
    for (const copy of ['index.js', 'adapter.js']) {
      await run(process.execPath, [join(__dirname, 'bundleEntry.mjs'), 'dynamodb', join(dir, copy), ENTRY], { cwd: ROOT });
    }
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("count what the adapter's copy of the metrics module counts into the scope the handler's copy opened", async () => {
    // Arrange: two bundles, two copies of shared/metrics.ts. Act: one process loads both.
    const { stdout } = await run(process.execPath, ['-e', PROBE, join(dir, 'index.js'), join(dir, 'adapter.js')], {
      env: { PATH: process.env.PATH ?? '' },
    });
    // Assert: one line, holding the count made through the other copy while the scope was open.
    expect(JSON.parse(stdout)).toEqual({ counts: [['Throttles', 2]], dimensions: { function: 'purchase' } });
  });
});

/** Loads a bundle in a fresh process and prints the side files Node had loaded when the require returned. */
const LOADED = `require(process.argv[1]);
process.stdout.write(JSON.stringify(Object.keys(require.cache).map((f) => f.split('/').pop()).filter((f) => f !== 'index.js').sort()));`;

describe('init of a bundled function', () => {
  let bundles: SuiteBundles;

  beforeAll(async () => {
    bundles = await buildSuiteBundles('side-files', 'dynamodb');
  });
  afterAll(async () => {
    await bundles?.remove();
  });

  const loadedBy = async (env: Record<string, string>) => {
    const { stdout } = await run(process.execPath, ['-e', LOADED, join(ROOT, bundles.dir, 'getProduct', 'index.js')], {
      env: { PATH: process.env.PATH ?? '', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env },
    });
    return JSON.parse(stdout) as string[];
  };

  it('loads no side file on demand', async () => {
    expect(await loadedBy({ AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand' })).toEqual([]);
  });

  it('loads the adapter during init for provisioned concurrency', async () => {
    expect(await loadedBy({ AWS_LAMBDA_INITIALIZATION_TYPE: 'provisioned-concurrency', AWS_REGION: 'eu-west-1' })).toEqual(['adapter.js']);
  });
});
