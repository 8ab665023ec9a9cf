/**
 * The collections and indexes the MongoDB adapter relies on, created ahead of time by deploy scripts and test
 * fixtures rather than on the request path.
 */
import type { Db } from 'mongodb';
import type { Schema } from '../../shared/collections';

/** Mongo's code when a collection is created twice; two deploys racing may both try. */
const NAMESPACE_EXISTS = 48;

/**
 * Creates every collection of `schema` that does not exist yet and a TTL index on each `ttlField`
 * (`expireAfterSeconds: 0`: a document goes when the Date in that field passes). Idempotent.
 *
 * Collections are created up front because an insert inside a transaction that implicitly creates its
 * collection can conflict with other transactions (and is refused by older servers).
 * Throws the driver's error when the database is unreachable, or an IndexOptionsConflict when an index of
 * the same name already exists with other options (an operator has to resolve that).
 */
export async function ensureIndexes(db: Db, schema: Schema): Promise<void> {
  const existing = new Set((await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name));
  for (const [name, shape] of Object.entries(schema)) {
    if (!existing.has(name)) {
      try {
        await db.createCollection(name);
      } catch (err) {
        if ((err as { code?: unknown }).code !== NAMESPACE_EXISTS) throw err;
      }
    }
    for (const index of shape.indexes ?? []) {
      await db.collection(name).createIndex({ [index.partition]: 1, [index.sort]: 1 }, { name: index.name });
    }
    if (shape.ttlField) {
      await db.collection(name).createIndex({ [shape.ttlField]: 1 }, { expireAfterSeconds: 0, name: `${shape.ttlField}_ttl` });
    }
  }
}
