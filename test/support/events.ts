/** API Gateway HTTP API (payload 2.0) events and Lambda contexts, as AWS delivers them to a handler. */
import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { signCallerAssertion } from '../../shared/edge/directIdentity';

export interface EventInput {
  method: string;
  path: string;
  pathParameters?: Record<string, string>;
  /** An object is sent as JSON; a string is sent as is. */
  body?: unknown;
  headers?: Record<string, string>;
  /** The verified `sub` claim; omit for an anonymous request. */
  sub?: string;
  /** More verified claims (e.g. `{ 'cognito:groups': '[lockless-admin]' }`, see adminClaims); only with `sub`. */
  claims?: Record<string, unknown>;
  /** Query parameters, as API Gateway passes them (queryStringParameters and rawQueryString). */
  query?: Record<string, string>;
  /** The route template API Gateway matched (e.g. `POST /products/{id}/purchase`); defaults to method and path. */
  route?: string;
}

export function httpEvent(input: EventInput) {
  const body = input.body === undefined ? undefined : typeof input.body === 'string' ? input.body : JSON.stringify(input.body);
  const routeKey = input.route ?? `${input.method} ${input.path}`;
  const userAgent = input.headers?.['user-agent'] ?? 'jest';
  return {
    version: '2.0',
    routeKey,
    rawPath: input.path,
    rawQueryString: input.query ? new URLSearchParams(input.query).toString() : '',
    ...(input.query ? { queryStringParameters: input.query } : {}),
    headers: { 'content-type': 'application/json', ...(input.headers ?? {}) },
    requestContext: {
      accountId: '123456789012',
      apiId: 'test',
      domainName: 'test.local',
      domainPrefix: 'test',
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: new Date().toISOString(),
      timeEpoch: Date.now(),
      http: { method: input.method, path: input.path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent },
      ...(input.sub ? { authorizer: { jwt: { claims: { ...input.claims, sub: input.sub }, scopes: [] } } } : {}),
    },
    pathParameters: input.pathParameters,
    body,
    isBase64Encoded: false,
  };
}

export function lambdaContext(remainingMs = 10_000, extra: Partial<Context> = {}): Context {
  const deadline = Date.now() + remainingMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'test',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:test',
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: 'test',
    logStreamName: 'test',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => {},
    fail: () => {},
    succeed: () => {},
    ...extra,
  } as Context;
}

/** The identity pool the test functions are configured with (LOCKLESS_COGNITO_IDENTITY_POOL_ID). */
export const TEST_IDENTITY_POOL = 'us-east-1:lockless-test-pool';

/** The claims of an admin's JWT as API Gateway's HTTP API hands them over (array claims flattened to `[a b]`). */
export const adminClaims = { 'cognito:groups': '[staff lockless-admin]' };

/** A context as Lambda builds it for an Invoke made with Cognito identity-pool credentials. */
export function cognitoContext(cognitoIdentityId: string, remainingMs?: number, poolId = TEST_IDENTITY_POOL): Context {
  return lambdaContext(remainingMs, { identity: { cognitoIdentityId, cognitoIdentityPoolId: poolId } });
}

/** The owner id lockless gives a Cognito identity. */
export const cognitoOwner = (cognitoIdentityId: string) => `cognito:${cognitoIdentityId}`;

interface PendingAssertion {
  secret: string;
  sub: string;
  admin?: boolean;
  now?: number;
  stage: string;
  functionName?: string;
}
const pendingAssertions = new WeakMap<Context, PendingAssertion>();

/**
 * A context for a trusted caller naming `sub`. The assertion is bound to the payload, so it is signed when
 * the payload is known: `invoke` (or `signedFor`) completes it, for the context's function name unless
 * `functionName` says otherwise.
 */
export function trustedCallerContext(
  secret: string,
  sub: string,
  options: { now?: number; stage?: string; functionName?: string; admin?: boolean } = {},
): Context {
  const context = lambdaContext();
  pendingAssertions.set(context, {
    secret,
    sub,
    stage: options.stage ?? 'dev',
    now: options.now,
    functionName: options.functionName,
    admin: options.admin,
  });
  return context;
}

/** The context with its trusted caller's assertion signed for `payload` (other contexts are returned as they are). */
export function signedFor(context: Context, payload: unknown): Context {
  const pending = pendingAssertions.get(context);
  if (!pending) return context;
  const target = { functionName: pending.functionName ?? context.functionName, stage: pending.stage, payload };
  return {
    ...context,
    clientContext: {
      custom: { lockless: signCallerAssertion(pending.secret, pending.sub, target, pending.now, { admin: pending.admin }) },
    } as never,
  };
}

/** A context whose Invoke carried `lockless` as its client context's custom field: where a trusted server's assertion arrives. */
export function assertionContext(lockless: unknown, remainingMs?: number): Context {
  return lambdaContext(remainingMs, { clientContext: { custom: { lockless } } as never });
}

/** Invokes a handler directly (cloud-function style) with a plain payload; returns the envelope. */
export async function invoke(
  handler: (event: unknown, context: Context) => Promise<unknown>,
  payload: unknown,
  context: Context = lambdaContext(),
): Promise<{ code: number; msg: string; data?: any; error?: string }> {
  return (await handler(payload, signedFor(context, payload))) as { code: number; msg: string; data?: any; error?: string };
}

export interface Answer {
  statusCode: number;
  headers: Record<string, string>;
  body: { code: number; msg: string; data?: any; error?: string };
}

/** Invokes a handler and parses its envelope. */
export async function call(
  handler: (event: unknown, context: Context) => Promise<unknown>,
  input: EventInput,
  remainingMs?: number,
): Promise<Answer> {
  const raw = (await handler(httpEvent(input), lambdaContext(remainingMs))) as {
    statusCode: number;
    headers: Record<string, string>;
    body: string;
  };
  return { statusCode: raw.statusCode, headers: raw.headers, body: JSON.parse(raw.body) };
}
