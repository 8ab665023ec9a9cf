/**
 * The store core's algorithm with hooks that answer as a backend would: checks before any hook runs, and the
 * classification of what a hook saw. The real backends run it through the contract suite.
 */
import type { Doc } from '../../shared/store';
import { createStore, type StoreHooks } from '../../shared/storeCore';

const schema = { products: {} };
const stock0: Doc = { id: 'p1', version: 4, stock: 0 };

function hooks(over: Partial<StoreHooks> = {}): { hooks: StoreHooks; sent: string[] } {
  const sent: string[] = [];
  const refuse = async () => (sent.push('write'), { ok: false as const, current: stock0 });
  return {
    sent,
    hooks: {
      get: async () => (sent.push('get'), null),
      update: refuse,
      insert: refuse,
      remove: refuse,
      transact: async () => (sent.push('transact'), { ok: false as const, index: 1, current: stock0 }),
      list: async () => (sent.push('list'), { docs: [] }),
      close: async () => {},
      ...over,
    },
  };
}
const noWait = { now: () => 0, random: () => 0, sleep: async () => {} };

describe('createStore', () => {
  it('refuses an unknown collection, a bad key and a bad spec before any hook runs', async () => {
    const { hooks: h, sent } = hooks();
    const store = createStore({ schema, hooks: h, refusedDocument: 'evaluated' });
    await expect(store.get('nope', 'p1')).rejects.toThrow('unknown collection');
    await expect(store.update('products', '', { inc: { stock: 1 } })).rejects.toThrow('invalid store spec');
    await expect(store.update('products', 'p1', { set: { version: 3 } })).rejects.toThrow('invalid store spec');
    await expect(store.remove('products', 'p1', 1.5)).rejects.toThrow('invalid store spec');
    await expect(store.transact([])).rejects.toThrow('invalid store spec');
    expect(sent).toEqual([]);
  });

  it('classifies a refused update from the document the backend saw, implied guards included', async () => {
    const store = createStore({ schema, hooks: hooks().hooks, refusedDocument: 'evaluated' });
    expect(await store.update('products', 'p1', { guards: [{ field: 'stock', op: 'gte', value: 1 }], inc: { stock: -1 } })).toEqual({
      ok: false,
      reason: 'guard_failed',
      failed: [{ field: 'stock', op: 'gte', value: 1 }],
      current: stock0,
    });
    expect(await store.update('products', 'p1', { expectVersion: 3, inc: { stock: 1 } })).toEqual({
      ok: false,
      reason: 'version_conflict',
      current: stock0,
    });
  });

  it('answers INTERNAL when an evaluated refusal contradicts the conditions', async () => {
    const store = createStore({ schema, hooks: hooks().hooks, refusedDocument: 'evaluated' });
    await expect(store.update('products', 'p1', { inc: { stock: 1 } })).rejects.toMatchObject({ code: 'INTERNAL' });
  });

  it('tries a read-after refusal again, three times in all, before answering INTERNAL', async () => {
    const { hooks: h, sent } = hooks();
    const store = createStore({ schema, hooks: h, refusedDocument: 'read-after', retryDeps: noWait });
    await expect(store.update('products', 'p1', { inc: { stock: 1 } })).rejects.toMatchObject({
      code: 'INTERNAL',
      details: { attempts: 3 },
    });
    expect(sent).toEqual(['write', 'write', 'write']);
  });

  it('hands contention back as a value, untouched and not retried', async () => {
    let runs = 0;
    const { hooks: contended } = hooks({ transact: async () => (runs++, { ok: false, reason: 'throttled', attempts: 1 }) });
    const store = createStore({ schema, hooks: contended, refusedDocument: 'evaluated', retryDeps: noWait });
    expect(await store.transact([{ kind: 'insert', collection: 'products', doc: { id: 'p0' } }])).toEqual({
      ok: false,
      reason: 'throttled',
      attempts: 1,
    });
    expect(runs).toBe(1);
  });

  it('names a refused transaction write by its label, and an insert refusal as already_exists', async () => {
    const store = createStore({ schema, hooks: hooks().hooks, refusedDocument: 'evaluated' });
    const result = await store.transact([
      { kind: 'insert', label: 'first', collection: 'products', doc: { id: 'p0' } },
      {
        kind: 'update',
        label: 'second',
        collection: 'products',
        id: 'p1',
        spec: { guards: [{ field: 'stock', op: 'gt', value: 0 }], inc: { stock: -1 } },
      },
    ]);
    expect(result).toEqual({
      ok: false,
      index: 1,
      label: 'second',
      reason: 'guard_failed',
      failed: [{ field: 'stock', op: 'gt', value: 0 }],
      current: stock0,
    });
    const { hooks: first } = hooks({ transact: async () => ({ ok: false, index: 0, current: stock0 }) });
    expect(
      await createStore({ schema, hooks: first, refusedDocument: 'evaluated' }).transact([
        { kind: 'insert', label: 'only', collection: 'products', doc: { id: 'p1' } },
      ]),
    ).toEqual({
      ok: false,
      index: 0,
      label: 'only',
      reason: 'already_exists',
      current: stock0,
    });
  });
});
