/**
 * The demo page's server (scripts/local/demoServer.ts) without the API behind it: what it serves, the tokens it
 * mints for the virtual buyers and the requests it refuses. The page itself, in a browser: test/demo.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { demoOrigins, demoPort, parseTokenRequest, startDemoServer, type DemoServer } from '../../scripts/local/demoServer';
import { JWT_AUDIENCE, JWT_ISSUER_URL } from '../../scripts/local/config';

const claims = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8'));

describe('the demo server', () => {
  let demo: DemoServer;
  beforeAll(async () => {
    demo = await startDemoServer({ port: 0, apiUrl: 'http://localhost:3999/' });
  });
  afterAll(() => demo?.close());

  it('listens on loopback only', () => {
    expect(demo.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('tells the page where the API is and which product to show', async () => {
    const res = await fetch(`${demo.url}/config.json`);
    expect(await res.json()).toEqual({ apiUrl: 'http://localhost:3999', productId: '1' });
  });

  it('serves the page with a policy that lets it connect to itself and the API only', async () => {
    const res = await fetch(`${demo.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-security-policy')).toContain("connect-src 'self' http://localhost:3999;");
    expect(await res.text()).toContain('<script type="module" src="/app.js">');
    expect((await fetch(`${demo.url}/app.js`)).headers.get('content-type')).toMatch(/^text\/javascript/);
  });

  it('serves the SDK bundle when it is built, and says how to build it when it is not', async () => {
    const res = await fetch(`${demo.url}/sdk/index.mjs`);
    if (existsSync(join(__dirname, '..', '..', 'client', 'dist', 'index.mjs'))) expect(res.status).toBe(200);
    else expect([res.status, await res.text()]).toEqual([500, expect.stringContaining('npm run build:client')]);
  });

  it('serves nothing else', async () => {
    for (const path of ['/../package.json', '/demo/app.js', '/scripts/local/token.ts', '/%2e%2e/package.json']) {
      expect({ path, status: (await fetch(`${demo.url}${path}`)).status }).toEqual({ path, status: 404 });
    }
  });

  it('mints one local development token per buyer', async () => {
    const res = await fetch(`${demo.url}/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ subs: ['buyer-1', 'buyer.2'] }),
    });
    const { tokens } = (await res.json()) as { tokens: string[] };
    expect(tokens.map(claims)).toEqual([
      expect.objectContaining({ sub: 'buyer-1', iss: JWT_ISSUER_URL, aud: JWT_AUDIENCE }),
      expect.objectContaining({ sub: 'buyer.2', iss: JWT_ISSUER_URL, aud: JWT_AUDIENCE }),
    ]);
  });

  it('refuses a token request that is not a JSON POST of valid ids', async () => {
    const post = (body: string, type = 'application/json') =>
      fetch(`${demo.url}/tokens`, { method: 'POST', headers: { 'content-type': type }, body });
    expect((await fetch(`${demo.url}/tokens`)).status).toBe(405);
    expect((await post('subs=a', 'application/x-www-form-urlencoded')).status).toBe(405);
    for (const body of ['{', '{}', '{"subs":[]}', '{"subs":["a b"]}', '{"subs":[1]}', JSON.stringify({ subs: Array(1001).fill('a') })]) {
      expect({ body: body.slice(0, 30), status: (await post(body)).status }).toEqual({ body: body.slice(0, 30), status: 400 });
    }
  });
});

describe('the demo settings', () => {
  it('takes the port from LOCKLESS_DEMO_PORT, 3100 by default, and refuses anything else', () => {
    expect(demoPort({})).toBe(3100);
    expect(demoPort({ LOCKLESS_DEMO_PORT: '4100' })).toBe(4100);
    for (const bad of ['0', '70000', '31a', '-1', ' 3100'])
      expect(() => demoPort({ LOCKLESS_DEMO_PORT: bad })).toThrow(/LOCKLESS_DEMO_PORT/);
  });

  it('allows the page by both of its loopback names', () => {
    expect(demoOrigins(3100)).toEqual(['http://localhost:3100', 'http://127.0.0.1:3100']);
  });

  it('parses token requests', () => {
    expect(parseTokenRequest('{"subs":["a","b-1"]}')).toEqual(['a', 'b-1']);
    expect(parseTokenRequest('null')).toBeUndefined();
    expect(parseTokenRequest(JSON.stringify({ subs: ['x'.repeat(129)] }))).toBeUndefined();
  });
});
