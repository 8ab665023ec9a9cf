/**
 * Property-based fuzzing of every route on one backend: seed a realistic dataset, snapshot every collection,
 * send FUZZ_RUNS (default 10,000) generated requests that must all be refused (generators.ts), and require
 * that each answer is a well-formed envelope with exactly an allowed 4xx status (so never a 5xx), and that the
 * snapshot afterwards equals the one before. FUZZ_SEED reproduces a run; the seed is printed either way.
 * FUZZ_DUMP writes every request and its answer to a file (see `dumper`).
 */
import type { Context } from 'aws-lambda';
import fc from 'fast-check';
import { openApiProblems } from '../support/openApi';
import { appendFileSync, writeFileSync } from 'node:fs';
import { signCallerAssertion } from '../../shared/edge/directIdentity';
import { ERROR_CODES } from '../../shared/errors';
import { assertionContext, cognitoContext, httpEvent, lambdaContext, signedFor } from '../support/events';
import { loadAll, seedDataset, snapshot, TRUSTED_SECRET, trustedContext, type Dataset, type Snapshot } from '../support/dataset';
import type { LoadedFunctions } from '../support/functions';
import { backendFixture, type BackendFixture, type BackendName } from '../support/stores';
import { plans, type DirectPlan, type HttpPlan, type Identity, type Plan } from './generators';
import { ROUTES } from './routes';

const DEFAULT_SEED = 20261125;
const DEFAULT_RUNS = 10_000;

function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value)) throw new Error(`${name} must be an integer, got ${raw}`);
  return value;
}

/** The API Gateway v2 event of an HTTP plan, exactly as planned (headers, body, types and all). */
function eventOf(plan: HttpPlan): Record<string, unknown> {
  const sub = plan.identity.kind === 'user' ? plan.identity.sub : undefined;
  const event = httpEvent({
    method: plan.method,
    path: plan.path,
    ...(plan.pathParameters ? { pathParameters: plan.pathParameters } : {}),
    sub,
  }) as unknown as Record<string, any>;
  event.headers = Object.fromEntries(plan.headers);
  event.body = plan.body;
  event.isBase64Encoded = plan.isBase64Encoded;
  if (plan.rawQueryString !== undefined) event.rawQueryString = plan.rawQueryString;
  if (plan.queryStringParameters) event.queryStringParameters = plan.queryStringParameters;
  if (plan.identity.kind === 'forged')
    event.requestContext.authorizer = { jwt: { claims: { sub: plan.identity.sub, iss: 'forged' }, scopes: [] } };
  if (plan.shape) {
    let target = event;
    for (const key of plan.shape.path.slice(0, -1)) target = target[key];
    target[plan.shape.path[plan.shape.path.length - 1]!] = plan.shape.value;
  }
  return event;
}

/** The Lambda context of a direct plan's identity. */
function contextOf(identity: Identity): Context {
  if (identity.kind === 'user') return identity.via === 'trusted' ? trustedContext(identity.sub) : cognitoContext(identity.sub);
  if (identity.kind === 'none') return lambdaContext();
  const sub = String(identity.sub);
  const signed = signCallerAssertion(TRUSTED_SECRET, sub, { functionName: 'test', stage: 'dev', payload: {} });
  switch (identity.how) {
    case 'wrong secret':
      return trustedContext(sub, 'not-the-deployers-secret-0123456789abcdef');
    case 'stale':
      return trustedContext(sub, TRUSTED_SECRET, Date.now() - 10 * 60_000);
    case 'future':
      return trustedContext(sub, TRUSTED_SECRET, Date.now() + 10 * 60_000);
    case 'renamed':
      return assertionContext({ ...signed, sub: `${sub}-x` });
    case 'no sig':
      return assertionContext({ sub, iat: signed.iat });
    case 'iat as text':
      return assertionContext({ ...signed, iat: String(signed.iat) });
    case 'sub not a string':
      return assertionContext({ ...signed, sub: { $ne: null } });
    case 'huge sub':
      return trustedContext(sub.repeat(100));
    case 'empty cognito id':
      return lambdaContext(10_000, { identity: { cognitoIdentityId: '', cognitoIdentityPoolId: 'pool' } as never });
    default:
      return assertionContext('not an object');
  }
}

function directEvent(plan: DirectPlan, data: Dataset): unknown {
  if (!plan.httpShaped) return JSON.parse(plan.payload);
  // A request for this route as an API Gateway event whose claims name someone else, invoked with Cognito
  // credentials: it must be read as a direct payload (and refused), never as verified claims.
  const route = ROUTES[plan.route];
  const command = {
    cartId: data.carts[0]!.id,
    productId: 'p-1',
    orderNo: 'O-1',
    accountId: 'acc-alice',
    itemId: 'a',
    from: 'acc-alice',
    to: 'acc-bob',
    amount: 1,
    quantity: 1,
    item: { id: 'z', productId: 'p-1', quantity: 1 },
  };
  const http = route.http(command);
  return httpEvent({
    method: route.method,
    path: http.path,
    pathParameters: http.params,
    ...(http.body ? { body: http.body } : {}),
    sub: plan.httpShaped.claimsSub,
  });
}

interface Envelope {
  code: number;
  msg: string;
  error?: string;
  data?: any;
}

