/**
 * A purchase whose order insert fails after the stock decrement (strategies `atomic` and `version`) gets its
 * stock back; one whose insert landed but whose answer was lost keeps its order. Real databases; the failure is
 * injected exactly at the order insert by wrapping the real store.
 */
import { createDeps } from '../../shared/operations/deps';
import { purchase } from '../../shared/operations/purchase';
import { withFaults } from '../support/faults';
import { BACKENDS, backendFixture, type BackendFixture } from '../support/stores';

describe.each(BACKENDS)('order insert failure after the decrement on %s', (backend) => {
  let fixture: BackendFixture;
  let n = 0;
  beforeAll(async () => {
    fixture = await backendFixture(backend, 'orderfail');
  });
  afterAll(async () => {
    await fixture?.cleanup();
  });

  async function product() {
    const id = `of${++n}`;
    await fixture.store.insert('products', { id, name: 'x', stock: 10, sold: 0, price: 5 });
    return id;
  }
  const ordersOf = async (productId: string) => (await fixture.list('orders')).filter((o) => o.productId === productId);
  const silent = { log: () => {} };

  it.each(['atomic', 'version'] as const)('%s: the insert fails, the units go back and the order number is voided', async (strategy) => {
    const productId = await product();
    const deps = createDeps(withFaults(fixture.store, { failInsertInto: 'orders', times: 1 }), silent);
    await expect(purchase(deps, { uid: 'u', productId, quantity: 3, strategy, deadline: Date.now() + 10_000 })).rejects.toMatchObject({
      code: 'INTERNAL',
    });
    expect(await fixture.store.get('products', productId)).toMatchObject({ stock: 10, sold: 0 });
    expect((await ordersOf(productId)).map((o) => o.status)).toEqual(['void']);
  });

  it.each(['atomic', 'version'] as const)('%s: the insert lands but its answer is lost, the purchase stands once', async (strategy) => {
    const productId = await product();
    const deps = createDeps(withFaults(fixture.store, { loseInsertAnswerFor: 'orders', times: 1 }), silent);
    const { data } = await purchase(deps, { uid: 'u', productId, quantity: 3, strategy, deadline: Date.now() + 10_000 });
    expect(await fixture.store.get('products', productId)).toMatchObject({ stock: 7, sold: 3 });
    const orders = await ordersOf(productId);
    expect(orders.map((o) => [o.orderNo, o.status])).toEqual([[data.order.orderNo, 'pending_payment']]);
  });

  it.each(['atomic', 'version'] as const)(
    '%s: neither the order nor its void can be written: the units are held, logged and counted',
    async (strategy) => {
      const productId = await product();
      const events: unknown[] = [];
      const counted: Record<string, number> = {};
      // The void and the stock's return are one transaction (orders.ts): it fails too.
      const deps = createDeps(withFaults(fixture.store, { failInsertInto: 'orders', failTransactions: true }), {
        log: (_level, fields) => events.push(fields.event),
        metrics: { count: (name, value = 1) => void (counted[name] = (counted[name] ?? 0) + value) },
      });

      await expect(purchase(deps, { uid: 'u', productId, quantity: 3, strategy, deadline: Date.now() + 10_000 })).rejects.toMatchObject({
        code: 'INTERNAL',
      });

      // Never oversold: the units stay taken until the reconciler releases them.
      expect(await fixture.store.get('products', productId)).toMatchObject({ stock: 7, sold: 3 });
      expect(events).toContain('STOCK_HELD');
      expect(counted).toMatchObject({ UnitsHeld: 3, PurchaseFailed: 1 });
      expect(counted.PurchaseSucceeded).toBeUndefined();
    },
  );
});
