/**
 * The request as operations see it, whatever carried it. HTTP API (payload v2) events become an ApiRequest
 * here; identity comes only from claims the API Gateway JWT authorizer verified, never from the body.
 *
 * Reading an event never trusts its shape: a value of the wrong type is INVALID_REQUEST, not a crash. What the
 * event says about the request itself (an undeclared query parameter, a body on a GET, a body that is not valid base64 or
 * UTF-8, oversized or ambiguous headers) is collected in `issues` and refused by `refuseInvalidInput`, which
 * the wrapper calls after the identity check so that an anonymous caller is told 401 first.
 */
import type { Context } from 'aws-lambda';
import * as z from 'zod/mini';
import { AppError } from '../errors';
import { negotiateLang, type Lang } from '../messages';
import { MAX_INPUT_BYTES, parseWith, type FieldIssue } from '../validation';

export interface ApiRequest {
  method: string;
  path: string;
  pathParams: Record<string, string | undefined>;
  /** Lower-cased header names (a prototype-less object: a header named `__proto__` is just a header). */
  headers: Record<string, string | undefined>;
  /** The query parameters the route declared (FunctionSpec.query), when sent; any other one is an issue. */
  query: Record<string, string | undefined>;
  /** The raw body text (base64 already decoded, strictly), or undefined. */
  body?: string;
  /** The verified caller, when there is one. */
  sub?: string;
  /** The claims the gateway's JWT authorizer verified (a prototype-less copy), or undefined. */
  claims?: Readonly<Record<string, unknown>>;
  requestId: string;
  lang: Lang;
  /** Epoch ms by which the answer must be on its way (the Lambda's deadline minus a margin). */
  deadline: number;
  /** What is wrong with the request whatever the route: refused by refuseInvalidInput. */
  issues: FieldIssue[];
}

/** Time kept back from the Lambda deadline for writing the answer and the log line. */
export const DEADLINE_MARGIN_MS = 300;

/** All header names and values together. API Gateway's own limit is lower; this holds for any other caller. */
export const MAX_HEADER_BYTES = 16 * 1024;

/** No route reads a body on these methods; one that arrives anyway is refused, not ignored. */
const BODYLESS_METHODS = new Set(['GET', 'HEAD', 'DELETE', 'OPTIONS']);

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
/** A UTF-16 surrogate without its partner: text that no UTF-8 body can have produced. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function deadlineFrom(context: Pick<Context, 'getRemainingTimeInMillis'> | undefined, now = Date.now()): number {
  const remaining = typeof context?.getRemainingTimeInMillis === 'function' ? context.getRemainingTimeInMillis() : 30_000;
  return now + Math.max(0, remaining - DEADLINE_MARGIN_MS);
}

const StringMap = z.record(z.string(), z.optional(z.string()));

/** The parts of an HTTP API v2 event lockless reads, with their types; other fields are ignored. */
const HttpEvent = z.object({
  rawPath: z.optional(z.string()),
  rawQueryString: z.optional(z.string()),
  headers: z.nullish(StringMap),
  queryStringParameters: z.nullish(StringMap),
  pathParameters: z.nullish(StringMap),
  body: z.nullish(z.string()),
  isBase64Encoded: z.optional(z.boolean()),
  requestContext: z.object({
    requestId: z.optional(z.string()),
    http: z.object({ method: z.optional(z.string()), path: z.optional(z.string()) }),
    authorizer: z.nullish(z.object({ jwt: z.nullish(z.object({ claims: z.nullish(z.record(z.string(), z.unknown())) })) })),
  }),
});

/** A copy without a prototype, so that no key (`__proto__`, `constructor`) means anything but itself. */
function plainMap(source: Record<string, string | undefined> | null | undefined): Record<string, string | undefined> {
  const map: Record<string, string | undefined> = Object.create(null);
  for (const [name, value] of Object.entries(source ?? {})) if (value !== undefined) map[name] = value;
  return map;
}

function readHeaders(raw: Record<string, string | undefined> | null | undefined, issues: FieldIssue[]) {
  const headers: Record<string, string | undefined> = Object.create(null);
  let bytes = 0;
  for (const [name, value] of Object.entries(raw ?? {})) {
    if (value === undefined) continue;
    bytes += Buffer.byteLength(name) + Buffer.byteLength(value);
    const key = name.toLowerCase();
    // API Gateway lower-cases names and joins repeats with commas; two spellings of one name with different
    // values (Content-Type and content-type) are ambiguous, so which one wins must not be a guess.
    if (headers[key] !== undefined && headers[key] !== value) issues.push({ field: `headers.${key}`, message: 'must not be sent twice' });
    headers[key] = value;
  }
  if (bytes > MAX_HEADER_BYTES) issues.push({ field: 'headers', message: `must be at most ${MAX_HEADER_BYTES} bytes in all` });
  return headers;
}

