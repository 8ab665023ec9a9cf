/**
 * The catalog's admin routes on a real server, through the real handlers:
 * - create: 201, then 409 PRODUCT_EXISTS for the same id; 403 for a non-admin, with nothing written;
 * - versioned edit: 428 without If-Match; two editors racing with one ETag: exactly one 200, one 412 that
 *   carries the current ETag and product;
 * - restock: 100 restocks racing 100 purchases (every strategy): the final stock is exact, initial + restocked
 *   − sold, and `sold` equals the orders written; a restock retried with one Idempotency-Key adds once.
 */
import { STRATEGIES } from '../../shared/validation';
import { adminClaims, call, type Answer } from '../support/events';
import { backendEnv, loadFunctions, type LoadedFunctions } from '../support/functions';
import { backendFixture, type BackendFixture, type BackendName } from '../support/stores';

/** Generous: these races share two cores with the databases (see walletConcurrency.ts). */
const REMAINING_MS = 300_000;
const RACE_TIMEOUT_MS = REMAINING_MS + 60_000;
const ADMIN = { sub: 'ada', claims: adminClaims };

export function describeCatalogConcurrency(backend: BackendName): void {
  describe(`catalog admin routes on ${backend}`, () => {
    let fixture: BackendFixture;
    let fns: LoadedFunctions;
    const figures: Record<string, unknown>[] = [];

    beforeAll(async () => {
      fixture = await backendFixture(backend, 'catalog');
      fns = loadFunctions(['createProduct', 'editProduct', 'restock', 'getProduct', 'purchase'], {
        ...backendEnv(backend, fixture),
        LOCKLESS_DB_CONNECT_TIMEOUT_MS: '5000',
        LOCKLESS_DB_REQUEST_TIMEOUT_MS: '60000',
        LOCKLESS_DB_MAX_SOCKETS: '300',
      });
    });
    afterAll(async () => {
      await fns?.close();
      await fixture?.cleanup();
      console.log(`catalog concurrency on ${backend}:\n${JSON.stringify(figures, null, 1)}`);
    });

    const http = (name: string, input: Parameters<typeof call>[1]) => call(fns.http(name), input, REMAINING_MS);
    const create = (body: unknown, who: { sub?: string; claims?: Record<string, unknown> } = ADMIN) =>
      http('createProduct', { method: 'POST', path: '/products', body, ...who });
    const edit = (id: string, body: unknown, headers: Record<string, string> = {}) =>
      http('editProduct', { method: 'PATCH', path: `/products/${id}`, pathParameters: { id }, body, headers, ...ADMIN });
    const restock = (id: string, quantity: number, headers: Record<string, string> = {}) =>
      http('restock', { method: 'POST', path: `/products/${id}/restock`, pathParameters: { id }, body: { quantity }, headers, ...ADMIN });
    const read = (id: string) => http('getProduct', { method: 'GET', path: `/products/${id}`, pathParameters: { id } });

    it('creates a product once: 201 with its ETag, 409 PRODUCT_EXISTS for the same id, 403 for a non-admin', async () => {
      const body = { id: 'cat-new', name: '新品', price: 1999, stock: 5, limitPerUser: 2 };
      const created = await create(body);
      expect(created.statusCode).toBe(201);
      expect(created.body.data).toEqual({ id: 'cat-new', name: '新品', price: 1999, stock: 5, limitPerUser: 2, version: 1 });
      expect(created.headers.etag).toBe('"cat-new.v1"');
      const again = await create({ ...body, name: 'other', stock: 50 });
      expect([again.statusCode, again.body.error]).toEqual([409, 'PRODUCT_EXISTS']);
      const byUser = await create({ ...body, id: 'cat-forbidden' }, { sub: 'mallory' });
      expect([byUser.statusCode, byUser.body.error]).toEqual([403, 'FORBIDDEN']);
      // Nothing changed by the refused requests, and the product holds what create wrote.
      expect(await fixture.store.get('products', 'cat-forbidden')).toBeNull();
      expect(await fixture.store.get('products', 'cat-new')).toMatchObject({
        name: '新品',
        stock: 5,
        sold: 0,
        limitPerUser: 2,
        version: 1,
      });
    });

    it('edits only with the current ETag: 428 without If-Match, and of two racing editors one wins, one gets 412', async () => {
      await create({ id: 'cat-edit', name: 'v1 name', price: 100, stock: 10 });
      const etag = (await read('cat-edit')).headers.etag!;
      const missing = await edit('cat-edit', { price: 1 });
      expect([missing.statusCode, missing.body.error]).toEqual([428, 'PRECONDITION_REQUIRED']);

      const [a, b] = await Promise.all([
        edit('cat-edit', { name: 'editor A', price: 111 }, { 'if-match': etag }),
        edit('cat-edit', { name: 'editor B', price: 222 }, { 'if-match': etag }),
      ]);
      const answers = [a, b] as Answer[];
      figures.push({ scenario: 'two editors, one ETag', statuses: answers.map((x) => x.statusCode).sort() });
      expect(answers.map((x) => x.statusCode).sort()).toEqual([200, 412]);
      const winner = answers.find((x) => x.statusCode === 200)!;
      const loser = answers.find((x) => x.statusCode === 412)!;
      expect(winner.headers.etag).toBe('"cat-edit.v2"');
      // The loser is told what is there now, so it can merge and send again with the new ETag.
      expect(loser.body).toMatchObject({ error: 'PRECONDITION_FAILED', data: { etag: '"cat-edit.v2"', current: winner.body.data } });
      const stored = await fixture.store.get('products', 'cat-edit');
      expect(stored).toMatchObject({ name: winner.body.data.name, price: winner.body.data.price, version: 2, stock: 10 });

      const merged = await edit('cat-edit', { price: 333 }, { 'if-match': loser.body.data.etag });
      expect([merged.statusCode, merged.body.data.price, merged.body.data.name]).toEqual([200, 333, winner.body.data.name]);
      // An ETag of another product, a weak one or `*` names no version of this one.
      for (const other of ['"cat-new.v3"', 'W/"cat-edit.v3"', '*']) {
        const refused = await edit('cat-edit', { price: 1 }, { 'if-match': other });
        expect([other, refused.statusCode, refused.body.data.etag]).toEqual([other, 412, '"cat-edit.v3"']);
      }
      expect(await fixture.store.get('products', 'cat-edit')).toMatchObject({ price: 333, version: 3 });
    });

    it(
      'keeps the stock exact when 100 restocks race 100 purchases of every strategy',
      async () => {
        const initial = 0;
        await create({ id: 'cat-race', name: 'hot', price: 10, stock: initial });
        const restocks = Array.from({ length: 100 }, (_, i) => () => restock('cat-race', 1 + (i % 3)));
        const purchases = Array.from(
          { length: 100 },
          (_, i) => () =>
            http('purchase', {
              method: 'POST',
              path: '/products/cat-race/purchase',
              pathParameters: { id: 'cat-race' },
              body: { quantity: 1 + (i % 2), strategy: STRATEGIES[i % STRATEGIES.length] },
              sub: `buyer-${i}`,
            }),
        );
        // Interleaved, so restocks and purchases start side by side.
        const started = Date.now();
        const jobs = restocks.flatMap((r, i) => [r, purchases[i]!]);
        const answers = await Promise.all(jobs.map((job) => job()));
        const ms = Date.now() - started;
        const restocked = answers.filter((a, i) => i % 2 === 0 && a.statusCode === 200).reduce((s, a) => s + a.body.data.added, 0);
        const bought = answers.filter((a, i) => i % 2 === 1 && a.statusCode === 200);
        const sold = bought.reduce((s, a) => s + a.body.data.order.quantity, 0);
        const refusals = answers.filter((a) => a.statusCode !== 200).map((a) => a.body.error);
        figures.push({ scenario: '100 restocks vs 100 purchases', restocked, sold, purchases: bought.length, refusals, ms });

        // Restocks never fail; purchases either sold or were refused for a reason that changed nothing.
        expect(answers.filter((a, i) => i % 2 === 0 && a.statusCode !== 200)).toEqual([]);
        expect(refusals.filter((e) => !['INSUFFICIENT_STOCK', 'VERSION_CONFLICT', 'TRANSACTION_CONFLICT'].includes(e ?? ''))).toEqual([]);
        expect(restocked).toBe(100 * 2 - 1);
        const product = await fixture.store.get('products', 'cat-race');
        expect(product).toMatchObject({ stock: initial + restocked - sold, sold });
        const orders = (await fixture.list('orders')).filter((o) => o.productId === 'cat-race' && o.status !== 'void');
        expect(orders.reduce((s, o) => s + (o.quantity as number), 0)).toBe(sold);
      },
      RACE_TIMEOUT_MS,
    );

    it('adds once for a restock sent 10 times at once with one Idempotency-Key, and 404 for a missing product', async () => {
      await create({ id: 'cat-idem', name: 'x', price: 1, stock: 0 });
      const answers = await Promise.all(Array.from({ length: 10 }, () => restock('cat-idem', 7, { 'idempotency-key': 'restock-1' })));
      expect(answers.map((a) => a.statusCode)).toEqual(Array(10).fill(200));
      expect(answers.filter((a) => a.headers['idempotent-replayed'] === 'true')).toHaveLength(9);
      expect(await fixture.store.get('products', 'cat-idem')).toMatchObject({ stock: 7, version: 2 });
      const reused = await restock('cat-idem', 8, { 'idempotency-key': 'restock-1' });
      expect([reused.statusCode, reused.body.error]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);
      const missing = await restock('cat-missing', 1);
      expect([missing.statusCode, missing.body.error]).toEqual([404, 'PRODUCT_NOT_FOUND']);
      expect(await fixture.store.get('products', 'cat-missing')).toBeNull();
    });
  });
}
