/**
 * The MongoDB sender of the conditional-write port: builds with ./filter.ts, sends with the driver, and turns a
 * write that matched nothing into the port's failure values.
 *
 * A Mongo write whose filter matches nothing says only "no": unlike DynamoDB it returns no document. One read
 * afterwards classifies why, with the same `classifyFailure` every adapter uses. Between the write and the
 * read the document may change, so `current` is the document just after the failed write (as the port says).
 */
import type { MongoClient } from 'mongodb';
import { assertKey, classifyFailure, effectiveGuards, InvalidSpecError, validateUpdateSpec } from '../../shared/conditions';
import type { Schema } from '../../shared/collections';
import { AppError } from '../../shared/errors';
import { realRetryDeps, retry, type RetryDeps, type RetryPolicy } from '../../shared/retry';
import type { ConditionalStore, Doc, InsertResult, NewDoc, RemoveResult, WriteResult } from '../../shared/store';
import { buildFilter, buildUpdate, type WriteConditions } from './filter';
import { fromStored, toStored, type StoredDocument } from './storedDocument';
import { isDuplicateKey, runTransaction, type Target } from './transaction';
import { withUnavailableErrors } from './unavailable';

export interface MongoStoreOptions {
  /** Connected lazily by the driver on first use; `close()` closes it. */
  client: MongoClient;
  dbName: string;
  schema: Schema;
  /** Clock, jitter and sleep for the bounded retries (tests inject a fake clock). */
  retryDeps?: RetryDeps;
}

/**
 * A write that failed, then read as "would apply" means the document changed back in between (an A-B-A).
 * Trying again settles it almost always; three tries keep a pathological flip-flop from spinning.
 */
const UPDATE_POLICY: RetryPolicy = { maxAttempts: 3, baseDelayMs: 2, maxDelayMs: 20 };

/**
 * A ConditionalStore on MongoDB (a replica set: transactions need one). Collections are `dbName.<name>` for
 * the names in `schema`; create them and their TTL indexes first with `ensureIndexes`.
 *
 * Throws InvalidSpecError (before sending anything) for a malformed spec or an unknown collection;
 * AppError TRANSACTION_CONFLICT from `transact` when transient conflicts outlast its attempts or deadline;
 * AppError INTERNAL when a failed write cannot be explained (see `update`); AppError SERVICE_UNAVAILABLE when
 * the database is unreachable, stalled or has no primary (unavailable.ts); other driver errors as they come.
 */
export function createMongoStore(options: MongoStoreOptions): ConditionalStore {
  return withUnavailableErrors(createRawMongoStore(options));
}

function createRawMongoStore(options: MongoStoreOptions): ConditionalStore {
  const { client, schema } = options;
  const deps = options.retryDeps ?? realRetryDeps;
  const db = client.db(options.dbName);

  const target = (name: string): Target => {
    const shape = Object.hasOwn(schema, name) ? schema[name] : undefined;
    if (!shape) throw new InvalidSpecError(`unknown collection ${JSON.stringify(name)}`);
    return { collection: db.collection<StoredDocument>(name), shape };
  };

  async function read({ collection, shape }: Target, id: string): Promise<Doc | null> {
    const stored = await collection.findOne({ _id: { $eq: id } });
    return stored ? fromStored(stored, shape) : null;
  }

  return {
    async get(name, id) {
      assertKey(id, 'get');
      return read(target(name), id);
    },

    async update(name, id, spec): Promise<WriteResult> {
      assertKey(id, 'update');
      validateUpdateSpec(spec);
      const into = target(name);
      const conditions: WriteConditions = { expectVersion: spec.expectVersion, guards: effectiveGuards(spec) };
      const filter = buildFilter(id, conditions, into.shape);
      const update = buildUpdate(spec, into.shape);
      const run = await retry<WriteResult, Doc>(
        async () => {
          // The document itself or null; false is driver 7's default, spelled out so a default flip cannot bite.
          const after = await into.collection.findOneAndUpdate(filter, update, {
            returnDocument: 'after',
            includeResultMetadata: false,
          });
          if (after) return { done: true, value: { ok: true, doc: fromStored(after, into.shape) } };
          const current = await read(into, id);
          const failure = classifyFailure(current, conditions);
          // null means the read found every condition holding: the document changed back since the write.
          return failure ? { done: true, value: failure } : { done: false, failure: current as Doc };
        },
        UPDATE_POLICY,
        { deps },
      );
      if (run.ok) return run.value;
      // Every write refused and every read said it would apply. We cannot honestly call that a version
      // conflict or a failed guard (none failed), and a filter that disagrees with guardHolds would do exactly
      // this forever, so it is an internal error rather than a retryable conflict.
      throw new AppError('INTERNAL', `update of ${name}/${id} kept failing while its conditions held`, {
        details: { attempts: run.attempts },
      });
    },

    async insert(name, doc: NewDoc): Promise<InsertResult> {
      assertKey(doc?.id, 'insert');
      const into = target(name);
      const stored = toStored(doc, into.shape);
      try {
        await into.collection.insertOne(stored);
        return { ok: true, doc: fromStored(stored, into.shape) };
      } catch (err) {
        // The unique _id index decides races between inserts; the loser reads what won.
        if (!isDuplicateKey(err)) throw err;
        const current = await read(into, doc.id);
        return current ? { ok: false, reason: 'already_exists', current } : { ok: false, reason: 'already_exists' };
      }
    },

    async remove(name, id, expectVersion): Promise<RemoveResult> {
      assertKey(id, 'remove');
      if (!Number.isSafeInteger(expectVersion)) throw new InvalidSpecError('remove needs an integer expectVersion');
      const into = target(name);
      const removed = await into.collection.deleteOne({ _id: { $eq: id }, version: { $eq: expectVersion } });
      if (removed.deletedCount === 1) return { ok: true };
      // Classified by one read after the refused delete, as update does.
      const current = await read(into, id);
      return current ? { ok: false, reason: 'version_conflict', current } : { ok: false, reason: 'not_found' };
    },

    transact(writes, txOptions = {}) {
      return runTransaction({ client, target, deps }, writes, txOptions);
    },

    async close() {
      await client.close();
    },
  };
}
