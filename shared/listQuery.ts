/**
 * The port's `list` semantics, shared by every adapter so that the backends cannot disagree: which queries are
 * valid, and where a page ends. The memory store and MongoDB order ties on the sort field by id (in the
 * query's direction); DynamoDB keeps its own order of ties, and its cursor carries the id, so paging is exact on
 * every backend. Pure: no driver.
 */
import type { CollectionShape, IndexShape } from './collections';
import { InvalidSpecError, assertKey } from './conditions';
import { MAX_LIST_LIMIT, type Doc, type ListPosition, type ListQuery } from './store';

/**
 * The index a query reads, after checking the query against it. Throws InvalidSpecError for an unknown index,
 * `equals` naming anything but its partition field, a limit outside 1..MAX_LIST_LIMIT, or an `after` whose sort
 * value has the wrong type.
 */
export function validateListQuery(collection: string, shape: CollectionShape, query: ListQuery): IndexShape {
  const index = query && Object.hasOwn(shape.indexes ?? {}, query.index) ? shape.indexes?.[query.index] : undefined;
  if (!index) throw new InvalidSpecError(`list: ${collection} has no index ${JSON.stringify(query?.index)}`);
  const fields = Object.keys(query.equals ?? {});
  if (fields.length !== 1 || fields[0] !== index.partition) {
    throw new InvalidSpecError(`list: ${query.index} is read by its partition field ${index.partition} alone`);
  }
  const value = query.equals[index.partition];
  if (typeof value !== 'string' || value.length === 0) throw new InvalidSpecError(`list: ${index.partition} must be a non-empty string`);
  if (!Number.isSafeInteger(query.limit) || query.limit < 1 || query.limit > MAX_LIST_LIMIT) {
    throw new InvalidSpecError(`list: limit must be an integer from 1 to ${MAX_LIST_LIMIT}`);
  }
  if (query.order !== 'asc' && query.order !== 'desc') throw new InvalidSpecError('list: order must be asc or desc');
  if (query.after !== undefined) {
    assertKey(query.after.id, 'list after');
    if (typeof query.after.sort !== index.sortType) throw new InvalidSpecError(`list: after.sort must be a ${index.sortType}`);
  }
  return index;
}

/** The position of a document in an index: what the next page starts after. */
export function positionOf(doc: Doc, index: IndexShape): ListPosition {
  return { sort: doc[index.sort] as string | number, id: doc.id };
}

/** Compares two positions ascending: by sort value, then by id. */
export function comparePositions(a: ListPosition, b: ListPosition): number {
  if (a.sort !== b.sort) return a.sort < b.sort ? -1 : 1;
  return a.id === b.id ? 0 : a.id < b.id ? -1 : 1;
}

/** Whether a document belongs to the index at all: both key fields present with the declared types. */
export function inIndex(doc: Doc, index: IndexShape): boolean {
  return typeof doc[index.partition] === 'string' && typeof doc[index.sort] === index.sortType;
}
