/**
 * What the MongoDB sender does beyond the shared contract, on the real server: how documents are stored,
 * that client values shaped like operators are stored literally, and that the built filters select exactly
 * the documents `guardHolds` accepts, for documents and guards drawn at random.
 */
import fc from 'fast-check';
import type { MongoClient } from 'mongodb';
import { randomUUID } from 'node:crypto';
import { guardHolds } from '../../../shared/conditions';
import { COLLECTIONS } from '../../../shared/collections';
import type { Guard } from '../../../shared/store';
import { createMongoStore, ensureIndexes } from '../../../adapters/mongodb';
import { guardClause } from '../../../adapters/mongodb/builders';
import { fromStored, toStored, type StoredDocument } from '../../../adapters/mongodb/storedDocument';
import { mongoTestFixture, type MongoTestFixture } from './fixture';

let fx: MongoTestFixture;
beforeAll(async () => {
  fx = await mongoTestFixture('mongostore');
});
afterAll(async () => {
  await fx?.cleanup();
});

const raw = (collection: string, id: string) => fx.db.collection<StoredDocument>(collection).findOne({ _id: id });

describe('storage', () => {
  it('keeps the id as _id and the TTL field as a Date under a TTL index', async () => {
    const id = `k-${randomUUID()}`;
    const expiresAt = Math.floor(Date.now() / 1000) + 3_600;

    await fx.store.insert('idempotency', { id, expiresAt, state: 'pending' });

    expect(await raw('idempotency', id)).toEqual({ _id: id, expiresAt: new Date(expiresAt * 1000), state: 'pending', version: 1 });
    const indexes = await fx.db.collection('idempotency').indexes();
    expect(indexes).toEqual(expect.arrayContaining([expect.objectContaining({ key: { expiresAt: 1 }, expireAfterSeconds: 0 })]));
  });

  it('compares and sets the TTL field in epoch seconds', async () => {
    const id = `k-${randomUUID()}`;
    const now = Math.floor(Date.now() / 1000);
    await fx.store.insert('idempotency', { id, expiresAt: now + 60 });

    const live = await fx.store.update('idempotency', id, {
      guards: [{ field: 'expiresAt', op: 'gt', value: now }],
      set: { expiresAt: now + 120 },
    });
    const expired = await fx.store.update('idempotency', id, {
      guards: [{ field: 'expiresAt', op: 'lt', value: now }],
      set: { state: 'x' },
    });

    expect(live).toMatchObject({ ok: true, doc: { expiresAt: now + 120, version: 2 } });
    expect(expired).toMatchObject({ ok: false, reason: 'guard_failed', current: { expiresAt: now + 120 } });
    expect((await raw('idempotency', id))?.expiresAt).toEqual(new Date((now + 120) * 1000));
  });

  it('creates collections and indexes idempotently', async () => {
    await expect(ensureIndexes(fx.db, COLLECTIONS)).resolves.toBeUndefined();
    const names = (await fx.db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining(Object.keys(COLLECTIONS)));
  });

  it('refuses an unknown collection, a non-string id and an _id field before sending anything', async () => {
    await expect(fx.store.get('nope', 'x')).rejects.toThrow(/invalid store spec/);
    await expect(fx.store.get('products', { $ne: null } as never)).rejects.toThrow(/invalid store spec/);
    await expect(fx.store.insert('products', { id: 'x', _id: 'y' })).rejects.toThrow(/invalid store spec/);
    await expect(fx.store.update('idempotency', 'x', { inc: { expiresAt: 1 } })).rejects.toThrow(/invalid store spec/);
  });
});

describe('values shaped like operators are stored literally, never evaluated', () => {
  it('in set, in a pushed element and in an inserted document', async () => {
    const id = `c-${randomUUID()}`;
    const inserted = { $where: 'sleep(5000) || true', $gt: '' };
    await fx.store.insert('carts', { id, items: [], note: inserted });
    const element = { id: 'e1', $each: [1], $slice: 0 } as never;

    const set = await fx.store.update('carts', id, { set: { owner: { $ne: null } as never } });
    const pushed = await fx.store.update('carts', id, { push: { field: 'items', element } });

    expect(set.ok).toBe(true);
    expect(pushed.ok).toBe(true);
    expect(await fx.store.get('carts', id)).toEqual({ id, version: 3, note: inserted, owner: { $ne: null }, items: [element] });
  });
});