/** The body as text: base64 decoded strictly (no skipped characters), UTF-8 decoded strictly (no U+FFFD). */
function readBody(
  raw: string | null | undefined,
  base64: boolean,
  method: string,
  issues: FieldIssue[],
  maxBytes = MAX_INPUT_BYTES,
): string | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  if (BODYLESS_METHODS.has(method)) {
    issues.push({ field: 'body', message: `a ${method} request takes no body` });
    return undefined;
  }
  const limit = base64 ? Math.ceil(maxBytes / 3) * 4 : maxBytes * 3;
  if (raw.length > limit) {
    issues.push({ field: 'body', message: `body must be at most ${maxBytes} bytes` });
    return undefined;
  }
  if (!base64) {
    if (!LONE_SURROGATE.test(raw)) return raw;
    issues.push({ field: 'body', message: 'body is not valid UTF-8' });
    return undefined;
  }
  if (!BASE64.test(raw)) {
    issues.push({ field: 'body', message: 'body is not valid base64' });
    return undefined;
  }
  try {
    // ignoreBOM keeps a byte order mark in the text, where JSON.parse refuses it, as it does in a plain body.
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(Buffer.from(raw, 'base64'));
  } catch {
    issues.push({ field: 'body', message: 'body is not valid UTF-8' });
    return undefined;
  }
}

/**
 * The declared query parameters; every other one is an issue (a parameter a route does not read is refused,
 * not ignored, like an unknown body field). API Gateway joins a repeated parameter's values with commas.
 */
function readQuery(
  rawQuery: string | undefined,
  params: Record<string, string | undefined>,
  declared: readonly string[],
  issues: FieldIssue[],
): Record<string, string | undefined> {
  const query: Record<string, string | undefined> = Object.create(null);
  const names = Object.keys(params);
  const unknown = names.filter((name) => !declared.includes(name));
  for (const name of unknown.slice(0, 10)) issues.push({ field: `query.${name}`, message: 'unknown query parameter' });
  for (const name of names) if (declared.includes(name)) query[name] = params[name];
  if (names.length === 0 && rawQuery) {
    issues.push({ field: 'query', message: declared.length === 0 ? 'no query parameters are accepted' : 'is not a query string' });
  }
  return query;
}

/**
 * Reads an HTTP API v2 event. Throws INVALID_REQUEST only for an event API Gateway never sends (a header that
 * is not a string...); everything else wrong with the request is left in `issues` for refuseInvalidInput.
 * `maxBodyBytes` is the route's body limit (MAX_INPUT_BYTES unless the function says otherwise).
 */
export function fromHttpEvent(
  event: unknown,
  context?: Context,
  options: { query?: readonly string[]; maxBodyBytes?: number } = {},
): ApiRequest {
  const e = parseWith(HttpEvent, event, 'event');
  const issues: FieldIssue[] = [];
  const method = (e.requestContext.http.method ?? 'GET').toUpperCase();
  const headers = readHeaders(e.headers, issues);
  const query = readQuery(e.rawQueryString, plainMap(e.queryStringParameters), options.query ?? [], issues);
  const body = readBody(e.body, e.isBase64Encoded === true, method, issues, options.maxBodyBytes ?? MAX_INPUT_BYTES);
  const verified = e.requestContext.authorizer?.jwt?.claims;
  const claims = verified ? Object.assign(Object.create(null) as Record<string, unknown>, verified) : undefined;
  const sub = claims?.sub;
  return {
    method,
    path: e.rawPath ?? e.requestContext.http.path ?? '',
    pathParams: plainMap(e.pathParameters),
    headers,
    query,
    body,
    sub: typeof sub === 'string' && sub.length > 0 ? sub : undefined,
    claims,
    requestId: context?.awsRequestId || e.requestContext.requestId || 'unknown',
    lang: negotiateLang(headers['accept-language']),
    deadline: deadlineFrom(context),
    issues,
  };
}

/** Throws INVALID_REQUEST listing `req.issues`, if there are any. */
export function refuseInvalidInput(req: ApiRequest): void {
  if (req.issues.length > 0) throw new AppError('INVALID_REQUEST', 'invalid request', { details: { issues: req.issues } });
}
