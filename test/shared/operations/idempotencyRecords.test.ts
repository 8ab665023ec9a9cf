/**
 * What an idempotency record holds: the answer's data only (the envelope is the edge's). Records of the older
 * shape, `response: { status, msg, data }`, stay in deployed tables until their TTL, and must still replay.
 * Run on both real backends, since what matters is how the record round-trips through each. The clock is the
 * real one: the backends' TTL sweeps remove records whose expiry has passed in real time.
 */
import { fingerprint, IDEMPOTENCY, IDEMPOTENCY_TTL_S, recordId } from '../../../shared/operations/idempotency';
import { purchase, type PurchaseInput } from '../../../shared/operations/purchase';
import { transfer } from '../../../shared/operations/transfers';
import { fakeDeps } from '../../support/deps';
import { BACKENDS, backendFixture, type BackendFixture } from '../../support/stores';

const FAR = Date.UTC(2030, 0, 1);

describe.each(BACKENDS)('idempotency records on %s', (backend) => {
  let fixture: BackendFixture;
  beforeAll(async () => {
    fixture = await backendFixture(backend, 'idemrec');
  });
  afterAll(async () => {
    await fixture?.cleanup();
  });

  const buy = (id: string, strategy: PurchaseInput['strategy']): PurchaseInput => ({
    uid: 'alice',
    productId: id,
    quantity: 1,
    strategy,
    deadline: FAR,
    idempotencyKey: `k-${id}`,
  });

  it.each(['atomic', 'transaction'] as const)('stores the data of a %s purchase and no envelope', async (strategy) => {
    // Arrange
    const productId = `p-new-${strategy}`;
    await fixture.store.insert('products', { id: productId, name: 'A', stock: 3, sold: 0, price: 100 });
    const deps = fakeDeps(fixture.store, { now: Date.now });
    // Act
    const first = await purchase(deps, buy(productId, strategy));
    // Assert
    const record = await fixture.store.get(IDEMPOTENCY, recordId({ uid: 'alice', op: 'purchase', key: `k-${productId}` }));
    expect(record).toMatchObject({ state: 'done', data: first.data });
    expect(record).not.toHaveProperty('response');
    expect(await purchase(deps, buy(productId, strategy))).toEqual({ data: first.data, replayed: true });
  });

  it.each(['atomic', 'version', 'transaction'] as const)('replays a record of the older shape for a %s purchase', async (strategy) => {
    // Arrange: a record as the previous release wrote it, and a product it must not touch again.
    const productId = `p-old-${strategy}`;
    await fixture.store.insert('products', { id: productId, name: 'A', stock: 3, sold: 0, price: 100 });
    const deps = fakeDeps(fixture.store, { now: Date.now });
    const input = buy(productId, strategy);
    const req = { uid: 'alice', op: 'purchase' as const, key: input.idempotencyKey!, command: { productId, quantity: 1, strategy } };
    const data = {
      order: {
        orderNo: 'O-OLD',
        uid: 'alice',
        productId,
        quantity: 1,
        price: 100,
        amount: 100,
        status: 'created',
        createdAt: '2026-11-25T07:00:00.000Z',
        version: 1,
      },
      stock: null,
      attempts: 1,
      strategy,
    };
    await fixture.store.insert(IDEMPOTENCY, {
      id: recordId(req),
      uid: 'alice',
      op: 'purchase',
      fingerprint: fingerprint(req),
      createdAt: '2026-11-25T07:00:00.000Z',
      expiresAt: Math.floor(deps.now() / 1000) + IDEMPOTENCY_TTL_S,
      state: 'done',
      response: { status: 200, msg: 'PURCHASED', data },
    });
    // Act
    const again = await purchase(deps, input);
    // Assert
    expect(again).toEqual({ data, replayed: true });
    expect(await fixture.store.get('products', productId)).toMatchObject({ stock: 3, sold: 0, version: 1 });
  });

  it('replays a transfer record of the older shape', async () => {
    await fixture.store.insert('accounts', { id: 'old-a', owner: 'alice', balance: 100 });
    await fixture.store.insert('accounts', { id: 'old-b', owner: 'bob', balance: 0 });
    const deps = fakeDeps(fixture.store, { now: Date.now });
    const req = { uid: 'alice', op: 'transfer' as const, key: 'k-old-transfer', command: { from: 'old-a', to: 'old-b', amount: 10 } };
    const data = { transfer: { transferId: 'T-OLD', from: 'old-a', to: 'old-b', amount: 10, createdAt: '2026-11-25T07:00:00.000Z' } };
    await fixture.store.insert(IDEMPOTENCY, {
      id: recordId(req),
      uid: 'alice',
      op: 'transfer',
      fingerprint: fingerprint(req),
      createdAt: '2026-11-25T07:00:00.000Z',
      expiresAt: Math.floor(deps.now() / 1000) + IDEMPOTENCY_TTL_S,
      state: 'done',
      response: { status: 200, msg: 'TRANSFERRED', data },
    });
    const again = await transfer(deps, {
      uid: 'alice',
      from: 'old-a',
      to: 'old-b',
      amount: 10,
      deadline: FAR,
      idempotencyKey: 'k-old-transfer',
    });
    expect(again).toEqual({ data, replayed: true });
    expect(await fixture.store.get('accounts', 'old-a')).toMatchObject({ balance: 100, version: 1 });
  });
});
