/**
 * The request as operations see it, whatever carried it. HTTP API (payload v2) events become an ApiRequest
 * here; identity comes only from claims the API Gateway JWT authorizer verified, never from the body.
 */
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { AppError } from '../errors';
import { negotiateLang, type Lang } from '../messages';

export interface ApiRequest {
  method: string;
  path: string;
  pathParams: Record<string, string | undefined>;
  /** Lower-cased header names. */
  headers: Record<string, string | undefined>;
  /** The raw body text (base64 already decoded), or undefined. */
  body?: string;
  /** The verified caller, when there is one. */
  sub?: string;
  requestId: string;
  lang: Lang;
  /** Epoch ms by which the answer must be on its way (the Lambda's deadline minus a margin). */
  deadline: number;
}

/** Time kept back from the Lambda deadline for writing the answer and the log line. */
export const DEADLINE_MARGIN_MS = 300;

export function deadlineFrom(context: Pick<Context, 'getRemainingTimeInMillis'> | undefined, now = Date.now()): number {
  const remaining = typeof context?.getRemainingTimeInMillis === 'function' ? context.getRemainingTimeInMillis() : 30_000;
  return now + Math.max(0, remaining - DEADLINE_MARGIN_MS);
}

type JwtEvent = APIGatewayProxyEventV2 & {
  requestContext: APIGatewayProxyEventV2['requestContext'] & {
    authorizer?: { jwt?: { claims?: Record<string, unknown> } };
  };
};

export function fromHttpEvent(event: JwtEvent, context?: Context): ApiRequest {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(event.headers ?? {})) headers[name.toLowerCase()] = value;
  const rawBody = event.body ?? undefined;
  const body = rawBody !== undefined && event.isBase64Encoded ? Buffer.from(rawBody, 'base64').toString('utf8') : rawBody;
  const sub = event.requestContext?.authorizer?.jwt?.claims?.sub;
  return {
    method: event.requestContext?.http?.method ?? 'GET',
    path: event.rawPath ?? event.requestContext?.http?.path ?? '',
    pathParams: event.pathParameters ?? {},
    headers,
    body: body === null ? undefined : body,
    sub: typeof sub === 'string' && sub.length > 0 ? sub : undefined,
    requestId: context?.awsRequestId || event.requestContext?.requestId || 'unknown',
    lang: negotiateLang(headers['accept-language']),
    deadline: deadlineFrom(context),
  };
}

/** The verified caller's id, or UNAUTHORIZED. */
export function requireUser(req: ApiRequest): string {
  if (!req.sub) throw new AppError('UNAUTHORIZED', 'no verified identity');
  return req.sub;
}
