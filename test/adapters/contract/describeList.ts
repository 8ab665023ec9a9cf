/**
 * The port's `list` contract, part of describeStore: the same assertions on every adapter, on a real server.
 * Ties on the sort value may come in any order the backend keeps, so pages are checked as a whole: nothing
 * repeated, nothing skipped, and every document in sort order.
 */
import { randomUUID } from 'node:crypto';
import type { ConditionalStore, Doc, ListQuery } from '../../../shared/store';

const O = 'orders';

async function pages(store: ConditionalStore, query: Omit<ListQuery, 'after'>): Promise<Doc[][]> {
  const all: Doc[][] = [];
  let after: ListQuery['after'];
  for (let i = 0; i < 50; i++) {
    const page = await store.list(O, { ...query, ...(after ? { after } : {}) });
    all.push(page.docs);
    if (!page.next) return all;
    after = page.next;
  }
  throw new Error('list never ended');
}

export function describeList(storeOf: () => ConditionalStore): void {
  describe('list', () => {
    /** `n` orders of one new user, createdAt one second apart from 2026-12-01, and `ties` more at one instant. */
    async function ordersOf(n: number, ties = 0): Promise<{ uid: string; ids: string[] }> {
      const uid = `u-${randomUUID()}`;
      const ids: string[] = [];
      const at = (s: number) => new Date(Date.UTC(2026, 11, 1, 0, 0, s)).toISOString();
      for (let i = 0; i < n + ties; i++) {
        const id = `o-${randomUUID()}`;
        ids.push(id);
        const createdAt = i < n ? at(i) : at(n);
        const inserted = await storeOf().insert(O, { id, uid, createdAt, quantity: i });
        if (!inserted.ok) throw new Error('fixture insert failed');
      }
      return { uid, ids };
    }

    it('reads one partition in sort order, either way, and nothing of any other partition', async () => {
      const mine = await ordersOf(5);
      await ordersOf(3);
      const desc = await storeOf().list(O, { index: 'byUser', equals: { uid: mine.uid }, order: 'desc', limit: 10 });
      expect(desc.docs.map((d) => d.id)).toEqual([...mine.ids].reverse());
      expect(desc.next).toBeUndefined();
      expect(desc.docs[0]).toMatchObject({ uid: mine.uid, quantity: 4, version: 1 });
      const asc = await storeOf().list(O, { index: 'byUser', equals: { uid: mine.uid }, order: 'asc', limit: 10 });
      expect(asc.docs.map((d) => d.id)).toEqual(mine.ids);
    });

    it('pages without repeating or skipping a document, ties included, and says when there is no more', async () => {
      const mine = await ordersOf(7, 6);
      for (const order of ['desc', 'asc'] as const) {
        const got = await pages(storeOf(), { index: 'byUser', equals: { uid: mine.uid }, order, limit: 3 });
        expect(got.slice(0, -1).every((page) => page.length === 3)).toBe(true);
        const ids = got.flat().map((d) => d.id);
        expect(new Set(ids).size).toBe(ids.length);
        expect([...ids].sort()).toEqual([...mine.ids].sort());
        const times = got.flat().map((d) => d.createdAt as string);
        const sorted = [...times].sort();
        expect(times).toEqual(order === 'asc' ? sorted : sorted.reverse());
      }
      // A page that ends exactly at the last document has no next.
      const exact = await storeOf().list(O, { index: 'byUser', equals: { uid: mine.uid }, order: 'desc', limit: 13 });
      expect(exact.docs).toHaveLength(13);
      expect(exact.next).toBeUndefined();
    });

    it('leaves out documents without the sort field, and answers an unknown partition with an empty page', async () => {
      const mine = await ordersOf(1);
      await storeOf().insert(O, { id: `o-${randomUUID()}`, uid: mine.uid });
      const page = await storeOf().list(O, { index: 'byUser', equals: { uid: mine.uid }, order: 'desc', limit: 5 });
      expect(page.docs.map((d) => d.id)).toEqual(mine.ids);
      expect(await storeOf().list(O, { index: 'byUser', equals: { uid: `u-${randomUUID()}` }, order: 'desc', limit: 5 })).toEqual({
        docs: [],
      });
    });

    it('refuses, before sending anything, an unknown index, another field than the partition, or a bad limit', async () => {
      const base: ListQuery = { index: 'byUser', equals: { uid: 'u' }, order: 'desc', limit: 5 };
      await expect(storeOf().list(O, { ...base, index: 'byStatus' })).rejects.toThrow(/invalid store spec/);
      await expect(storeOf().list('products', base)).rejects.toThrow(/invalid store spec/);
      await expect(storeOf().list(O, { ...base, equals: { productId: 'p' } })).rejects.toThrow(/invalid store spec/);
      await expect(storeOf().list(O, { ...base, equals: { uid: 'u', status: 'paid' } })).rejects.toThrow(/invalid store spec/);
      for (const limit of [0, 1.5, 1001]) await expect(storeOf().list(O, { ...base, limit })).rejects.toThrow(/invalid store spec/);
      await expect(storeOf().list(O, { ...base, after: { sort: 5, id: 'x' } })).rejects.toThrow(/invalid store spec/);
    });
  });
}
