/**
 * Real DynamoDB cancels a transaction with the reason ThrottlingError past about 500 transactional writes/s
 * on one item. DynamoDB Local never does, so a proxy in front of it gives DynamoDB's own throttling answer
 * (test/support/throttlingProxy.ts). A throttled transaction applied nothing: the store answers it as a value
 * ({ ok: false, reason: 'throttled' }), the operation's contention policy retries it within the deadline and,
 * when the deadline runs out first, answers SERVICE_UNAVAILABLE (503, retryable), never INTERNAL.
 */
import { COLLECTIONS } from '../../../shared/collections';
import { createDynamoDocumentClient, createDynamoStore } from '../../../adapters/dynamodb';
import { ATTEMPT_RESERVE_MS, transactUntilDecided } from '../../../shared/operations/contention';
import { realRetryDeps } from '../../../shared/retry';
import type { ConditionalStore, TxWrite } from '../../../shared/store';
import { emfLinesOf, METRICS_TEST_NAMESPACE, totals } from '../../support/emf';
import { call } from '../../support/events';
import { backendEnv, loadFunctions, type LoadedFunctions } from '../../support/functions';
import { dynamoEndpoint, dynamoFixture, type DynamoFixture } from '../../support/stores';
import { startThrottlingProxy, type ThrottlingProxy } from '../../support/throttlingProxy';

let fixture: DynamoFixture;
let proxy: ThrottlingProxy;
let store: ConditionalStore;
let fns: LoadedFunctions;

beforeAll(async () => {
  fixture = await dynamoFixture('throttling');
  proxy = await startThrottlingProxy(dynamoEndpoint());
  store = createDynamoStore({
    client: createDynamoDocumentClient({ endpoint: proxy.endpoint }),
    tablePrefix: fixture.tablePrefix!,
    schema: COLLECTIONS,
  });
  fns = loadFunctions(['purchase', 'getProduct'], {
    ...backendEnv('dynamodb', fixture),
    LOCKLESS_DYNAMODB_ENDPOINT: proxy.endpoint,
    LOCKLESS_METRICS_NAMESPACE: METRICS_TEST_NAMESPACE,
  });
});
afterEach(() => {
  proxy.throttleNext(0);
  proxy.throttleRandomly(0);
});
afterAll(async () => {
  await fns?.close();
  await store?.close();
  await proxy?.close();
  await fixture?.cleanup();
});

const purchaseWrites = (productId: string, orderId: string): TxWrite[] => [
  {
    kind: 'update',
    collection: 'products',
    id: productId,
    spec: { guards: [{ field: 'stock', op: 'gte', value: 1 }], inc: { stock: -1 } },
  },
  { kind: 'insert', collection: 'orders', doc: { id: orderId, productId } },
];

describe('a throttled DynamoDB transaction', () => {
  it('comes back from the store as a value, applied nothing', async () => {
    await fixture.store.insert('products', { id: 'p-once', stock: 10 });
    proxy.throttleNext(1);
    expect(await store.transact(purchaseWrites('p-once', 'o-once'), { deadline: Date.now() + 10_000 })).toEqual({
      ok: false,
      reason: 'throttled',
      attempts: 1,
    });
    expect(await fixture.store.get('products', 'p-once')).toMatchObject({ stock: 10, version: 1 });
  });

  it('is retried by the operation policy, and commits once', async () => {
    await fixture.store.insert('products', { id: 'p-retry', stock: 10 });
    const before = proxy.counts();
    proxy.throttleNext(3);
    const deadline = Date.now() + 10_000;
    const result = await transactUntilDecided(() => store.transact(purchaseWrites('p-retry', 'o-retry'), { deadline }), {
      maxAttempts: 10,
      deadline,
      deps: realRetryDeps,
    });
    expect(result).toEqual({ result: { ok: true, attempts: 1 }, attempts: 4 });
    expect(proxy.counts().throttled - before.throttled).toBe(3);
    expect(await fixture.store.get('products', 'p-retry')).toMatchObject({ stock: 9, version: 2 });
    expect(await fixture.store.get('orders', 'o-retry')).toMatchObject({ productId: 'p-retry' });
  });

  it('answers SERVICE_UNAVAILABLE, not applied, when throttling outlasts the deadline, and writes nothing', async () => {
    await fixture.store.insert('products', { id: 'p-hot', stock: 10 });
    proxy.throttleNext(Infinity);
    const before = proxy.counts();
    // No run starts within ATTEMPT_RESERVE_MS of the deadline: 800 ms beyond it leaves room for several.
    const deadline = Date.now() + ATTEMPT_RESERVE_MS + 800;
    await expect(
      transactUntilDecided(() => store.transact(purchaseWrites('p-hot', 'o-hot'), { deadline }), {
        maxAttempts: 1_000,
        deadline,
        deps: realRetryDeps,
      }),
    ).rejects.toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      retryable: true,
      details: { outcome: 'not-applied' },
    });
    expect(proxy.counts().throttled - before.throttled).toBeGreaterThan(1); // retried, not given up at once
    expect(await fixture.store.get('products', 'p-hot')).toMatchObject({ stock: 10, version: 1 });
    expect(await fixture.store.get('orders', 'o-hot')).toBeNull();
  });

  it('still reports a failed condition as a guard failure when nothing is throttled', async () => {
    await fixture.store.insert('products', { id: 'p-empty', stock: 0 });
    const result = await store.transact(purchaseWrites('p-empty', 'o-empty'), { deadline: Date.now() + 5_000 });
    expect(result).toMatchObject({ ok: false, reason: 'guard_failed', index: 0 });
  });
});

