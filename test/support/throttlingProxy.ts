/**
 * An HTTP proxy in front of DynamoDB Local that answers as real DynamoDB does when an item is hot: a
 * TransactWriteItems request is cancelled with the reason ThrottlingError (HTTP 400, TransactionCanceledException,
 * one reason per item, `None` for the others), and nothing is applied. DynamoDB Local never throttles.
 * Everything else, and every transaction it does not throttle, goes through to the real server unchanged.
 */
import { randomUUID } from 'node:crypto';
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

const TRANSACT = 'DynamoDB_20120810.TransactWriteItems';
// The message and reason AWS documents for TransactWriteItems cancelled by throttling.
const THROTTLING_REASON = {
  Code: 'ThrottlingError',
  Message:
    'Throughput exceeds the current capacity of your table or index. DynamoDB is automatically scaling your table or index so please try again shortly.',
};

export interface ThrottlingProxy {
  port: number;
  endpoint: string;
  /** Throttle the next `count` transactions (Infinity: all of them until told otherwise). */
  throttleNext(count: number): void;
  /** Throttle each transaction with this probability, from a seeded sequence (0 turns it off). */
  throttleRandomly(probability: number, seed?: number): void;
  /** Transactions seen so far: how many were throttled, how many went through. */
  counts(): { throttled: number; passed: number };
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** A small deterministic generator (mulberry32), so a throttled run can be repeated. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function startThrottlingProxy(upstream: string): Promise<ThrottlingProxy> {
  const target = new URL(upstream);
  let next = 0;
  let probability = 0;
  let random = seeded(1);
  const counts = { throttled: 0, passed: 0 };

  function throttled(res: ServerResponse, body: Buffer): void {
    let items = 1;
    try {
      items = Math.max(1, (JSON.parse(body.toString('utf8')) as { TransactItems?: unknown[] }).TransactItems?.length ?? 1);
    } catch {
      // not JSON: DynamoDB would refuse it anyway; one reason is enough for the shape
    }
    // The first item is the hot one here; real DynamoDB names whichever item was throttled.
    const reasons = Array.from({ length: items }, (_, i) => (i === 0 ? THROTTLING_REASON : { Code: 'None' }));
    const payload = JSON.stringify({
      __type: 'com.amazonaws.dynamodb.v20120810#TransactionCanceledException',
      Message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(', ')}]`,
      CancellationReasons: reasons,
    });
    res.writeHead(400, {
      'content-type': 'application/x-amz-json-1.0',
      'content-length': Buffer.byteLength(payload),
      'x-amzn-requestid': randomUUID().replace(/-/g, '').toUpperCase(),
    });
    res.end(payload);
  }

  const server = createServer(async (req, res) => {
    try {
      const body = await readBody(req);
      if (req.headers['x-amz-target'] === TRANSACT) {
        const throttle = next > 0 || (probability > 0 && random() < probability);
        if (throttle) {
          if (next > 0) next -= 1;
          counts.throttled += 1;
          throttled(res, body);
          return;
        }
        counts.passed += 1;
      }
      const forward = request(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      forward.on('error', () => res.destroy());
      forward.end(body);
    } catch {
      res.destroy();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    endpoint: `http://127.0.0.1:${port}`,
    throttleNext(count) {
      next = count;
    },
    throttleRandomly(p, seed = 1) {
      probability = p;
      random = seeded(seed);
    },
    counts: () => ({ ...counts }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
