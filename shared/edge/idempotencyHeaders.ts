/** The idempotency headers of the HTTP API: the Idempotency-Key a client sends, and the header on a replayed answer. */
import type { ApiRequest } from './request';
import { IdempotencyKey, parseWith } from '../validation';
import { REPLAYED_HEADER } from './response';

/** The Idempotency-Key header, validated, or undefined when absent. Errors: INVALID_REQUEST. */
export function idempotencyKeyOf(req: ApiRequest): string | undefined {
  const raw = req.headers['idempotency-key'];
  return raw === undefined ? undefined : parseWith(IdempotencyKey, raw, 'headers.idempotency-key');
}

/** The header that marks an answer repeated from an earlier request with the same idempotency key. */
export function replayHeaders(replayed: boolean): Record<string, string> | undefined {
  return replayed ? { [REPLAYED_HEADER]: 'true' } : undefined;
}
