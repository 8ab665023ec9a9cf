/**
 * CORS on the HTTP API (scripts/serverless/cors.cjs), as deployed and as served locally:
 * - `serverless package` puts LOCKLESS_CORS_ORIGINS's origins into the HTTP API's CorsConfiguration, and puts no
 *   CorsConfiguration at all when it is unset (a deployed stage answers no cross-origin browser by default);
 * - serverless-offline, given the same setting, answers a real preflight for an allowed origin with the allowed
 *   headers and methods, and a preflight from any other origin without an Access-Control-Allow-Origin.
 * It builds dist/ and packages it, like delivery.test.ts. Heavy: `flock /tmp/lockless-heavy.lock npx jest test/delivery/cors.test.ts`.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { devToken } from '../../scripts/local/token';
import { startOffline, type OfflineHandle } from '../../scripts/local/offline';
import { freePort } from '../../tools/servers/process';
import { backendEnv } from '../support/functions';
import { withPackageLock } from '../support/packageLock';
import { backendFixture, type BackendFixture } from '../support/stores';
import { checkTemplate } from './cfnSpec';
import { buildSuiteBundles, type SuiteBundles } from '../support/bundles';

const ROOT = join(__dirname, '..', '..');
const run = promisify(execFile);
const SHOP = 'https://shop.example.com';
const PAGE = 'http://127.0.0.1:3100';

let bundles: SuiteBundles | undefined;
/** This file's own bundles (test/support/bundles.ts), built once for both blocks. */
async function build(): Promise<void> {
  bundles ??= await buildSuiteBundles('cors', 'dynamodb');
}
afterAll(async () => {
  await bundles?.remove();
});

/** `serverless package --stage ci` with no AWS credentials (as delivery.test.ts), returning the template. */
async function packagedTemplate(origins: string | undefined): Promise<{ Resources: Record<string, { Type: string; Properties: any }> }> {
  const out = await mkdtemp(join(tmpdir(), 'lockless-cors-package-'));
  const home = await mkdtemp(join(tmpdir(), 'lockless-cors-home-'));
  const env: Record<string, string | undefined> = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_')));
  for (const key of ['DYNAMODB_ENDPOINT', 'MONGODB_URI', 'LOCKLESS_TRUSTED_CALLER_SECRET', 'LOCKLESS_CORS_ORIGINS']) delete env[key];
  Object.assign(env, {
    HOME: home,
    SLS_TELEMETRY_DISABLED: '1',
    SLS_NOTIFICATIONS_MODE: 'off',
    JWT_ISSUER_URL: 'https://issuer.example.com',
  });
  if (origins !== undefined) env.LOCKLESS_CORS_ORIGINS = origins;
  Object.assign(env, bundles?.env);
  try {
    await withPackageLock(() =>
      run(process.execPath, [require.resolve('serverless/bin/serverless.js'), 'package', '--stage', 'ci', '--package', out], {
        cwd: ROOT,
        env: env as NodeJS.ProcessEnv,
        timeout: 180_000,
      }),
    );
    return JSON.parse(await readFile(join(out, 'cloudformation-template-update-stack.json'), 'utf8'));
  } finally {
    await rm(out, { recursive: true, force: true });
    await rm(home, { recursive: true, force: true });
  }
}

const httpApi = (template: { Resources: Record<string, { Type: string; Properties: any }> }) => {
  const apis = Object.values(template.Resources).filter((r) => r.Type === 'AWS::ApiGatewayV2::Api');
  expect(apis).toHaveLength(1);
  return apis[0]!.Properties;
};

