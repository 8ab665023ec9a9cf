/**
 * A TCP proxy in front of a database that forwards every request but can swallow the answers: the request is
 * processed and its result is lost on the way back, exactly as when a network drops a reply or a function
 * times out waiting. Only our own sockets are touched.
 */
import { createServer, connect, type Socket } from 'node:net';

export interface LossyProxy {
  port: number;
  /** While true, bytes from the database to the client are dropped. */
  dropAnswers(on: boolean): void;
  close(): Promise<void>;
}

export function startLossyProxy(upstreamPort: number, upstreamHost = '127.0.0.1'): Promise<LossyProxy> {
  let drop = false;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(upstreamPort, upstreamHost);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.on('data', (chunk) => upstream.write(chunk));
    upstream.on('data', (chunk) => {
      if (!drop) client.write(chunk);
    });
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  return new Promise((resolve, reject) => {
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (!address || typeof address !== 'object') return reject(new Error('proxy has no port'));
      resolve({
        port: address.port,
        dropAnswers: (on) => {
          drop = on;
        },
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
