/**
 * The port's algorithm, written once for every backend: check the key and the collection, validate the spec,
 * add the implied guards, and classify a refused write. Each adapter fills a few small hooks that only talk to
 * its database (as Powertools' idempotency `BasePersistenceLayer` leaves `_putRecord` and friends to its
 * backends), so no backend can skip a check or classify a failure its own way.
 *
 * A hook that sends a guarded write answers what happened: applied, or refused together with the stored
 * document it saw (null when there is none). The core turns that document into the port's failure value with
 * shared/conditions.ts classifyFailure.
 */
import type { CollectionShape, IndexShape, Schema } from './collections';
import {
  InvalidSpecError,
  assertKey,
  classifyFailure,
  effectiveGuards,
  txConditions,
  validateTransaction,
  validateUpdateSpec,
  type WriteConditions,
} from './conditions';
import { AppError } from './errors';
import { validateListQuery } from './listQuery';
import { realRetryDeps, retry, type RetryDeps, type RetryPolicy } from './retry';
import {
  txFailure,
  type ConditionalStore,
  type Doc,
  type ListPage,
  type ListQuery,
  type NewDoc,
  type TxContended,
  type TxOptions,
  type TxWrite,
  type UpdateSpec,
  type WriteFailure,
} from './store';

/** A write refused by its condition, with the stored document the backend saw (null when absent). */
export interface Refused {
  ok: false;
  current: Doc | null;
}

/** A transaction write with its collection's shape and its conditions, ready for a backend to build. */
export interface PlannedWrite {
  write: TxWrite;
  shape: CollectionShape;
  id: string;
  conditions: WriteConditions;
}

/** What an adapter fills in: sending only. Every argument has been checked by the core. */
export interface StoreHooks {
  get(collection: string, shape: CollectionShape, id: string): Promise<Doc | null>;
  update(
    collection: string,
    shape: CollectionShape,
    id: string,
    spec: UpdateSpec,
    conditions: WriteConditions,
  ): Promise<{ ok: true; doc: Doc } | Refused>;
  insert(collection: string, shape: CollectionShape, doc: NewDoc): Promise<{ ok: true; doc: Doc } | Refused>;
  remove(collection: string, shape: CollectionShape, id: string, expectVersion: number): Promise<{ ok: true } | Refused>;
  /**
   * All or nothing, one attempt: committed, the first refused write by position (with what the backend saw of
   * it), or contended (lost to concurrent writes or throttled; nothing written). Never retries contention.
   */
  transact(
    writes: PlannedWrite[],
    options: TxOptions,
  ): Promise<{ ok: true; attempts: number } | (Refused & { index: number }) | TxContended>;
  /**
   * One page of `index` (already checked against the collection's shape): at most `query.limit` documents in
   * the port's order (listQuery.ts), `next` only when more may follow.
   */
  list(collection: string, shape: CollectionShape, index: IndexShape, query: ListQuery): Promise<ListPage>;
  close(): Promise<void>;
}

export interface StoreCoreOptions {
  schema: Schema;
  hooks: StoreHooks;
  /**
   * How the backend knows the document behind a refused single update:
   * - `evaluated`: it is the very document the condition was evaluated against (DynamoDB's ALL_OLD, in memory),
   *   so conditions holding on it means the builder and the port disagree: INTERNAL;
   * - `read-after`: it was read after the refusal (MongoDB), and may have changed back in between (A-B-A):
   *   the write is tried again, at most REREAD_POLICY.maxAttempts times in all.
   */
  refusedDocument: 'evaluated' | 'read-after';
  retryDeps?: RetryDeps;
}

/** An update refused, then read as "would apply": try again, briefly; three tries stop a flip-flop spinning. */
export const REREAD_POLICY: RetryPolicy = { maxAttempts: 3, baseDelayMs: 2, maxDelayMs: 20 };

/**
 * A ConditionalStore from backend hooks. Every method throws InvalidSpecError (before anything is sent) for an
 * unknown collection, a bad key or a spec the port refuses; AppError INTERNAL when a backend refuses a write
 * whose conditions hold on what it returned; and whatever the hooks throw (SERVICE_UNAVAILABLE; DynamoDB
 * single writes: TRANSACTION_CONFLICT). `transact` answers contention as a value and never retries it.
 */
