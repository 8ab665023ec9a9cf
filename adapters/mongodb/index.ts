/** The MongoDB adapter of the conditional-write port. Loaded only when LOCKLESS_BACKEND=mongodb. */
export { createMongoStore, type MongoStoreOptions } from './sender';
export { createMongoClient, type MongoClientSettings } from './client';
export { ensureIndexes } from './indexes';
export { createMongoOverdueOrders } from './overdueOrders';
export { createMongoCatalog } from './catalog';
