/** Reading a JSON body defensively: size cap, content type, syntax, and only a plain object at the top. */
import { AppError } from '../errors';
import type { ApiRequest } from './request';

export const MAX_BODY_BYTES = 16 * 1024;

function invalid(field: string, message: string): AppError {
  return new AppError('INVALID_REQUEST', message, { details: { issues: [{ field, message }] } });
}

/** Returns the parsed JSON object of the body, or throws INVALID_REQUEST saying what is wrong. */
export function readJsonObject(req: ApiRequest): Record<string, unknown> {
  const contentType = req.headers['content-type'];
  if (contentType !== undefined && !/^application\/json\s*(;|$)/i.test(contentType.trim())) {
    throw invalid('headers.content-type', 'content type must be application/json');
  }
  if (req.body === undefined || req.body === '') throw invalid('body', 'a JSON body is required');
  if (Buffer.byteLength(req.body, 'utf8') > MAX_BODY_BYTES) {
    throw invalid('body', `body must be at most ${MAX_BODY_BYTES} bytes`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(req.body);
  } catch {
    throw invalid('body', 'body is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw invalid('body', 'body must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}
