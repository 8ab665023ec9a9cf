/**
 * Every function's bundle stays within the size issue 15 set (cold start pays for every byte: 450 KiB on
 * DynamoDB, 850 KiB on MongoDB; a bundle here is what a cold start loads by its first answer, index.js and the
 * side file adapter.js), init loads no driver (index.js holds neither the SDK nor the MongoDB driver nor
 * Powertools: they are side files, esbuild.config.mjs SIDE_FILES), and the packages that were cut out stay out: zod's classic API (validation
 * uses zod/mini; one `import { z } from 'zod'` anywhere would bring back 444 KiB), whatwg-url and tr46 (see
 * connectionString.test.ts) and the AWS credential providers Lambda never reaches (awsCredentials.test.ts).
 * Sizes, not timings: a cold-start time is measured by the benchmark (npm run bench -- --cold-only).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

const BUDGET_KIB = { dynamodb: 450, mongodb: 850 } as const;

/** Packages no function bundle may hold, whatever the backend. */
const KEPT_OUT = [
  /node_modules\/zod\/v4\/classic\//,
  /node_modules\/(tr46|whatwg-url|webidl-conversions|punycode)\//,
  /node_modules\/@aws-sdk\/(nested-clients|credential-provider-(sso|ini|process|web-identity|http))\//,
];

describe.each(Object.keys(BUDGET_KIB) as Array<keyof typeof BUDGET_KIB>)('function bundles for %s', (backend) => {
  let bundles: Record<string, { bytes: number; inputs: string[]; indexBytes: number; indexInputs: string[] }>;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), `lockless-budget-${backend}-`));
    const { stdout } = await run(process.execPath, [join(__dirname, 'buildFunctions.mjs'), backend, dir], { maxBuffer: 16 * 1024 * 1024 });
    bundles = JSON.parse(stdout);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it(`are each at most ${BUDGET_KIB[backend]} KiB`, () => {
    const sizes = Object.fromEntries(Object.entries(bundles).map(([name, b]) => [name, Math.round(b.bytes / 1024)]));
    expect(Object.keys(sizes).length).toBeGreaterThanOrEqual(8);
    expect(Object.entries(sizes).filter(([, kib]) => kib > BUDGET_KIB[backend])).toEqual([]);
  });

  it('load no driver and no Powertools at init: index.js holds lockless and the validation only', () => {
    const drivers = /node_modules\/(@aws-sdk|@smithy|mongodb|bson|@aws-lambda-powertools)\//;
    const found = Object.entries(bundles).flatMap(([name, b]) =>
      b.indexInputs.filter((file) => drivers.test(file)).map((file) => `${name}: ${file}`),
    );
    expect(Object.keys(bundles).length).toBeGreaterThanOrEqual(8);
    expect(found).toEqual([]);
  });

  it('use zod/mini and hold none of the packages cut out of them', () => {
    // Every function that validates input does it with zod/mini; the scheduled maintenance function takes none.
    for (const [name, b] of Object.entries(bundles)) {
      if (name !== 'maintenance')
        expect({ name, mini: b.inputs.some((file) => file.includes('node_modules/zod/v4/mini/')) }).toEqual({ name, mini: true });
    }
    const found = Object.entries(bundles).flatMap(([name, b]) =>
      b.inputs.filter((file) => KEPT_OUT.some((re) => re.test(file))).map((file) => `${name}: ${file}`),
    );
    expect(found).toEqual([]);
  });
});
