/** Small readers shared by the function specs: the caller, and the optional Idempotency-Key header. */
import { AppError } from '../errors';
import type { ApiRequest } from '../http/request';
import { IdempotencyKey, parseWith } from '../validation';
import type { Call } from './lambdaFunction';

/** The verified caller of a function whose access is 'user' (the wrapper has already refused anonymous calls). */
export function callerOf(call: Call): string {
  if (!call.sub) throw new AppError('UNAUTHORIZED', 'no verified identity');
  return call.sub;
}

/** The Idempotency-Key header, validated, or undefined when absent. */
export function idempotencyKeyOf(req: ApiRequest): string | undefined {
  const raw = req.headers['idempotency-key'];
  return raw === undefined ? undefined : parseWith(IdempotencyKey, raw, 'headers.idempotency-key');
}

/** The header that marks an answer repeated from an earlier request with the same idempotency key. */
export function replayHeaders(replayed: boolean): Record<string, string> | undefined {
  return replayed ? { 'idempotent-replayed': 'true' } : undefined;
}
