/**
 * The DynamoDB DocumentClient lockless uses, with explicit timeouts.
 *
 * The SDK's defaults wait without a bound for a connection or an answer; inside a Lambda that turns a
 * stalled network into a function timeout with nothing logged. Bounded timeouts turn it into a TimeoutError,
 * which adapters/dynamodb/unavailable.ts retries when that is safe and otherwise answers as SERVICE_UNAVAILABLE.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface DynamoClientOptions {
  /** DynamoDB Local (or another emulator); omitted means the regional AWS endpoint. */
  endpoint?: string;
  /** Defaults to the environment (AWS_REGION in Lambda), or 'local' with an endpoint. */
  region?: string;
  /** Whole request and response, per attempt (default 2000 ms). */
  requestTimeoutMs?: number;
  /** TCP/TLS connection setup (default 1000 ms). */
  connectTimeoutMs?: number;
  /**
   * SDK attempts, including the first (default 1). lockless retries in adapters/dynamodb/unavailable.ts instead,
   * where it knows whether a request may have applied; the SDK would resend a timed-out conditional write.
   */
  maxAttempts?: number;
  /**
   * Sockets per client (default 128). A Lambda container serves one request at a time, but a process that
   * drives many requests at once (tests, the benchmark) would otherwise queue behind the SDK's 50 sockets, and
   * time spent queued counts against the connection timeout.
   */
  maxSockets?: number;
}

export const CLIENT_DEFAULTS = { requestTimeoutMs: 2_000, connectTimeoutMs: 1_000, maxAttempts: 1, maxSockets: 128 } as const;

/**
 * Builds the DocumentClient. Numbers stay JS numbers; undefined values are dropped and empty strings are kept
 * as they are (DynamoDB accepts them in non-key attributes), so what the port writes is what it reads back.
 * Creating the client sends nothing and throws nothing of ours.
 */
export function createDynamoDocumentClient(options: DynamoClientOptions = {}): DynamoDBDocumentClient {
  const local = options.endpoint !== undefined && options.endpoint !== '';
  const config: DynamoDBClientConfig = {
    maxAttempts: options.maxAttempts ?? CLIENT_DEFAULTS.maxAttempts,
    // Handler options rather than a NodeHttpHandler instance: the SDK builds its own NodeHttpHandler from
    // them, so we need no direct dependency on @smithy/node-http-handler (it is only a transitive one).
    requestHandler: {
      connectionTimeout: options.connectTimeoutMs ?? CLIENT_DEFAULTS.connectTimeoutMs,
      requestTimeout: options.requestTimeoutMs ?? CLIENT_DEFAULTS.requestTimeoutMs,
      // Without this the SDK only logs a warning when requestTimeout passes and keeps waiting.
      throwOnRequestTimeout: true,
      httpAgent: { keepAlive: true, maxSockets: options.maxSockets ?? CLIENT_DEFAULTS.maxSockets },
      httpsAgent: { keepAlive: true, maxSockets: options.maxSockets ?? CLIENT_DEFAULTS.maxSockets },
    },
  };
  if (options.region) config.region = options.region;
  if (local) {
    config.endpoint = options.endpoint;
    config.region = options.region ?? 'local';
    // DynamoDB Local ignores credentials but the SDK signs every request, so it needs some.
    config.credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  }
  return DynamoDBDocumentClient.from(new DynamoDBClient(config), {
    marshallOptions: { removeUndefinedValues: true, convertEmptyValues: false },
    unmarshallOptions: { wrapNumbers: false },
  });
}
