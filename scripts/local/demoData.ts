/**
 * The demo data of seed 000 (the uniCloud purchase function): product `1`, 商品A, stock 100, version 1, with a
 * price in minor units; two wallets for transfers; and an open lottery round (seed 004) to buy shares of.
 * Inserted with insert-if-absent, so re-seeding never overwrites what is there.
 */
import { isAppError } from '../../shared/errors';
import { createDeps } from '../../shared/operations/deps';
import { createRound, type CreateRoundInput } from '../../shared/operations/rounds';
import type { ConditionalStore, NewDoc } from '../../shared/store';

export const DEMO_PRODUCTS: NewDoc[] = [{ id: '1', name: '商品A', stock: 100, sold: 0, price: 1999 }];

/** Two wallets for the transfer examples (balances in fen), and the merchant account order payments go to. */
export const DEMO_ACCOUNTS: NewDoc[] = [
  { id: 'acc-alice', owner: 'alice', balance: 100_000 },
  { id: 'acc-bob', owner: 'bob', balance: 50_000 },
  { id: 'acc-merchant', owner: 'merchant', balance: 0 },
];

/** An open round of 10 shares at 1 yuan, at most 5 per user: alice and bob can fill it and an admin can draw it. */
export const DEMO_ROUND: Omit<CreateRoundInput, 'deadline'> = {
  id: 'demo-round',
  name: '夺宝第1期',
  totalShares: 10,
  price: 100,
  capPerUser: 5,
};

export async function seedDemoData(store: ConditionalStore): Promise<{ inserted: string[]; existing: string[] }> {
  const inserted: string[] = [];
  const existing: string[] = [];
  const seeds: Array<[string, NewDoc[]]> = [
    ['products', DEMO_PRODUCTS],
    ['accounts', DEMO_ACCOUNTS],
  ];
  for (const [collection, docs] of seeds) {
    for (const doc of docs) {
      const result = await store.insert(collection, doc);
      (result.ok ? inserted : existing).push(`${collection}/${doc.id}`);
    }
  }
  // Created by the operation itself, so it gets its pool account and a fresh committed seed like any round.
  try {
    await createRound(createDeps(store), { ...DEMO_ROUND, deadline: Date.now() + 10_000 });
    inserted.push(`rounds/${DEMO_ROUND.id}`);
  } catch (err) {
    if (!isAppError(err) || err.code !== 'ROUND_EXISTS') throw err;
    existing.push(`rounds/${DEMO_ROUND.id}`);
  }
  return { inserted, existing };
}
