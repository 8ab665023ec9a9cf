/** The Idempotency-Key header a client sends (the header on a replayed answer is the edge's: response.ts). */
import type { ApiRequest } from './request';
import { IdempotencyKey, parseWith } from '../validation';

/** The Idempotency-Key header, validated, or undefined when absent. Errors: INVALID_REQUEST. */
export function idempotencyKeyOf(req: ApiRequest): string | undefined {
  const raw = req.headers['idempotency-key'];
  return raw === undefined ? undefined : parseWith(IdempotencyKey, raw, 'headers.idempotency-key');
}
