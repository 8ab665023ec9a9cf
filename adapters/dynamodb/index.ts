/**
 * The DynamoDB adapter, a subpath of its own so that a bundle built for MongoDB drops it and the AWS SDK.
 */
export { createDynamoStore } from './sender';
export type { DynamoStoreOptions } from './sender';
export { createDynamoDocumentClient } from './client';
export type { DynamoClientOptions } from './client';
export { createTableInput, deleteTables, ensureTables, tableName } from './tables';
export { createDynamoOverdueOrders } from './overdueOrders';
export { createDynamoCatalog } from './catalog';
