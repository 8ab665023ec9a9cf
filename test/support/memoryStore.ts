/**
 * An in-memory ConditionalStore: the port's semantics and nothing else, for unit-testing operations without a
 * server. It runs the same contract suite as the real adapters, so it cannot quietly disagree with them.
 * Correctness claims about databases never rest on it.
 */
import { AppError } from '../../shared/errors';
import {
  assertKey,
  classifyFailure,
  effectiveGuards,
  txConditions,
  validateTransaction,
  validateUpdateSpec,
} from '../../shared/conditions';
import { txFailure, type ConditionalStore, type Doc, type InsertResult, type RemoveResult, type TxResult, type TxWrite, type UpdateSpec, type WriteResult } from '../../shared/store';

const clone = <T>(value: T): T => structuredClone(value);

export class MemoryStore implements ConditionalStore {
  private readonly data = new Map<string, Map<string, Doc>>();

  private table(collection: string): Map<string, Doc> {
    let table = this.data.get(collection);
    if (!table) this.data.set(collection, (table = new Map()));
    return table;
  }

  /** Every document of a collection (tests). */
  all(collection: string): Doc[] {
    return [...this.table(collection).values()].map(clone);
  }

  async get(collection: string, id: string): Promise<Doc | null> {
    assertKey(id, 'get');
    const doc = this.table(collection).get(id);
    return doc ? clone(doc) : null;
  }

  async update(collection: string, id: string, spec: UpdateSpec): Promise<WriteResult> {
    validateUpdateSpec(spec);
    assertKey(id, 'update');
    const current = this.table(collection).get(id) ?? null;
    const failure = classifyFailure(current && clone(current), { expectVersion: spec.expectVersion, guards: effectiveGuards(spec) });
    if (failure) return failure;
    const next = apply(current!, spec);
    this.table(collection).set(id, next);
    return { ok: true, doc: clone(next) };
  }

  async insert(collection: string, doc: { id: string; [k: string]: unknown }): Promise<InsertResult> {
    assertKey(doc.id, 'insert');
    const existing = this.table(collection).get(doc.id);
    if (existing) return { ok: false, reason: 'already_exists', current: clone(existing) };
    const stored = { ...clone(doc), version: 1 } as Doc;
    this.table(collection).set(doc.id, stored);
    return { ok: true, doc: clone(stored) };
  }

  async remove(collection: string, id: string, expectVersion: number): Promise<RemoveResult> {
    assertKey(id, 'remove');
    const current = this.table(collection).get(id);
    if (!current) return { ok: false, reason: 'not_found' };
    if (current.version !== expectVersion) return { ok: false, reason: 'version_conflict', current: clone(current) };
    this.table(collection).delete(id);
    return { ok: true };
  }

  async transact(writes: TxWrite[]): Promise<TxResult> {
    validateTransaction(writes);
    // Check every condition first, then apply all: JavaScript runs this without interleaving.
    for (const [index, write] of writes.entries()) {
      if (write.kind === 'insert') {
        const existing = this.table(write.collection).get(write.doc.id);
        if (existing) return txFailure(write, index, { ok: false, reason: 'already_exists', current: clone(existing) });
        continue;
      }
      const current = this.table(write.collection).get(write.id) ?? null;
      const failure = classifyFailure(current && clone(current), txConditions(write));
      if (failure) return txFailure(write, index, failure);
    }
    for (const write of writes) {
      if (write.kind === 'insert') this.table(write.collection).set(write.doc.id, { ...clone(write.doc), version: 1 } as Doc);
      if (write.kind === 'update') this.table(write.collection).set(write.id, apply(this.table(write.collection).get(write.id)!, write.spec));
    }
    return { ok: true, attempts: 1 };
  }

  async close(): Promise<void> {}
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
