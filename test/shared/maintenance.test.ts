/** The maintenance runner: tasks in order, one failure reported without stopping the rest, one line per product. */
import { MAINTENANCE_TASKS, runMaintenance, type MaintenanceContext, type MaintenanceTask } from '../../shared/maintenance';
import { fakeDeps } from '../support/deps';
import { MemoryStore } from '../support/memoryStore';

async function context(lines: Record<string, unknown>[]): Promise<MaintenanceContext> {
  const store = new MemoryStore();
  await store.insert('products', { id: 'p1', name: 'A', stock: 5, sold: 0, price: 100 });
  await store.insert('products', { id: 'p2', name: 'B', stock: 7, sold: 0, price: 100 });
  return {
    deps: fakeDeps(store),
    catalog: { productIds: async () => ['p1', 'gone', 'p2'], unitsInOrders: async () => ({ p1: 0 }) },
    overdueOrders: { find: async () => [] },
    deadline: Date.now() + 30_000,
    functionTimeoutMs: 10_000,
    emit: (line) => lines.push(line),
  };
}

describe('runMaintenance', () => {
  it('runs every task, and reconciles every product that exists, one line each', async () => {
    const lines: Record<string, unknown>[] = [];
    const outcomes = await runMaintenance(await context(lines));
    expect(outcomes.map((o) => [o.task, o.ok])).toEqual([
      ['reconcile', true],
      ['expireOrders', true],
      ['drawRounds', true],
      ['resetFreeEntries', true],
    ]);
    expect(lines.filter((line) => line.task === 'reconcile')).toEqual([
      expect.objectContaining({
        task: 'reconcile',
        productId: 'p1',
        stock: 5,
        sold: 0,
        unitsInOrders: 0,
        holdsSettled: 0,
        unitsReleased: 0,
      }),
      expect.objectContaining({ task: 'reconcile', productId: 'p2', stock: 7, unitsInOrders: 0 }),
    ]);
  });

  it('reports a task that throws by its code and runs the next one', async () => {
    const ran: string[] = [];
    const failing: MaintenanceTask = {
      name: 'expire',
      run: async () => {
        ran.push('expire');
        throw new Error('boom');
      },
    };
    const after: MaintenanceTask = { name: 'draw', run: async () => void ran.push('draw') };
    const outcomes = await runMaintenance(await context([]), [failing, after, ...MAINTENANCE_TASKS]);
    expect(ran).toEqual(['expire', 'draw']);
    expect(outcomes.map((o) => [o.task, o.ok, o.error])).toEqual([
      ['expire', false, 'INTERNAL'],
      ['draw', true, undefined],
      ['reconcile', true, undefined],
      ['expireOrders', true, undefined],
      ['drawRounds', true, undefined],
      ['resetFreeEntries', true, undefined],
    ]);
  });
});
