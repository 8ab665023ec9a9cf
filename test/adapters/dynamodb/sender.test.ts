/**
 * What the contract suite cannot see: how the DynamoDB adapter lays documents out in its tables, the client and
 * table helpers, and its handling of transient transaction conflicts. Real DynamoDB Local, except where a
 * conflict has to be forced deterministically.
 */
import { DescribeTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { COLLECTIONS } from '../../../shared/collections';
import { transactUntilDecided } from '../../../shared/operations/contention';
import type { RetryDeps } from '../../../shared/retry';
import type { ConditionalStore } from '../../../shared/store';
import { createDynamoDocumentClient, createDynamoStore, ensureTables } from '../../../adapters/dynamodb';
import { dynamoEndpoint, dynamoFixture, rawDynamoClient } from '../../support/stores';
import type { DynamoFixture } from '../../support/stores';

const P = 'products';
const uid = (label: string) => `${label}-${randomUUID()}`;

describe('DynamoDB adapter on DynamoDB Local', () => {
  let fixture: DynamoFixture;
  let store: ConditionalStore;
  const rawItem = async (collection: string, id: string) =>
    (await fixture.raw.send(new GetCommand({ TableName: `${fixture.tablePrefix}${collection}`, Key: { id }, ConsistentRead: true }))).Item;

  beforeAll(async () => {
    fixture = await dynamoFixture('dynamoStore');
    store = fixture.store;
  });
  afterAll(async () => {
    await fixture?.cleanup();
  });

  it('stores a keyed array as a map keyed by element id and shows it as an array sorted by id', async () => {
    const id = uid('cart');
    await store.insert('carts', {
      id,
      items: [
        { id: 'b', qty: 2 },
        { id: 'a', qty: 1 },
      ],
    });
    await store.update('carts', id, { push: { field: 'items', element: { id: 'c', qty: 3 } } });

    expect((await rawItem('carts', id))?.items).toEqual({ a: { id: 'a', qty: 1 }, b: { id: 'b', qty: 2 }, c: { id: 'c', qty: 3 } });
    expect((await store.get('carts', id))?.items).toEqual([
      { id: 'a', qty: 1 },
      { id: 'b', qty: 2 },
      { id: 'c', qty: 3 },
    ]);
  });

  it('stores the TTL field as a plain number and enables TTL on its table', async () => {
    const id = uid('idem');
    const expiresAt = 1_900_000_000;
    await store.insert('idempotency', { id, expiresAt });

    expect((await rawItem('idempotency', id))?.expiresAt).toBe(expiresAt);
    const admin = rawDynamoClient();
    const ttl = await admin.send(new DescribeTimeToLiveCommand({ TableName: `${fixture.tablePrefix}idempotency` }));
    admin.destroy();
    expect(ttl.TimeToLiveDescription).toMatchObject({ TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' });
  });

  it('drops undefined values even on a client not configured to remove them', async () => {
    const id = uid('p');
    const result = await store.insert(P, { id, a: 1, gone: undefined, nested: { b: undefined, c: [undefined, 2] } });

    expect(result.ok).toBe(true);
    expect(await store.get(P, id)).toEqual({ id, version: 1, a: 1, nested: { c: [null, 2] } });
  });

  it('refuses unknown collections and malformed keyed arrays before sending anything', async () => {
    await expect(store.get('__proto__', 'x')).rejects.toThrow(/invalid store spec: unknown collection/);
    await expect(store.insert('carts', { id: uid('c'), items: [{ id: 'a' }, { id: 'a' }] })).rejects.toThrow(/appears twice/);
    await expect(store.insert('carts', { id: uid('c'), items: { a: { id: 'a' } } })).rejects.toThrow(/must be an array/);
  });

  // An invariant check, not a conflict test: DynamoDB Local serialises these writes and never reports
  // TransactionConflict, so the conflict handling is forced in the next describe block instead.
  it('conserves stock when plain updates and transactions interleave on the same item', async () => {
    const doc = await store.insert(P, { id: uid('p'), stock: 40 });
    if (!doc.ok) throw new Error('fixture insert failed');
    const guard = { field: 'stock', op: 'gte' as const, value: 1 };
    const decrement = { guards: [guard], inc: { stock: -1, sold: 1 } };

    const outcomes = await Promise.allSettled([
      ...Array.from({ length: 25 }, () => store.update(P, doc.doc.id, decrement)),
      ...Array.from({ length: 25 }, () => store.transact([{ kind: 'update', collection: P, id: doc.doc.id, spec: decrement }])),
    ]);

    const applied = outcomes.filter((o) => o.status === 'fulfilled' && o.value.ok).length;
    const rejected = outcomes.filter((o) => o.status === 'rejected').map((o) => (o as PromiseRejectedResult).reason);
    expect(rejected.every((e) => e.code === 'TRANSACTION_CONFLICT')).toBe(true);
    const stored = await store.get(P, doc.doc.id);
    expect(stored).toMatchObject({ stock: 40 - applied, sold: applied, version: 1 + applied });
    expect(applied).toBeLessThanOrEqual(40);
  });

  it('works through createDynamoDocumentClient and re-runs ensureTables safely', async () => {
    const admin = rawDynamoClient();
    await ensureTables(admin, fixture.tablePrefix);
    admin.destroy();
    const own = createDynamoStore({
      client: createDynamoDocumentClient({ endpoint: dynamoEndpoint(), requestTimeoutMs: 5_000 }),
      tablePrefix: fixture.tablePrefix,
      schema: COLLECTIONS,
    });
    const id = uid('p');

    await own.insert(P, { id, name: '', price: 1 });
    expect(await own.get(P, id)).toEqual({ id, version: 1, name: '', price: 1 });
    await own.close();
  });
});

describe('DynamoDB adapter transaction conflicts (forced)', () => {
  const noWait: RetryDeps = { now: () => 0, random: () => 0, sleep: async () => undefined };
  /** A client whose every send is cancelled by a transient conflict, as DynamoDB reports it. */
  function conflictingClient() {
    const error = Object.assign(new Error('Transaction cancelled'), {
      name: 'TransactionCanceledException',
      CancellationReasons: [{ Code: 'None' }, { Code: 'TransactionConflict' }],
    });
    const send = jest.fn(async () => {
      throw error;
    });
    return { send, client: { send, destroy: () => undefined } as unknown as DynamoDBDocumentClient };
  }
  const writes = [
    { kind: 'update' as const, collection: P, id: 'a', spec: { inc: { stock: -1 } } },
    { kind: 'insert' as const, collection: 'orders', doc: { id: 'o' } },
  ];

  it('retries a single write refused because a transaction holds the item', async () => {
    const conflict = Object.assign(new Error('conflict'), { name: 'TransactionConflictException' });
    const send = jest
      .fn()
      .mockRejectedValueOnce(conflict)
      .mockRejectedValueOnce(conflict)
      .mockResolvedValueOnce({ Attributes: { id: 'a', version: 2, stock: 4 } });
    const client = { send, destroy: () => undefined } as unknown as DynamoDBDocumentClient;
    const store = createDynamoStore({ client, tablePrefix: 't-', schema: COLLECTIONS, retryDeps: noWait });

    expect(await store.update(P, 'a', { inc: { stock: -1 } })).toEqual({ ok: true, doc: { id: 'a', version: 2, stock: 4 } });
    expect(send).toHaveBeenCalledTimes(3);

    send.mockReset().mockRejectedValue(conflict);
    await expect(store.insert(P, { id: 'b' })).rejects.toMatchObject({ code: 'TRANSACTION_CONFLICT', retryable: true });
    expect(send).toHaveBeenCalledTimes(5);
  });

  it('rethrows a cancellation that is neither a condition, a conflict nor throttling', async () => {
    const invalid = Object.assign(new Error('Transaction cancelled'), {
      name: 'TransactionCanceledException',
      CancellationReasons: [{ Code: 'ValidationError' }, { Code: 'None' }],
    });
    const send = jest.fn().mockRejectedValue(invalid);
    const client = { send, destroy: () => undefined } as unknown as DynamoDBDocumentClient;
    const store = createDynamoStore({ client, tablePrefix: 't-', schema: COLLECTIONS, retryDeps: noWait });

    await expect(store.transact(writes)).rejects.toBe(invalid);
    expect(send).toHaveBeenCalledTimes(1);
  });

  it('answers a cancellation for throttling as a value after one attempt, and the operation policy retries it into SERVICE_UNAVAILABLE', async () => {
    const throttled = Object.assign(new Error('Transaction cancelled'), {
      name: 'TransactionCanceledException',
      CancellationReasons: [{ Code: 'ThrottlingError' }, { Code: 'None' }],
    });
    const send = jest.fn().mockRejectedValue(throttled);
    const client = { send, destroy: () => undefined } as unknown as DynamoDBDocumentClient;
    const store = createDynamoStore({ client, tablePrefix: 't-', schema: COLLECTIONS, retryDeps: noWait });

    expect(await store.transact(writes)).toEqual({ ok: false, reason: 'throttled', attempts: 1 });
    expect(send).toHaveBeenCalledTimes(1);

    await expect(transactUntilDecided(() => store.transact(writes), { maxAttempts: 4, deps: noWait })).rejects.toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      retryable: true,
      details: { outcome: 'not-applied' },
    });
    expect(send).toHaveBeenCalledTimes(1 + 4);
  });

  it('answers a conflict as contention after one attempt, cancelled or refused outright', async () => {
    const { send, client } = conflictingClient();
    const store = createDynamoStore({ client, tablePrefix: 't-', schema: COLLECTIONS, retryDeps: noWait });

    expect(await store.transact(writes)).toEqual({ ok: false, reason: 'contention', attempts: 1 });
    send.mockReset().mockRejectedValue(Object.assign(new Error('conflict'), { name: 'TransactionConflictException' }));
    expect(await store.transact(writes)).toEqual({ ok: false, reason: 'contention', attempts: 1 });
    expect(send).toHaveBeenCalledTimes(1);
  });

  it('under the operation policy: retries the whole transaction, then throws TRANSACTION_CONFLICT', async () => {
    const { send, client } = conflictingClient();
    const store = createDynamoStore({ client, tablePrefix: 't-', schema: COLLECTIONS, retryDeps: noWait });

    await expect(transactUntilDecided(() => store.transact(writes), { maxAttempts: 3, deps: noWait })).rejects.toMatchObject({
      code: 'TRANSACTION_CONFLICT',
      retryable: true,
      details: { attempts: 3 },
    });
    expect(send).toHaveBeenCalledTimes(3);
  });

  it('under the operation policy: counts the runs of a transaction that committed after conflicts, each with its own token', async () => {
    const { send, client } = conflictingClient();
    const conflicted = send.getMockImplementation()!;
    send
      .mockImplementation(async () => ({}) as never)
      .mockImplementationOnce(conflicted)
      .mockImplementationOnce(conflicted);
    const store = createDynamoStore({ client, tablePrefix: 't-', schema: COLLECTIONS, retryDeps: noWait });

    expect(await transactUntilDecided(() => store.transact(writes), { maxAttempts: 5, deps: noWait })).toEqual({
      result: { ok: true, attempts: 1 },
      attempts: 3,
    });
    expect(send).toHaveBeenCalledTimes(3);
    const tokens = send.mock.calls.map(
      (call) => (call as unknown as [{ input: { ClientRequestToken: string } }])[0].input.ClientRequestToken,
    );
    expect(new Set(tokens).size).toBe(3);
  });

  it('under the operation policy: stops at the deadline', async () => {
    const { send, client } = conflictingClient();
    const clock = { now: 1_000 };
    const deps: RetryDeps = { now: () => clock.now, random: () => 0.99, sleep: async (ms) => void (clock.now += ms) };
    const store = createDynamoStore({ client, tablePrefix: 't-', schema: COLLECTIONS, retryDeps: deps });

    await expect(
      transactUntilDecided(() => store.transact(writes, { deadline: 1_030 }), { maxAttempts: 50, deadline: 1_030, deps }),
    ).rejects.toMatchObject({
      code: 'TRANSACTION_CONFLICT',
      details: { exhausted: 'deadline' },
    });
    expect(send.mock.calls.length).toBeLessThan(50);
  });
});
