/**
 * The fetch, wx.request and uni.request transports over real HTTP to a local server that plays lockless and its
 * gateway: it loses the first answer of a purchase after "acting" on it, holds a request past the try's
 * timeout, answers a gateway 401 and an HTML 502. wx and uni are the stand-ins of support/fakeMiniProgram.ts.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient, fetchTransport, uniTransport, wxTransport, type Transport } from '../../client/src';
import { ORDER } from './support/order';
import { fakeMiniProgram, type FakeMiniProgram } from './support/fakeMiniProgram';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

let server: Server;
let baseUrl: string;
const seen: Seen[] = [];
/** Purchases the server carried out, per idempotency key. */
const acted = new Map<string, number>();
let slowCalls = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      const key = String(req.headers['idempotency-key']);
      if (req.url === '/products/p1/purchase') {
        const first = !acted.has(key);
        if (first) acted.set(key, 1);
        // The first answer for a key is lost after the purchase was made; the retry gets the stored answer.
        if (first) return req.socket.destroy();
        return json(
          res,
          200,
          { code: 200, msg: 'Purchase completed', data: { order: ORDER, stock: 9, attempts: 1, strategy: 'transaction' } },
          { 'Idempotent-Replayed': 'true' },
        );
      }
      if (req.url === '/carts/c1') return json(res, 401, { message: 'Unauthorized' });
      if (req.url === '/products/slow') {
        slowCalls += 1;
        if (slowCalls % 2 === 1) return; // held: the client's try times out
        return json(res, 200, { code: 200, msg: 'OK', data: { id: 'slow', name: 'x', price: 1, stock: 1, version: 1 } });
      }
      res.writeHead(502, { 'Content-Type': 'text/html' });
      res.end('<html><body>Bad Gateway</body></html>');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const transports: Array<[string, () => { transport: Transport; api?: FakeMiniProgram }]> = [
  ['fetch', () => ({ transport: fetchTransport() })],
  [
    'wx.request',
    () => {
      const api = fakeMiniProgram();
      return { transport: wxTransport(api), api };
    },
  ],
  [
    'uni.request',
    () => {
      const api = fakeMiniProgram();
      return { transport: uniTransport(api), api };
    },
  ],
];

describe.each(transports)('the %s transport over HTTP', (_, make) => {
  const client = (lang: 'zh' | 'en' = 'en') => {
    const { transport, api } = make();
    return {
      api,
      client: createClient({
        baseUrl,
        transport,
        lang,
        getToken: () => 'jwt-1',
        retry: { tryTimeoutMs: 500, baseMs: 10, capMs: 20, deadlineMs: 10_000 },
      }),
    };
  };

  it('sends the request, loses the first answer, and asks again with the same key: one purchase', async () => {
    const { client: c, api } = client();
    const from = seen.length;
    const result = await c.purchase('p1', { quantity: 1 });

    expect(result).toMatchObject({ ok: true, code: 200, tries: 2, replayed: true, data: { order: { orderNo: 'O1' } } });
    const tries = seen.slice(from);
    expect(tries).toHaveLength(2);
    for (const t of tries) {
      expect(t).toMatchObject({ method: 'POST', url: '/products/p1/purchase', body: '{"quantity":1}' });
      expect(t.headers).toMatchObject({
        'accept-language': 'en',
        authorization: 'Bearer jwt-1',
        'content-type': 'application/json',
        'idempotency-key': result.idempotencyKey,
      });
    }
    expect(acted.get(result.idempotencyKey!)).toBe(1);
    if (api)
      expect(api.calls.map((o) => [o.method, o.dataType, o.timeout])).toEqual([
        ['POST', 'text', 500],
        ['POST', 'text', 500],
      ]);
  });

  it("gives the gateway's 401 the envelope's shape", async () => {
    expect(await client('zh').client.getCart('c1')).toEqual({ ok: false, code: 401, msg: '请先登录', error: 'UNAUTHORIZED', tries: 1 });
  });

  it('gives up on a try that outlasts its timeout and asks again', async () => {
    expect(await client().client.getProduct('slow')).toMatchObject({ ok: true, tries: 2, data: { id: 'slow' } });
  });

  it("reads a gateway's HTML error page as INTERNAL, without retrying it", async () => {
    const from = seen.length;
    expect(await client().client.getProduct('other')).toMatchObject({ ok: false, code: 502, error: 'INTERNAL', tries: 1 });
    expect(seen.length - from).toBe(1);
  });
});
