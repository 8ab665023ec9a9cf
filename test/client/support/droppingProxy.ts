/**
 * An HTTP proxy that loses answers after the server has acted: it forwards a request, waits for the upstream
 * answer in full, and then, for the requests `drop` picks, destroys the client's socket instead of answering.
 * The client sees a reset connection, exactly as when a mobile network drops a reply; the server has done the
 * work. Only the proxy's own sockets are touched.
 */
import { Agent, createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface DroppingProxy {
  url: string;
  /** Answers destroyed after the upstream had answered. */
  dropped(): number;
  /** Requests forwarded upstream. */
  forwarded(): number;
  close(): Promise<void>;
}

export interface ProxyOptions {
  /** Decides, per forwarded request (after its upstream answer arrived), whether its answer is lost. */
  drop(method: string, path: string, status: number): boolean;
  /** Connections to the upstream at once (a burst of buyers queues here, not in the upstream). */
  maxSockets?: number;
}

const readAll = (stream: IncomingMessage) =>
  new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });

export async function startDroppingProxy(upstreamUrl: string, options: ProxyOptions): Promise<DroppingProxy> {
  const upstream = new URL(upstreamUrl);
  // Idle upstream sockets close before serverless-offline's keep-alive timeout (5 s) could close one under a request.
  const agent = new Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 64, timeout: 2_000 });
  const sockets = new Set<Socket>();
  let dropped = 0;
  let forwarded = 0;

  const server: Server = createServer(async (req, res) => {
    try {
      const body = await readAll(req);
      forwarded += 1;
      const answer = await new Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }>((resolve, reject) => {
        const out = request(
          {
            host: upstream.hostname,
            port: upstream.port,
            method: req.method,
            path: req.url,
            headers: { ...req.headers, host: upstream.host },
            agent,
          },
          (up) => readAll(up).then((b) => resolve({ status: up.statusCode ?? 502, headers: up.headers, body: b }), reject),
        );
        out.on('error', reject);
        out.end(body);
      });
      if (options.drop(req.method ?? 'GET', req.url ?? '/', answer.status)) {
        dropped += 1;
        req.socket.destroy();
        return;
      }
      const { connection: _c, 'keep-alive': _k, 'transfer-encoding': _t, ...headers } = answer.headers;
      res.writeHead(answer.status, { ...headers, 'content-length': String(answer.body.length) });
      res.end(answer.body);
    } catch {
      // The upstream failed: say so the way a gateway would.
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
      res.end('{"message":"Bad Gateway"}');
    }
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    dropped: () => dropped,
    forwarded: () => forwarded,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        agent.destroy();
        server.close(() => resolve());
      }),
  };
}
