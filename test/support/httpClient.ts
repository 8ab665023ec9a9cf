/**
 * A small HTTP client for the bursts through serverless-offline: one keep-alive agent with a bounded number of
 * sockets (a burst of 500 buyers opens at most `maxSockets` connections; the rest wait for a free one, in
 * order), JSON in and out, a development JWT per caller, and the latency each caller saw, socket wait included.
 * A request that gets no answer within `timeoutMs` is reported as timed out, never thrown.
 */
import { Agent, request } from 'node:http';
import { devToken } from '../../scripts/local/token';

export interface HttpAnswer {
  /** 0 when there was no answer (timed out or the connection failed). */
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The parsed JSON body, or the raw text when it is not JSON. */
  body: any;
  ms: number;
  timedOut: boolean;
  /** A connection error, when there was one. */
  error?: string;
}

export interface SendOptions {
  /** The caller: a development JWT with this `sub` goes in the Authorization header. */
  sub?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface HttpClient {
  send(method: string, path: string, options?: SendOptions): Promise<HttpAnswer>;
  close(): void;
}

/**
 * An idle connection is closed after this long, before the server's keep-alive timeout (Node's default is 5 s)
 * can close it under a request just written to it (which the client would see as a reset).
 */
const IDLE_SOCKET_MS = 2_000;

export function httpClient(baseUrl: string, { maxSockets = 64, timeoutMs = 120_000 } = {}): HttpClient {
  // `timeout` closes a socket only while it is idle in the agent's free list; a request in flight is bounded by timeoutMs.
  const agent = new Agent({ keepAlive: true, maxSockets, timeout: IDLE_SOCKET_MS });
  const url = new URL(baseUrl);
  const tokens = new Map<string, string>();
  const tokenOf = (sub: string) => tokens.get(sub) ?? tokens.set(sub, devToken(sub)).get(sub)!;

  function send(method: string, path: string, options: SendOptions = {}): Promise<HttpAnswer> {
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
    const headers: Record<string, string> = {
      ...(payload !== undefined ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) } : {}),
      ...(options.sub ? { authorization: `Bearer ${tokenOf(options.sub)}` } : {}),
      ...options.headers,
    };
    const started = performance.now();
    return new Promise((resolve) => {
      let settled = false;
      const finish = (answer: Omit<HttpAnswer, 'ms'>) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({ ...answer, ms: performance.now() - started });
      };
      const req = request({ host: url.hostname, port: url.port, method, path, headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try {
            body = JSON.parse(text);
          } catch {
            // not JSON: keep the text
          }
          finish({ status: res.statusCode ?? 0, headers: res.headers, body, timedOut: false });
        });
        res.on('error', (err) => finish({ status: 0, headers: {}, body: undefined, timedOut: false, error: err.message }));
      });
      const timer = setTimeout(() => {
        finish({ status: 0, headers: {}, body: undefined, timedOut: true });
        req.destroy();
      }, timeoutMs);
      req.on('error', (err) => finish({ status: 0, headers: {}, body: undefined, timedOut: false, error: err.message }));
      req.end(payload);
    });
  }

  return { send, close: () => agent.destroy() };
}

/** The q-quantile (0..1) of some latencies, nearest rank; 0 for none. */
export function quantile(values: number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}
