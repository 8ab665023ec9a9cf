/**
 * The transport and retry core both entries share: the client's options, and `createCaller`, which turns one
 * route of a route table into a request, sends it through the retry loop (retry.ts) and reads the answer into a
 * Result. The buyer's entry (client.ts) and the admin entry (admin/adminClient.ts) are thin method lists over it.
 */
import { failure, readAnswer } from './envelope';
import { newIdempotencyKey } from './keys';
import { ownMessage, type Lang } from './messages';
import { DEFAULT_POLICY, realClock, withRetries, type Clock, type RetryPolicy } from './retry';
import { fillPath, type Route } from './routes';
import type { Operation, Transport } from './transport';
import type { Result } from './types';

export interface ClientOptions {
  /** Where the HTTP API is, e.g. https://api.example.com or http://127.0.0.1:3000 (unused by invokeTransport). */
  baseUrl?: string;
  transport: Transport;
  /** The user's JWT for the HTTP API, asked for before every try (so a refreshed token is used). */
  getToken?: () => string | null | undefined | Promise<string | null | undefined>;
  /** Language of `msg`: sent as Accept-Language (or the direct payload's `lang`). Default zh. */
  lang?: Lang | (() => Lang);
  /** Limits of the retry loop (retry.ts); defaults: 15 s per call, 10 s per try, 8 tries, waits 100 ms..2 s. */
  retry?: Partial<RetryPolicy>;
  /** Time, waits and jitter; for tests. */
  clock?: Partial<Clock>;
  /** Makes idempotency keys; default 128 random bits from crypto.getRandomValues (keys.ts). */
  newKey?: () => string;
}

export interface CallOptions {
  /** This call's deadline, instead of the client's. */
  deadlineMs?: number;
}

export interface MutationOptions extends CallOptions {
  /**
   * The key to send instead of a new one: to ask again about a call whose outcome is unknown (NETWORK_ERROR),
   * even after the app restarted, pass the key that call reported.
   */
  idempotencyKey?: string;
}

export interface TransitionOptions extends MutationOptions {
  /** The order's ETag (GET /orders/{orderNo} answers it): a stale one is PRECONDITION_FAILED with the current one. */
  ifMatch?: string;
}

/** Sends one call of `operation`: path parameters, JSON body (or none), direct payload, options, query. */
export type Call<O extends Operation> = <T>(
  operation: O,
  params: Record<string, string>,
  body: object | undefined,
  payload: Record<string, unknown>,
  callOptions?: TransitionOptions,
  query?: Record<string, string>,
) => Promise<Result<T>>;

const checkLang = (lang: unknown): Lang => {
  if (lang !== 'zh' && lang !== 'en') throw new TypeError('createClient: lang must be "zh" or "en"');
  return lang;
};

/** The object without its undefined fields: a strict server schema refuses an explicit undefined. */
export function defined<T extends Record<string, unknown>>(object: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  const out: Record<string, unknown> = {};
  for (const key in object) if (object[key] !== undefined) out[key] = object[key];
  return out as { [K in keyof T]: Exclude<T[K], undefined> };
}

/**
 * Checks the options (a TypeError for a missing transport or an unknown lang, at creation) and answers the
 * `call` that sends the operations of `routes`.
 */
export function createCaller<O extends Operation>(options: ClientOptions, routes: Record<O, Route>): Call<O> {
  if (!options || typeof options.transport !== 'function') throw new TypeError('createClient: a transport is required');
  const { transport, getToken } = options;
  const langOf = typeof options.lang === 'function' ? options.lang : () => (options.lang as Lang | undefined) ?? 'zh';
  checkLang(langOf());
  const policy: RetryPolicy = { ...DEFAULT_POLICY, ...options.retry };
  const clock: Clock = { ...realClock, ...options.clock };
  const newKey = options.newKey ?? (() => newIdempotencyKey());
  const base = (options.baseUrl ?? '').replace(/\/+$/, '');

  return async <T>(
    operation: O,
    params: Record<string, string>,
    body: object | undefined,
    payload: Record<string, unknown>,
    callOptions: TransitionOptions = {},
    queryParams: Record<string, string> = {},
  ): Promise<Result<T>> => {
    const route = routes[operation];
    const lang = checkLang(langOf());
    const key = route.method === 'GET' ? undefined : (callOptions.idempotencyKey ?? newKey());
    const headers: Record<string, string> = { 'accept-language': lang };
    const query = Object.entries(queryParams)
      .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
      .join('&');
    if (body) headers['content-type'] = 'application/json';
    if (key) headers['idempotency-key'] = key;
    const ifMatch = callOptions.ifMatch === undefined ? {} : { ifMatch: callOptions.ifMatch };
    if (ifMatch.ifMatch !== undefined) headers['if-match'] = ifMatch.ifMatch;
    const request = {
      operation,
      method: route.method,
      url: base + fillPath(route.path, params) + (query ? `?${query}` : ''),
      body: body ? JSON.stringify(body) : undefined,
      payload: { ...payload, ...ifMatch, lang, ...(key && route.payloadKey ? { idempotencyKey: key } : {}) },
    };
    const retryPolicy = callOptions.deadlineMs === undefined ? policy : { ...policy, deadlineMs: callOptions.deadlineMs };
    const { answer, tries } = await withRetries(
      async (timeoutMs) => {
        let token: string | null | undefined;
        try {
          token = route.public || !getToken ? undefined : await getToken();
        } catch {
          return failure(401, 'UNAUTHORIZED', ownMessage('UNAUTHORIZED', lang));
        }
        const withToken = token ? { ...headers, authorization: `Bearer ${token}` } : headers;
        return readAnswer(await transport({ ...request, headers: withToken, timeoutMs }), lang);
      },
      retryPolicy,
      clock,
      lang,
    );
    return { ...answer, tries, ...(key ? { idempotencyKey: key } : {}) } as Result<T>;
  };
}
