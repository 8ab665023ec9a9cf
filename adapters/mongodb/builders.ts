/**
 * Pure builders: the port's conditions as a MongoDB filter, its changes as an update document, and a planned
 * transaction write as the filter and change it sends. Nothing here talks to a server, so the unit tests check
 * the built documents directly.
 *
 * The filter must accept exactly the documents `guardHolds` (shared/conditions.ts) accepts. If it accepted
 * more, a write would apply that the port forbids; if it accepted fewer, `update` would read the document,
 * find the guards holding and retry for nothing. Two Mongo habits need care for that:
 * - a comparison or `$eq` on an array field matches when ANY element matches, while `guardHolds` wants the
 *   field itself to be a number or the scalar, so those operators also require "not an array";
 * - a guard object per field would overwrite an earlier guard on the same field, so guards go into `$and`.
 *
 * Client values only ever sit in operand position (`$eq`, `$gte`, `$each`, `$set` values), where Mongo takes
 * them literally; field names were validated by `validateUpdateSpec` before anything is built.
 */
import type { Document } from 'mongodb';
import { InvalidSpecError, type WriteConditions } from '../../shared/conditions';
import type { CollectionShape } from '../../shared/collections';
import type { PlannedWrite } from '../../shared/storeCore';
import type { Guard, UpdateSpec } from '../../shared/store';
import { toStored, toStoredValue, type StoredDocument } from './storedDocument';

export type { WriteConditions };

const NOT_AN_ARRAY = { $not: { $type: 'array' } } as const;

/** One guard as a filter clause on its field. */
export function guardClause(guard: Guard, shape: CollectionShape = {}): Document {
  const field = guard.field;
  switch (guard.op) {
    case 'gte':
    case 'gt':
    case 'lte':
    case 'lt':
      // With a number operand Mongo's type bracketing only matches numbers (or, for the TTL field, the Date the
      // number stands for): a string or a missing field fails, as in guardHolds.
      return { [field]: { [`$${guard.op}`]: toStoredValue(shape, field, guard.value), ...NOT_AN_ARRAY } };
    case 'eq':
      return { [field]: { $eq: toStoredValue(shape, field, guard.value), ...NOT_AN_ARRAY } };
    case 'exists':
      // $exists is true for a stored null, which guardHolds also counts as present.
      return { [field]: { $exists: true } };
    case 'notExists':
      return { [field]: { $exists: false } };
    case 'hasElement':
      return { [field]: { $elemMatch: { id: { $eq: guard.key } } } };
    case 'lacksElement':
      // A missing field or a non-array lacks nothing: the element cannot be pushed there.
      return { [field]: { $type: 'array', $not: { $elemMatch: { id: { $eq: guard.key } } } } };
  }
}

/**
 * The filter that matches the document `id` only if its version is `expectVersion` (when given) and every
 * guard holds. Pass `effectiveGuards(spec)` so that pull and push carry their implied guards.
 */
export function buildFilter(id: string, conditions: WriteConditions, shape: CollectionShape = {}): Document {
  const filter: Document = { _id: { $eq: id } };
  if (conditions.expectVersion !== undefined) filter.version = { $eq: conditions.expectVersion };
  if (conditions.guards.length > 0) filter.$and = conditions.guards.map((guard) => guardClause(guard, shape));
  return filter;
}

/**
 * The update document for a validated spec. Throws InvalidSpecError for `inc` on the TTL field: it is a Date
 * in Mongo, which `$inc` refuses.
 */
export function buildUpdate(spec: UpdateSpec, shape: CollectionShape = {}): Document {
  const update: Document = {};
  const set = Object.entries(spec.set ?? {});
  if (set.length > 0) {
    update.$set = Object.fromEntries(set.map(([field, value]) => [field, toStoredValue(shape, field, value)]));
  }
  const inc: Record<string, number> = { ...spec.inc };
  if (shape.ttlField !== undefined && Object.hasOwn(inc, shape.ttlField)) {
    throw new InvalidSpecError(`inc: ${shape.ttlField} is an expiry time, set it instead`);
  }
  // Every writer bumps unless told otherwise, so a compare-and-swap never overwrites a change it did not see.
  if (spec.bumpVersion !== false) inc.version = 1;
  if (Object.keys(inc).length > 0) update.$inc = inc;
  if (spec.pull) update.$pull = { [spec.pull.field]: { id: { $eq: spec.pull.key } } };
  // Always through $each: a bare element with a `$each` or `$slice` key would be read as push modifiers.
  if (spec.push) update.$push = { [spec.push.field]: { $each: [spec.push.element] } };
  return update;
}

/** A transaction write as MongoDB runs it: the filter its conditions make, and the update or the new document. */
export type MongoWrite =
  | { kind: 'update'; filter: Document; update: Document }
  | { kind: 'insert'; filter: Document; document: StoredDocument }
  | { kind: 'check'; filter: Document };

/**
 * Builds one transaction write before any session starts, so that a bad spec fails before anything is sent.
 * Throws InvalidSpecError as buildUpdate and toStored do.
 */
export function plan(planned: PlannedWrite): MongoWrite {
  const { write, shape, id, conditions } = planned;
  const filter = buildFilter(id, conditions, shape);
  switch (write.kind) {
    case 'insert':
      return { kind: 'insert', filter, document: toStored(write.doc, shape) };
    case 'update':
      return { kind: 'update', filter, update: buildUpdate(write.spec, shape) };
    case 'check':
      return { kind: 'check', filter };
  }
}
