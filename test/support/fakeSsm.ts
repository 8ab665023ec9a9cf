/**
 * A stand-in for SSM's GetParameter on a loopback port, for the tests of the request the real AWS SDK (through
 * Powertools' parameters utility) builds: it records every request and answers from a fixed map.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeSsm {
  endpoint: string;
  requests: Array<{ target: string; body: { Name?: string; WithDecryption?: boolean } }>;
  close(): Promise<void>;
}

export async function startFakeSsm(parameters: Record<string, string>): Promise<FakeSsm> {
  const requests: FakeSsm['requests'] = [];
  const server: Server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk) => (text += chunk));
    req.on('end', () => {
      const body = JSON.parse(text || '{}');
      requests.push({ target: String(req.headers['x-amz-target']), body });
      const value = parameters[body.Name];
      res.setHeader('content-type', 'application/x-amz-json-1.1');
      if (value === undefined) {
        res.statusCode = 400;
        res.end(JSON.stringify({ __type: 'ParameterNotFound', message: 'not found' }));
        return;
      }
      res.end(JSON.stringify({ Parameter: { Name: body.Name, Type: 'SecureString', Value: value, Version: 1 } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    // The SDK keeps its connections alive: end them, or close would wait for them and hold the worker open.
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
