/**
 * Delivery, end to end: the esbuild bundles served by serverless-offline over real HTTP on both backends
 * (buy, then read back; bursts of buyers, transfers and removals: bursts.ts), and `serverless package` with no
 * AWS credentials producing one artifact per function. One file, run in sequence, because every step uses the
 * project's dist/ folder; serverless-offline starts once per backend and serves every test of that backend.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import JSZip from 'jszip';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { signCallerAssertion } from '../../shared/edge/directIdentity';
import { COLLECTION_NAMES } from '../../shared/collections';
import { devToken } from '../../scripts/local/token';
import { startOffline, type OfflineHandle } from '../../scripts/local/offline';
import { freePort } from '../../scripts/servers/process';
import { BACKENDS, backendFixture, type BackendFixture } from '../support/stores';
import { backendEnv } from '../support/functions';
import { BURST_MARGINS, describeBursts } from './bursts';

const ROOT = join(__dirname, '..', '..');
const run = promisify(execFile);
const TRUSTED_SECRET = 'delivery-test-trusted-caller-secret-0123456789';

/** Builds dist/ as `npm run build` does (a child process: Jest's module sandbox cannot load the .mjs config). */
async function build(backend: string): Promise<string[]> {
  await run(process.execPath, [join(ROOT, 'esbuild.config.mjs'), '--quiet'], { cwd: ROOT, env: { ...process.env, BACKEND: backend } });
  return (await readdir(join(ROOT, 'dist'))).sort();
}

