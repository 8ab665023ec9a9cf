/**
 * Transfers among 10 accounts (hot) or 1,000 (cold), through POST /transfers as the owner of `from`. They run
 * only when functions/transfer.ts exists. Accounts are `{ id, owner, balance, version }`, money in integer
 * minor units, seeded rich enough that no transfer is refused for lack of balance. The check: the sum of all
 * balances is what it was (no money created or destroyed), and none went below zero.
 */
import type { Contestant } from '../contestants/contestant';
import { seededRandom, seedOf } from '../random';
import type { Sample } from '../outcome';
import type { BenchEnv, Scenario, Verification, Workload } from './scenario';

export const INITIAL_BALANCE = 100_000_000;
const MAX_AMOUNT = 100;

export const ownerOf = (accountId: string) => `owner-${accountId}`;

async function verifyBalances(env: BenchEnv, ids: string[], samples: Sample[]): Promise<Verification> {
  const stored = await env.raw.readMany('accounts', ids);
  let total = 0;
  let negative = 0;
  for (const id of ids) {
    const balance = stored.get(id)?.balance;
    if (typeof balance !== 'number') throw new Error(`account ${id} vanished during the run`);
    total += balance;
    if (balance < 0) negative++;
  }
  const delivered = samples.filter((s) => s.outcome.kind === 'ok').reduce((sum, s) => sum + s.outcome.units, 0);
  return { delivered, imbalance: Math.abs(total - INITIAL_BALANCE * ids.length), negative };
}

function transferScenario(id: 'transfer-hot' | 'transfer-cold', accounts: number, concurrency: number): Scenario {
  return {
    id,
    group: id,
    title: `Transfers among ${accounts.toLocaleString('en')} accounts (${id === 'transfer-hot' ? 'hot' : 'cold'}), concurrency ${concurrency}`,
    concurrency,
    takes: (c) => c.transfer !== undefined,
    skipReason: (env) => (env.invoker.has('transfer') ? null : 'transfer function not present (functions/transfer.ts)'),
    async prepare(env: BenchEnv, contestant: Contestant, tag: string): Promise<Workload> {
      const ids = Array.from({ length: accounts }, (_, n) => `${tag}-${n}`);
      await env.raw.seed(
        'accounts',
        ids.map((a) => ({ id: a, owner: ownerOf(a), balance: INITIAL_BALANCE, version: 1 })),
      );
      const random = seededRandom(seedOf(id));
      return {
        request() {
          const fromIndex = Math.floor(random() * accounts);
          // Any other account: shift by 1..accounts-1 so `to` never equals `from`.
          const from = ids[fromIndex]!;
          const to = ids[(fromIndex + 1 + Math.floor(random() * (accounts - 1))) % accounts]!;
          const amount = 1 + Math.floor(random() * MAX_AMOUNT);
          return { kind: 'transfer', key: from, send: contestant.transfer!({ from, to, amount, sub: ownerOf(from) }) };
        },
        verify: (samples) => verifyBalances(env, ids, samples),
      };
    },
  };
}

export const transfersHot = (concurrency: number) => transferScenario('transfer-hot', 10, concurrency);
export const transfersCold = (concurrency: number) => transferScenario('transfer-cold', 1_000, concurrency);
