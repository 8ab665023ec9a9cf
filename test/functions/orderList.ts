/**
 * GET /orders on a real server, through the real handlers: the caller's orders newest first, paged with an
 * opaque cursor, without repeats or gaps; other users' orders never shown; a cursor that was altered or given to
 * someone else, a bad limit and an undeclared query parameter are 400 and read nothing.
 */
import { call, invoke, trustedCallerContext, type Answer } from '../support/events';
import { backendEnv, loadFunctions, type LoadedFunctions } from '../support/functions';
import { backendFixture, type BackendFixture, type BackendName } from '../support/stores';

const SECRET = 'order-list-trusted-secret-0123456789abcdef';

export function describeOrderList(backend: BackendName): void {
  describe(`GET /orders on ${backend}`, () => {
    let fixture: BackendFixture;
    let fns: LoadedFunctions;
    /** alice's order numbers, newest first. */
    const alice: string[] = [];

    beforeAll(async () => {
      fixture = await backendFixture(backend, 'orderlist');
      fns = loadFunctions(['listOrders'], { ...backendEnv(backend, fixture), LOCKLESS_TRUSTED_CALLER_SECRET: SECRET });
      const at = (s: number) => new Date(Date.UTC(2026, 11, 1, 8, 0, s)).toISOString();
      const order = (orderNo: string, uid: string, createdAt: string, status = 'created') => ({
        id: orderNo,
        orderNo,
        uid,
        productId: 'p1',
        quantity: 1,
        price: 100,
        amount: 100,
        status,
        createdAt,
      });
      // 25 of alice's, three of them at one instant; bob's interleaved in time; one void tombstone of alice's.
      for (let i = 0; i < 25; i++) {
        const no = `Oa${String(i).padStart(3, '0')}`;
        await fixture.store.insert('orders', order(no, 'alice', at(i < 22 ? i * 2 : 44)));
        alice.unshift(no);
      }
      for (let i = 0; i < 6; i++) await fixture.store.insert('orders', order(`Ob${i}`, 'bob', at(i * 2 + 1)));
      await fixture.store.insert('orders', order('Oavoid', 'alice', at(50), 'void'));
    });
    afterAll(async () => {
      await fns?.close();
      await fixture?.cleanup();
    });

    const list = (sub: string, query?: Record<string, string>) =>
      call(fns.http('listOrders'), { method: 'GET', path: '/orders', sub, ...(query ? { query } : {}) });

    async function allPages(sub: string, limit: string): Promise<Answer[]> {
      const pages: Answer[] = [];
      let cursor: string | undefined;
      do {
        const page = await list(sub, { limit, ...(cursor ? { cursor } : {}) });
        expect(page.statusCode).toBe(200);
        pages.push(page);
        cursor = page.body.data.nextCursor;
      } while (cursor && pages.length < 20);
      return pages;
    }

    it('pages through the caller’s orders newest first, each exactly once, and nothing of anyone else', async () => {
      const pages = await allPages('alice', '10');
      expect(pages.map((p) => p.body.data.orders.length)).toEqual([10, 10, 5]);
      const seen = pages.flatMap((p) => p.body.data.orders);
      expect(seen.every((o: { uid: string }) => o.uid === 'alice')).toBe(true);
      const numbers = seen.map((o: { orderNo: string }) => o.orderNo);
      // The three orders of one instant come in the backend's order: compare them as a set.
      expect(numbers.slice(3)).toEqual(alice.slice(3));
      expect([...numbers.slice(0, 3)].sort()).toEqual([...alice.slice(0, 3)].sort());
      const times = seen.map((o: { createdAt: string }) => o.createdAt);
      expect(times).toEqual([...times].sort().reverse());
      expect(pages.at(-1)!.body.data.nextCursor).toBeUndefined();

      const bob = await allPages('bob', '4');
      expect(bob.flatMap((p) => p.body.data.orders.map((o: { orderNo: string }) => o.orderNo))).toEqual([
        'Ob5',
        'Ob4',
        'Ob3',
        'Ob2',
        'Ob1',
        'Ob0',
      ]);
      expect(await list('carol')).toMatchObject({ statusCode: 200, body: { data: { orders: [] } } });
    });

    it('answers 20 orders by default, and the same through a direct invocation', async () => {
      const first = await list('alice');
      expect(first.body.data.orders).toHaveLength(20);
      expect(typeof first.body.data.nextCursor).toBe('string');
      const direct = (await invoke(fns.handler('listOrders'), { limit: 20 }, trustedCallerContext(SECRET, 'alice'))) as {
        code: number;
        data: { orders: { orderNo: string }[]; nextCursor: string };
      };
      expect(direct.code).toBe(200);
      expect(direct.data.orders.map((o) => o.orderNo)).toEqual(first.body.data.orders.map((o: { orderNo: string }) => o.orderNo));
      const rest = (await invoke(fns.handler('listOrders'), { cursor: direct.data.nextCursor }, trustedCallerContext(SECRET, 'alice'))) as {
        data: { orders: unknown[] };
      };
      expect(rest.data.orders).toHaveLength(5);
    });

    it('refuses a cursor given to someone else or altered, a bad limit and an undeclared parameter, with 400', async () => {
      const cursor = (await list('alice', { limit: '5' })).body.data.nextCursor as string;
      const refusals: Array<[string, Record<string, string>]> = [
        ['bob', { cursor }],
        ['alice', { cursor: `${cursor.slice(0, -2)}xx` }],
        ['alice', { cursor: Buffer.from(JSON.stringify({ s: '2026-12-01T08:00:00.000Z', i: 'Ob1' })).toString('base64url') }],
        ['alice', { cursor: 'not a cursor' }],
        ['alice', { limit: '0' }],
        ['alice', { limit: '101' }],
        ['alice', { limit: '1e1' }],
        ['alice', { limit: '05' }],
        ['alice', { uid: 'bob' }],
        ['alice', { limit: '5', owner: 'bob' }],
      ];
      for (const [sub, query] of refusals) {
        const answer = await list(sub, query);
        expect({ query, status: answer.statusCode, error: answer.body.error, data: answer.body.data?.orders }).toEqual({
          query,
          status: 400,
          error: 'INVALID_REQUEST',
          data: undefined,
        });
      }
      const anonymous = await call(fns.http('listOrders'), { method: 'GET', path: '/orders' });
      expect(anonymous.statusCode).toBe(401);
    });
  });
}
