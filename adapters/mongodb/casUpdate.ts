/**
 * A plain compare-and-swap (`expectVersion` and `set`, nothing else) as ONE MongoDB round trip that also shows
 * the document it was decided on. Pure: no driver calls.
 *
 * The ordinary update (builders.ts) puts the version in the filter; when it does not match, Mongo answers only
 * "no document", and the sender needs a second round trip (a read) to hand back `current`. At a hot item that
 * doubles the price of every lost race under the `version` strategy, the one writer that loses races by design.
 * Here the filter is the `_id` alone and the condition moves into an update pipeline: every field is set to
 * `$cond(version matches, new value, its own value)`. A match writes; a mismatch leaves the document exactly as
 * it was (Mongo writes nothing for an unchanged document: no oplog entry, no version bump). With
 * `returnDocument: 'before'` the answer is the document the condition was evaluated against, atomically:
 * its version says whether the swap applied, and when it did not, it is the port's `current` (as DynamoDB's
 * ALL_OLD is), with no second read and no A-B-A window.
 *
 * Only this shape takes the path: guards, `inc`, `pull` and `push` have query-language semantics (builders.ts
 * guardClause, array matching) that aggregation expressions do not share, so they keep the filter form.
 * Client values sit inside `$literal`, so a string starting with `$` or an object is never read as an expression.
 */
import type { Document } from 'mongodb';
import type { CollectionShape } from '../../shared/collections';
import type { WriteConditions } from '../../shared/conditions';
import type { UpdateSpec } from '../../shared/store';
import { toStoredValue, type StoredDocument } from './storedDocument';

export interface CasUpdate {
  filter: Document;
  pipeline: Document[];
  expectVersion: number;
  /** The stored values the swap writes (TTL field as a Date), to show the document after it without a read. */
  stored: Record<string, unknown>;
  bump: boolean;
}

/** The one-round-trip form of `spec`, or null when the spec is more than a version CAS with `set`. */
export function buildCasUpdate(id: string, spec: UpdateSpec, conditions: WriteConditions, shape: CollectionShape = {}): CasUpdate | null {
  const expectVersion = conditions.expectVersion;
  if (expectVersion === undefined || conditions.guards.length > 0) return null;
  if (spec.inc !== undefined || spec.pull !== undefined || spec.push !== undefined) return null;
  const stored: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(spec.set ?? {})) stored[field] = toStoredValue(shape, field, value);
  const bump = spec.bumpVersion !== false;
  const matches = { $eq: ['$version', expectVersion] };
  const fields: Document = {};
  for (const [field, value] of Object.entries(stored)) fields[field] = { $cond: [matches, { $literal: value }, `$${field}`] };
  if (bump) fields.version = { $cond: [matches, { $add: ['$version', 1] }, '$version'] };
  return { filter: { _id: { $eq: id } }, pipeline: [{ $set: fields }], expectVersion, stored, bump };
}

/** Whether the swap applied, from the document it was decided on (`returnDocument: 'before'`). */
export function casApplied(cas: CasUpdate, before: StoredDocument): boolean {
  return before.version === cas.expectVersion;
}

/** The document after an applied swap: `before` with the swap's values, as the server now holds it. */
export function afterCas(cas: CasUpdate, before: StoredDocument): StoredDocument {
  const after: StoredDocument = { ...before, ...cas.stored };
  if (cas.bump) after.version = cas.expectVersion + 1;
  return after;
}
