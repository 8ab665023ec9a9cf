/**
 * Reading a JSON body defensively: content type, size cap, syntax, duplicate keys, forbidden keys anywhere,
 * and only a plain object at the top. Every refusal is INVALID_REQUEST with the offending field.
 */
import { AppError } from '../errors';
import { assertSafeInput, MAX_INPUT_BYTES } from '../validation';
import type { ApiRequest } from './request';

/**
 * `application/json`, optionally with `charset=utf-8` (any case, optionally quoted) and nothing else: the body
 * is read as UTF-8, so a client announcing another charset or a JSON-like type (json-seq, `+json`) is refused
 * rather than misread. A missing Content-Type is refused too: a form post (curl -d) is not JSON.
 */
const JSON_CONTENT_TYPE = /^application\/json[ \t]*(?:;[ \t]*charset[ \t]*=[ \t]*(?:utf-8|"utf-8")[ \t]*)?$/i;
const MAX_CONTENT_TYPE_LENGTH = 128;

function invalid(field: string, message: string): AppError {
  return new AppError('INVALID_REQUEST', message, { details: { issues: [{ field, message }] } });
}

/**
 * The first key that appears twice in one object of `text` (already known to be valid JSON), or undefined.
 * JSON.parse keeps the last of duplicates silently, while a proxy or WAF in front may have looked at the first:
 * `{"quantity":1,"quantity":1000}` must not mean two things. Keys are compared after unescaping.
 */
export function duplicateKey(text: string): string | undefined {
  const objects: Array<Set<string> | null> = []; // null marks an array
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') {
      let end = i + 1;
      while (text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      const keys = objects[objects.length - 1];
      if (keys && expectKey) {
        const key = JSON.parse(text.slice(i, end + 1)) as string;
        if (keys.has(key)) return key;
        keys.add(key);
        expectKey = false;
      }
      i = end;
    } else if (ch === '{') {
      objects.push(new Set());
      expectKey = true;
    } else if (ch === '[') {
      objects.push(null);
      expectKey = false;
    } else if (ch === '}' || ch === ']') {
      objects.pop();
      expectKey = false;
    } else if (ch === ',') {
      expectKey = objects[objects.length - 1] != null;
    }
  }
  return undefined;
}

/**
 * Returns the parsed JSON object of the body, or throws INVALID_REQUEST saying what is wrong: a content type
 * other than application/json (UTF-8), no body, more than MAX_INPUT_BYTES, invalid JSON, a duplicate key, a
 * forbidden key at any depth (`__proto__`, `constructor`, `prototype`, `$...`, `a.b`), or not an object.
 */
export function readJsonObject(req: ApiRequest, maxBytes = MAX_INPUT_BYTES): Record<string, unknown> {
  const contentType = req.headers['content-type'];
  if (contentType === undefined) throw invalid('headers.content-type', 'content type must be application/json');
  if (contentType.length > MAX_CONTENT_TYPE_LENGTH || !JSON_CONTENT_TYPE.test(contentType.trim())) {
    throw invalid('headers.content-type', 'content type must be application/json (UTF-8)');
  }
  if (req.body === undefined || req.body === '') throw invalid('body', 'a JSON body is required');
  if (Buffer.byteLength(req.body, 'utf8') > maxBytes) {
    throw invalid('body', `body must be at most ${maxBytes} bytes`);
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
  const duplicate = duplicateKey(req.body);
  if (duplicate !== undefined) throw invalid('body', `key ${JSON.stringify(duplicate.slice(0, 64))} appears more than once`);
  assertSafeInput(parsed, 'body');
  return parsed as Record<string, unknown>;
}