export function createStore(options: StoreCoreOptions): ConditionalStore {
  const { schema, hooks } = options;
  const deps = options.retryDeps ?? realRetryDeps;

  function shapeOf(collection: string): CollectionShape {
    const shape = Object.hasOwn(schema, collection) ? schema[collection] : undefined;
    if (!shape) throw new InvalidSpecError(`unknown collection ${JSON.stringify(collection)}`);
    return shape;
  }

  function classify(current: Doc | null, conditions: WriteConditions, what: string): WriteFailure {
    const failure = classifyFailure(current, conditions);
    // The backend refused a condition that holds on the very document it returned: builder and port disagree.
    if (!failure) throw new AppError('INTERNAL', `${what} was refused although its conditions hold`, { details: { conditions } });
    return failure;
  }

  return {
    async get(collection, id) {
      const shape = shapeOf(collection);
      assertKey(id, 'get');
      const doc = await hooks.get(collection, shape, id);
      // A document that never went through `npm run migrate` (shared/migration.ts): no compare-and-swap may be
      // built on a version it does not have. The operator's problem, so a plain 500 for the client.
      if (doc && !Number.isSafeInteger(doc.version)) {
        throw new AppError('INTERNAL', `${collection}/${id} has no version: run npm run migrate -- --collection ${collection}`);
      }
      return doc;
    },

    async update(collection, id, spec) {
      const shape = shapeOf(collection);
      assertKey(id, 'update');
      validateUpdateSpec(spec);
      const conditions: WriteConditions = { expectVersion: spec.expectVersion, guards: effectiveGuards(spec) };
      if (options.refusedDocument === 'evaluated') {
        const out = await hooks.update(collection, shape, id, spec, conditions);
        return out.ok ? out : classify(out.current, conditions, `update of ${collection}/${id}`);
      }
      const run = await retry<{ ok: true; doc: Doc } | WriteFailure, null>(
        async () => {
          const out = await hooks.update(collection, shape, id, spec, conditions);
          if (out.ok) return { done: true, value: out };
          const failure = classifyFailure(out.current, conditions);
          // null: the read found every condition holding, so the document changed back since the write.
          return failure ? { done: true, value: failure } : { done: false, failure: null };
        },
        REREAD_POLICY,
        { deps },
      );
      if (run.ok) return run.value;
      // Every write refused and every read said it would apply. That is neither a version conflict nor a failed
      // guard, and a builder that disagrees with guardHolds would do exactly this forever: INTERNAL.
      throw new AppError('INTERNAL', `update of ${collection}/${id} kept failing while its conditions held`, {
        details: { attempts: run.attempts },
      });
    },

    async insert(collection, doc) {
      const shape = shapeOf(collection);
      assertKey(doc?.id, 'insert');
      const out = await hooks.insert(collection, shape, doc);
      if (out.ok) return out;
      return out.current ? { ok: false, reason: 'already_exists', current: out.current } : { ok: false, reason: 'already_exists' };
    },

    async remove(collection, id, expectVersion) {
      const shape = shapeOf(collection);
      assertKey(id, 'remove');
      if (!Number.isSafeInteger(expectVersion)) throw new InvalidSpecError('remove needs an integer expectVersion');
      const out = await hooks.remove(collection, shape, id, expectVersion);
      if (out.ok) return out;
      return out.current ? { ok: false, reason: 'version_conflict', current: out.current } : { ok: false, reason: 'not_found' };
    },

    async transact(writes, txOptions = {}) {
      validateTransaction(writes);
      const planned = writes.map((write) => ({
        write,
        shape: shapeOf(write.collection),
        id: write.kind === 'insert' ? write.doc.id : write.id,
        conditions: txConditions(write),
      }));
      const out = await hooks.transact(planned, txOptions);
      if (out.ok) return out;
      if (!('index' in out)) return out;
      const write = writes[out.index];
      if (!write) throw new AppError('INTERNAL', `a transaction was refused at write ${out.index} of ${writes.length}`);
      if (write.kind === 'insert') {
        return txFailure(write, out.index, { ok: false, reason: 'already_exists', ...(out.current ? { current: out.current } : {}) });
      }
      return txFailure(write, out.index, classify(out.current, txConditions(write), `transaction write ${out.index}`));
    },

    async list(collection, query) {
      const shape = shapeOf(collection);
      const index = validateListQuery(collection, shape, query);
      return hooks.list(collection, shape, index, query);
    },

    close: () => hooks.close(),
  };
}
