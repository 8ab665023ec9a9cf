/**
 * The local runtime wired into real serverless-offline (a probe service in fixture/): over real HTTP a function
 * that hangs or crashes is answered 503 in lockless's envelope, never 200; directly it is a FunctionError like
 * Lambda's; concurrent invocations keep their own identity, request id and deadline (counted from when each
 * starts); and a direct invocation's ClientContext never reaches a later request.
 */
import { join } from 'node:path';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { startOffline, type OfflineHandle } from '../../../scripts/local/offline';
import { freePort } from '../../../tools/servers/process';
import { httpClient, type HttpClient } from '../../support/httpClient';

const FIXTURE = join(__dirname, 'fixture');
/** fixture/serverless.yml's `timeout`. */
const TIMEOUT_MS = 3_000;

let offline: OfflineHandle;
let client: HttpClient;
let lambda: LambdaClient;

beforeAll(async () => {
  // One invocation of a function at a time, so that two requests to it must wait for each other.
  offline = await startOffline({
    httpPort: await freePort(),
    lambdaPort: await freePort(),
    cwd: FIXTURE,
    env: { LOCKLESS_OFFLINE_CONCURRENCY: '1' },
  });
  client = httpClient(offline.httpUrl, { maxSockets: 8, timeoutMs: 60_000 });
  lambda = new LambdaClient({
    endpoint: offline.lambdaEndpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});
afterAll(async () => {
  client?.close();
  lambda?.destroy();
  await offline?.stop();
});

async function invoke(fn: string, payload: unknown, clientContext?: unknown) {
  const out = await lambda.send(
    new InvokeCommand({
      FunctionName: `lockless-runtime-probe-dev-${fn}`,
      Payload: Buffer.from(JSON.stringify(payload)),
      ...(clientContext ? { ClientContext: Buffer.from(JSON.stringify(clientContext)).toString('base64') } : {}),
    }),
  );
  return { functionError: out.FunctionError, payload: JSON.parse(Buffer.from(out.Payload!).toString('utf8')) };
}

it('answers a function that overruns its timeout with 503 and an unknown outcome, not 200', async () => {
  const answer = await client.send('GET', '/hang', { headers: { 'accept-language': 'en' } });

  expect(answer.status).toBe(503);
  expect(answer.body).toEqual({
    code: 503,
    msg: 'Service temporarily unavailable, please retry',
    error: 'SERVICE_UNAVAILABLE',
    data: { outcome: 'unknown', requestId: expect.any(String) },
  });
  expect(answer.ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
});

it('answers a function that throws with 503, and none of its internal text', async () => {
  const answer = await client.send('GET', '/crash');

  expect(answer.status).toBe(503);
  expect(answer.body).toMatchObject({ code: 503, error: 'SERVICE_UNAVAILABLE', data: { outcome: 'unknown' } });
  expect(JSON.stringify(answer.body)).not.toContain('internal detail');
});

it('fails a direct invocation that overruns its timeout as Lambda does: a FunctionError', async () => {
  const { functionError, payload } = await invoke('hang', {});

  expect(functionError).toBe('Unhandled');
  expect(payload.errorMessage).toBe('Task timed out after 3.00 seconds');
});

it('gives concurrent invocations their own identity, request id and a deadline counted from their own start', async () => {
  const [alice, bob] = await Promise.all([
    client.send('GET', '/context', { sub: 'alice' }),
    client.send('GET', '/context', { sub: 'bob' }),
  ]);

  const seen = [alice, bob].map((a) => a.body);
  expect(seen.map((s) => s.sub)).toEqual(['alice', 'bob']);
  expect(seen[0].requestId).not.toBe(seen[1].requestId);
  // One ran after the other (one slot); the second still started with (almost) its whole timeout.
  const [first, second] = [...seen].sort((a, b) => a.startedAt - b.startedAt);
  expect(second.startedAt).toBeGreaterThanOrEqual(first.endedAt);
  expect(second.startedAt - first.startedAt).toBeGreaterThanOrEqual(900);
  for (const s of seen) expect(s.remainingAtStart).toBeGreaterThan(TIMEOUT_MS - 500);
});

it('hands a ClientContext only to the invocation it came with', async () => {
  const direct = await invoke('context', {}, { custom: { caller: 'carol' } });
  const http = await client.send('GET', '/context', { sub: 'alice' });

  expect(direct.payload.clientContext).toMatchObject({ custom: { caller: 'carol' } });
  expect(http.body).toMatchObject({ sub: 'alice', clientContext: null });
});
