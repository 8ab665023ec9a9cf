import { buildOrder } from '../../../shared/operations/orders';
import { purchaseWrites } from '../../../shared/operations/purchase';
import { transferWrites } from '../../../shared/operations/transfers';
import type { Product } from '../../../shared/model';
import { MemoryStore } from '../../support/memoryStore';

const product: Product = { id: 'p1', name: 'A', stock: 5, sold: 0, price: 250, version: 3 };

describe('purchaseWrites', () => {
  it('names the product decrement and the order insert, guarded by stock and the snapshot price', () => {
    // Arrange
    const order = buildOrder(product, 'alice', 2, 'O-1', Date.UTC(2026, 0, 1));
    // Act
    const writes = purchaseWrites(product, 2, order);
    // Assert
    expect(writes).toEqual([
      {
        kind: 'update',
        label: 'product',
        collection: 'products',
        id: 'p1',
        spec: {
          guards: [
            { field: 'stock', op: 'gte', value: 2 },
            { field: 'price', op: 'eq', value: 250 },
          ],
          inc: { stock: -2, sold: 2 },
        },
      },
      {
        kind: 'insert',
        label: 'order',
        collection: 'orders',
        doc: {
          id: 'O-1',
          orderNo: 'O-1',
          uid: 'alice',
          productId: 'p1',
          quantity: 2,
          price: 250,
          amount: 500,
          status: 'pending_payment',
          createdAt: '2026-01-01T00:00:00.000Z',
          // The default payment window: 15 minutes after the purchase.
          expiresAt: Date.UTC(2026, 0, 1) + 15 * 60 * 1000,
        },
      },
    ]);
  });
});

describe('transferWrites', () => {
  const entry = { transferId: 'T-1', from: 'a', to: 'b', amount: 30, createdAt: '2026-01-01T00:00:00.000Z' };

  it('names the debit, the credit and the ledger entry', () => {
    const writes = transferWrites({ uid: 'alice', from: 'a', to: 'b', amount: 30 }, entry);
    expect(writes.map((w) => w.label)).toEqual(['debit', 'credit', 'ledger']);
    expect(writes[0]).toEqual({
      kind: 'update',
      label: 'debit',
      collection: 'accounts',
      id: 'a',
      spec: {
        guards: [
          { field: 'owner', op: 'eq', value: 'alice' },
          { field: 'balance', op: 'gte', value: 30 },
        ],
        inc: { balance: -30 },
      },
    });
    expect(writes[1]).toMatchObject({ kind: 'update', collection: 'accounts', id: 'b', spec: { inc: { balance: 30 } } });
    expect(writes[2]).toEqual({ kind: 'insert', label: 'ledger', collection: 'ledger', doc: { id: 'T-1', ...entry, uid: 'alice' } });
  });

  it('lets a store name the write that failed by its label', async () => {
    // Arrange: alice's account is short, bob's exists.
    const store = new MemoryStore();
    await store.insert('accounts', { id: 'a', owner: 'alice', balance: 10 });
    await store.insert('accounts', { id: 'b', owner: 'bob', balance: 0 });
    // Act
    const result = await store.transact(transferWrites({ uid: 'alice', from: 'a', to: 'b', amount: 30 }, entry));
    // Assert
    expect(result).toMatchObject({ ok: false, label: 'debit', reason: 'guard_failed' });
  });

  it('leaves the label out of a failure of an unlabelled write', async () => {
    const store = new MemoryStore();
    const result = await store.transact([{ kind: 'check', collection: 'accounts', id: 'nope', expectVersion: 1 }]);
    expect(result).toEqual({ ok: false, reason: 'not_found', index: 0 });
  });
});
