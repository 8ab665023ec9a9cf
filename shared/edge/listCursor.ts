/**
 * The opaque cursor of a paginated list, bound to the caller it was given to. It holds where the page ended
 * (the last order's createdAt and number) and a hash of the caller's id; decoding checks every part, so a
 * cursor that was altered, made up, or given to someone else is INVALID_REQUEST, never a read elsewhere. (The
 * list is always of the caller's own partition, whatever the cursor says: the binding makes misuse an answer,
 * not a silent reset.) Not encrypted: it shows its holder a time and an order number that are already theirs.
 */
import { AppError } from '../errors';
import { sha256Hex } from '../hash';
import type { ListPosition } from '../store';
import { ID_PATTERN } from '../validation';

/** At most this long, so a huge query string is refused before it is decoded. */
const MAX_CURSOR_LENGTH = 512;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

const bindingOf = (uid: string) => sha256Hex(`list-cursor\n${uid}`).slice(0, 24);

/** The cursor for `uid` that continues after `position` (a createdAt and an order number). */
export function encodeCursor(uid: string, position: ListPosition): string {
  return Buffer.from(JSON.stringify({ u: bindingOf(uid), s: position.sort, i: position.id }), 'utf8').toString('base64url');
}

/** The position a cursor names, if it was given to `uid`. Errors: INVALID_REQUEST (`field`). */
export function decodeCursor(uid: string, cursor: string, field: string): ListPosition {
  const refuse = () =>
    new AppError('INVALID_REQUEST', 'invalid cursor', { details: { issues: [{ field, message: 'is not a cursor of this list' }] } });
  if (cursor.length > MAX_CURSOR_LENGTH || !BASE64URL.test(cursor)) throw refuse();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw refuse();
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw refuse();
  const { u, s, i, ...rest } = parsed as Record<string, unknown>;
  const valid =
    Object.keys(rest).length === 0 &&
    u === bindingOf(uid) &&
    typeof s === 'string' &&
    ISO_TIME.test(s) &&
    typeof i === 'string' &&
    ID_PATTERN.test(i);
  if (!valid) throw refuse();
  return { sort: s as string, id: i as string };
}
