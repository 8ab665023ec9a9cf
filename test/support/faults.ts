/**
 * Wraps a real (or in-memory) store to inject failures at exact points: the order insert after a stock
 * decrement, an insert that lands but reports failure (an ambiguous timeout), a write that interferes
 * between a read and a compare-and-swap.
 */
import type { ConditionalStore, NewDoc } from '../../shared/store';

export interface FaultPlan {
  /** Throw instead of inserting into this collection (the write never happens). */
  failInsertInto?: string;
  /** Insert, then throw as if the answer was lost. */
  loseInsertAnswerFor?: string;
  /** Throw instead of running any transaction (nothing of it happens). */
  failTransactions?: boolean;
  /** How many inserts the plan affects (default: all). */
  times?: number;
  /** Runs after every get, before the caller can act on it (to provoke version conflicts). */
  afterGet?: (collection: string, id: string) => Promise<void>;
  /** Runs before every update is sent (to provoke version conflicts where no read comes between attempts). */
  beforeUpdate?: (collection: string, id: string) => Promise<void>;
}

export function withFaults(store: ConditionalStore, plan: FaultPlan): ConditionalStore {
  let remaining = plan.times ?? Infinity;
  const hit = (collection: string, target?: string) => target === collection && remaining-- > 0;
  return {
    get: async (collection, id) => {
      const doc = await store.get(collection, id);
      await plan.afterGet?.(collection, id);
      return doc;
    },
    update: async (collection, id, spec) => {
      await plan.beforeUpdate?.(collection, id);
      return store.update(collection, id, spec);
    },
    insert: async (collection: string, doc: NewDoc) => {
      if (hit(collection, plan.failInsertInto)) throw new Error(`injected: insert into ${collection} failed`);
      if (hit(collection, plan.loseInsertAnswerFor)) {
        await store.insert(collection, doc);
        throw new Error(`injected: the answer of an insert into ${collection} was lost`);
      }
      return store.insert(collection, doc);
    },
    remove: (collection, id, version) => store.remove(collection, id, version),
    transact: (writes, options) =>
      plan.failTransactions ? Promise.reject(new Error('injected: the transaction failed')) : store.transact(writes, options),
    list: (collection, query) => store.list(collection, query),
    close: () => store.close(),
  };
}
