/**
 * The SDK's cart calls after a lost answer, against the real handlers and a real database: the first try's
 * answer is dropped after the handler acted, the SDK retries with the same Idempotency-Key, and the server
 * replays the first answer (before keys were honoured for carts, that retry said ITEM_EXISTS / ITEM_NOT_FOUND).
 * The transport hands each request to the handler in-process, as API Gateway would with the caller's claims.
 * Needs the database servers (jest.config.js): jest.client.config.js leaves it out, like the flash sale.
 */
import { createClient, type Transport } from '../../client/src';
import { cartKey } from '../../shared/carts';
import { call } from '../support/events';
import { backendEnv, loadFunctions, type LoadedFunctions } from '../support/functions';
import { BACKENDS, backendFixture, type BackendFixture } from '../support/stores';

const OWNER = 'sdk-cart-buyer';

describe.each(BACKENDS)('SDK cart calls whose first answer is lost, on %s', (backend) => {
  let fixture: BackendFixture;
  let fns: LoadedFunctions;

  beforeAll(async () => {
    fixture = await backendFixture(backend, 'sdkcart');
    fns = loadFunctions(['addCartItem', 'removeCartItem'], backendEnv(backend, fixture));
    await fixture.store.insert('products', { id: 'p1', name: 'p1', stock: 1, sold: 0, price: 1 });
  });
  afterAll(async () => {
    await fns?.close();
    await fixture?.cleanup();
  });

  /** Runs each request through its handler; the answer of try number `drop` is lost after the handler ran. */
  function handlerTransport(drop: number): { transport: Transport; keys: string[] } {
    let tries = 0;
    const keys: string[] = [];
    const transport: Transport = async (request) => {
      const path = new URL(request.url).pathname;
      const [, id, itemId] = /^\/carts\/([^/]+)\/items(?:\/([^/]+))?$/.exec(path) ?? [];
      if (!id) throw new Error(`no cart route for ${path}`);
      const { authorization: _token, ...headers } = request.headers;
      keys.push(headers['idempotency-key'] ?? '');
      const answer = await call(fns.http(request.operation), {
        method: request.method,
        path,
        pathParameters: { id: decodeURIComponent(id), ...(itemId ? { itemId: decodeURIComponent(itemId) } : {}) },
        body: request.body,
        headers,
        sub: OWNER,
      });
      if (++tries === drop) throw new Error('socket hang up');
      return { status: answer.statusCode, body: answer.body, headers: answer.headers };
    };
    return { transport, keys };
  }
  const client = (transport: Transport) =>
    createClient({ baseUrl: 'https://api.example.com', transport, getToken: () => 'token', lang: 'en', retry: { baseMs: 1, capMs: 1 } });

  it('a retried addCartItem gets the cart with the item once, and a retried removeCartItem gets the removal', async () => {
    // Arrange
    const adding = handlerTransport(1);
    const removing = handlerTransport(1);
    // Act
    const added = await client(adding.transport).addCartItem('c1', { id: 'a', productId: 'p1', quantity: 2 });
    const removed = await client(removing.transport).removeCartItem('c1', 'a');
    // Assert: one key per call, sent on both tries; the second try is the first answer, replayed.
    expect(adding.keys).toHaveLength(2);
    expect(new Set(adding.keys).size).toBe(1);
    expect(added).toMatchObject({
      ok: true,
      code: 200,
      tries: 2,
      replayed: true,
      data: { id: 'c1', owner: OWNER, items: [{ id: 'a', productId: 'p1', quantity: 2 }], itemCount: 1, version: 1 },
    });
    expect(new Set(removing.keys).size).toBe(1);
    expect(removed).toMatchObject({ ok: true, code: 200, tries: 2, replayed: true, data: { removed: true, version: 2 } });
    expect(await fixture.store.get('carts', cartKey(OWNER, 'c1'))).toMatchObject({ items: [], itemCount: 0, version: 2 });
  });
});
