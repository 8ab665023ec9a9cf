/**
 * The database applies a write and its answer is lost on the way back. A store must never apply it twice and
 * never report a write that applied as a failed condition. Real servers, behind a proxy that swallows replies.
 */
import { COLLECTIONS } from '../../shared/collections';
import { createDynamoDocumentClient, createDynamoStore } from '../../adapters/dynamodb';
import { createMongoClient, createMongoStore } from '../../adapters/mongodb';
import type { ConditionalStore } from '../../shared/store';
import { startLossyProxy, type LossyProxy } from '../support/lossyProxy';
import { dynamoFixture, mongoFixture, mongoUri, dynamoEndpoint, type BackendFixture } from '../support/stores';

const REQUEST_TIMEOUT_MS = 400;
const decrement = { guards: [{ field: 'stock', op: 'gte' as const, value: 1 }], inc: { stock: -1 } };
const later = (ms: number, fn: () => void) => new Promise<void>((resolve) => setTimeout(() => (fn(), resolve()), ms));

describe('lost answers on DynamoDB', () => {
  let fixture: BackendFixture;
  let proxy: LossyProxy;
  let store: ConditionalStore;

  beforeAll(async () => {
    fixture = await dynamoFixture('lost');
    proxy = await startLossyProxy(Number(new URL(dynamoEndpoint()).port));
    const client = createDynamoDocumentClient({ endpoint: `http://127.0.0.1:${proxy.port}`, requestTimeoutMs: REQUEST_TIMEOUT_MS });
    store = createDynamoStore({ client, tablePrefix: fixture.tablePrefix!, schema: COLLECTIONS });
  });
  afterAll(async () => {
    await store?.close();
    await proxy?.close();
    await fixture?.cleanup();
  });

  it('answers a conditional write whose reply was lost with SERVICE_UNAVAILABLE (outcome unknown), never a false guard failure, and applies it once', async () => {
    await fixture.store.insert('products', { id: 'p-lost', stock: 10 });
    proxy.dropAnswers(true);
    try {
      await expect(store.update('products', 'p-lost', decrement)).rejects.toMatchObject({
        code: 'SERVICE_UNAVAILABLE',
        details: { outcome: 'unknown' },
      });
    } finally {
      proxy.dropAnswers(false);
    }
    expect(await fixture.store.get('products', 'p-lost')).toMatchObject({ stock: 9, version: 2 });
  });

  it('commits a transaction whose reply was lost exactly once: the resend carries the same token', async () => {
    await fixture.store.insert('products', { id: 'p-tx', stock: 10 });
    proxy.dropAnswers(true);
    const result = store.transact([
      { kind: 'update', collection: 'products', id: 'p-tx', spec: decrement },
      { kind: 'insert', collection: 'orders', doc: { id: 'o-tx', productId: 'p-tx' } },
    ]);
    await later(REQUEST_TIMEOUT_MS / 2, () => proxy.dropAnswers(false));
    await expect(result).resolves.toEqual({ ok: true, attempts: 1 });
    expect(await fixture.store.get('products', 'p-tx')).toMatchObject({ stock: 9, version: 2 });
    expect(await fixture.store.get('orders', 'o-tx')).toMatchObject({ productId: 'p-tx' });
  });
});

describe('lost answers on MongoDB', () => {
  let fixture: BackendFixture;
  let proxy: LossyProxy;
  let store: ConditionalStore;

  beforeAll(async () => {
    fixture = await mongoFixture('lost');
    const real = new URL(mongoUri().replace(/^mongodb:/, 'http:'));
    proxy = await startLossyProxy(Number(real.port));
    // directConnection keeps the driver on the proxy instead of the member address the replica set advertises.
    const client = createMongoClient(`mongodb://127.0.0.1:${proxy.port}/?directConnection=true`, {
      socketTimeoutMs: REQUEST_TIMEOUT_MS,
      serverSelectionTimeoutMs: 1_000,
    });
    store = createMongoStore({ client, dbName: fixture.dbName!, schema: COLLECTIONS });
    await store.get('products', 'warm-up');
  });
  afterAll(async () => {
    await store?.close();
    await proxy?.close();
    await fixture?.cleanup();
  });

  it('retries a write whose reply was lost and the server applies it once (retryable writes)', async () => {
    await fixture.store.insert('products', { id: 'p-lost', stock: 10 });
    proxy.dropAnswers(true);
    const result = store.update('products', 'p-lost', decrement);
    await later(REQUEST_TIMEOUT_MS / 2, () => proxy.dropAnswers(false));
    await expect(result).resolves.toMatchObject({ ok: true, doc: { stock: 9, version: 2 } });
    expect(await fixture.store.get('products', 'p-lost')).toMatchObject({ stock: 9, version: 2 });
  });

  it('answers SERVICE_UNAVAILABLE when the replies stay lost', async () => {
    await fixture.store.insert('products', { id: 'p-gone', stock: 10 });
    proxy.dropAnswers(true);
    try {
      await expect(store.update('products', 'p-gone', decrement)).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    } finally {
      proxy.dropAnswers(false);
    }
    // Applied once or, had the retry also been lost before reaching the server, not at all; never twice.
    expect([9, 10]).toContain((await fixture.store.get('products', 'p-gone'))?.stock);
  });
});
