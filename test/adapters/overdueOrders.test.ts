/** The overdue-order reads, built without a database, and the index both backends create for them. */
import { overdueQuery } from '../../adapters/dynamodb/overdueOrders';
import { createTableInput } from '../../adapters/dynamodb/tables';
import { overdueFilter } from '../../adapters/mongodb/overdueOrders';

describe('overdue orders', () => {
  it('DynamoDB: one Query on the statusExpiresAt GSI, oldest first, bounded by the limit', () => {
    expect(overdueQuery('t-', 1_000, 25)).toEqual({
      TableName: 't-orders',
      IndexName: 'statusExpiresAt',
      KeyConditionExpression: '#status = :status AND #sort <= :now',
      ExpressionAttributeNames: { '#status': 'status', '#sort': 'expiresAt' },
      ExpressionAttributeValues: { ':status': 'pending_payment', ':now': 1_000 },
      ScanIndexForward: true,
      Limit: 25,
    });
  });

  it('DynamoDB: the orders table has the GSI (status S, expiresAt N), the others none', () => {
    const orders = createTableInput('t-', 'orders');
    expect(orders.AttributeDefinitions).toEqual([
      { AttributeName: 'id', AttributeType: 'S' },
      { AttributeName: 'uid', AttributeType: 'S' },
      { AttributeName: 'createdAt', AttributeType: 'S' },
      { AttributeName: 'status', AttributeType: 'S' },
      { AttributeName: 'expiresAt', AttributeType: 'N' },
    ]);
    // Every declared index projects the whole document (the port's list reads documents from it).
    expect(orders.GlobalSecondaryIndexes).toContainEqual({
      IndexName: 'statusExpiresAt',
      KeySchema: [
        { AttributeName: 'status', KeyType: 'HASH' },
        { AttributeName: 'expiresAt', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    });
    expect(createTableInput('t-', 'products').GlobalSecondaryIndexes).toBeUndefined();
  });

  it('MongoDB: pending orders whose window closed at or before now', () => {
    expect(overdueFilter(1_000)).toEqual({ status: 'pending_payment', expiresAt: { $lte: 1_000 } });
  });
});
