/** The pure transaction builder of the MongoDB adapter: what filter and change each planned write sends. No server. */
import { txConditions } from '../../../shared/conditions';
import type { TxWrite } from '../../../shared/store';
import type { PlannedWrite } from '../../../shared/storeCore';
import { plan } from '../../../adapters/mongodb/builders';

const planned = (write: TxWrite, shape = {}): PlannedWrite => ({
  write,
  shape,
  id: write.kind === 'insert' ? write.doc.id : write.id,
  conditions: txConditions(write),
});

describe('plan', () => {
  it('turns an update into its guarded filter and update document', () => {
    const built = plan(
      planned({
        kind: 'update',
        collection: 'products',
        id: 'p1',
        spec: { expectVersion: 2, guards: [{ field: 'stock', op: 'gte', value: 1 }], inc: { stock: -1 } },
      }),
    );
    expect(built).toEqual({
      kind: 'update',
      filter: { _id: { $eq: 'p1' }, version: { $eq: 2 }, $and: [{ stock: { $gte: 1, $not: { $type: 'array' } } }] },
      update: { $inc: { stock: -1, version: 1 } },
    });
  });

  it('turns a pull into a filter that requires the element (the implied guard)', () => {
    const built = plan(
      planned({ kind: 'update', collection: 'carts', id: 'c1', spec: { pull: { field: 'items', key: 'a' } } }, { keyedArrays: ['items'] }),
    );
    expect(built).toMatchObject({
      filter: { _id: { $eq: 'c1' }, $and: [{ items: { $elemMatch: { id: { $eq: 'a' } } } }] },
      update: { $pull: { items: { id: { $eq: 'a' } } }, $inc: { version: 1 } },
    });
  });

  it('turns an insert into the stored document with version 1 and the TTL field as a Date', () => {
    const built = plan(
      planned(
        { kind: 'insert', collection: 'idempotency', doc: { id: 'k', expiresAt: 1_800_000_000, version: 9 } },
        { ttlField: 'expiresAt' },
      ),
    );
    expect(built).toEqual({
      kind: 'insert',
      filter: { _id: { $eq: 'k' } },
      document: { _id: 'k', expiresAt: new Date(1_800_000_000_000), version: 1 },
    });
  });

  it('turns a check into a filter only', () => {
    expect(
      plan(planned({ kind: 'check', collection: 'accounts', id: 'a', guards: [{ field: 'owner', op: 'eq', value: 'alice' }] })),
    ).toEqual({
      kind: 'check',
      filter: { _id: { $eq: 'a' }, $and: [{ owner: { $eq: 'alice', $not: { $type: 'array' } } }] },
    });
  });

  it('refuses, before anything is sent, a change MongoDB would refuse: inc on the TTL field (a Date there)', () => {
    const write: TxWrite = { kind: 'update', collection: 'idempotency', id: 'k', spec: { inc: { expiresAt: 60 } } };
    expect(() => plan(planned(write, { ttlField: 'expiresAt' }))).toThrow('is an expiry time');
  });
});
