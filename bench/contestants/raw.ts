/** The raw driver ceiling: the bare guarded write, no handler, no port, no order. */
import { newOrderNo } from '../../shared/ids';
import { failed, insufficient, ok, type Outcome } from '../outcome';
import type { RawDriver, SeedDoc } from '../raw/rawDriver';
import { BENCH_PRICE, type Contestant, type Send } from './contestant';

/** The read every raw-driver contestant (ceiling, diagnostic, baselines) makes for GET /products/{id}. */
export const rawRead =
  (raw: RawDriver) =>
  (id: string): Send =>
  async (): Promise<Outcome> =>
    (await raw.readProduct(id)) ? ok() : failed('NOT_FOUND');

export function rawCeiling(raw: RawDriver): Contestant {
  return {
    name: 'raw',
    slug: 'raw',
    family: 'ceiling',
    describe: 'raw driver: the bare guarded decrement (stock >= q), nothing else',
    purchase: (id, _uid, q) => async () => ((await raw.decrement(id, q)) ? ok(1, q) : insufficient()),
    read: rawRead(raw),
    // Two guarded single-document writes, no transaction: a crash between them would lose the money.
    transfer:
      ({ from, to, amount }) =>
      async () => {
        if (!(await raw.debit(from, amount))) return insufficient();
        await raw.credit(to, amount);
        return ok(1, amount);
      },
  };
}

/**
 * Diagnostic, not one of the contestants: the raw decrement plus the order insert, i.e. the two round
 * trips `atomic` makes, so a gap between `atomic` and `raw` splits into "the second write" and "the layers".
 */
export function rawWithOrder(raw: RawDriver): Contestant {
  return {
    name: 'raw+order',
    slug: 'raworder',
    family: 'diagnostic',
    describe: 'diagnostic: raw guarded decrement, then a raw order insert (the round trips of `atomic`)',
    purchase: (id, uid, q) => async () => {
      if (!(await raw.decrement(id, q))) return insufficient();
      await raw.insertOrder(orderDoc(id, uid, q, BENCH_PRICE));
      return ok(1, q);
    },
    read: rawRead(raw),
  };
}

/** The order the baselines insert after taking stock (the fields lockless stores, for a like-for-like write). */
export function orderDoc(productId: string, uid: string, quantity: number, price: number): SeedDoc {
  const now = Date.now();
  const orderNo = newOrderNo(now);
  return {
    id: orderNo,
    orderNo,
    uid,
    productId,
    quantity,
    price,
    amount: price * quantity,
    status: 'created',
    createdAt: new Date(now).toISOString(),
    version: 1,
  };
}
