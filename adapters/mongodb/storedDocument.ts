/**
 * The port's documents as MongoDB stores them, and back. Pure: no driver calls.
 *
 * Two differences only: the port's `id` is Mongo's `_id` (so the primary key index makes inserts exclusive),
 * and the collection's TTL field, which the port shows as epoch seconds, is a BSON Date underneath because a
 * TTL index only ever expires Date values. Everything else is stored as given.
 */
import type { Document } from 'mongodb';
import { InvalidSpecError } from '../../shared/conditions';
import type { CollectionShape } from '../../shared/collections';
import type { Doc, NewDoc } from '../../shared/store';

/** A document as MongoDB holds it: keyed by the port's id, as a string. */
export interface StoredDocument extends Document {
  _id: string;
}

/**
 * A value as stored in `field`: a finite number in the TTL field becomes the Date it stands for (milliseconds
 * precision). Used for inserted fields, `set` values and guard operands alike, so that comparisons stay
 * within one BSON type.
 */
export function toStoredValue(shape: CollectionShape, field: string, value: unknown): unknown {
  if (field !== shape.ttlField || typeof value !== 'number' || !Number.isFinite(value)) return value;
  const date = new Date(value * 1000);
  // Beyond the Date range keep the number: it will never expire, but it is not lost or mangled either.
  return Number.isNaN(date.getTime()) ? value : date;
}

/**
 * A new document as stored: `_id` from `id`, version 1, the TTL field as a Date.
 * Throws InvalidSpecError for a field named `_id`, which would silently replace the key.
 */
export function toStored(doc: NewDoc, shape: CollectionShape): StoredDocument {
  const stored: StoredDocument = { _id: doc.id };
  for (const [field, value] of Object.entries(doc)) {
    if (field === 'id') continue;
    if (field === '_id') throw new InvalidSpecError('insert: _id is managed by the store');
    stored[field] = toStoredValue(shape, field, value);
  }
  // The store assigns the version, whatever the caller sent.
  stored.version = 1;
  return stored;
}

/** A stored document as the port shows it: `id` instead of `_id`, the TTL field in epoch seconds. */
export function fromStored(stored: StoredDocument, shape: CollectionShape): Doc {
  const { _id, ...fields } = stored;
  const ttl = shape.ttlField;
  if (ttl !== undefined && fields[ttl] instanceof Date) fields[ttl] = (fields[ttl] as Date).getTime() / 1000;
  return { id: String(_id), ...fields } as Doc;
}
