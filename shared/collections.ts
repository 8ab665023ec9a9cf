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
  /**
   * Secondary indexes by name: documents with the same `partition` value, ordered by `sort` (then by id).
   * DynamoDB: a global secondary index of that name; MongoDB: a compound index. Read with the port's `list`.
   */
  indexes?: Record<string, IndexShape>;
}

/** One secondary index: both fields are top-level; a document lacking either is not in the index. */
export interface IndexShape {
  partition: string;
  sort: string;
  /** The sort field's type, which DynamoDB's key schema must declare. */
  sortType: 'string' | 'number';
}

export type CollectionName = keyof typeof collections;

export const COLLECTIONS: Readonly<Record<CollectionName, CollectionShape>> = collections as Record<CollectionName, CollectionShape>;

export const COLLECTION_NAMES = Object.keys(COLLECTIONS) as CollectionName[];

/** The collection names as the operations use them: defined here only, checked against collections.json. */
export const PRODUCTS = 'products' satisfies CollectionName;
export const ORDERS = 'orders' satisfies CollectionName;
export const CARTS = 'carts' satisfies CollectionName;
export const ACCOUNTS = 'accounts' satisfies CollectionName;
export const LEDGER = 'ledger' satisfies CollectionName;
export const IDEMPOTENCY = 'idempotency' satisfies CollectionName;
/** Units each buyer holds of each limited product (shared/operations/purchaseLimits.ts). */
export const ALLOWANCES = 'allowances' satisfies CollectionName;
/** Lottery rounds, their entries, the shares each user holds in a round, and the queue of full rounds to draw. */
export const ROUNDS = 'rounds' satisfies CollectionName;
export const ROUND_ENTRIES = 'roundEntries' satisfies CollectionName;
export const ROUND_HOLDINGS = 'roundHoldings' satisfies CollectionName;
export const ROUND_QUEUE = 'roundQueue' satisfies CollectionName;
/** Leases with fencing tokens, batch adjustment headers, and maintenance markers (issue 12). */
export const LEASES = 'leases' satisfies CollectionName;
export const BATCHES = 'batches' satisfies CollectionName;
export const MAINTENANCE = 'maintenance' satisfies CollectionName;

/** Shapes by collection name for adapters, which are keyed by plain strings. */
export type Schema = Readonly<Record<string, CollectionShape>>;
