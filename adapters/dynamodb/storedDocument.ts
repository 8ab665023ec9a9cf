/**
 * How a port document is laid out in a DynamoDB item, and back.
 *
 * The one real difference is keyed arrays (cart items): the port shows an array of `{ id, ... }` elements, but
 * DynamoDB keeps them as a MAP keyed by element id. A list would force "find the index, then remove at that
 * index", which needs a read and races with every other writer; a map lets one guarded `REMOVE #items.#key`
 * (or `SET #items.#key = :element`) do the job with no read and no index shifting.
 *
 * Everything here is pure and shared by the expression builders and the sender, so the two cannot disagree.
 */
import type { CollectionShape } from '../../shared/collections';
import { InvalidSpecError, assertKey } from '../../shared/conditions';
import type { Doc, NewDoc } from '../../shared/store';

/** A DynamoDB item as the DocumentClient (un)marshals it: plain JS values. */
export type StoredItem = Record<string, unknown>;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * JSON's rules for `undefined`: dropped from objects, null inside arrays. The port's types never hold
 * undefined, but JS callers build objects with optional fields, and the DocumentClient we are handed may not
 * be configured with `removeUndefinedValues` (it then throws), so the store does not depend on that setting.
 * Object.fromEntries defines own properties, so a key named `__proto__` stays data and never becomes a prototype.
 */
export function withoutUndefined(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : withoutUndefined(v)));
  if (!isPlainObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, withoutUndefined(v)]),
  );
}

export function isKeyedArray(shape: CollectionShape, field: string): boolean {
  return shape.keyedArrays?.includes(field) ?? false;
}

/** One element of a keyed array as stored (the element itself, `id` included). Throws InvalidSpecError. */
export function toStoredElement(field: string, element: unknown): StoredItem {
  if (!isPlainObject(element)) throw new InvalidSpecError(`${field}: keyed array elements must be objects`);
  assertKey(element.id as string, `${field} element id`);
  return withoutUndefined(element) as StoredItem;
}

/**
 * A field's value as stored. A keyed array must be an array of elements with unique ids: a duplicate id would
 * silently collapse into one map entry, and a non-array would come back as something else, so both are
 * refused. Throws InvalidSpecError.
 */
export function toStoredValue(shape: CollectionShape, field: string, value: unknown): unknown {
  if (!isKeyedArray(shape, field)) return withoutUndefined(value);
  if (!Array.isArray(value)) throw new InvalidSpecError(`${field} is a keyed array and must be an array`);
  const map = new Map<string, StoredItem>();
  for (const element of value) {
    const stored = toStoredElement(field, element);
    const id = stored.id as string;
    if (map.has(id)) throw new InvalidSpecError(`${field}: element id ${JSON.stringify(id)} appears twice`);
    map.set(id, stored);
  }
  return Object.fromEntries(map);
}

/** A new document as stored, with `version: 1` whatever the caller passed. Throws InvalidSpecError. */
export function toStoredItem(shape: CollectionShape, doc: NewDoc): StoredItem {
  const fields = Object.entries(doc)
    .filter(([field, value]) => value !== undefined && field !== 'version')
    .map(([field, value]) => [field, toStoredValue(shape, field, value)]);
  return { ...Object.fromEntries(fields), version: 1 };
}

/**
 * A stored item as the port shows it. Map order is undefined in DynamoDB, so keyed arrays come back sorted by
 * element id (code-unit order): deterministic, and the domain sorts for display anyway.
 */
export function fromStoredItem(shape: CollectionShape, item: StoredItem): Doc {
  const doc: StoredItem = { ...item };
  for (const field of shape.keyedArrays ?? []) {
    const stored = doc[field];
    if (!isPlainObject(stored)) continue;
    doc[field] = Object.keys(stored)
      .sort()
      .map((key) => stored[key]);
  }
  return doc as Doc;
}
