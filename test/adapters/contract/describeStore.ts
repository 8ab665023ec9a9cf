/**
 * The one contract every adapter must meet, run against each backend on a real server. If the backends ever
 * drift apart, one of them fails here.
 */
import { randomUUID } from 'node:crypto';
import { transactUntilDecided } from '../../../shared/operations/contention';
import { realRetryDeps } from '../../../shared/retry';
import { describeList } from './describeList';
import { isContended, type ConditionalStore, type Doc, type Guard, type TxWrite } from '../../../shared/store';

export interface StoreFixture {
  store: ConditionalStore;
  /** Drops what the fixture created and closes connections. */
  cleanup(): Promise<void>;
}

const P = 'products';
const uid = (label: string) => `${label}-${randomUUID()}`;
const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);

export function describeStore(backend: string, makeFixture: () => Promise<StoreFixture>): void {
  describe(`ConditionalStore contract: ${backend}`, () => {
    let fixture: StoreFixture;
    let store: ConditionalStore;

    beforeAll(async () => {
      fixture = await makeFixture();
      store = fixture.store;
    });
    afterAll(async () => {
      await fixture?.cleanup();
    });

    describeList(() => store);

    async function product(fields: Record<string, unknown> = {}): Promise<Doc> {
      const id = uid('p');
      const result = await store.insert(P, { id, name: '商品A', stock: 10, price: 1999, ...fields });
      if (!result.ok) throw new Error('fixture insert failed');
      return result.doc;
    }

    describe('remove', () => {
      it('deletes a document at the expected version, after which it can be inserted anew', async () => {
        const doc = await product();
        expect(await store.remove(P, doc.id, 1)).toEqual({ ok: true });
        expect(await store.get(P, doc.id)).toBeNull();
        expect(await store.insert(P, { id: doc.id, name: 'again' })).toMatchObject({ ok: true, doc: { version: 1 } });
      });

      it('refuses, changing nothing, when the version moved on, and answers not_found for a missing document', async () => {
        const doc = await product();
        await store.update(P, doc.id, { inc: { stock: -1 } });
        expect(await store.remove(P, doc.id, 1)).toMatchObject({
          ok: false,
          reason: 'version_conflict',
          current: { id: doc.id, version: 2, stock: 9 },
        });
        expect(await store.get(P, doc.id)).toMatchObject({ version: 2, stock: 9 });
        expect(await store.remove(P, uid('missing'), 1)).toEqual({ ok: false, reason: 'not_found' });
      });

      it('deletes once when removals race', async () => {
        const doc = await product();
        const results = await Promise.all(Array.from({ length: 8 }, () => store.remove(P, doc.id, 1)));
        expect(results.filter((r) => r.ok)).toHaveLength(1);
        expect(results.filter((r) => !r.ok && r.reason === 'not_found')).toHaveLength(7);
      });
    });

    describe('get and insert', () => {
      it('returns null for a missing document', async () => {
        expect(await store.get(P, uid('missing'))).toBeNull();
      });

      it('inserts with version 1 and reads back every value type unchanged', async () => {
        const id = uid('p');
        const fields = {
          name: '商品A 🚀',
          stock: 100,
          price: 1999,
          active: true,
          note: null,
          tags: ['a', 'b'],
          meta: { nested: { depth: 2 }, list: [1, 2, 3] },
        };
        const inserted = await store.insert(P, { id, ...fields });
        expect(inserted).toEqual({ ok: true, doc: { id, version: 1, ...fields } });
        expect(await store.get(P, id)).toEqual({ id, version: 1, ...fields });
      });

      it('refuses a second insert of the same id and returns what is stored', async () => {
        const doc = await product({ stock: 7 });
        const again = await store.insert(P, { id: doc.id, stock: 999 });
        expect(again.ok).toBe(false);
        if (again.ok) return;
        expect(again.reason).toBe('already_exists');
        expect(again.current).toMatchObject({ id: doc.id, stock: 7, version: 1 });
        expect(await store.get(P, doc.id)).toMatchObject({ stock: 7 });
      });

      it('lets exactly one of 20 concurrent inserts of one id win', async () => {
        const id = uid('race');
        const results = await Promise.all(Array.from({ length: 20 }, (_, i) => store.insert(P, { id, writer: i })));
        const winners = results.filter((r) => r.ok);
        expect(winners).toHaveLength(1);
        expect(results.filter((r) => !r.ok && r.reason === 'already_exists')).toHaveLength(19);
        const stored = await store.get(P, id);
        expect(stored?.writer).toBe((winners[0] as { doc: Doc }).doc.writer);
      });

      it('keeps keyed arrays and TTL fields as the port shows them', async () => {
        const cartId = uid('cart');
        const items = [
          { id: 'b', sku: 'sku-b', qty: 2 },
          { id: 'a', sku: 'sku-a', qty: 1 },
        ];
        await store.insert('carts', { id: cartId, owner: 'u1', items });
        const cart = await store.get('carts', cartId);
        expect(((cart?.items ?? []) as { id: string }[]).slice().sort(byId)).toEqual(items.slice().sort(byId));

        const emptyId = uid('cart');
        await store.insert('carts', { id: emptyId, owner: 'u1', items: [] });
        expect((await store.get('carts', emptyId))?.items).toEqual([]);

        const key = uid('idem');
        const expiresAt = Math.floor(Date.now() / 1000) + 86_400;
        await store.insert('idempotency', { id: key, expiresAt, state: 'done' });
        expect(await store.get('idempotency', key)).toEqual({ id: key, version: 1, expiresAt, state: 'done' });
      });
    });

    describe('update', () => {
      it('applies set and inc, bumps the version and returns the document after the write', async () => {
        const doc = await product({ stock: 10 });
        const result = await store.update(P, doc.id, { set: { name: 'renamed' }, inc: { stock: -3, sold: 3 } });
        expect(result).toEqual({ ok: true, doc: { ...doc, name: 'renamed', stock: 7, sold: 3, version: 2 } });
        expect(await store.get(P, doc.id)).toEqual({ ...doc, name: 'renamed', stock: 7, sold: 3, version: 2 });
      });

      it('leaves the version alone when asked not to bump it', async () => {
        const doc = await product();
        const result = await store.update(P, doc.id, { inc: { views: 1 }, bumpVersion: false });
        expect(result.ok && result.doc.version).toBe(1);
        expect((await store.get(P, doc.id))?.version).toBe(1);
      });

      it('answers not_found for a missing document and never creates it', async () => {
        const id = uid('missing');
        expect(await store.update(P, id, { inc: { stock: -1 } })).toEqual({ ok: false, reason: 'not_found' });
        expect(await store.update(P, id, { expectVersion: 1, set: { a: 1 } })).toEqual({ ok: false, reason: 'not_found' });
        expect(await store.get(P, id)).toBeNull();
      });

      it('compare-and-swaps on the version', async () => {
        const doc = await product();
        const first = await store.update(P, doc.id, { expectVersion: 1, inc: { stock: -1 } });
        expect(first.ok && first.doc.version).toBe(2);
        const stale = await store.update(P, doc.id, { expectVersion: 1, inc: { stock: -1 } });
        expect(stale).toEqual({ ok: false, reason: 'version_conflict', current: { ...doc, stock: 9, version: 2 } });
        expect((await store.get(P, doc.id))?.stock).toBe(9);
      });

      it('lets exactly one of 20 concurrent compare-and-swaps on one version win', async () => {
        const doc = await product({ stock: 100 });
        const results = await Promise.all(
          Array.from({ length: 20 }, () => store.update(P, doc.id, { expectVersion: 1, inc: { stock: -1 } })),
        );
        expect(results.filter((r) => r.ok)).toHaveLength(1);
        expect(results.filter((r) => !r.ok && r.reason === 'version_conflict')).toHaveLength(19);
        expect(await store.get(P, doc.id)).toMatchObject({ stock: 99, version: 2 });
      });

      it('compare-and-swaps with set alone: the winner sees what it wrote, a stale swap changes nothing and sees the winner', async () => {
        // Arrange: the shape of a `version` purchase (on MongoDB the one-round-trip path, adapters/mongodb/casUpdate.ts).
        const doc = await product({ sold: 0 });
        // Act
        const won = await store.update(P, doc.id, { expectVersion: 1, set: { stock: 9, sold: 1, takes: 1 } });
        const stale = await store.update(P, doc.id, { expectVersion: 1, set: { stock: 0, sold: 10, note: 'never' } });
        // Assert
        expect(won).toEqual({ ok: true, doc: { ...doc, stock: 9, sold: 1, takes: 1, version: 2 } });
        expect(stale).toEqual({ ok: false, reason: 'version_conflict', current: { ...doc, stock: 9, sold: 1, takes: 1, version: 2 } });
        // The refused swap added no field it would have set.
        expect(await store.get(P, doc.id)).toEqual({ ...doc, stock: 9, sold: 1, takes: 1, version: 2 });
      });

      it('stores set values of a compare-and-swap literally, whatever they look like', async () => {
        const doc = await product();
        const values = { label: '$stock', meta: { $add: [1, 2] }, list: ['$price'] };
        const result = await store.update(P, doc.id, { expectVersion: 1, set: values });
        expect(result).toEqual({ ok: true, doc: { ...doc, ...values, version: 2 } });
        expect(await store.get(P, doc.id)).toEqual({ ...doc, ...values, version: 2 });
      });

      it('lets exactly one of 20 concurrent set-only compare-and-swaps on one version win, and shows each loser the winner', async () => {
        const doc = await product({ stock: 100 });
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, i) => store.update(P, doc.id, { expectVersion: 1, set: { stock: 99, by: i } })),
        );
        const winners = results.filter((r) => r.ok);
        expect(winners).toHaveLength(1);
        const stored = await store.get(P, doc.id);
        expect(stored).toMatchObject({ stock: 99, version: 2 });
        for (const r of results) if (!r.ok) expect(r).toEqual({ ok: false, reason: 'version_conflict', current: stored });
      });

      it('reports version_conflict before a failing guard', async () => {
        const doc = await product({ stock: 0 });
        await store.update(P, doc.id, { set: { name: 'bump' } });
        const result = await store.update(P, doc.id, {
          expectVersion: 1,
          guards: [{ field: 'stock', op: 'gte', value: 1 }],
          inc: { stock: -1 },
        });
        expect(result.ok === false && result.reason).toBe('version_conflict');
      });
    });

    describe('guards', () => {
      // Each row: the guard, a document it holds on, and one it does not.
      const cases: Array<[string, Guard, Record<string, unknown>, Record<string, unknown>]> = [
        ['gte at the boundary', { field: 'stock', op: 'gte', value: 5 }, { stock: 5 }, { stock: 4 }],
        ['gt', { field: 'stock', op: 'gt', value: 5 }, { stock: 6 }, { stock: 5 }],
        ['lte at the boundary', { field: 'stock', op: 'lte', value: 5 }, { stock: 5 }, { stock: 6 }],
        ['lt', { field: 'stock', op: 'lt', value: 5 }, { stock: 4 }, { stock: 5 }],
        ['gte on a missing field', { field: 'quota', op: 'gte', value: 0 }, { quota: 0 }, {}],
        ['gte on a string field', { field: 'stock', op: 'gte', value: 1 }, { stock: 10 }, { stock: '10' }],
        ['eq on a string', { field: 'status', op: 'eq', value: 'created' }, { status: 'created' }, { status: 'paid' }],
        ['eq on a number', { field: 'price', op: 'eq', value: 1999 }, { price: 1999 }, { price: 2000 }],
        ['eq does not convert types', { field: 'price', op: 'eq', value: 1999 }, { price: 1999 }, { price: '1999' }],
        ['eq on a boolean', { field: 'active', op: 'eq', value: true }, { active: true }, { active: false }],
        ['exists', { field: 'lockedBy', op: 'exists' }, { lockedBy: 'x' }, {}],
        ['exists holds for null', { field: 'lockedBy', op: 'exists' }, { lockedBy: null }, {}],
        ['notExists', { field: 'lockedBy', op: 'notExists' }, {}, { lockedBy: 'x' }],
        ['hasElement', { field: 'items', op: 'hasElement', key: 'e1' }, { items: [{ id: 'e1' }] }, { items: [{ id: 'e2' }] }],
        ['lacksElement', { field: 'items', op: 'lacksElement', key: 'e1' }, { items: [{ id: 'e2' }] }, { items: [{ id: 'e1' }] }],
        ['lacksElement on a missing array', { field: 'items', op: 'lacksElement', key: 'e1' }, { items: [] }, {}],
      ];

      it.each(cases)('%s: applies when it holds, guard_failed with the document when not', async (_name, guard, pass, fail) => {
        const collection = guard.field === 'items' ? 'carts' : P;
        const holding = uid('g');
        await store.insert(collection, { id: holding, ...pass });
        const applied = await store.update(collection, holding, { guards: [guard], inc: { touched: 1 } });
        expect(applied.ok).toBe(true);

        const failing = uid('g');
        await store.insert(collection, { id: failing, ...fail });
        const refused = await store.update(collection, failing, { guards: [guard], inc: { touched: 1 } });
        expect(refused).toEqual({
          ok: false,
          reason: 'guard_failed',
          failed: [guard],
          current: expect.objectContaining({ id: failing, version: 1 }),
        });
        expect((await store.get(collection, failing))?.touched).toBeUndefined();
      });

      it('names only the guards that failed', async () => {
        const doc = await product({ stock: 3, price: 1999 });
        const guards: Guard[] = [
          { field: 'price', op: 'eq', value: 1999 },
          { field: 'stock', op: 'gte', value: 4 },
          { field: 'deleted', op: 'notExists' },
        ];
        const result = await store.update(P, doc.id, { guards, inc: { stock: -4 } });
        expect(result.ok === false && result.reason === 'guard_failed' && result.failed).toEqual([guards[1]]);
      });

      it('lets exactly as many guarded decrements succeed as there is stock, under contention', async () => {
        const doc = await product({ stock: 10 });
        const results = await Promise.all(
          Array.from({ length: 30 }, () =>
            store.update(P, doc.id, { guards: [{ field: 'stock', op: 'gte', value: 1 }], inc: { stock: -1 } }),
          ),
        );
        expect(results.filter((r) => r.ok)).toHaveLength(10);
        expect(results.filter((r) => !r.ok && r.reason === 'guard_failed')).toHaveLength(20);
        expect(await store.get(P, doc.id)).toMatchObject({ stock: 0, version: 11 });
      });
    });

    describe('keyed arrays: pull and push', () => {
      async function cart(items: { id: string; [k: string]: unknown }[]): Promise<Doc> {
        const result = await store.insert('carts', { id: uid('cart'), owner: 'u1', items });
        if (!result.ok) throw new Error('fixture insert failed');
        return result.doc;
      }
      const ids = (doc: Doc | null) => ((doc?.items as { id: string }[]) ?? []).map((e) => e.id).sort();

      it('removes one element by key and bumps the version', async () => {
        const c = await cart([
          { id: 'x', qty: 1 },
          { id: 'y', qty: 2 },
        ]);
        const result = await store.update('carts', c.id, { pull: { field: 'items', key: 'x' } });
        expect(result.ok && result.doc.version).toBe(2);
        expect(result.ok && ids(result.doc)).toEqual(['y']);
        expect(ids(await store.get('carts', c.id))).toEqual(['y']);
      });

      it('answers guard_failed hasElement when the element is not there', async () => {
        const c = await cart([{ id: 'y' }]);
        const result = await store.update('carts', c.id, { pull: { field: 'items', key: 'x' } });
        expect(result).toEqual({
          ok: false,
          reason: 'guard_failed',
          failed: [{ field: 'items', op: 'hasElement', key: 'x' }],
          current: expect.objectContaining({ id: c.id, version: 1 }),
        });
      });

      it('removes an element exactly once under 20 concurrent removals', async () => {
        const c = await cart([{ id: 'x' }, { id: 'y' }]);
        const results = await Promise.all(
          Array.from({ length: 20 }, () => store.update('carts', c.id, { pull: { field: 'items', key: 'x' } })),
        );
        expect(results.filter((r) => r.ok)).toHaveLength(1);
        expect(results.filter((r) => !r.ok && r.reason === 'guard_failed')).toHaveLength(19);
        expect(ids(await store.get('carts', c.id))).toEqual(['y']);
      });

      it('adds an element once and refuses a duplicate id', async () => {
        const c = await cart([]);
        const element = { id: 'x', sku: 'sku-1', qty: 2 };
        const added = await store.update('carts', c.id, { push: { field: 'items', element } });
        expect(added.ok && added.doc.items).toEqual([element]);
        const dup = await store.update('carts', c.id, { push: { field: 'items', element: { id: 'x', qty: 9 } } });
        expect(dup.ok === false && dup.reason === 'guard_failed' && dup.failed).toEqual([{ field: 'items', op: 'lacksElement', key: 'x' }]);
        expect((await store.get('carts', c.id))?.items).toEqual([element]);
      });

      it('refuses to push into a missing array', async () => {
        const id = uid('cart');
        await store.insert('carts', { id, owner: 'u1' });
        const result = await store.update('carts', id, { push: { field: 'items', element: { id: 'x' } } });
        expect(result.ok === false && result.reason).toBe('guard_failed');
        expect((await store.get('carts', id))?.items).toBeUndefined();
      });

      it('loses nothing when removals of different elements race with additions', async () => {
        const initial = Array.from({ length: 20 }, (_, i) => ({ id: `old-${i}` }));
        const c = await cart(initial);
        const removals = initial.map((e) => store.update('carts', c.id, { pull: { field: 'items', key: e.id } }));
        const additions = Array.from({ length: 20 }, (_, i) =>
          store.update('carts', c.id, { push: { field: 'items', element: { id: `new-${i}` } } }),
        );
        const results = await Promise.all([...removals, ...additions]);
        expect(results.every((r) => r.ok)).toBe(true);
        const stored = await store.get('carts', c.id);
        expect(ids(stored)).toEqual(Array.from({ length: 20 }, (_, i) => `new-${i}`).sort());
        expect(stored?.version).toBe(41);
      });
    });

    describe('refuses specs that could be injection or that the backends would read differently', () => {
      const bad: Array<[string, () => Promise<unknown>]> = [
        ['a $ field', () => store.update(P, 'x', { set: { $where: 1 } as never })],
        ['a dotted field', () => store.update(P, 'x', { set: { 'a.b': 1 } })],
        ['__proto__', () => store.update(P, 'x', { set: JSON.parse('{"__proto__": 1}') })],
        ['expression syntax in a field', () => store.update(P, 'x', { set: { 'a = :b': 1 } })],
        ['a guard on a $ field', () => store.update(P, 'x', { guards: [{ field: '$gt', op: 'exists' }], inc: { a: 1 } })],
        ['setting the version', () => store.update(P, 'x', { set: { version: 99 } })],
        ['the same field twice', () => store.update(P, 'x', { set: { a: 1 }, inc: { a: 1 } })],
        ['a fractional increment', () => store.update(P, 'x', { inc: { a: 0.5 } })],
        [
          'a transaction touching one document twice',
          () =>
            store.transact([
              { kind: 'update', collection: P, id: 'x', spec: { inc: { a: 1 } } },
              { kind: 'update', collection: P, id: 'x', spec: { inc: { a: 1 } } },
            ]),
        ],
      ];
      it.each(bad)('%s', async (_name, call) => {
        await expect(call()).rejects.toThrow(/invalid store spec/);
      });
    });

    describe('transact', () => {
      it('commits several guarded writes together', async () => {
        const a = await product({ stock: 5 });
        const b = await product({ stock: 5 });
        const c = await product({ stock: 0 });
        const orderId = uid('order');
        const result = await store.transact([
          { kind: 'update', collection: P, id: a.id, spec: { guards: [{ field: 'stock', op: 'gte', value: 2 }], inc: { stock: -2 } } },
          { kind: 'update', collection: P, id: b.id, spec: { expectVersion: 1, inc: { stock: 2 } } },
          { kind: 'insert', collection: 'orders', doc: { id: orderId, quantity: 2 } },
          { kind: 'check', collection: P, id: c.id, expectVersion: 1, guards: [{ field: 'stock', op: 'gte', value: 0 }] },
        ]);
        expect(result).toEqual({ ok: true, attempts: 1 });
        expect(await store.get(P, a.id)).toMatchObject({ stock: 3, version: 2 });
        expect(await store.get(P, b.id)).toMatchObject({ stock: 7, version: 2 });
        expect(await store.get('orders', orderId)).toEqual({ id: orderId, quantity: 2, version: 1 });
        expect(await store.get(P, c.id)).toEqual(c);
      });

      it('leaves nothing behind when its second write fails a guard', async () => {
        const a = await product({ stock: 5 });
        const b = await product({ stock: 1 });
        const orderId = uid('order');
        const result = await store.transact([
          { kind: 'update', collection: P, id: a.id, spec: { inc: { stock: -1 } } },
          { kind: 'update', collection: P, id: b.id, spec: { guards: [{ field: 'stock', op: 'gte', value: 2 }], inc: { stock: -2 } } },
          { kind: 'insert', collection: 'orders', doc: { id: orderId } },
        ]);
        expect(result).toEqual({
          ok: false,
          index: 1,
          reason: 'guard_failed',
          failed: [{ field: 'stock', op: 'gte', value: 2 }],
          current: expect.objectContaining({ id: b.id, stock: 1, version: 1 }),
        });
        expect(await store.get(P, a.id)).toEqual(a);
        expect(await store.get(P, b.id)).toEqual(b);
        expect(await store.get('orders', orderId)).toBeNull();
      });

      it('names a stale version, a missing document and an existing insert by position', async () => {
        const a = await product();
        await store.update(P, a.id, { inc: { stock: 1 } });
        const stale = await store.transact([
          { kind: 'insert', collection: 'orders', doc: { id: uid('o') } },
          { kind: 'update', collection: P, id: a.id, spec: { expectVersion: 1, inc: { stock: 1 } } },
        ]);
        expect(stale).toMatchObject({ ok: false, index: 1, reason: 'version_conflict', current: { id: a.id, version: 2 } });

        const missing = await store.transact([
          { kind: 'update', collection: P, id: a.id, spec: { inc: { stock: 1 } } },
          { kind: 'update', collection: P, id: uid('missing'), spec: { inc: { stock: 1 } } },
        ]);
        expect(missing).toEqual({ ok: false, index: 1, reason: 'not_found' });

        const existing = await product();
        const dup = await store.transact([
          { kind: 'update', collection: P, id: a.id, spec: { inc: { stock: 1 } } },
          { kind: 'insert', collection: P, doc: { id: existing.id, stock: 0 } },
        ]);
        expect(dup).toMatchObject({ ok: false, index: 1, reason: 'already_exists' });
        expect(await store.get(P, a.id)).toMatchObject({ stock: 11, version: 2 });
        expect(await store.get(P, existing.id)).toEqual(existing);
      });

      it('fails a check without writing anything', async () => {
        const a = await product({ stock: 5 });
        const b = await product({ stock: 0 });
        const result = await store.transact([
          { kind: 'update', collection: P, id: a.id, spec: { inc: { stock: -1 } } },
          { kind: 'check', collection: P, id: b.id, guards: [{ field: 'stock', op: 'gt', value: 0 }] },
        ]);
        expect(result).toMatchObject({ ok: false, index: 1, reason: 'guard_failed' });
        expect(await store.get(P, a.id)).toEqual(a);
      });

      it('answers each call in one run: committed, refused, or contended, never retried inside the store', async () => {
        const doc = await product({ stock: 10 });
        const results = await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            store.transact([
              {
                kind: 'update',
                collection: P,
                id: doc.id,
                spec: { guards: [{ field: 'stock', op: 'gte', value: 1 }], inc: { stock: -1 } },
              },
              { kind: 'insert', collection: 'orders', doc: { id: `${doc.id}-once-${i}`, productId: doc.id } },
            ]),
          ),
        );
        expect(results.every((r) => (r.ok ? r.attempts === 1 : isContended(r) ? r.attempts === 1 : r.reason === 'guard_failed'))).toBe(
          true,
        );
        const committed = results.filter((r) => r.ok).length;
        expect(committed).toBeGreaterThanOrEqual(1);
        expect((await store.get(P, doc.id))?.stock).toBe(10 - committed);
      });

      it('keeps stock and orders consistent when 30 transactions race for 10 units under the operation policy', async () => {
        const doc = await product({ stock: 10 });
        const results = await Promise.all(
          Array.from({ length: 30 }, async (_, i) => {
            const writes: TxWrite[] = [
              {
                kind: 'update',
                collection: P,
                id: doc.id,
                spec: { guards: [{ field: 'stock', op: 'gte', value: 1 }], inc: { stock: -1 } },
              },
              { kind: 'insert', collection: 'orders', doc: { id: `${doc.id}-order-${i}`, productId: doc.id } },
            ];
            const { result, attempts } = await transactUntilDecided(() => store.transact(writes), { maxAttempts: 50, deps: realRetryDeps });
            expect(attempts).toBeGreaterThanOrEqual(1);
            expect(attempts).toBeLessThanOrEqual(50);
            return result;
          }),
        );
        const committed = results.map((r, i) => (r.ok ? i : -1)).filter((i) => i >= 0);
        expect(committed).toHaveLength(10);
        expect(results.filter((r) => !r.ok && r.reason === 'guard_failed' && r.index === 0)).toHaveLength(20);
        expect((await store.get(P, doc.id))?.stock).toBe(0);
        for (let i = 0; i < 30; i++) {
          const order = await store.get('orders', `${doc.id}-order-${i}`);
          expect(order !== null).toBe(committed.includes(i));
        }
      });
    });
  });
}
