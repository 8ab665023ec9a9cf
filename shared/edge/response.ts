/**
 * The one response envelope: `{ code, msg, data?, error? }`, where `code` repeats the HTTP status and `error`
 * is a stable machine code. Internal details never reach a client: a 5xx carries only the generic message and
 * the request id that also appears in the log.
 */
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { AppError } from '../errors';
import { message, type Lang, type SuccessKey } from '../messages';

/** The header (lower case) that marks an HTTP answer repeated from an earlier request with the same idempotency key. */
export const REPLAYED_HEADER = 'idempotent-replayed';

/**
 * The only body shape. On errors, `data` carries safe details (field issues) and, at 5xx, the request id.
 * `replayed` appears only on a direct invocation's success that repeats an earlier request's answer (same
 * idempotency key): over HTTP the same fact travels as the `Idempotent-Replayed` header.
 */
export interface Envelope {
  code: number;
  msg: string;
  data?: unknown;
  error?: string;
  replayed?: true;
}

export interface Success {
  status?: number;
  msg?: SuccessKey;
  data?: unknown;
  headers?: Record<string, string>;
  /**
   * The answer repeats an earlier request's (same idempotency key). The edge says so in the transport's own way:
   * the Idempotent-Replayed header over HTTP (httpSuccessHeaders), `replayed: true` in a direct envelope.
   */
  replayed?: boolean;
}

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };

export function successEnvelope(result: Success, lang: Lang): Envelope {
  const status = result.status ?? 200;
  return { code: status, msg: message(result.msg ?? 'OK', lang), ...(result.data !== undefined ? { data: result.data } : {}) };
}

/** A direct invocation's success: the envelope, marked `replayed: true` when the answer is a replay. */
export function directSuccessEnvelope(result: Success, lang: Lang): Envelope {
  const envelope = successEnvelope(result, lang);
  return result.replayed ? { ...envelope, replayed: true } : envelope;
}

/** An HTTP success's headers: the handler's, and Idempotent-Replayed on a replay. */
export function httpSuccessHeaders(result: Success): Record<string, string> | undefined {
  return result.replayed ? { ...result.headers, [REPLAYED_HEADER]: 'true' } : result.headers;
}

export function errorEnvelope(err: AppError, lang: Lang, requestId: string): Envelope {
  const envelope: Envelope = { code: err.status, msg: message(err.code, lang), error: err.code };
  const details = err.expose && typeof err.details === 'object' && err.details !== null ? err.details : undefined;
  if (details || err.status >= 500) {
    envelope.data = { ...(details ?? {}), ...(err.status >= 500 ? { requestId } : {}) };
  }
  return envelope;
}

export function toHttp(envelope: Envelope, headers: Record<string, string> = {}): APIGatewayProxyStructuredResultV2 {
  return { statusCode: envelope.code, headers: { ...JSON_HEADERS, ...headers }, body: JSON.stringify(envelope) };
}
