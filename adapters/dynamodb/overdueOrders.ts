/**
 * OverdueOrders on DynamoDB: one Query on the orders table's `statusExpiresAt` GSI (KEYS_ONLY: the sweep reads
 * each order strongly consistently before deciding it). GSIs are eventually consistent, so a just-paid order may
 * still show up; the sweep's status-guarded write makes that harmless.
 */
import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ORDERS } from '../../shared/collections';
import { OVERDUE_INDEX, type OverdueOrders } from '../../shared/overdueOrders';
import { realRetryDeps, type RetryDeps } from '../../shared/retry';
import { tableName } from './tables';
import { send } from './unavailable';

/** The Query for one page of overdue orders: pure, unit-testable. */
export function overdueQuery(tablePrefix: string, now: number, limit: number, startKey?: Record<string, unknown>): QueryCommandInput {
  return {
    TableName: tableName(tablePrefix, ORDERS),
    IndexName: OVERDUE_INDEX.name,
    KeyConditionExpression: '#status = :status AND #sort <= :now',
    ExpressionAttributeNames: { '#status': 'status', '#sort': OVERDUE_INDEX.sort },
    ExpressionAttributeValues: { ':status': OVERDUE_INDEX.status, ':now': now },
    ScanIndexForward: true,
    Limit: limit,
    ...(startKey ? { ExclusiveStartKey: startKey } : {}),
  };
}

export function createDynamoOverdueOrders(options: {
  client: DynamoDBDocumentClient;
  tablePrefix: string;
  retryDeps?: RetryDeps;
}): OverdueOrders {
  const deps = options.retryDeps ?? realRetryDeps;
  return {
    async find(now, limit) {
      const ids: string[] = [];
      let startKey: Record<string, unknown> | undefined;
      // A page may hold fewer than `limit` items (1 MB pages); read on until `limit` or the end of the range.
      do {
        const query = overdueQuery(options.tablePrefix, now, limit - ids.length, startKey);
        const page = await send('read', () => options.client.send(new QueryCommand(query)), deps);
        for (const item of page.Items ?? []) if (typeof item.id === 'string') ids.push(item.id);
        startKey = page.LastEvaluatedKey;
      } while (startKey && ids.length < limit);
      return ids;
    },
  };
}