describe('the built filter agrees with guardHolds on the real server', () => {
  const fields = ['a', 'b', 'items'] as const;
  const scalar = fc.oneof(
    fc.integer({ min: -2, max: 2 }),
    fc.constantFrom(0.5, -1.5),
    fc.constantFrom('1', 'x', ''),
    fc.boolean(),
    fc.constant(null),
  );
  const value = fc.oneof(
    scalar,
    fc.array(scalar, { maxLength: 3 }),
    fc.array(fc.record({ id: fc.constantFrom('k1', 'k2', 1) }), { maxLength: 3 }),
    fc.record({ id: fc.constantFrom('k1') }),
  );
  const doc = fc.record({ a: value, b: value, items: value }, { requiredKeys: [] });
  const field = fc.constantFrom(...fields, 'missing');
  const guard: fc.Arbitrary<Guard> = fc.oneof(
    fc.record({ field, op: fc.constantFrom('gte', 'gt', 'lte', 'lt'), value: fc.constantFrom(-1, 0, 1, 0.5) }),
    fc.record({ field, op: fc.constant('eq'), value: fc.constantFrom<string | number | boolean>(1, 0, '1', 'x', '', true, false) }),
    fc.record({ field, op: fc.constantFrom('exists', 'notExists') }),
    fc.record({ field, op: fc.constantFrom('hasElement', 'lacksElement'), key: fc.constantFrom('k1', 'k2') }),
  ) as fc.Arbitrary<Guard>;

  it('for random documents and guards', async () => {
    const collection = fx.db.collection<StoredDocument>('agreement');
    await fc.assert(
      fc.asyncProperty(
        fc.array(doc, { minLength: 1, maxLength: 12 }),
        fc.array(guard, { minLength: 1, maxLength: 6 }),
        async (docs, guards) => {
          const run = randomUUID();
          const stored = docs.map((fields, i) => toStored({ id: `${run}-${i}`, ...fields }, {}));
          await collection.insertMany(stored);
          const readBack = (await collection.find({ _id: { $in: stored.map((s) => s._id) } }).toArray()).map((s) => fromStored(s, {}));
          for (const g of [...guards.map((one) => [one]), guards]) {
            const matched = await collection
              .find({ _id: { $in: stored.map((s) => s._id) }, $and: g.map((one) => guardClause(one)) })
              .toArray();
            const expected = readBack.filter((d) => g.every((one) => guardHolds(d, one))).map((d) => d.id);
            expect({ guards: g, ids: matched.map((m) => m._id).sort() }).toEqual({ guards: g, ids: expected.sort() });
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('an update refused while its conditions hold (the document changed back in between)', () => {
  /** A client whose writes are refused `refusals` times while every read shows a document they apply to. */
  function flipFlop(refusals: number) {
    const calls = { writes: 0, reads: 0 };
    const stored = { _id: 'p1', stock: 5, version: 1 };
    const collection = {
      findOneAndUpdate: async () => (++calls.writes <= refusals ? null : { ...stored, stock: 4, version: 2 }),
      findOne: async () => (calls.reads++, stored),
    };
    const client = { db: () => ({ collection: () => collection }) } as unknown as MongoClient;
    const deps = { now: () => 0, random: () => 0, sleep: async () => {} };
    return { calls, store: createMongoStore({ client, dbName: 'fake', schema: COLLECTIONS, retryDeps: deps }) };
  }
  const spec = { guards: [{ field: 'stock', op: 'gte', value: 1 } as Guard], inc: { stock: -1 } };

  it('writes again, and applies', async () => {
    const { calls, store } = flipFlop(2);

    const result = await store.update('products', 'p1', spec);

    expect(result).toEqual({ ok: true, doc: { id: 'p1', stock: 4, version: 2 } });
    expect(calls).toEqual({ writes: 3, reads: 2 });
  });

  it('gives up after three writes with INTERNAL rather than a made-up reason', async () => {
    const { calls, store } = flipFlop(Number.POSITIVE_INFINITY);

    await expect(store.update('products', 'p1', spec)).rejects.toMatchObject({ code: 'INTERNAL', details: { attempts: 3 } });
    expect(calls).toEqual({ writes: 3, reads: 3 });
  });
});
