/**
 * The demo data of seed 000 (the uniCloud purchase function): product `1`, 商品A, stock 100, version 1, with a
 * price in minor units; and two wallets for transfers. Inserted with insert-if-absent, so re-seeding never
 * overwrites what is there.
 */
import type { ConditionalStore, NewDoc } from '../../shared/store';

export const DEMO_PRODUCTS: NewDoc[] = [{ id: '1', name: '商品A', stock: 100, sold: 0, price: 1999 }];

/** Two wallets for the transfer examples (balances in fen), and the merchant account order payments go to. */
export const DEMO_ACCOUNTS: NewDoc[] = [
  { id: 'acc-alice', owner: 'alice', balance: 100_000 },
  { id: 'acc-bob', owner: 'bob', balance: 50_000 },
  { id: 'acc-merchant', owner: 'merchant', balance: 0 },
];

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
  return { inserted, existing };
}
