/**
 * An in-memory ConditionalStore: the port's semantics and nothing else, for unit-testing operations without a
 * server. It is built on the same store core as the real adapters (shared/storeCore.ts), with hooks that keep
 * documents in maps, and runs the same contract suite, so it cannot quietly disagree with them. Correctness
 * claims about databases never rest on it.
 */
import { COLLECTIONS, type Schema } from '../../shared/collections';
import { guardHolds } from '../../shared/conditions';
import { comparePositions, inIndex, positionOf } from '../../shared/listQuery';
import { AppError } from '../../shared/errors';
import type {
  ConditionalStore,
  Doc,
  InsertResult,
  ListPage,
  ListQuery,
  NewDoc,
  RemoveResult,
  TxOptions,
  TxResult,
  TxWrite,
  UpdateSpec,
  WriteResult,
} from '../../shared/store';
import { createStore, type PlannedWrite, type StoreHooks } from '../../shared/storeCore';

const clone = <T>(value: T): T => structuredClone(value);

export class MemoryStore implements ConditionalStore {
  private readonly data = new Map<string, Map<string, Doc>>();
  private readonly core: ConditionalStore;

  constructor(schema: Schema = COLLECTIONS) {
    this.core = createStore({ schema, hooks: this.hooks(), refusedDocument: 'evaluated' });
  }

  private table(collection: string): Map<string, Doc> {
    let table = this.data.get(collection);
    if (!table) this.data.set(collection, (table = new Map()));
    return table;
  }

  /** Every document of a collection (tests). */
  all(collection: string): Doc[] {
    return [...this.table(collection).values()].map(clone);
  }

  get(collection: string, id: string): Promise<Doc | null> {
    return this.core.get(collection, id);
  }

  update(collection: string, id: string, spec: UpdateSpec): Promise<WriteResult> {
    return this.core.update(collection, id, spec);
  }

  insert(collection: string, doc: NewDoc): Promise<InsertResult> {
    return this.core.insert(collection, doc);
  }

  remove(collection: string, id: string, expectVersion: number): Promise<RemoveResult> {
    return this.core.remove(collection, id, expectVersion);
  }

  transact(writes: TxWrite[], options?: TxOptions): Promise<TxResult> {
    return this.core.transact(writes, options);
  }

  list(collection: string, query: ListQuery): Promise<ListPage> {
    return this.core.list(collection, query);
  }

  async close(): Promise<void> {}

  /** Each hook checks and applies with no await in between: JavaScript runs it without interleaving. */
  private hooks(): StoreHooks {
    const holds = (current: Doc | null, p: Pick<PlannedWrite, 'conditions'>) =>
      current !== null &&
      (p.conditions.expectVersion === undefined || current.version === p.conditions.expectVersion) &&
      p.conditions.guards.every((g) => guardHolds(current, g));
    return {
      get: async (collection, _shape, id) => {
        const doc = this.table(collection).get(id);
        return doc ? clone(doc) : null;
      },
      update: async (collection, _shape, id, spec, conditions) => {
        const current = this.table(collection).get(id) ?? null;
        if (!holds(current, { conditions })) return { ok: false, current: current && clone(current) };
        const next = apply(current!, spec);
        this.table(collection).set(id, next);
        return { ok: true, doc: clone(next) };
      },
      insert: async (collection, _shape, doc) => {
        const existing = this.table(collection).get(doc.id);
        if (existing) return { ok: false, current: clone(existing) };
        const stored = { ...clone(doc), version: 1 } as Doc;
        this.table(collection).set(doc.id, stored);
        return { ok: true, doc: clone(stored) };
      },
      remove: async (collection, _shape, id, expectVersion) => {
        const current = this.table(collection).get(id);
        if (!current || current.version !== expectVersion) return { ok: false, current: current ? clone(current) : null };
        this.table(collection).delete(id);
        return { ok: true };
      },
      transact: async (planned) => {
        // Check every condition first, then apply all.
        for (const [index, p] of planned.entries()) {
          const current = this.table(p.write.collection).get(p.id) ?? null;
          const refused = p.write.kind === 'insert' ? current !== null : !holds(current, p);
          if (refused) return { ok: false, index, current: current && clone(current) };
        }
        for (const { write } of planned) {
          if (write.kind === 'insert') this.table(write.collection).set(write.doc.id, { ...clone(write.doc), version: 1 } as Doc);
          if (write.kind === 'update')
            this.table(write.collection).set(write.id, apply(this.table(write.collection).get(write.id)!, write.spec));
        }
        return { ok: true, attempts: 1 };
      },
      list: async (collection, _shape, index, query) => {
        const sign = query.order === 'asc' ? 1 : -1;
        const partition = query.equals[index.partition];
        const matching = [...this.table(collection).values()]
          .filter((doc) => inIndex(doc, index) && doc[index.partition] === partition)
          .filter((doc) => !query.after || sign * comparePositions(positionOf(doc, index), query.after) > 0)
          .sort((a, b) => sign * comparePositions(positionOf(a, index), positionOf(b, index)));
        const docs = matching.slice(0, query.limit).map(clone);
        const last = docs.at(-1);
        return matching.length > query.limit && last ? { docs, next: positionOf(last, index) } : { docs };
      },
      close: async () => {},
    };
  }
}

/** `memory` as a store whose transactions are answered by `transact` instead (fault and bound tests). */
export function withTransact(memory: MemoryStore, transact: ConditionalStore['transact']): ConditionalStore {
  return {
    get: (c, id) => memory.get(c, id),
    update: (c, id, spec) => memory.update(c, id, spec),
    insert: (c, doc) => memory.insert(c, doc),
    remove: (c, id, v) => memory.remove(c, id, v),
    transact,
    list: (c, q) => memory.list(c, q),
    close: async () => {},
  };
}

function apply(current: Doc, spec: UpdateSpec): Doc {
  const next: Doc = clone(current);
  for (const [field, value] of Object.entries(spec.set ?? {})) next[field] = clone(value);
  for (const [field, by] of Object.entries(spec.inc ?? {})) {
    const before = next[field] ?? 0;
    if (typeof before !== 'number') throw new AppError('INTERNAL', `cannot increment non-number ${field}`);
    next[field] = before + by;
  }
  if (spec.pull) {
    const { field, key } = spec.pull;
    next[field] = (next[field] as { id: string }[]).filter((e) => e.id !== key);
  }
  if (spec.push) (next[spec.push.field] as unknown[]).push(clone(spec.push.element));
  if (spec.bumpVersion !== false) next.version = current.version + 1;
  return next;
}
