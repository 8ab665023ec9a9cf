/**
 * The database calls the raw contestants are made of, with the driver alone: no port, no handler, no envelope.
 * One implementation per backend (dynamoRaw.ts, mongoRaw.ts), on the documents as the adapters store them,
 * so raw contestants and lockless share tables and the numbers compare like for like.
 */

export interface ProductRow {
  stock: number;
  version: number;
  price: number;
}

/** A document in port terms (`id`, fields); each driver lays it out as its adapter does. */
export type SeedDoc = { id: string; version: number } & Record<string, unknown>;

export interface RawDriver {
  /** The bare guarded decrement: `stock >= q`, then `stock -= q`, in one call. True when it applied. */
  decrement(productId: string, quantity: number): Promise<boolean>;
  /** A strongly consistent read of a product, or null. */
  readProduct(productId: string): Promise<ProductRow | null>;
  /** Sets the stock with no condition at all: the lost-update write of the naive read-check-write. */
  writeStockBlind(productId: string, stock: number): Promise<void>;
  /** Seed 000's write: the new stock and version + 1, only where the version is still the one read. */
  writeStockIfVersion(productId: string, version: number, stock: number): Promise<boolean>;
  /** Seed 003 reads the price again after winning (`Goods::query()->value('price')`). */
  readPrice(productId: string): Promise<number | null>;
  /** Inserts an order document, as the seeds do after the decrement (no condition). */
  insertOrder(order: SeedDoc): Promise<void>;
  /** Guarded debit (`balance >= amount`), true when it applied; then an unguarded credit. */
  debit(accountId: string, amount: number): Promise<boolean>;
  credit(accountId: string, amount: number): Promise<void>;
  /** Bulk inserts for scenario set-up (not timed). */
  seed(collection: string, docs: SeedDoc[]): Promise<void>;
  /** Bulk strongly consistent reads for the invariant checks (not timed); absent ids are missing from the map. */
  readMany(collection: string, ids: string[]): Promise<Map<string, Record<string, unknown>>>;
  close(): Promise<void>;
}
