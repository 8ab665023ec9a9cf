/**
 * Adopting existing data on both backends: documents without a version get `version: 1`; documents with money
 * stored as a float, a string (or a BSON Decimal128) are reported and left untouched; a document changed
 * between the scan and the write is skipped; a second run converts nothing; and the port refuses to read a
 * document without a version, while a guard-only write through the port versions it.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { Decimal128 } from 'mongodb';
import { migrateDynamoTable } from '../../adapters/dynamodb/migrate';
import { migrateMongoCollection } from '../../adapters/mongodb/migrate';
import type { MigrationReport } from '../../shared/migration';
import { BACKENDS, backendFixture, type BackendFixture, type DynamoFixture, type MongoFixture } from '../support/stores';

describe.each(BACKENDS)('migration of existing documents on %s', (backend) => {
  let fixture: BackendFixture;
  beforeEach(async () => {
    fixture = await backendFixture(backend, 'migrate');
  });
  afterEach(async () => fixture?.cleanup());

  /** Writes a document as an older system would: straight through the driver, no version. */
  async function putRaw(collection: string, doc: Record<string, unknown>) {
    if (backend === 'dynamodb') {
      const f = fixture as DynamoFixture;
      await f.raw.send(new PutCommand({ TableName: f.tablePrefix + collection, Item: doc }));
    } else {
      const { id, ...rest } = doc;
      await (fixture as MongoFixture).client
        .db(fixture.dbName)
        .collection<{ _id: string }>(collection)
        .replaceOne({ _id: id as string }, rest, { upsert: true });
    }
  }
  function migrate(collection: string, beforeWrite?: (id: string) => Promise<void>): Promise<MigrationReport> {
    if (backend === 'dynamodb') {
      const f = fixture as DynamoFixture;
      return migrateDynamoTable(f.raw, f.tablePrefix + collection, collection, { beforeWrite });
    }
    return migrateMongoCollection((fixture as MongoFixture).client.db(fixture.dbName), collection, { beforeWrite });
  }
  const raw = async (id: string) => (await fixture.list('accounts')).find((d) => (d.id ?? d._id) === id);

  it('versions what it can, reports what it cannot without touching it, skips what changed, and is safe to run twice', async () => {
    await putRaw('accounts', { id: 'ok1', owner: 'ann', balance: 100, tags: ['a', 'b'], profile: { city: 'x' } });
    await putRaw('accounts', { id: 'ok2', owner: 'bob', balance: 0 });
    await putRaw('accounts', { id: 'float', owner: 'cy', balance: 10.5 });
    await putRaw('accounts', { id: 'text', owner: 'di', balance: '10' });
    await putRaw('accounts', { id: 'busy', owner: 'ed', balance: 7 });
    await fixture.store.insert('accounts', { id: 'new', owner: 'fay', balance: 1 });
    if (backend === 'mongodb') await putRaw('accounts', { id: 'decimal', owner: 'gus', balance: Decimal128.fromString('9.99') });

    // The function credits `busy` between the migration's read and its write.
    const first = await migrate('accounts', async (id) => {
      if (id === 'busy') expect((await fixture.store.update('accounts', 'busy', { inc: { balance: 1 } })).ok).toBe(true);
    });
    const second = await migrate('accounts');

    expect(first).toMatchObject({ scanned: backend === 'mongodb' ? 7 : 6, converted: 2, alreadyVersioned: 1, changedMeanwhile: 1 });
    expect(first.refused.map((r) => r.id).sort()).toEqual(backend === 'mongodb' ? ['decimal', 'float', 'text'] : ['float', 'text']);
    expect(first.refused.find((r) => r.id === 'float')?.problems).toEqual([
      { field: 'balance', problem: 'must be an integer in minor units, found the number 10.5' },
    ]);
    expect(second).toMatchObject({ converted: 0, alreadyVersioned: 4, changedMeanwhile: 0 });
    expect(await fixture.store.get('accounts', 'ok1')).toEqual({
      id: 'ok1',
      owner: 'ann',
      balance: 100,
      tags: ['a', 'b'],
      profile: { city: 'x' },
      version: 1,
    });
    // The function's credit survived: the migration did not overwrite it.
    expect(await fixture.store.get('accounts', 'busy')).toMatchObject({ balance: 8, version: 1 });
    expect(await raw('float')).toMatchObject({ balance: 10.5 });
    expect((await raw('float'))?.version).toBeUndefined();
    expect(await raw('text')).toMatchObject({ balance: '10' });
  });

  it('skips a document another system changed (without adding a version) between the scan and the write', async () => {
    await putRaw('accounts', { id: 'legacy', owner: 'ann', balance: 5 });

    const report = await migrate('accounts', async () => putRaw('accounts', { id: 'legacy', owner: 'ann', balance: 6 }));

    expect(report).toMatchObject({ scanned: 1, converted: 0, changedMeanwhile: 1 });
    expect(await raw('legacy')).toMatchObject({ balance: 6 });
    expect((await raw('legacy'))?.version).toBeUndefined();
  });

  it('refuses to read a document without a version, and a guard-only write gives it version 1', async () => {
    await putRaw('accounts', { id: 'old', owner: 'ann', balance: 5 });

    await expect(fixture.store.get('accounts', 'old')).rejects.toMatchObject({ code: 'INTERNAL' });
    const credited = await fixture.store.update('accounts', 'old', {
      guards: [{ field: 'balance', op: 'gte', value: 0 }],
      inc: { balance: 1 },
    });

    expect(credited).toMatchObject({ ok: true, doc: { balance: 6, version: 1 } });
    expect(await fixture.store.get('accounts', 'old')).toMatchObject({ balance: 6, version: 1 });
  });
});
