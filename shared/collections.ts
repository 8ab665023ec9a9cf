/**
 * The collections lockless stores, and the two facts about their shape that an adapter must know.
 *
 * This JSON is the single source of truth: the DynamoDB table definitions in serverless.yml and the tables
 * created locally both derive from it (adapters/dynamodb/tables.ts, scripts/serverless/tables.cjs).
 */
import collections from './collections.json';

export interface CollectionShape {
  /** Array fields whose elements are objects with a unique `id` (cart items). */
  keyedArrays?: string[];
  /** A field holding an expiry in epoch seconds, removed by the backend's TTL (DynamoDB TTL, Mongo TTL index). */
  ttlField?: string;
}

export type CollectionName = keyof typeof collections;

export const COLLECTIONS: Readonly<Record<CollectionName, CollectionShape>> = collections;

export const COLLECTION_NAMES = Object.keys(COLLECTIONS) as CollectionName[];

/** The collection names as the operations use them: defined here only, checked against collections.json. */
export const PRODUCTS = 'products' satisfies CollectionName;
export const ORDERS = 'orders' satisfies CollectionName;
export const CARTS = 'carts' satisfies CollectionName;
export const ACCOUNTS = 'accounts' satisfies CollectionName;
export const LEDGER = 'ledger' satisfies CollectionName;
export const IDEMPOTENCY = 'idempotency' satisfies CollectionName;
export const LEASES = 'leases' satisfies CollectionName;
export const BATCHES = 'batches' satisfies CollectionName;
export const MAINTENANCE = 'maintenance' satisfies CollectionName;

/** Shapes by collection name for adapters, which are keyed by plain strings. */
export type Schema = Readonly<Record<string, CollectionShape>>;
