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
import { adminClaims, httpEvent } from '../support/events';
import { snapshot } from '../support/dataset';
import { checkTemplate } from './cfnSpec';
import { COLLECTION_NAMES } from '../../shared/collections';
import { DEFAULT_STRATEGY } from '../../shared/validation';
import { devToken } from '../../scripts/local/token';
import { startOffline, type OfflineHandle } from '../../scripts/local/offline';
import { freePort } from '../../tools/servers/process';
import { BACKENDS, backendFixture, type BackendFixture } from '../support/stores';
import { backendEnv } from '../support/functions';
import { withPackageLock } from '../support/packageLock';
import { BURST_MARGINS, describeBursts } from './bursts';
import { describeKilledServer } from './killedServer';

const ROOT = join(__dirname, '..', '..');
// Plain CommonJS read by serverless.yml: the operations and their tables, as deployed.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const DEPLOYED = require('../../scripts/serverless/functions.cjs') as {
  OPERATIONS: Record<string, { tables: Record<string, string[]> }>;
  SCHEDULED: Record<string, { schedule: string; tables: Record<string, string[]> }>;
};
const run = promisify(execFile);
const TRUSTED_SECRET = 'delivery-test-trusted-caller-secret-0123456789';

/** Builds dist/ as `npm run build` does (a child process: Jest's module sandbox cannot load the .mjs config). */
async function build(backend: string): Promise<string[]> {
  await run(process.execPath, [join(ROOT, 'esbuild.config.mjs'), '--quiet'], {
    cwd: ROOT,
    env: { ...process.env, LOCKLESS_BACKEND: backend },
  });
  return (await readdir(join(ROOT, 'dist'))).sort();
}

