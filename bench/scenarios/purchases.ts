/**
 * The purchase scenarios: uncontended (purchases spread over 1,000 products), hot item (one product at a
 * given concurrency), and mixed (80% GET /products/{id}, 20% purchases, over 10 products).
 *
 * Products are seeded with far more stock than a run can take, so nothing sells out: every refusal the
 * guarded contestants give is a conflict while units remained, and every lost update shows as oversold units.
 */
import { BENCH_PRICE, type Contestant } from '../contestants/contestant';
import type { PreparedRequest } from '../load';
import { seededRandom, seedOf } from '../random';
import type { Sample } from '../outcome';
import type { RawDriver } from '../raw/rawDriver';
import type { BenchEnv, Scenario, Verification, Workload } from './scenario';

export const INITIAL_STOCK = 10_000_000;
const QUANTITY = 1;
/** Distinct buyers; a buyer id never matters to the guards, only to the orders. */
const BUYERS = 1_000;

/** Products as every purchase scenario and the warm-up seed them: far more stock than a run can take. */
export async function seedProducts(raw: RawDriver, ids: string[]): Promise<void> {
  await raw.seed(
    'products',
    ids.map((id) => ({ id, name: 'bench', stock: INITIAL_STOCK, sold: 0, price: BENCH_PRICE, version: 1 })),
  );
}

/** Oversold units: what the answers delivered beyond what the stock gave up, plus any stock below zero. */
async function verifyStock(raw: RawDriver, ids: string[], samples: Sample[]): Promise<Verification> {
  const stored = await raw.readMany('products', ids);
  let taken = 0;
  let negative = 0;
  let belowZero = 0;
  for (const id of ids) {
    const stock = stored.get(id)?.stock;
    if (typeof stock !== 'number') throw new Error(`product ${id} vanished during the run`);
    taken += INITIAL_STOCK - stock;
    if (stock < 0) {
      negative++;
      belowZero += -stock;
    }
  }
  const delivered = samples.filter((s) => s.kind === 'purchase' && s.outcome.kind === 'ok').reduce((sum, s) => sum + s.outcome.units, 0);
  return { taken, delivered, oversold: Math.max(0, delivered - taken) + belowZero, negative };
}

function purchaseScenario(base: Omit<Scenario, 'takes' | 'skipReason' | 'prepare'>, products: number, readShare: number): Scenario {
  return {
    ...base,
    takes: (c) => c.purchase !== undefined && (readShare === 0 || c.read !== undefined),
    skipReason: () => null,
    async prepare(env: BenchEnv, contestant: Contestant, tag: string): Promise<Workload> {
      const ids = Array.from({ length: products }, (_, n) => `${tag}-${n}`);
      await seedProducts(env.raw, ids);
      const random = seededRandom(seedOf(base.id));
      return {
        request(i): PreparedRequest {
          // Uncontended walks the products in turn; the others pick at random (same sequence for everyone).
          const id = products === 1 ? ids[0]! : readShare === 0 ? ids[i % products]! : ids[Math.floor(random() * products)]!;
          if (readShare > 0 && random() < readShare) return { kind: 'read', key: id, send: contestant.read!(id) };
          return { kind: 'purchase', key: id, send: contestant.purchase!(id, `buyer-${i % BUYERS}`, QUANTITY) };
        },
        verify: (samples) => verifyStock(env.raw, ids, samples),
      };
    },
  };
}

export function uncontended(concurrency: number): Scenario {
  return purchaseScenario(
    {
      id: `uncontended-c${concurrency}`,
      group: 'uncontended',
      title: `Uncontended: purchases over 1,000 products, concurrency ${concurrency}`,
      concurrency,
    },
    1_000,
    0,
  );
}

export function hotItem(concurrency: number): Scenario {
  return purchaseScenario(
    { id: `hot-c${concurrency}`, group: 'hot', title: `Hot item: one product, concurrency ${concurrency}`, concurrency },
    1,
    0,
  );
}

export function mixed(concurrency: number): Scenario {
  return purchaseScenario(
    { id: 'mixed', group: 'mixed', title: `Mixed: 80% reads, 20% purchases over 10 products, concurrency ${concurrency}`, concurrency },
    10,
    0.8,
  );
}
