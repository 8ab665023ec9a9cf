/**
 * One operation, two entry points, one per transport: `httpHandler` for API Gateway HTTP API (payload 2.0)
 * requests and `handler` for direct invocations with a plain JSON payload. Both give the same validated
 * command, the same operation and the same envelope `{ code, msg, data?, error? }` (wrapped in an HTTP
 * response for API Gateway, returned as is when invoked).
 *
 * Which entry runs is decided by the deployment, never by the event: each is its own Lambda function
 * (serverless.yml: `<name>Http` runs `httpHandler`, `<name>` runs `handler`), and only API Gateway may invoke
 * the HTTP one (its resource policy; nothing else is granted `lambda:InvokeFunction` on it). So:
 * - `httpHandler` trusts the `sub` claim the gateway's JWT authorizer verified, because nobody else can
 *   reach it; an event of any other shape is INVALID_REQUEST.
 * - `handler` takes identity from the invocation context alone (directIdentity.ts), whatever the event looks
 *   like: an API Gateway-shaped event with claims is just a payload with unknown fields, and is refused.
 */
import type { APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { config } from '../config';
import { AppError, toAppError } from '../errors';
import { DEFAULT_LANG, type Lang } from '../messages';
import { logLine } from '../log';
import { withMetricsScope, type Metrics, type MetricsScope } from '../metrics';
import { deadlineFrom, fromHttpEvent, refuseInvalidInput, type ApiRequest } from './request';
import { directSuccessEnvelope, errorEnvelope, httpSuccessHeaders, successEnvelope, toHttp, type Envelope, type Success } from './response';
import { parseInput, type Schema } from '../validation';
import { beforeDeadline } from './deadline';
import { directCaller, isUserSub, type DirectIdentityConfig } from './directIdentity';
import { isAdminByClaims } from './admin';
import { secretFrom } from './secrets';

export interface Call {
  /** The verified caller; always set when the function's access is 'user'. */
  sub?: string;
  requestId: string;
  lang: Lang;
  /** Epoch ms by which the answer must be on its way. */
  deadline: number;
  transport: 'http' | 'direct';
  /** Whether the verified caller is an admin (admin.ts); always true when the function's access is 'admin'. */
  admin: boolean;
  /** This invocation's counts (shared/metrics.ts): operations get them as `deps.metrics` (functions/runtime.ts depsFor). */
  metrics: Metrics;
}

/** The verified caller of a function whose access is 'user' (the wrapper has already refused anonymous calls). Errors: UNAUTHORIZED. */
export function callerOf(call: Call): string {
  if (!call.sub) throw new AppError('UNAUTHORIZED', 'no verified identity');
  return call.sub;
}

export interface FunctionSpec<C> {
  name: string;
  /**
   * 'user': a verified identity is required (401 UNAUTHORIZED first, before any validation).
   * 'admin': the same, and the caller must be an admin (403 FORBIDDEN, also before any validation).
   */
  access: 'user' | 'public' | 'admin';
  /** The query parameters the HTTP route reads (ApiRequest.query); any other one is INVALID_REQUEST. None by default. */
  query?: readonly string[];
  /** The validated command from an HTTP request (path, body, headers); throws INVALID_REQUEST. */
  fromHttp(req: ApiRequest): C;
  /** The strict schema of a direct payload (its optional `lang` is taken off first). */
  direct: Schema<C>;
  run(command: C, call: Call): Promise<Success>;
  /** The largest body or direct payload, in UTF-8 bytes (default MAX_INPUT_BYTES; batch routes need more). */
  maxInputBytes?: number;
  /** Metric dimensions the command decides (e.g. `strategy`), added to the invocation's counts (shared/metrics.ts). */
  metricDimensions?(command: C): Record<string, string>;
}

/** The entry point of the direct-invocation function: identity from the invocation context only. */
export type DirectHandler = (event: unknown, context?: Context) => Promise<Envelope>;
/** The entry point of the function only API Gateway may invoke: identity from the verified JWT claims. */
export type HttpHandler = (event: unknown, context?: Context) => Promise<APIGatewayProxyStructuredResultV2>;

function directLang(payload: Record<string, unknown>): Lang {
  const lang = payload.lang;
  if (lang === undefined) return DEFAULT_LANG;
  if (lang === 'zh' || lang === 'en') return lang;
  throw new AppError('INVALID_REQUEST', 'lang must be zh or en', {
    details: { issues: [{ field: 'payload.lang', message: 'must be "zh" or "en"' }] },
  });
}

export function lambdaFunction<C>(spec: FunctionSpec<C>): { handler: DirectHandler; httpHandler: HttpHandler } {
  // Configuration is read once, when the container loads the function, like the store's.
  // The trusted-caller secret may live in SSM (secrets.ts): its read starts now, at cold start.
  const { cognitoIdentityPoolId, stage, trustedCallerSecret, admin: adminSettings } = config();
  const readSecret = () => {
    const pending = secretFrom('LOCKLESS_TRUSTED_CALLER_SECRET', trustedCallerSecret);
    pending.catch(() => {});
    return pending;
  };
  let trustedSecret = readSecret();
  const identity = async (): Promise<DirectIdentityConfig> => {
    try {
      return { cognitoIdentityPoolId, stage, trustedSecret: await trustedSecret };
    } catch (err) {
      // Read again by the next invocation; this one answers 500 (the cause is logged).
      trustedSecret = readSecret();
      throw err;
    }
  };
  const requireAccess = (sub: string | undefined, admin: boolean) => {
    if (spec.access !== 'public' && !sub) throw new AppError('UNAUTHORIZED', 'no verified identity');
    if (spec.access === 'admin' && !admin) throw new AppError('FORBIDDEN', 'admin route');
  };

  async function viaHttp(
    event: unknown,
    context: Context | undefined,
    started: number,
    metrics: MetricsScope,
  ): Promise<APIGatewayProxyStructuredResultV2> {
    let req: ApiRequest | undefined;
    let sub: string | undefined;
    let admin = false;
    try {
      req = fromHttpEvent(event as Parameters<typeof fromHttpEvent>[0], context, { query: spec.query, maxBodyBytes: spec.maxInputBytes });
      // A claim in Cognito's owner namespace is no user of the JWT issuer (directIdentity.ts).
      sub = isUserSub(req.sub) ? req.sub : undefined;
      admin = sub !== undefined && isAdminByClaims(req.claims, adminSettings);
      requireAccess(sub, admin);
      refuseInvalidInput(req);
      const command = spec.fromHttp(req);
      dimensionsOf(command, metrics);
      const call: Call = { sub, admin, requestId: req.requestId, lang: req.lang, deadline: req.deadline, transport: 'http', metrics };
      const result = await beforeDeadline(spec.run(command, call), call.deadline);
      log('info', req.requestId, 'http', result.status ?? 200, started, sub, admin);
      return toHttp(successEnvelope(result, req.lang), httpSuccessHeaders(result));
    } catch (thrown) {
      const requestId = req?.requestId ?? context?.awsRequestId ?? 'unknown';
      return toHttp(failure(thrown, req?.lang ?? DEFAULT_LANG, requestId, 'http', started, sub, admin));
    }
  }

  async function viaDirect(event: unknown, context: Context | undefined, started: number, metrics: MetricsScope): Promise<Envelope> {
    const requestId = context?.awsRequestId || 'unknown';
    let lang: Lang = DEFAULT_LANG;
    let sub: string | undefined;
    let admin = false;
    try {
      if (typeof event !== 'object' || event === null || Array.isArray(event)) {
        throw new AppError('INVALID_REQUEST', 'payload must be a JSON object', {
          details: { issues: [{ field: 'payload', message: 'must be a JSON object' }] },
        });
      }
      const { lang: _lang, ...payload } = event as Record<string, unknown>;
      lang = directLang(event as Record<string, unknown>);
      const caller = directCaller(context, event, await identity());
      sub = caller?.sub;
      admin = caller?.admin === true;
      requireAccess(sub, admin);
      const command = parseInput(spec.direct, payload, 'payload', spec.maxInputBytes);
      dimensionsOf(command, metrics);
      const call: Call = { sub, admin, requestId, lang, deadline: deadlineFrom(context), transport: 'direct', metrics };
      const result = await beforeDeadline(spec.run(command, call), call.deadline);
      log('info', requestId, 'direct', result.status ?? 200, started, sub, admin);
      return directSuccessEnvelope(result, lang);
    } catch (thrown) {
      return failure(thrown, lang, requestId, 'direct', started, sub, admin);
    }
  }

  function dimensionsOf(command: C, metrics: MetricsScope) {
    const dimensions = spec.metricDimensions?.(command);
    for (const name in dimensions) metrics.dimension(name, dimensions[name]!);
  }

  function failure(
    thrown: unknown,
    lang: Lang,
    requestId: string,
    transport: Call['transport'],
    started: number,
    caller: string | undefined,
    admin: boolean,
  ): Envelope {
    const err = toAppError(thrown);
    // The cause stays in the log; the client sees the code and, at 5xx, the request id.
    log(err.status >= 500 ? 'error' : 'info', requestId, transport, err.status, started, caller, admin, {
      error: err.code,
      ...(err.status >= 500 ? { cause: err.cause ?? err } : {}),
    });
    return errorEnvelope(err, lang, requestId);
  }

  /** One line per invocation, naming the verified caller (when there is one): the audit trail of every write. */
  function log(
    level: 'info' | 'error',
    requestId: string,
    transport: string,
    status: number,
    started: number,
    caller: string | undefined,
    admin: boolean,
    extra = {},
  ) {
    logLine(level, {
      fn: spec.name,
      requestId,
      transport,
      status,
      ...(caller ? { caller } : {}),
      ...(admin ? { admin } : {}),
      ms: Date.now() - started,
      ...extra,
    });
  }

  // One metrics scope per invocation, written once when it settles (answered, refused or timed out).
  const dimensions = { function: spec.name };
  return {
    handler: (event, context) => withMetricsScope(dimensions, (metrics) => viaDirect(event, context, Date.now(), metrics)),
    httpHandler: (event, context) => withMetricsScope(dimensions, (metrics) => viaHttp(event, context, Date.now(), metrics)),
  };
}
