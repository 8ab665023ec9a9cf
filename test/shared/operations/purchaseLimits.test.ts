/** The limit's writes, built without a database: the guards that keep a buyer under `limitPerUser`. */
import type { Product } from '../../../shared/model';
import { allowanceId, limitExceeded, releaseAllowanceWrites, withLimit } from '../../../shared/operations/purchaseLimits';
import type { TxWrite } from '../../../shared/store';

const product = (limitPerUser?: number): Product =>
  ({ id: 'p1', name: 'tea', stock: 10, sold: 0, price: 100, version: 1, ...(limitPerUser ? { limitPerUser } : {}) }) as Product;
const productWrite: TxWrite = {
  kind: 'update',
  label: 'product',
  collection: 'products',
  id: 'p1',
  spec: { guards: [{ field: 'stock', op: 'gte', value: 2 }], inc: { stock: -2, sold: 2 } },
};
const orderWrite: TxWrite = { kind: 'insert', label: 'order', collection: 'orders', doc: { id: 'O1' } };

describe('withLimit', () => {
  it('guards an unlimited purchase by the absence of a limit, and adds nothing else', () => {
    const writes = withLimit([productWrite, orderWrite], product(), 'ann', 2);
    expect(writes).toHaveLength(2);
    expect(writes[0]).toMatchObject({ spec: { guards: [{ field: 'stock' }, { field: 'limitPerUser', op: 'notExists' }] } });
  });

  it('guards a limited purchase by the limit it was decided under, and takes the units from the allowance', () => {
    const writes = withLimit([productWrite, orderWrite], product(3), 'ann', 2);
    expect(writes[0]).toMatchObject({ spec: { guards: [{ field: 'stock' }, { field: 'limitPerUser', op: 'eq', value: 3 }] } });
    expect(writes[2]).toEqual({
      kind: 'update',
      label: 'allowance',
      collection: 'allowances',
      id: allowanceId('ann', 'p1'),
      spec: { guards: [{ field: 'held', op: 'lte', value: 1 }], inc: { held: 2 } },
    });
  });

  it('gives each buyer and product an allowance of its own', () => {
    expect(new Set([allowanceId('ann', 'p1'), allowanceId('bob', 'p1'), allowanceId('ann', 'p2'), allowanceId('ann\np', '1')]).size).toBe(
      4,
    );
  });
});

describe('releaseAllowanceWrites', () => {
  it('frees exactly the order quantity, never below zero, and nothing for an unlimited order', () => {
    expect(releaseAllowanceWrites({ quantity: 2 })).toEqual([]);
    expect(releaseAllowanceWrites({ quantity: 2, allowanceId: 'al1' })).toEqual([
      {
        kind: 'update',
        label: 'allowance',
        collection: 'allowances',
        id: 'al1',
        spec: { guards: [{ field: 'held', op: 'gte', value: 2 }], inc: { held: -2 } },
      },
    ]);
  });
});

describe('limitExceeded', () => {
  it('says what remains', () => {
    const error = limitExceeded(product(3), 2, { id: 'al1', version: 4, held: 2 });
    expect(error).toMatchObject({
      code: 'PURCHASE_LIMIT_EXCEEDED',
      status: 422,
      details: { limit: 3, held: 2, requested: 2, remaining: 1 },
    });
  });
});