describe.each(BACKENDS)('over HTTP through serverless-offline on %s', (backend) => {
  let fixture: BackendFixture;
  let offline: OfflineHandle;

  beforeAll(async () => {
    fixture = await backendFixture(backend, 'e2e');
    await fixture.store.insert('products', { id: '1', name: '商品A', stock: 100, sold: 0, price: 1999 });
    await build(backend);
    offline = await startOffline({
      httpPort: await freePort(),
      lambdaPort: await freePort(),
      env: { ...backendEnv(backend, fixture), LOCKLESS_TRUSTED_CALLER_SECRET: TRUSTED_SECRET, ...BURST_MARGINS },
    });
  });
  afterAll(async () => {
    await offline?.stop();
    await fixture?.cleanup();
  });

  const purchase = (headers: Record<string, string>, body: string) =>
    fetch(`${offline.httpUrl}/products/1/purchase`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

  it('buys with a token and reads the product back', async () => {
    const before = await fetch(`${offline.httpUrl}/products/1`);
    expect(before.status).toBe(200);
    expect(before.headers.get('etag')).toBe('"1.v1"');
    expect(await before.json()).toEqual({ code: 200, msg: '成功', data: { id: '1', name: '商品A', price: 1999, stock: 100, version: 1 } });

    const bought = await purchase({ authorization: `Bearer ${devToken('alice')}`, 'accept-language': 'en' }, JSON.stringify({ quantity: 3 }));
    expect(bought.status).toBe(200);
    const body = (await bought.json()) as any;
    expect(body).toMatchObject({
      code: 200,
      msg: 'Purchase completed',
      data: { stock: 97, attempts: 1, strategy: 'transaction', order: { uid: 'alice', quantity: 3, amount: 5997, status: 'created' } },
    });

    const after = await fetch(`${offline.httpUrl}/products/1`);
    expect(((await after.json()) as any).data).toMatchObject({ stock: 97, version: 2 });
    expect(after.headers.get('etag')).toBe('"1.v2"');
    const orders = await fixture.list('orders');
    expect(orders.map((o) => o.orderNo)).toEqual([body.data.order.orderNo]);
  });

  it('refuses a missing or expired token at the gateway, and bad JSON at the edge', async () => {
    expect((await purchase({}, '{"quantity":1}')).status).toBe(401);
    const expired = devToken('alice', { now: Date.now() - 7_200_000, ttlSeconds: 60 });
    expect((await purchase({ authorization: `Bearer ${expired}` }, '{"quantity":1}')).status).toBe(401);
    const bad = await purchase({ authorization: `Bearer ${devToken('alice')}` }, '{"quantity":');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: 400, error: 'INVALID_REQUEST' });
    expect(((await (await fetch(`${offline.httpUrl}/products/1`)).json()) as any).data.stock).toBe(97);
  });

  describe('direct invocation with the AWS SDK LambdaClient', () => {
    let lambda: LambdaClient;
    beforeAll(() => {
      lambda = new LambdaClient({ endpoint: offline.lambdaEndpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    });
    afterAll(() => lambda.destroy());

    async function invoke(fn: string, payload: unknown, caller?: string) {
      const clientContext = caller ? { custom: { lockless: signCallerAssertion(TRUSTED_SECRET, caller) } } : undefined;
      const out = await lambda.send(
        new InvokeCommand({
          FunctionName: `lockless-dev-${fn}`,
          Payload: Buffer.from(JSON.stringify(payload)),
          ...(clientContext ? { ClientContext: Buffer.from(JSON.stringify(clientContext)).toString('base64') } : {}),
        }),
      );
      expect(out.FunctionError).toBeUndefined();
      return JSON.parse(Buffer.from(out.Payload!).toString('utf8'));
    }

    it('buys for a trusted caller, once per idempotency key, and answers with the plain envelope', async () => {
      const payload = { productId: '1', quantity: 1, strategy: 'atomic', idempotencyKey: 'direct-1', lang: 'en' };
      const first = await invoke('purchase', payload, 'carol');
      expect(first).toMatchObject({ code: 200, msg: 'Purchase completed', data: { order: { uid: 'carol', quantity: 1 }, strategy: 'atomic' } });
      const again = await invoke('purchase', payload, 'carol');
      expect(again.data.order.orderNo).toBe(first.data.order.orderNo);
      expect((await invoke('getProduct', { productId: '1' })).data).toMatchObject({ stock: 96 });
    });

    it('never takes the caller from the payload', async () => {
      expect(await invoke('purchase', { productId: '1', quantity: 1, uid: 'carol' })).toMatchObject({ code: 401, error: 'UNAUTHORIZED' });
      expect(await invoke('purchase', { productId: '1', quantity: 1 }, undefined)).toMatchObject({ code: 401 });
      expect((await invoke('getProduct', { productId: '1' })).data).toMatchObject({ stock: 96 });
    });
  });

  describeBursts(backend, () => ({ offline, fixture }));
});

describe('serverless package', () => {
  let out: string;
  let home: string;
  let names: string[];
  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'lockless-package-'));
    home = await mkdtemp(join(tmpdir(), 'lockless-home-'));
    names = await build('dynamodb');
    // No credentials anywhere: a fresh HOME (no ~/.aws) and no AWS_* variables.
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_')));
    await run(process.execPath, [require.resolve('serverless/bin/serverless.js'), 'package', '--stage', 'ci', '--package', out], {
      cwd: ROOT,
      env: { ...env, HOME: home, SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off' },
      timeout: 180_000,
    });
  });
  afterAll(async () => {
    await rm(out, { recursive: true, force: true });
    await rm(home, { recursive: true, force: true });
  });

  it('produces one artifact per function holding only its own bundle', async () => {
    const zips = (await readdir(out)).filter((f) => f.endsWith('.zip')).sort();
    expect(names).toEqual(expect.arrayContaining(['getAccount', 'getProduct', 'purchase', 'transfer']));
    expect(zips).toEqual(names.map((n) => `${n}.zip`).sort());
    for (const name of names) {
      const zip = await JSZip.loadAsync(await readFile(join(out, `${name}.zip`)));
      const files = Object.values(zip.files).filter((f) => !f.dir).map((f) => f.name);
      expect(files).toEqual([`dist/${name}/index.js`]);
    }
  });

  it('declares a table per collection and a role limited to item actions on them', async () => {
    const template = JSON.parse(await readFile(join(out, 'cloudformation-template-update-stack.json'), 'utf8'));
    const tables = Object.values(template.Resources as Record<string, { Type: string; Properties: any }>).filter(
      (r) => r.Type === 'AWS::DynamoDB::Table',
    );
    expect(tables.map((t) => t.Properties.TableName).sort()).toEqual(COLLECTION_NAMES.map((c) => `lockless-ci-${c}`).sort());
    const fns = Object.values(template.Resources as Record<string, { Type: string; Properties: any }>).filter(
      (r) => r.Type === 'AWS::Lambda::Function',
    );
    expect(fns.map((f) => f.Properties.Environment.Variables.TABLE_PREFIX)).toEqual(names.map(() => 'lockless-ci-'));
    const role = Object.values(template.Resources as Record<string, { Type: string; Properties: any }>).find((r) => r.Type === 'AWS::IAM::Role');
    const statements = role!.Properties.Policies.flatMap((p: any) => p.PolicyDocument.Statement);
    const dynamo = statements.filter((s: any) => [s.Action].flat().some((a: string) => a.startsWith('dynamodb:')));
    expect(dynamo.length).toBeGreaterThan(0);
    for (const statement of dynamo) {
      for (const action of [statement.Action].flat()) {
        expect(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem']).toContain(action);
      }
      for (const resource of [statement.Resource].flat()) expect(resource).toHaveProperty(['Fn::GetAtt']);
    }
  });
});
