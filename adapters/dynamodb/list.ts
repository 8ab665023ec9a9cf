/**
 * The DynamoDB translation of the port's `list`: a pure builder of the Query on a global secondary index
 * named as the collection's index, and the reading of its answer. A page ends where DynamoDB's own position
 * says (the item's table key and index keys), so ties on the sort value page exactly in DynamoDB's order.
 */
import type { QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { IndexShape } from '../../shared/collections';
import type { ListPosition, ListQuery } from '../../shared/store';

/** Query input for one page: one more item than the page, so the extra one says whether another follows. */
export function buildListQuery(tableName: string, indexName: string, index: IndexShape, query: ListQuery): QueryCommandInput {
  const partition = query.equals[index.partition];
  return {
    TableName: tableName,
    IndexName: indexName,
    KeyConditionExpression: '#p = :p',
    ExpressionAttributeNames: { '#p': index.partition },
    ExpressionAttributeValues: { ':p': partition },
    ScanIndexForward: query.order === 'asc',
    Limit: query.limit + 1,
    ...(query.after ? { ExclusiveStartKey: { id: query.after.id, [index.partition]: partition, [index.sort]: query.after.sort } } : {}),
  };
}

/**
 * The page from a Query's items: the first `limit`, and `next` when an item beyond them came back or DynamoDB
 * stopped early (its 1 MB page) with a LastEvaluatedKey.
 */
export function pageOf<T extends { id: string }>(
  items: T[],
  limit: number,
  index: IndexShape,
  lastEvaluated: boolean,
): { docs: T[]; next?: ListPosition } {
  const docs = items.slice(0, limit);
  const last = docs.at(-1);
  const more = items.length > limit || lastEvaluated;
  if (!more || !last) return { docs };
  return { docs, next: { sort: (last as Record<string, unknown>)[index.sort] as string | number, id: last.id } };
}
