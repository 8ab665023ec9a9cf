/**
 * The demo storefront's static server (docs/demo.md): serves demo/ and the client SDK bundle
 * (client/dist/index.mjs), tells the page where the API is, and mints local development tokens for its virtual
 * buyers. Local only: it binds loopback and is started by `npm start` (and the browser test), never deployed;
 * the tokens are the ones serverless-offline accepts (scripts/local/token.ts) and API Gateway would refuse.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { devToken } from './token';

const ROOT = join(__dirname, '..', '..');
export const DEMO_PORT = 3100;
/** The product the page opens unless its URL names one (?product=): the seeded 商品A (demoData.ts). */
export const DEMO_PRODUCT_ID = '1';
/** One sale mints at most this many tokens in one request. */
export const MAX_TOKENS = 1000;
const MAX_BODY_BYTES = 128 * 1024;
const SUB = /^[A-Za-z0-9._-]{1,128}$/;
/** Bound to loopback only, whatever HOST says: minting tokens must not be reachable from the network. */
const LOOPBACK = '127.0.0.1';

const FILES: Record<string, { file: string; type: string }> = {
  '/': { file: join(ROOT, 'demo', 'index.html'), type: 'text/html; charset=utf-8' },
  '/app.js': { file: join(ROOT, 'demo', 'app.js'), type: 'text/javascript; charset=utf-8' },
  '/sdk/index.mjs': { file: join(ROOT, 'client', 'dist', 'index.mjs'), type: 'text/javascript; charset=utf-8' },
};

export interface DemoServer {
  /** The page's address, e.g. http://127.0.0.1:3100. */
  url: string;
  close(): Promise<void>;
}

export interface DemoServerOptions {
  /** 0 picks a free port. */
  port: number;
  /** Where the page sends its API calls (serverless-offline's HTTP address). */
  apiUrl: string;
  productId?: string;
}

/** LOCKLESS_DEMO_PORT, or 3100. Throws on anything but a port number. */
export function demoPort(env: Record<string, string | undefined> = process.env): number {
  const raw = env.LOCKLESS_DEMO_PORT;
  if (raw === undefined || raw === '') return DEMO_PORT;
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port < 1 || port > 65_535)
    throw new Error(`LOCKLESS_DEMO_PORT must be a port number, not ${JSON.stringify(raw)}`);
  return port;
}

/** The origins a browser sends from the demo page: what `npm start` allows by CORS unless told otherwise. */
export function demoOrigins(port: number): string[] {
  return [`http://localhost:${port}`, `http://127.0.0.1:${port}`];
}

/** Builds client/dist/index.mjs (client/build.mjs), which the page imports. */
export async function buildClientBundle(): Promise<void> {
  await promisify(execFile)(process.execPath, [join(ROOT, 'client', 'build.mjs'), '--no-types'], { cwd: ROOT });
}

/** Parses POST /tokens' body: `{ "subs": ["buyer-1", ...] }`, 1 to MAX_TOKENS ids of [A-Za-z0-9._-]{1,128}. */
export function parseTokenRequest(body: string): string[] | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  const subs = (parsed as { subs?: unknown } | null)?.subs;
  if (!Array.isArray(subs) || subs.length < 1 || subs.length > MAX_TOKENS) return undefined;
  return subs.every((s) => typeof s === 'string' && SUB.test(s)) ? (subs as string[]) : undefined;
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' }).end(body);
}
const sendJson = (res: ServerResponse, status: number, value: unknown) =>
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(value));

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  config: { apiUrl: string; productId: string },
  csp: string,
): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://demo').pathname;
  if (req.method === 'GET' && path === '/config.json') return sendJson(res, 200, config);
  if (path === '/tokens') {
    // A JSON body makes a cross-site form or fetch preflight, which this server never allows: only the page mints.
    if (req.method !== 'POST' || !String(req.headers['content-type']).startsWith('application/json'))
      return sendJson(res, 405, { error: 'POST application/json only' });
    const body = await readBody(req);
    const subs = body === undefined ? undefined : parseTokenRequest(body);
    if (!subs) return sendJson(res, 400, { error: `expected {"subs": [1..${MAX_TOKENS} ids of A-Z a-z 0-9 . _ -]}` });
    return sendJson(res, 200, { tokens: subs.map((sub) => devToken(sub)) });
  }
  const entry = FILES[path === '/index.html' ? '/' : path];
  if (req.method !== 'GET' || !entry) return sendJson(res, 404, { error: 'not found' });
  const content = await readFile(entry.file).catch(() => undefined);
  if (!content) return send(res, 500, 'text/plain; charset=utf-8', `${entry.file} is missing (npm run build:client builds the SDK)`);
  res.setHeader('content-security-policy', csp);
  return send(res, 200, entry.type, content);
}

/** Starts the demo server on loopback. The page's scripts may connect to itself and to the API only (CSP). */
export async function startDemoServer(options: DemoServerOptions): Promise<DemoServer> {
  const config = { apiUrl: options.apiUrl.replace(/\/+$/, ''), productId: options.productId ?? DEMO_PRODUCT_ID };
  const csp = `default-src 'self'; connect-src 'self' ${new URL(config.apiUrl).origin}; style-src 'self' 'unsafe-inline'; img-src 'self' data:`;
  const server = createServer((req, res) => {
    handle(req, res, config, csp).catch(() => {
      if (!res.headersSent) sendJson(res, 500, { error: 'demo server error' });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, LOOPBACK, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${LOOPBACK}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
