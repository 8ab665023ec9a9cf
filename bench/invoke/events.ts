/**
 * API Gateway HTTP API (payload 2.0) events and Lambda contexts, shaped as AWS delivers them (the same shape
 * as test/support/events.ts), with the route template as routeKey and the verified `sub` where the JWT
 * authorizer puts it.
 */
import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';

/** The deployed function timeout (serverless.yml): what getRemainingTimeInMillis starts from. */
export const LAMBDA_TIMEOUT_MS = 10_000;

export interface HttpCall {
  method: 'GET' | 'POST';
  /** The route template, e.g. `POST /products/{id}/purchase`. */
  route: string;
  /** The path as sent. */
  path: string;
  pathParameters?: Record<string, string>;
  body?: unknown;
  headers?: Record<string, string>;
  /** The verified caller; omitted on public routes. */
  sub?: string;
}

export function httpEvent(call: HttpCall) {
  const now = Date.now();
  return {
    version: '2.0',
    routeKey: call.route,
    rawPath: call.path,
    rawQueryString: '',
    headers: {
      ...(call.body === undefined ? {} : { 'content-type': 'application/json' }),
      'user-agent': 'lockless-bench',
      ...(call.headers ?? {}),
    },
    requestContext: {
      accountId: '123456789012',
      apiId: 'bench',
      domainName: 'bench.local',
      domainPrefix: 'bench',
      requestId: randomUUID(),
      routeKey: call.route,
      stage: '$default',
      time: new Date(now).toISOString(),
      timeEpoch: now,
      http: { method: call.method, path: call.path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'lockless-bench' },
      ...(call.sub ? { authorizer: { jwt: { claims: { sub: call.sub }, scopes: [] } } } : {}),
    },
    ...(call.pathParameters ? { pathParameters: call.pathParameters } : {}),
    ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
    isBase64Encoded: false,
  };
}

export function lambdaContext(functionName: string, remainingMs = LAMBDA_TIMEOUT_MS): Context {
  const deadline = Date.now() + remainingMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'bench',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}