describe.each(BACKENDS)('over HTTP through serverless-offline on %s', (backend) => {
  let fixture: BackendFixture;
  let offline: OfflineHandle;
  let ports: { httpPort: number; lambdaPort: number };
  // Its own process group: the killed-server test (last) SIGKILLs everything it started, then starts it again.
  const start = () =>
    startOffline({
      ...ports,
      processGroup: true,
      env: { ...backendEnv(backend, fixture), LOCKLESS_TRUSTED_CALLER_SECRET: TRUSTED_SECRET, ...BURST_MARGINS },
    });

  beforeAll(async () => {
    fixture = await backendFixture(backend, 'e2e');
    await fixture.store.insert('products', { id: '1', name: '商品A', stock: 100, sold: 0, price: 1999 });
    await fixture.store.insert('accounts', { id: 'acc-alice', owner: 'alice', balance: 100_000 });
    await fixture.store.insert('accounts', { id: 'acc-bob', owner: 'bob', balance: 0 });
    await build(backend);
    ports = { httpPort: await freePort(), lambdaPort: await freePort() };
    offline = await start();
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

    const bought = await purchase(
      { authorization: `Bearer ${devToken('alice')}`, 'accept-language': 'en' },
      JSON.stringify({ quantity: 3 }),
    );
    expect(bought.status).toBe(200);
    const body = (await bought.json()) as any;
    expect(body).toMatchObject({
      code: 200,
      msg: 'Purchase completed',
      data: {
        stock: 97,
        attempts: 1,
        strategy: DEFAULT_STRATEGY,
        order: { uid: 'alice', quantity: 3, amount: 5997, status: 'pending_payment' },
      },
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
      lambda = new LambdaClient({
        endpoint: offline.lambdaEndpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      });
    });
    afterAll(() => lambda.destroy());

    function send(fn: string, payload: unknown, caller?: string) {
      const target = { functionName: `lockless-dev-${fn}`, stage: 'dev', payload };
      const clientContext = caller ? { custom: { lockless: signCallerAssertion(TRUSTED_SECRET, caller, target) } } : undefined;
      return lambda.send(
        new InvokeCommand({
          FunctionName: `lockless-dev-${fn}`,
          Payload: Buffer.from(JSON.stringify(payload)),
          ...(clientContext ? { ClientContext: Buffer.from(JSON.stringify(clientContext)).toString('base64') } : {}),
        }),
      );
    }

    async function invoke(fn: string, payload: unknown, caller?: string) {
      const out = await send(fn, payload, caller);
      expect(out.FunctionError).toBeUndefined();
      return JSON.parse(Buffer.from(out.Payload!).toString('utf8'));
    }

    it('buys for a trusted caller, once per idempotency key, and answers with the plain envelope', async () => {
      const payload = { productId: '1', quantity: 1, strategy: 'atomic', idempotencyKey: 'direct-1', lang: 'en' };
      const first = await invoke('purchase', payload, 'carol');
      expect(first).toMatchObject({
        code: 200,
        msg: 'Purchase completed',
        data: { order: { uid: 'carol', quantity: 1 }, strategy: 'atomic' },
      });
      const again = await invoke('purchase', payload, 'carol');
      expect(again.data.order.orderNo).toBe(first.data.order.orderNo);
      expect((await invoke('getProduct', { productId: '1' })).data).toMatchObject({ stock: 96 });
    });

    it('refuses a forged API Gateway event sent to every function, and the HTTP functions are not invocable at all', async () => {
      // Issue 10's exploit: claims written by the caller, naming alice, sent to the Lambda port.
      const forged: Record<string, Parameters<typeof httpEvent>[0]> = {
        getProduct: { method: 'GET', path: '/products/1', pathParameters: { id: '1' } },
        purchase: { method: 'POST', path: '/products/1/purchase', pathParameters: { id: '1' }, body: { quantity: 1, strategy: 'atomic' } },
        getOrder: { method: 'GET', path: '/orders/O-1', pathParameters: { orderNo: 'O-1' } },
        addCartItem: {
          method: 'POST',
          path: '/carts/c-1/items',
          pathParameters: { id: 'c-1' },
          body: { id: 'i-1', productId: '1', quantity: 1 },
        },
        removeCartItem: { method: 'DELETE', path: '/carts/c-1/items/i-1', pathParameters: { id: 'c-1', itemId: 'i-1' } },
        getCart: { method: 'GET', path: '/carts/c-1', pathParameters: { id: 'c-1' } },
        transfer: { method: 'POST', path: '/transfers', body: { from: 'acc-alice', to: 'acc-bob', amount: 1 } },
        getAccount: { method: 'GET', path: '/accounts/acc-alice', pathParameters: { id: 'acc-alice' } },
        listOrders: { method: 'GET', path: '/orders' },
        createProduct: { method: 'POST', path: '/products', body: { id: 'forged', name: 'x', price: 1, stock: 1 } },
        editProduct: { method: 'PATCH', path: '/products/1', pathParameters: { id: '1' }, body: { price: 1 } },
        restock: { method: 'POST', path: '/products/1/restock', pathParameters: { id: '1' }, body: { quantity: 1 } },
        payOrder: { method: 'POST', path: '/orders/O-1/pay', pathParameters: { orderNo: 'O-1' }, body: { accountId: 'acc-alice' } },
        cancelOrder: { method: 'POST', path: '/orders/O-1/cancel', pathParameters: { orderNo: 'O-1' } },
        shipOrder: { method: 'POST', path: '/orders/O-1/ship', pathParameters: { orderNo: 'O-1' } },
        refundOrder: { method: 'POST', path: '/orders/O-1/refund', pathParameters: { orderNo: 'O-1' } },
        createRound: { method: 'POST', path: '/rounds', body: { id: 'r-1', totalShares: 2, price: 1, capPerUser: 2 }, claims: adminClaims },
        getRound: { method: 'GET', path: '/rounds/r-1', pathParameters: { id: 'r-1' } },
        enterRound: {
          method: 'POST',
          path: '/rounds/r-1/entries',
          pathParameters: { id: 'r-1' },
          body: { accountId: 'acc-alice', shares: 1 },
        },
        drawRound: { method: 'POST', path: '/rounds/r-1/draw', pathParameters: { id: 'r-1' }, claims: adminClaims },
        batchAdjust: {
          method: 'POST',
          path: '/accounts/batch-adjust',
          body: { batchId: 'b-1', items: [{ accountId: 'acc-alice', delta: 1, reason: 'x' }] },
        },
        resetFreeEntries: { method: 'POST', path: '/maintenance/reset-free-entries' },
      };
      // Public functions read the payload at once; admin ones refuse bob (no admin) before they read it.
      const PUBLIC = ['getProduct', 'getRound'];
      const ADMIN = [
        'createProduct',
        'editProduct',
        'restock',
        'shipOrder',
        'refundOrder',
        'createRound',
        'drawRound',
        'batchAdjust',
        'resetFreeEntries',
      ];
      expect(Object.keys(forged).sort()).toEqual(Object.keys(DEPLOYED.OPERATIONS).sort());
      const before = await snapshot(fixture);
      for (const [fn, request] of Object.entries(forged)) {
        const event = httpEvent({ ...request, sub: 'alice' });
        const anonymous = await invoke(fn, event);
        expect({ fn, code: anonymous.code }).toEqual({ fn, code: PUBLIC.includes(fn) ? 400 : 401 });
        const asBob = await invoke(fn, event, 'bob');
        expect({ fn, code: asBob.code, error: asBob.error }).toEqual(
          ADMIN.includes(fn) ? { fn, code: 403, error: 'FORBIDDEN' } : { fn, code: 400, error: 'INVALID_REQUEST' },
        );
        // The function API Gateway routes to is not on the Lambda port at all (in AWS: only API Gateway may invoke it).
        const gatewayOnly = await send(`${fn}Http`, event).then(
          (out) => ({ status: out.StatusCode, error: out.FunctionError }),
          (err: { name?: string; $metadata?: { httpStatusCode?: number } }) => ({ status: err.$metadata?.httpStatusCode, error: err.name }),
        );
        expect({ fn, refused: gatewayOnly.status !== 200 || gatewayOnly.error !== undefined }).toEqual({ fn, refused: true });
      }
      expect(await snapshot(fixture)).toEqual(before);
    });

    it('never takes the caller from the payload', async () => {
      expect(await invoke('purchase', { productId: '1', quantity: 1, uid: 'carol' })).toMatchObject({ code: 401, error: 'UNAUTHORIZED' });
      expect(await invoke('purchase', { productId: '1', quantity: 1 }, undefined)).toMatchObject({ code: 401 });
      expect((await invoke('getProduct', { productId: '1' })).data).toMatchObject({ stock: 96 });
    });
  });

  describeBursts(backend, () => ({ offline, fixture }));
  describeKilledServer(backend, () => ({
    offline,
    fixture,
    env: backendEnv(backend, fixture),
    restart: async () => {
      offline = await start();
      return offline;
    },
  }));
});

