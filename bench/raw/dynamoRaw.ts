/** RawDriver on DynamoDB: DocumentClient commands, items keyed by `id` as adapters/dynamodb stores them. */
import { BatchGetCommand, BatchWriteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { tableName } from '../../adapters/dynamodb';
import type { RawDriver } from './rawDriver';

const isConditionFailure = (err: unknown) => (err as { name?: unknown } | null)?.name === 'ConditionalCheckFailedException';

/** Every attribute name goes through a placeholder, so reserved words never matter. */
const NAMES = { '#s': 'stock', '#v': 'version', '#p': 'price', '#b': 'balance' };

export function createDynamoRaw(client: DynamoDBDocumentClient, tablePrefix: string): RawDriver {
  // The store's own naming rule, so raw contestants and handlers write the same tables.
  const table = (collection: string) => tableName(tablePrefix, collection);
  const products = table('products');
  const orders = table('orders');
  const accounts = table('accounts');

  async function guarded(command: UpdateCommand): Promise<boolean> {
    try {
      await client.send(command);
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  return {
    decrement: (id, q) =>
      guarded(
        new UpdateCommand({
          TableName: products,
          Key: { id },
          UpdateExpression: 'SET #s = #s - :q',
          ConditionExpression: '#s >= :q',
          ExpressionAttributeNames: { '#s': NAMES['#s'] },
          ExpressionAttributeValues: { ':q': q },
        }),
      ),
    async readProduct(id) {
      const { Item } = await client.send(new GetCommand({ TableName: products, Key: { id }, ConsistentRead: true }));
      return Item ? { stock: Item.stock as number, version: Item.version as number, price: Item.price as number } : null;
    },
    async writeStockBlind(id, stock) {
      await client.send(
        new UpdateCommand({
          TableName: products,
          Key: { id },
          UpdateExpression: 'SET #s = :s',
          ExpressionAttributeNames: { '#s': NAMES['#s'] },
          ExpressionAttributeValues: { ':s': stock },
        }),
      );
    },
    writeStockIfVersion: (id, version, stock) =>
      guarded(
        new UpdateCommand({
          TableName: products,
          Key: { id },
          UpdateExpression: 'SET #s = :s, #v = :next',
          ConditionExpression: '#v = :v',
          ExpressionAttributeNames: { '#s': NAMES['#s'], '#v': NAMES['#v'] },
          ExpressionAttributeValues: { ':s': stock, ':v': version, ':next': version + 1 },
        }),
      ),
    async readPrice(id) {
      const { Item } = await client.send(
        new GetCommand({ TableName: products, Key: { id }, ProjectionExpression: '#p', ExpressionAttributeNames: { '#p': NAMES['#p'] } }),
      );
      return typeof Item?.price === 'number' ? Item.price : null;
    },
    async insertOrder(order) {
      await client.send(new PutCommand({ TableName: orders, Item: order }));
    },
    debit: (id, amount) =>
      guarded(
        new UpdateCommand({
          TableName: accounts,
          Key: { id },
          UpdateExpression: 'SET #b = #b - :a',
          ConditionExpression: '#b >= :a',
          ExpressionAttributeNames: { '#b': NAMES['#b'] },
          ExpressionAttributeValues: { ':a': amount },
        }),
      ),
    async credit(id, amount) {
      await client.send(
        new UpdateCommand({
          TableName: accounts,
          Key: { id },
          UpdateExpression: 'SET #b = #b + :a',
          ExpressionAttributeNames: { '#b': NAMES['#b'] },
          ExpressionAttributeValues: { ':a': amount },
        }),
      );
    },
    async seed(collection, docs) {
      const name = table(collection);
      await inParallel(chunk(docs, 25), 8, async (items) => {
        let pending: unknown[] = items.map((Item) => ({ PutRequest: { Item } }));
        for (let round = 0; pending.length > 0; round++) {
          if (round > 20) throw new Error(`seeding ${collection}: items stayed unprocessed`);
          const answer = await client.send(new BatchWriteCommand({ RequestItems: { [name]: pending as never } }));
          pending = answer.UnprocessedItems?.[name] ?? [];
        }
      });
    },
    async readMany(collection, ids) {
      const name = table(collection);
      const found = new Map<string, Record<string, unknown>>();
      await inParallel(chunk(ids, 100), 4, async (keys) => {
        let pending: Record<string, unknown>[] = keys.map((id) => ({ id }));
        for (let round = 0; pending.length > 0; round++) {
          if (round > 20) throw new Error(`reading ${collection}: keys stayed unprocessed`);
          const answer = await client.send(new BatchGetCommand({ RequestItems: { [name]: { Keys: pending, ConsistentRead: true } } }));
          for (const item of answer.Responses?.[name] ?? []) found.set(item.id as string, item);
          pending = (answer.UnprocessedKeys?.[name]?.Keys as Record<string, unknown>[] | undefined) ?? [];
        }
      });
      return found;
    },
    async close() {
      client.destroy();
    },
  };
}

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

async function inParallel<T>(items: T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}