describe('CORS in the packaged template', () => {
  beforeAll(build, 180_000);

  it('allows exactly the origins in LOCKLESS_CORS_ORIGINS, the SDK headers, and exposes ETag and Idempotent-Replayed', async () => {
    const template = await packagedTemplate(`${SHOP},${PAGE}`);

    expect(httpApi(template).CorsConfiguration).toEqual({
      AllowOrigins: [SHOP, PAGE],
      AllowHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'Accept-Language', 'If-Match'],
      AllowMethods: ['DELETE', 'GET', 'OPTIONS', 'PATCH', 'POST'],
      ExposeHeaders: ['ETag', 'Idempotent-Replayed'],
      MaxAge: 600,
    });
    expect(await checkTemplate(template)).toEqual([]);
  }, 200_000);

  it('has no CORS rule when no origin is named', async () => {
    const template = await packagedTemplate(undefined);

    expect(httpApi(template)).not.toHaveProperty('CorsConfiguration');
  }, 200_000);

  it('refuses to package an origin a browser would never send', async () => {
    const failure = await packagedTemplate(`${SHOP}/`).then(
      () => 'packaged',
      (err: { stdout?: string; stderr?: string }) => `${err.stdout}\n${err.stderr}`,
    );

    expect(failure).toMatch(/LOCKLESS_CORS_ORIGINS: "https:\/\/shop\.example\.com\/" is not an origin/);
  }, 200_000);
});

describe('CORS through serverless-offline', () => {
  let fixture: BackendFixture;
  let offline: OfflineHandle;

  beforeAll(async () => {
    fixture = await backendFixture('dynamodb', 'cors');
    await fixture.store.insert('products', { id: 'cors-1', name: 'CORS', stock: 5, sold: 0, price: 100 });
    await build();
    offline = await startOffline({
      httpPort: await freePort(),
      lambdaPort: await freePort(),
      env: { ...backendEnv('dynamodb', fixture), LOCKLESS_CORS_ORIGINS: PAGE, ...bundles?.env },
    });
  }, 300_000);
  afterAll(async () => {
    await offline?.stop();
    await fixture?.cleanup();
  });

  const preflight = (origin: string) =>
    fetch(`${offline.httpUrl}/products/cors-1/purchase`, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type,idempotency-key,accept-language',
      },
    });

  it('answers a preflight from the allowed origin with what the SDK needs', async () => {
    const res = await preflight(PAGE);

    expect(res.status).toBe(204);
    expect(Object.fromEntries([...res.headers].filter(([k]) => k.startsWith('access-control-')))).toEqual({
      'access-control-allow-origin': PAGE,
      'access-control-allow-methods': 'DELETE,GET,OPTIONS,PATCH,POST',
      'access-control-allow-headers': 'Authorization,Content-Type,Idempotency-Key,Accept-Language,If-Match',
      'access-control-expose-headers': 'ETag,Idempotent-Replayed',
      'access-control-max-age': '600',
    });
  });

  it('allows no other origin', async () => {
    const res = await preflight('http://evil.example');

    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('lets the allowed origin read ETag and Idempotent-Replayed on real answers', async () => {
    const read = await fetch(`${offline.httpUrl}/products/cors-1`, { headers: { origin: PAGE } });
    const headers = {
      authorization: `Bearer ${devToken('cors-buyer')}`,
      'content-type': 'application/json',
      'idempotency-key': 'cors-test-key-1',
      origin: PAGE,
    };
    const buy = () =>
      fetch(`${offline.httpUrl}/products/cors-1/purchase`, { method: 'POST', headers, body: JSON.stringify({ quantity: 1 }) });
    const first = await buy();
    const again = await buy();

    expect([read.status, read.headers.get('access-control-allow-origin'), read.headers.get('etag')]).toEqual([
      200,
      PAGE,
      expect.any(String),
    ]);
    expect(read.headers.get('access-control-expose-headers')).toMatch(/ETag/);
    expect([
      first.status,
      again.status,
      again.headers.get('idempotent-replayed'),
      again.headers.get('access-control-allow-origin'),
    ]).toEqual([200, 200, 'true', PAGE]);
    expect(again.headers.get('access-control-expose-headers')).toMatch(/Idempotent-Replayed/);
    expect(await fixture.store.get('products', 'cors-1')).toMatchObject({ stock: 4, sold: 1 });
  });
});