/** `serverless package` with no AWS credentials: a fresh HOME (no ~/.aws) and no AWS_* variables. */
async function serverlessPackage(stage: string, out: string, home: string, extraEnv: Record<string, string | undefined> = {}) {
  const env: Record<string, string | undefined> = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_')));
  for (const key of [
    'LOCKLESS_DYNAMODB_ENDPOINT',
    'DYNAMODB_ENDPOINT',
    'LOCKLESS_MONGODB_URI',
    'MONGODB_URI',
    'LOCKLESS_TRUSTED_CALLER_SECRET',
    'LOCKLESS_JWT_ISSUER_URL',
    'JWT_ISSUER_URL',
  ])
    delete env[key];
  Object.assign(env, { HOME: home, SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off' }, extraEnv);
  return withPackageLock(() =>
    run(process.execPath, [require.resolve('serverless/bin/serverless.js'), 'package', '--stage', stage, '--package', out], {
      cwd: ROOT,
      env: env as NodeJS.ProcessEnv,
      timeout: 180_000,
    }),
  );
}

type Resources = Record<string, { Type: string; Properties: any; DeletionPolicy?: string; UpdateReplacePolicy?: string }>;

describe('serverless package', () => {
  let out: string;
  let home: string;
  let names: string[];
  let template: { Resources: Resources };
  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'lockless-package-'));
    home = await mkdtemp(join(tmpdir(), 'lockless-home-'));
    // The operations: every bundle but the scheduled ones (one function each, no route; checked below).
    names = (await build('dynamodb')).filter((name) => !DEPLOYED.SCHEDULED[name]);
    await serverlessPackage('ci', out, home, {
      LOCKLESS_JWT_ISSUER_URL: 'https://issuer.example.com',
      LOCKLESS_JWT_AUTHORIZATION_SCOPES: 'lockless/api',
    });
    template = JSON.parse(await readFile(join(out, 'cloudformation-template-update-stack.json'), 'utf8'));
  });
  afterAll(async () => {
    await rm(out, { recursive: true, force: true });
    await rm(home, { recursive: true, force: true });
  });

  const ofType = (type: string) => Object.entries(template.Resources).filter(([, r]) => r.Type === type);

  it('produces two artifacts per operation, one per transport, each holding only its own bundle', async () => {
    const zips = (await readdir(out)).filter((f) => f.endsWith('.zip')).sort();
    expect(names).toEqual(expect.arrayContaining(['getAccount', 'getProduct', 'purchase', 'transfer']));
    const scheduled = Object.keys(DEPLOYED.SCHEDULED).map((n) => `${n}.zip`);
    expect(zips).toEqual([...names.flatMap((n) => [`${n}.zip`, `${n}Http.zip`]), ...scheduled].sort());
    for (const name of names) {
      for (const zipName of [name, `${name}Http`]) {
        const zip = await JSZip.loadAsync(await readFile(join(out, `${zipName}.zip`)));
        const files = Object.values(zip.files)
          .filter((f) => !f.dir)
          .map((f) => f.name);
        // The handler and the side files it loads when first needed (esbuild.config.mjs SIDE_FILES): the adapter
        // at the first request, the metrics writer at the first publish, the SSM reader when a secret is named by parameter.
        expect(files.sort()).toEqual([
          `dist/${name}/adapter.js`,
          `dist/${name}/index.js`,
          `dist/${name}/metrics.js`,
          `dist/${name}/ssm.js`,
        ]);
      }
    }
  });

  it('routes every HTTP API route to an <op>Http function, which only API Gateway is permitted to invoke', () => {
    const functions = Object.fromEntries(ofType('AWS::Lambda::Function').map(([id, r]) => [id, r.Properties]));
    for (const name of names) {
      expect(functions[`${name.charAt(0).toUpperCase()}${name.slice(1)}LambdaFunction`].Handler).toBe(`dist/${name}/index.handler`);
      expect(functions[`${name.charAt(0).toUpperCase()}${name.slice(1)}HttpLambdaFunction`].Handler).toBe(`dist/${name}/index.httpHandler`);
    }
    const integrations = ofType('AWS::ApiGatewayV2::Integration');
    expect(integrations).toHaveLength(names.length);
    for (const [, integration] of integrations)
      expect(integration.Properties.IntegrationUri['Fn::GetAtt'][0]).toMatch(/HttpLambdaFunction$/);
    // The scheduled maintenance function may be invoked by EventBridge, on its rule, and by nothing else.
    const scheduledBy = ofType('AWS::Lambda::Permission').filter(([, p]) => p.Properties.Principal === 'events.amazonaws.com');
    expect(scheduledBy.map(([, p]) => p.Properties.FunctionName['Fn::GetAtt'][0])).toEqual(['MaintenanceLambdaFunction']);
    const rules = ofType('AWS::Events::Rule').map(([, r]) => r.Properties.ScheduleExpression);
    expect(rules).toEqual(['rate(1 minute)']);
    const permissions = ofType('AWS::Lambda::Permission').filter(([, p]) => p.Properties.Principal !== 'events.amazonaws.com');
    expect(permissions).toHaveLength(names.length);
    for (const [, permission] of permissions) {
      expect(permission.Properties).toMatchObject({ Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com' });
      expect(permission.Properties.FunctionName['Fn::GetAtt'][0]).toMatch(/HttpLambdaFunction$/);
    }
    // The JWT authorizer's scopes, when configured, are required on every route that needs an identity.
    const routes = ofType('AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties);
    for (const route of routes) {
      // The public reads: the catalogue and lottery rounds.
      if (route.RouteKey === 'GET /products/{id}' || route.RouteKey === 'GET /rounds/{id}') expect(route.AuthorizationType).toBeUndefined();
      else expect(route).toMatchObject({ AuthorizationType: 'JWT', AuthorizationScopes: ['lockless/api'] });
    }
  });

  it('declares a table per collection, and keeps accounts, ledger, orders, rounds and entries whatever happens to the stack', () => {
    const tables = ofType('AWS::DynamoDB::Table').map(([, t]) => t);
    expect(tables.map((t) => t.Properties.TableName).sort()).toEqual(COLLECTION_NAMES.map((c) => `lockless-ci-${c}`).sort());
    for (const table of tables) {
      // Money, orders and lottery results: the records a deleted stack must not take with it.
      const retained = ['accounts', 'ledger', 'orders', 'rounds', 'roundEntries']
        .map((c) => `lockless-ci-${c}`)
        .includes(table.Properties.TableName);
      expect({
        name: table.Properties.TableName,
        policy: table.DeletionPolicy,
        replace: table.UpdateReplacePolicy,
        protection: table.Properties.DeletionProtectionEnabled,
      }).toEqual(
        retained
          ? { name: table.Properties.TableName, policy: 'Retain', replace: 'Retain', protection: true }
          : { name: table.Properties.TableName, policy: undefined, replace: undefined, protection: undefined },
      );
    }
    const fns = ofType('AWS::Lambda::Function').map(([, f]) => f);
    expect(fns.map((f) => f.Properties.Environment.Variables.LOCKLESS_TABLE_PREFIX)).toEqual(fns.map(() => 'lockless-ci-'));
  });

  it('gives each operation its own role with only its own item actions, shared by its two functions', () => {
    const roles = Object.fromEntries(ofType('AWS::IAM::Role'));
    expect(Object.keys(roles).sort()).toEqual(
      [...names, ...Object.keys(DEPLOYED.SCHEDULED)].map((n) => `${n.charAt(0).toUpperCase()}${n.slice(1)}Role`).sort(),
    );
    for (const [, fn] of ofType('AWS::Lambda::Function')) {
      const operation = String(fn.Properties.FunctionName)
        .replace(/^lockless-ci-/, '')
        .replace(/Http$/, '');
      expect({ fn: fn.Properties.FunctionName, role: fn.Properties.Role }).toEqual({
        fn: fn.Properties.FunctionName,
        role: { 'Fn::GetAtt': [`${operation.charAt(0).toUpperCase()}${operation.slice(1)}Role`, 'Arn'] },
      });
      const statements = roles[`${operation.charAt(0).toUpperCase()}${operation.slice(1)}Role`]!.Properties.Policies.flatMap(
        (p: any) => p.PolicyDocument.Statement,
      );
      const granted: Record<string, string[]> = {};
      for (const statement of statements.filter((s: any) => s.Action.some((a: string) => a.startsWith('dynamodb:')))) {
        for (const resource of statement.Resource) {
          // A table's ARN, or (Query) its indexes' ARNs joined onto it.
          const arn = resource['Fn::GetAtt'] ?? resource['Fn::Join'][1][0]['Fn::GetAtt'];
          const logical = arn[0].replace(/Table$/, '');
          const table = `${logical.charAt(0).toLowerCase()}${logical.slice(1)}`;
          granted[table] = [...(granted[table] ?? []), ...statement.Action.map((a: string) => a.replace('dynamodb:', ''))].sort();
        }
      }
      const expected = Object.fromEntries(
        Object.entries((DEPLOYED.OPERATIONS[operation] ?? DEPLOYED.SCHEDULED[operation])!.tables).map(([t, a]) => [t, [...a].sort()]),
      );
      expect({ operation, granted }).toEqual({ operation, granted: expected });
    }
    // The public catalogue read holds nothing but GetItem on products.
    const publicRole = roles.GetProductRole!.Properties.Policies.flatMap((p: any) => p.PolicyDocument.Statement);
    expect(publicRole.flatMap((s: any) => s.Action).filter((a: string) => a.startsWith('dynamodb:'))).toEqual(['dynamodb:GetItem']);
    expect(ofType('AWS::IAM::Role').every(([, r]) => JSON.stringify(r).includes('logs:PutLogEvents'))).toBe(true);
  });

  it("passes CloudFormation's resource specification", async () => {
    expect(await checkTemplate(template)).toEqual([]);
  });

  it('would be failed by that check for an unknown property, a wrong type or value, a bad reference or a missing property', async () => {
    const broken = structuredClone(template) as { Resources: Resources };
    const accounts = broken.Resources.AccountsTable!;
    accounts.Properties.DeletionProtection = true;
    accounts.Properties.PointInTimeRecoverySpecification = { PointInTimeRecoveryEnabled: { on: true } };
    accounts.DeletionPolicy = 'Keep';
    delete accounts.Properties.KeySchema;
    broken.Resources.TransferRole!.Type = 'AWS::IAM::Rolle';
    broken.Resources.GetProductLambdaFunction!.Properties.Role = { 'Fn::GetAtt': ['GetProductRole', 'Name'] };
    broken.Resources.GetCartLambdaFunction!.Properties.Role = { 'Fn::GetAtt': ['NoSuchRole', 'Arn'] };
    const problems = (await checkTemplate(broken)).map((p) => p.path).sort();
    expect(problems).toEqual(
      [
        'Resources.AccountsTable.DeletionPolicy',
        'Resources.AccountsTable.Properties.DeletionProtection',
        'Resources.AccountsTable.Properties.KeySchema',
        'Resources.AccountsTable.Properties.PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled',
        'Resources.GetCartLambdaFunction.Properties.Role',
        'Resources.GetProductLambdaFunction.Properties.Role',
        'Resources.TransferRole.Type',
      ].sort(),
    );
  });

  it('throttles the HTTP API stage', () => {
    const [[, stage]] = ofType('AWS::ApiGatewayV2::Stage') as [[string, Resources[string]]];
    expect(stage.Properties.DefaultRouteSettings).toEqual({ ThrottlingBurstLimit: 200, ThrottlingRateLimit: 100 });
  });
});
