/**
 * The DynamoDB adapter, a subpath of its own so that a bundle built for MongoDB drops it and the AWS SDK.
 */
export { createDynamoStore } from './dynamoStore';
export type { DynamoStoreOptions } from './dynamoStore';
export { createDynamoDocumentClient } from './client';
export type { DynamoClientOptions } from './client';
export { createTableInput, deleteTables, ensureTables, tableName } from './tables';
