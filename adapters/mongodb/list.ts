/**
 * The MongoDB translation of the port's `list`: a pure builder (filter, sort, limit) for one page of an index's
 * partition. Ties on the sort field are ordered by `_id` in the same direction, so a position (sort value, id)
 * names exactly one place in the order and paging neither repeats nor skips a document.
 */
import type { Document, Sort } from 'mongodb';
import type { IndexShape } from '../../shared/collections';
import type { ListQuery } from '../../shared/store';

export interface MongoListPlan {
  filter: Document;
  sort: Sort;
  /** One more than the page: the extra document says whether another page follows. */
  limit: number;
}

/** The compound index that serves an IndexShape: partition, then sort and `_id` (either direction scans it). */
export function indexKeys(index: IndexShape): Record<string, 1> {
  return { [index.partition]: 1, [index.sort]: 1, _id: 1 };
}

export function buildListQuery(index: IndexShape, query: ListQuery): MongoListPlan {
  const dir = query.order === 'asc' ? 1 : -1;
  const beyond = query.order === 'asc' ? '$gt' : '$lt';
  // `$type` keeps the index's membership rule of every backend: a document without a sort value of the declared
  // type is not in the index (DynamoDB leaves it out of the GSI).
  const filter: Document = {
    [index.partition]: { $eq: query.equals[index.partition] },
    [index.sort]: { $type: index.sortType === 'string' ? 'string' : 'number' },
  };
  if (query.after) {
    const { sort, id } = query.after;
    filter.$or = [{ [index.sort]: { [beyond]: sort } }, { [index.sort]: { $eq: sort }, _id: { [beyond]: id } }];
  }
  return { filter, sort: { [index.sort]: dir, _id: dir }, limit: query.limit + 1 };
}