/** Checks the answer's form and status; returns the envelope. Throws (failing the property) otherwise. */
function checkAnswer(plan: Plan, raw: unknown): Envelope {
  let envelope: Envelope;
  if (plan.transport === 'http') {
    const answer = raw as { statusCode: number; headers: Record<string, string>; body: string };
    expect(answer.headers['content-type']).toMatch(/^application\/json/);
    envelope = JSON.parse(answer.body);
    expect(envelope.code).toBe(answer.statusCode);
  } else {
    envelope = raw as Envelope;
  }
  expect(Object.keys(envelope).every((k) => ['code', 'msg', 'data', 'error'].includes(k))).toBe(true);
  expect(typeof envelope.msg).toBe('string');
  expect(envelope.msg.length).toBeGreaterThan(0);
  expect(typeof envelope.error).toBe('string');
  expect(ERROR_CODES[envelope.error as keyof typeof ERROR_CODES]?.status).toBe(envelope.code);
  if (!plan.expect.includes(envelope.code)) {
    throw new Error(`expected ${plan.expect.join(' or ')} for [${plan.kinds.join('; ')}], got ${JSON.stringify(envelope).slice(0, 500)}`);
  }
  if (envelope.code === 400) {
    expect(Array.isArray(envelope.data?.issues) && envelope.data.issues.length > 0).toBe(true);
    for (const issue of envelope.data.issues) expect(Object.keys(issue).sort()).toEqual(['field', 'message']);
  }
  return envelope;
}

/**
 * FUZZ_DUMP=<file> appends every plan and the answer it got, one JSON line each, with the dataset's order
 * numbers (minted from the clock) replaced by their index: two runs with one seed give byte-identical files
 * exactly when every request was answered the same, which is how a change to validation proves it changed
 * no answer (run it before and after, then compare the files).
 */
function dumper(file: string | undefined, backend: BackendName): ((plan: Plan, raw: unknown, data: Dataset) => void) | undefined {
  if (!file) return undefined;
  const path = file.replace('{backend}', backend);
  writeFileSync(path, '');
  return (plan, raw, data) => {
    const answer = plan.transport === 'http' ? { ...(raw as object), body: JSON.parse((raw as { body: string }).body) } : raw;
    let line = JSON.stringify({ plan, answer });
    for (const [index, order] of data.orders.entries()) line = line.split(order.orderNo).join(`<order ${index}>`);
    appendFileSync(path, `${line}\n`);
  };
}

export function describeFuzz(backend: BackendName): void {
  describe(`fuzzing every route on ${backend}`, () => {
    const seed = envNumber('FUZZ_SEED', DEFAULT_SEED);
    const runs = envNumber('FUZZ_RUNS', DEFAULT_RUNS);
    const dump = dumper(process.env.FUZZ_DUMP, backend);
    let fixture: BackendFixture;
    let fns: LoadedFunctions;
    let data: Dataset;
    let before: Snapshot;
    const stats = {
      requests: 0,
      fiveHundreds: 0,
      byStatus: new Map<string, number>(),
      byTransport: new Map<string, number>(),
      ms: 0,
      snapshotEqual: false,
    };

    beforeAll(async () => {
      fixture = await backendFixture(backend, 'fuzz');
      fns = loadAll(backend, fixture);
      data = await seedDataset(fixture, fns);
      before = await snapshot(fixture);
    });
    afterAll(async () => {
      const count = (m: Map<string, number>) =>
        [...m]
          .sort()
          .map(([k, n]) => `${k}: ${n}`)
          .join(', ');
      process.stdout.write(
        `[fuzz ${backend}] seed ${seed}, ${stats.requests} requests (${count(stats.byTransport)}) in ${(stats.ms / 1000).toFixed(1)} s; ` +
          `statuses ${count(stats.byStatus)}; 5xx: ${stats.fiveHundreds}; snapshot equal: ${stats.snapshotEqual}\n`,
      );
      await fns?.close();
      await fixture?.cleanup();
    });

    it(
      `refuses ${runs} generated malformed and malicious requests (seed ${seed}) with a 4xx envelope and no write`,
      async () => {
        const started = Date.now();
        await fc.assert(
          fc.asyncProperty(plans(data), async (plan) => {
            stats.requests++;
            stats.byTransport.set(plan.transport, (stats.byTransport.get(plan.transport) ?? 0) + 1);
            const raw =
              plan.transport === 'http'
                ? await fns.http(plan.route)(eventOf(plan), lambdaContext())
                : await (async () => {
                    const event = directEvent(plan, data);
                    return fns.handler(plan.route)(event, signedFor(contextOf(plan.identity), event));
                  })();
            const status = plan.transport === 'http' ? (raw as { statusCode: number }).statusCode : (raw as Envelope).code;
            if (status >= 500) stats.fiveHundreds++;
            dump?.(plan, raw, data);
            const envelope = checkAnswer(plan, raw);
            if (plan.transport === 'http') {
              // Every HTTP answer is one docs/openapi.json declares for the route, error code included.
              const { statusCode, headers, body } = raw as { statusCode: number; headers: Record<string, string>; body: string };
              expect(openApiProblems(plan.route, statusCode, JSON.parse(body), headers)).toEqual([]);
            }
            const key = `${envelope.code} ${envelope.error}`;
            stats.byStatus.set(key, (stats.byStatus.get(key) ?? 0) + 1);
          }),
          { seed, numRuns: runs, endOnFailure: true },
        );
        stats.ms = Date.now() - started;
        expect(stats.fiveHundreds).toBe(0);
        const after = await snapshot(fixture);
        expect(after).toEqual(before);
        stats.snapshotEqual = true;
      },
      Math.max(120_000, runs * 12),
    );
  });
}
