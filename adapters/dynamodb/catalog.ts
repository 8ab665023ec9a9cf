/**
 * The maintenance catalog on DynamoDB (shared/maintenance.ts): strongly consistent scans, page by page. Only the
 * scheduled maintenance and local scripts scan; no request path does.
 */
import { ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ORDERS, PRODUCTS } from '../../shared/collections';
import type { Catalog } from '../../shared/maintenance';
import { tableName } from './tables';

async function scanAll(client: DynamoDBDocumentClient, table: string, projection: string, names: Record<string, string>) {
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({
        TableName: table,
        ConsistentRead: true,
        ProjectionExpression: projection,
        ExpressionAttributeNames: names,
        ExclusiveStartKey,
      }),
    );
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

export function createDynamoCatalog(options: { client: DynamoDBDocumentClient; tablePrefix: string }): Catalog {
  const { client, tablePrefix } = options;
  return {
    async productIds() {
      const items = await scanAll(client, tableName(tablePrefix, PRODUCTS), '#id', { '#id': 'id' });
      return items.map((item) => String(item.id)).sort();
    },
    async unitsInOrders() {
      const items = await scanAll(client, tableName(tablePrefix, ORDERS), '#p, #q, #s', {
        '#p': 'productId',
        '#q': 'quantity',
        '#s': 'status',
      });
      const units: Record<string, number> = {};
      for (const item of items) {
        if (item.status === 'void' || typeof item.quantity !== 'number') continue;
        const id = String(item.productId);
        units[id] = (units[id] ?? 0) + item.quantity;
      }
      return units;
    },
  };
}
