/** Deterministic operation dependencies: a fake clock that advances when code sleeps, seeded randomness. */
import type { OperationDeps } from '../../shared/operations/deps';
import { DEFAULT_POLICIES } from '../../shared/operations/deps';
import { NO_METRICS } from '../../shared/metrics';
import type { ConditionalStore } from '../../shared/store';
import { DEFAULT_ORDER_SETTINGS } from '../../shared/config';

export interface FakeDeps extends OperationDeps {
  logs: Array<{ level: string; fields: Record<string, unknown> }>;
  slept: number[];
}

export function fakeDeps(store: ConditionalStore, overrides: Partial<OperationDeps> = {}): FakeDeps {
  let clock = Date.UTC(2026, 10, 25, 8, 0, 0);
  let seq = 0;
  let seed = 42;
  const logs: FakeDeps['logs'] = [];
  const slept: number[] = [];
  return {
    store,
    now: () => clock,
    // A small LCG: reproducible jitter.
    random: () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31,
    sleep: async (ms) => {
      slept.push(ms);
      clock += ms;
    },
    newOrderNo: () => `O-TEST-${++seq}`,
    newTransferId: () => `T-TEST-${++seq}`,
    log: (level, fields) => logs.push({ level, fields }),
    orderSettings: { ...DEFAULT_ORDER_SETTINGS },
    metrics: NO_METRICS,
    policies: DEFAULT_POLICIES,
    logs,
    slept,
    ...overrides,
  };
}
