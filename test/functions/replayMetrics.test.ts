/**
 * IdempotentReplays is counted for every keyed operation, not only purchases: a transfer and a cart add and
 * removal, each sent three times with one key, count two replays each in their own function's EMF lines, on
 * both backends, and the first answer counts none.
 */
import { emfLinesOf, METRICS_TEST_NAMESPACE, totals, type EmfLine } from '../support/emf';
import { call } from '../support/events';
import { backendEnv, loadFunctions, type LoadedFunctions } from '../support/functions';
import { BACKENDS, backendFixture, type BackendFixture } from '../support/stores';

const replaysOf = (lines: EmfLine[], fn: string) => totals(lines.filter((line) => line.function === fn)).IdempotentReplays ?? 0;

describe.each(BACKENDS)('IdempotentReplays on %s', (backend) => {
  let fixture: BackendFixture;
  let fns: LoadedFunctions;

  beforeAll(async () => {
    fixture = await backendFixture(backend, 'replaymetrics');
    fns = loadFunctions(['transfer', 'addCartItem', 'removeCartItem'], {
      ...backendEnv(backend, fixture),
      LOCKLESS_METRICS_NAMESPACE: METRICS_TEST_NAMESPACE,
    });
    await fixture.store.insert('accounts', { id: 'acc-replay-a', owner: 'replayer', balance: 1000 });
    await fixture.store.insert('accounts', { id: 'acc-replay-b', owner: 'payee', balance: 0 });
    await fixture.store.insert('products', { id: 'p-replay', name: '商品R', stock: 5, sold: 0, price: 100 });
  });
  afterAll(async () => {
    await fns?.close();
    await fixture?.cleanup();
  });

  it('counts a replayed transfer, cart add and cart removal, two of three each', async () => {
    const key = (name: string) => ({ 'idempotency-key': `replay-metrics-${name}-0001` });
    const transfer = () =>
      call(fns.http('transfer'), {
        method: 'POST',
        path: '/transfers',
        body: { from: 'acc-replay-a', to: 'acc-replay-b', amount: 10 },
        headers: key('transfer'),
        sub: 'replayer',
      });
    const add = () =>
      call(fns.http('addCartItem'), {
        method: 'POST',
        path: '/carts/c-replay/items',
        pathParameters: { id: 'c-replay' },
        body: { id: 'i1', productId: 'p-replay', quantity: 1 },
        headers: key('add'),
        sub: 'replayer',
      });
    const remove = () =>
      call(fns.http('removeCartItem'), {
        method: 'DELETE',
        path: '/carts/c-replay/items/i1',
        pathParameters: { id: 'c-replay', itemId: 'i1' },
        headers: key('remove'),
        sub: 'replayer',
      });

    const { result: answers, lines } = await emfLinesOf(async () => {
      const out = [];
      for (const send of [transfer, add, remove]) for (let i = 0; i < 3; i++) out.push(await send());
      return out;
    });

    expect(answers.map((a) => a.statusCode)).toEqual(Array(9).fill(200));
    expect(answers.map((a) => a.headers['idempotent-replayed'] ?? '-')).toEqual([
      '-',
      'true',
      'true',
      '-',
      'true',
      'true',
      '-',
      'true',
      'true',
    ]);
    expect({
      transfer: replaysOf(lines, 'transfer'),
      addCartItem: replaysOf(lines, 'addCartItem'),
      removeCartItem: replaysOf(lines, 'removeCartItem'),
    }).toEqual({ transfer: 2, addCartItem: 2, removeCartItem: 2 });
    expect((await fixture.store.get('accounts', 'acc-replay-a'))?.balance).toBe(990);
  });
});
