/**
 * Reads whatever came back into a result of the envelope's shape. A lockless answer is `{ code, msg, data?,
 * error? }` already; a gateway's own answer is not (API Gateway's 401 is `{"message":"Unauthorized"}`,
 * serverless-offline's is Boom's `{ statusCode, error, message }`), so it is given the code its status means
 * and a message in the client's language. Nothing in a body is trusted to have the right types.
 */
import { isServerCode, type ErrorCode } from './codes';
import { ownMessage, type Lang } from './messages';
import type { WireResponse } from './transport';
import type { AnyFailure, Ok } from './types';

export type Answer = Omit<Ok<unknown>, 'tries'> | Omit<AnyFailure, 'tries'>;

interface Envelope {
  code: number;
  msg: string;
  data?: unknown;
  error?: string;
}

function isEnvelope(body: unknown): body is Envelope {
  if (typeof body !== 'object' || body === null) return false;
  const { code, msg, error } = body as Record<string, unknown>;
  return typeof code === 'number' && typeof msg === 'string' && (error === undefined || typeof error === 'string');
}

export function failure(code: number, error: ErrorCode, msg: string, data?: unknown): Omit<AnyFailure, 'tries'> {
  return { ok: false, code, msg, error, ...(data !== undefined ? { data } : {}) } as Omit<AnyFailure, 'tries'>;
}

/** A gateway's (or proxy's) own answer: its status is all it says that a program can use. */
function gatewayAnswer(status: number, lang: Lang): Omit<AnyFailure, 'tries'> {
  const own =
    status === 401
      ? 'UNAUTHORIZED'
      : status === 403
        ? 'FORBIDDEN'
        : status === 429
          ? 'THROTTLED'
          : status === 503
            ? 'SERVICE_UNAVAILABLE'
            : status >= 500
              ? 'INTERNAL'
              : undefined;
  return own
    ? failure(status, own, ownMessage(own, lang))
    : failure(status, 'UNEXPECTED_RESPONSE', ownMessage('UNEXPECTED_RESPONSE', lang), { status });
}

export function readAnswer(res: WireResponse, lang: Lang): Answer {
  const { status, body } = res;
  if (!isEnvelope(body)) return gatewayAnswer(status, lang);
  if (body.error === undefined) {
    if (status >= 200 && status < 300)
      return {
        ok: true,
        code: status,
        msg: body.msg,
        data: body.data,
        replayed: res.headers['idempotent-replayed'] === 'true',
        ...(res.headers.etag ? { etag: res.headers.etag } : {}),
      };
    return gatewayAnswer(status, lang);
  }
  if (!isServerCode(body.error)) return failure(status, 'UNEXPECTED_RESPONSE', body.msg, { status, error: body.error.slice(0, 64) });
  return failure(status, body.error, body.msg, body.data);
}

/** Worth asking again with the same idempotency key: the server may not have acted yet, or the answer was lost. */
export function isRetryable(answer: Answer): boolean {
  return answer.code === 503 || answer.error === 'IDEMPOTENCY_IN_PROGRESS' || answer.error === 'NETWORK_ERROR';
}
