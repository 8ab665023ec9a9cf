/** The pure transaction builders of the DynamoDB adapter: the TransactWriteItems entries and the reading of a cancellation. */
import { marshall } from '@aws-sdk/util-dynamodb';
import { txConditions } from '../../../shared/conditions';
import type { TxWrite } from '../../../shared/store';
import type { PlannedWrite } from '../../../shared/storeCore';
import { buildTxItem, cancellationOf } from '../../../adapters/dynamodb/builders';

const planned = (write: TxWrite, shape = {}): PlannedWrite => ({
  write,
  shape,
  id: write.kind === 'insert' ? write.doc.id : write.id,
  conditions: txConditions(write),
});

describe('buildTxItem', () => {
  it('builds an Update on the table, keyed by id, asking for the item it was checked against', () => {
    const item = buildTxItem(
      planned({
        kind: 'update',
        collection: 'products',
        id: 'p1',
        spec: { guards: [{ field: 'stock', op: 'gte', value: 2 }], inc: { stock: -2 } },
      }),
      'x-products',
    );
    expect(item.Update).toMatchObject({ TableName: 'x-products', Key: { id: 'p1' }, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' });
    expect(item.Update?.UpdateExpression).toBe('ADD #n0 :v0, #n1 :v1');
    expect(item.Update?.ConditionExpression).toBe('attribute_exists(#n2) AND (attribute_type(#n0, :v2) AND #n0 >= :v3)');
    expect(item.Update?.ExpressionAttributeValues).toEqual({ ':v0': -2, ':v1': 1, ':v2': 'N', ':v3': 2 });
  });

  it('builds a Put of the stored item, with version 1 and keyed arrays as maps, only if the id is new', () => {
    const item = buildTxItem(
      planned(
        { kind: 'insert', collection: 'carts', doc: { id: 'c1', version: 7, items: [{ id: 'a', quantity: 1 }] } },
        { keyedArrays: ['items'] },
      ),
      'x-carts',
    );
    expect(item).toEqual({
      Put: {
        TableName: 'x-carts',
        Item: { id: 'c1', items: { a: { id: 'a', quantity: 1 } }, version: 1 },
        ConditionExpression: 'attribute_not_exists(#n0)',
        ExpressionAttributeNames: { '#n0': 'id' },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    });
  });

  it('builds a ConditionCheck from the check conditions', () => {
    const item = buildTxItem(planned({ kind: 'check', collection: 'accounts', id: 'a', expectVersion: 3 }), 'x-accounts');
    expect(item).toEqual({
      ConditionCheck: {
        TableName: 'x-accounts',
        Key: { id: 'a' },
        ConditionExpression: 'attribute_exists(#n0) AND #n1 = :v0',
        ExpressionAttributeNames: { '#n0': 'id', '#n1': 'version' },
        ExpressionAttributeValues: { ':v0': 3 },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    });
  });
});

describe('cancellationOf', () => {
  const old = marshall({ id: 'p1', stock: 0, version: 4 });

  it('names the first write whose condition failed, with the item it was checked against', () => {
    expect(cancellationOf([{ Code: 'None' }, { Code: 'ConditionalCheckFailed', Item: old }, { Code: 'ConditionalCheckFailed' }])).toEqual({
      failed: 1,
      item: old,
    });
  });

  it('names a failed insert of an absent item without an item', () => {
    expect(cancellationOf([{ Code: 'ConditionalCheckFailed' }])).toEqual({ failed: 0 });
  });

  it('prefers a failed condition over a conflict, and reads a conflict alone as retryable', () => {
    expect(cancellationOf([{ Code: 'TransactionConflict' }, { Code: 'ConditionalCheckFailed', Item: old }])).toEqual({
      failed: 1,
      item: old,
    });
    expect(cancellationOf([{ Code: 'None' }, { Code: 'TransactionConflict' }])).toBe('conflict');
  });

  it('reads a cancellation for throttling alone as retryable, but not one mixed with another reason', () => {
    expect(cancellationOf([{ Code: 'None' }, { Code: 'ThrottlingError' }])).toBe('throttled');
    expect(cancellationOf([{ Code: 'ProvisionedThroughputExceeded' }])).toBe('throttled');
    expect(cancellationOf([{ Code: 'ThrottlingError' }, { Code: 'ValidationError' }])).toBe('unexplained');
  });

  it('leaves other cancellations unexplained', () => {
    expect(cancellationOf([{ Code: 'ValidationError' }])).toBe('unexplained');
    expect(cancellationOf([])).toBe('unexplained');
  });
});
