/**
 * The benchmark's yardstick for a cold start on DynamoDB: the smallest honest handler for GET /products/{id},
 * written by hand. It makes the call lockless's getProduct makes (a consistent GetItem on the products table)
 * through the same DocumentClient, built by the same factory with the same settings, and answers the item as
 * JSON. No validation, no envelope, no error mapping: what lockless adds over this is lockless's own cost.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoSettings } from '../../shared/config';
import { createDynamoDocumentClient } from '../../adapters/dynamodb/client';
import { tableName } from '../../adapters/dynamodb/tables';

const settings = dynamoSettings();
const client = createDynamoDocumentClient(settings);
const products = tableName(settings.tablePrefix, 'products');

export const handler = async (event: { pathParameters?: { id?: string } }) => {
  const { Item } = await client.send(new GetCommand({ TableName: products, Key: { id: event.pathParameters?.id }, ConsistentRead: true }));
  return { statusCode: Item ? 200 : 404, headers: { 'content-type': 'application/json' }, body: JSON.stringify(Item ?? null) };
};
