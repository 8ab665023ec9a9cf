/**
 * DynamoDB tables for local runs, tests and scripts, derived from shared/collections.json, the same source
 * scripts/serverless/tables.cjs derives the deployed tables from, so the two cannot drift apart.
 *
 * Every table has the string key `id` and on-demand billing; a collection with a ttlField gets DynamoDB TTL
 * on it (expired items disappear on their own, usually within days, so readers still check the expiry).
 */
import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
  waitUntilTableNotExists,
} from '@aws-sdk/client-dynamodb';
import type { CreateTableCommandInput, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { COLLECTIONS, COLLECTION_NAMES } from '../../shared/collections';
import type { CollectionName, IndexShape } from '../../shared/collections';

/** Waiter timing in seconds: DynamoDB Local is ACTIVE at once, a real table within seconds to a minute. */
const WAIT = { minDelay: 1, maxDelay: 5, maxWaitTime: 180 } as const;

const errorName = (err: unknown) => (typeof err === 'object' && err !== null ? (err as { name?: unknown }).name : undefined);

/** The one naming rule the store uses too: table name = prefix + collection. */
export function tableName(prefix: string, collection: string): string {
  return `${prefix}${collection}`;
}

/** CreateTable input for one collection: key `id` (S), PAY_PER_REQUEST, a GSI per index (partition S, sort N). */
export function createTableInput(prefix: string, collection: CollectionName): CreateTableCommandInput {
  const indexes: IndexShape[] = COLLECTIONS[collection].indexes ?? [];
  const attributes = new Map<string, 'S' | 'N'>([['id', 'S']]);
  for (const index of indexes) {
    attributes.set(index.partition, 'S');
    attributes.set(index.sort, 'N');
  }
  return {
    TableName: tableName(prefix, collection),
    AttributeDefinitions: [...attributes].map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType })),
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    BillingMode: 'PAY_PER_REQUEST',
    ...(indexes.length > 0
      ? {
          GlobalSecondaryIndexes: indexes.map((index) => ({
            IndexName: index.name,
            KeySchema: [
              { AttributeName: index.partition, KeyType: 'HASH' as const },
              { AttributeName: index.sort, KeyType: 'RANGE' as const },
            ],
            Projection: { ProjectionType: 'KEYS_ONLY' as const },
          })),
        }
      : {}),
  };
}

async function tableExists(client: DynamoDBClient, TableName: string): Promise<boolean> {
  try {
    await client.send(new DescribeTableCommand({ TableName }));
    return true;
  } catch (err) {
    if (errorName(err) === 'ResourceNotFoundException') return false;
    throw err;
  }
}

async function ensureTable(client: DynamoDBClient, prefix: string, collection: CollectionName): Promise<void> {
  const input = createTableInput(prefix, collection);
  const TableName = input.TableName!;
  if (!(await tableExists(client, TableName))) {
    try {
      await client.send(new CreateTableCommand(input));
    } catch (err) {
      // Another process created it between our describe and create: fine, it is the same definition.
      if (errorName(err) !== 'ResourceInUseException') throw err;
    }
  }
  await waitUntilTableExists({ client, ...WAIT }, { TableName });

  const AttributeName = COLLECTIONS[collection].ttlField;
  if (!AttributeName) return;
  const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName }));
  const status = ttl.TimeToLiveDescription?.TimeToLiveStatus;
  // Enabling it twice is a ValidationException, so only ask when it is neither on nor on its way.
  if (status === 'ENABLED' || status === 'ENABLING') return;
  await client.send(new UpdateTimeToLiveCommand({ TableName, TimeToLiveSpecification: { AttributeName, Enabled: true } }));
}

/**
 * Creates every missing table of shared/collections.json under `prefix`, waits until each is ACTIVE and
 * enables TTL where the collection has a ttlField. Safe to run again. Throws the SDK's errors (and the
 * waiter's timeout) unchanged: this is tooling, not a request path.
 */
export async function ensureTables(client: DynamoDBClient, prefix: string): Promise<void> {
  await Promise.all(COLLECTION_NAMES.map((collection) => ensureTable(client, prefix, collection)));
}

/** Deletes every table of shared/collections.json under `prefix`; missing tables are skipped. */
export async function deleteTables(client: DynamoDBClient, prefix: string): Promise<void> {
  await Promise.all(
    COLLECTION_NAMES.map(async (collection) => {
      const TableName = tableName(prefix, collection);
      try {
        await client.send(new DeleteTableCommand({ TableName }));
      } catch (err) {
        if (errorName(err) === 'ResourceNotFoundException') return;
        throw err;
      }
      await waitUntilTableNotExists({ client, ...WAIT }, { TableName });
    }),
  );
}
