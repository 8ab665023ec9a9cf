/**
 * The demo data of seed 000 (the uniCloud purchase function): product `1`, 商品A, stock 100, version 1, with a
 * price in minor units. Inserted with insert-if-absent, so re-seeding never overwrites what is there.
 */
import type { ConditionalStore, NewDoc } from '../../shared/store';

export const DEMO_PRODUCTS: NewDoc[] = [{ id: '1', name: '商品A', stock: 100, sold: 0, price: 1999 }];

export async function seedDemoData(store: ConditionalStore): Promise<{ inserted: string[]; existing: string[] }> {
  const inserted: string[] = [];
  const existing: string[] = [];
  for (const product of DEMO_PRODUCTS) {
    const result = await store.insert('products', product);
    (result.ok ? inserted : existing).push(`products/${product.id}`);
  }
  return { inserted, existing };
}
