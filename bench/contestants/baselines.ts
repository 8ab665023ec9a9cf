/**
 * The seeds' code paths on the raw driver, each followed by the order insert as the seeds do:
 * - naive: read, check, write the computed stock with no guard at all (lost updates: it oversells);
 * - seed 000: read stock and version, check, write where the version still matches; 3 attempts, no backoff;
 * - seed 003 spin: the same loop up to 1,000 times, no backoff, re-reading the price after winning.
 * A spent loop is a conflict (seed 003 tells the buyer "out of stock" although units are left).
 */
import { conflict, failed, insufficient, ok, type Outcome } from '../outcome';
import type { RawDriver } from '../raw/rawDriver';
import { orderDoc, rawRead } from './raw';
import type { Contestant } from './contestant';

export function naiveReadCheckWrite(raw: RawDriver): Contestant {
  return {
    name: 'naive',
    slug: 'naive',
    family: 'baseline',
    describe: 'baseline: read, check, write with no guard (lost updates), then the order insert',
    purchase: (id, uid, q) => async () => {
      const product = await raw.readProduct(id);
      if (!product) return failed('NOT_FOUND');
      if (product.stock < q) return insufficient();
      await raw.writeStockBlind(id, product.stock - q);
      await raw.insertOrder(orderDoc(id, uid, q, product.price));
      return ok(1, q);
    },
    read: rawRead(raw),
  };
}

function versionLoop(raw: RawDriver, maxAttempts: number, rereadPrice: boolean) {
  return (id: string, uid: string, q: number) => async (): Promise<Outcome> => {
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const product = await raw.readProduct(id);
      if (!product) return failed('NOT_FOUND', attempt);
      if (product.stock < q) return insufficient(attempt);
      if (await raw.writeStockIfVersion(id, product.version, product.stock - q)) {
        const price = rereadPrice ? ((await raw.readPrice(id)) ?? product.price) : product.price;
        await raw.insertOrder(orderDoc(id, uid, q, price));
        return ok(attempt, q);
      }
    }
    return conflict(maxAttempts);
  };
}

export function seed000VersionLoop(raw: RawDriver): Contestant {
  return {
    name: 'seed 000',
    slug: 'seed000',
    family: 'baseline',
    describe: 'baseline (seed 000): read, check, CAS on version; 3 attempts, no backoff; then the order insert',
    purchase: versionLoop(raw, 3, false),
    read: rawRead(raw),
  };
}

export function seed003Spin(raw: RawDriver): Contestant {
  return {
    name: 'seed 003 spin',
    slug: 'seed003',
    family: 'baseline',
    describe: 'baseline (seed 003): the version CAS spun up to 1,000 times, no backoff; price re-read; order insert',
    purchase: versionLoop(raw, 1000, true),
    read: rawRead(raw),
  };
}