describe('purchases through the handler while DynamoDB throttles', () => {
  const buy = (productId: string, buyer: string, remainingMs?: number) =>
    call(
      fns.http('purchase'),
      {
        method: 'POST',
        path: `/products/${productId}/purchase`,
        pathParameters: { id: productId },
        body: { quantity: 1, strategy: 'transaction' },
        sub: buyer,
      },
      remainingMs,
    );

  it('sells out exactly, with no 5xx, when a third of the transactions are throttled', async () => {
    await fixture.store.insert('products', { id: 'p-burst', name: 'hot', stock: 30, sold: 0, price: 100 });
    proxy.throttleRandomly(1 / 3, 20261202);
    const before = proxy.counts();
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => buy('p-burst', `buyer-${i}`, 30_000)));
    const statuses = answers.map((a) => `${a.statusCode} ${a.body.error ?? ''}`.trim()).sort();
    expect(statuses.filter((s) => s === '200')).toHaveLength(30);
    expect(statuses.filter((s) => s === '422 INSUFFICIENT_STOCK')).toHaveLength(10);
    expect(proxy.counts().throttled - before.throttled).toBeGreaterThan(0);
    expect(await fixture.store.get('products', 'p-burst')).toMatchObject({ stock: 0, sold: 30 });
  });

  it("counts each throttled run in Throttles and TransactionRetries, in the purchase's one EMF line", async () => {
    await fixture.store.insert('products', { id: 'p-counted', name: 'hot', stock: 5, sold: 0, price: 100 });
    proxy.throttleNext(3);

    const { result: answer, lines } = await emfLinesOf(() => buy('p-counted', 'buyer-counted', 30_000));

    expect(answer.statusCode).toBe(200);
    expect(lines).toHaveLength(1);
    expect(totals(lines)).toEqual({ Throttles: 3, TransactionRetries: 3, PurchaseSucceeded: 1, PurchaseAttempts: 4 });
    expect(lines[0]).toMatchObject({ function: 'purchase', strategy: 'transaction' });
  });

  it('answers 503 SERVICE_UNAVAILABLE, retryable, when throttling lasts past the deadline, and sells nothing', async () => {
    await fixture.store.insert('products', { id: 'p-jammed', name: 'hot', stock: 5, sold: 0, price: 100 });
    proxy.throttleNext(Infinity);
    const answer = await buy('p-jammed', 'buyer-late', 2_000);
    expect(answer.statusCode).toBe(503);
    expect(answer.body).toMatchObject({ code: 503, error: 'SERVICE_UNAVAILABLE', data: { outcome: 'not-applied' } });
    proxy.throttleNext(0);
    expect(await fixture.store.get('products', 'p-jammed')).toMatchObject({ stock: 5, sold: 0, version: 1 });
  });
});
