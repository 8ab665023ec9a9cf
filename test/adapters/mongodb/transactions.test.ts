/**
 * MongoDB transactions under contention, on the real server: the store answers a WriteConflict as contention
 * after one run, and the operation's contention policy (shared/operations/contention.ts) re-runs it, bounded by
 * attempts and by the deadline. The contention is made deterministic by a second session that holds an
 * uncommitted write on the same document for as long as the test needs.
 */
import type { ClientSession, CommandFailedEvent, MongoClient } from 'mongodb';
import { randomUUID } from 'node:crypto';
import { transactUntilDecided } from '../../../shared/operations/contention';
import { realRetryDeps } from '../../../shared/retry';
import type { TxOptions, TxWrite } from '../../../shared/store';
import { mongoTestFixture, type MongoTestFixture } from './fixture';

const P = 'products';
const WRITE_CONFLICT = 112;

let fx: MongoTestFixture;
beforeAll(async () => {
  fx = await mongoTestFixture('transactions');
});
afterAll(async () => {
  await fx?.cleanup();
});

async function product(stock: number): Promise<string> {
  const id = `p-${randomUUID()}`;
  const inserted = await fx.store.insert(P, { id, stock });
  if (!inserted.ok) throw new Error('fixture insert failed');
  return id;
}

/** The other party: a transaction that has taken one unit of stock and not committed yet. */
async function holdWith(id: string): Promise<ClientSession> {
  const session = fx.other.startSession();
  session.startTransaction({ readConcern: { level: 'snapshot' }, writeConcern: { w: 'majority' } });
  await fx.db.collection<{ _id: string }>(P).updateOne({ _id: id }, { $inc: { stock: -1, version: 1 } }, { session });
  return session;
}

/** Resolves at the store's first WriteConflict from now on. */
function firstWriteConflict(client: MongoClient): Promise<CommandFailedEvent> {
  return new Promise((resolve) => {
    const listener = (event: CommandFailedEvent) => {
      if ((event.failure as { code?: number }).code !== WRITE_CONFLICT) return;
      client.off('commandFailed', listener);
      resolve(event);
    };
    client.on('commandFailed', listener);
  });
}

function purchase(id: string, orderId: string): TxWrite[] {
  return [
    { kind: 'update', collection: P, id, spec: { guards: [{ field: 'stock', op: 'gte', value: 1 }], inc: { stock: -1 } } },
    { kind: 'insert', collection: 'orders', doc: { id: orderId, productId: id } },
  ];
}

/** The store's transaction under the operation policy, as purchase and transfer run it. */
function underPolicy(writes: TxWrite[], maxAttempts: number, options: TxOptions = {}) {
  return transactUntilDecided(() => fx.store.transact(writes, options), { maxAttempts, deadline: options.deadline, deps: realRetryDeps });
}

describe('MongoDB transactions under contention', () => {
  it('retries a WriteConflict with a concurrent transaction, and both commit', async () => {
    const id = await product(10);
    const holder = await holdWith(id);
    const conflicted = firstWriteConflict(fx.storeClient);

    const pending = underPolicy(purchase(id, `o-${randomUUID()}`), 50);
    const conflict = await conflicted;
    await holder.commitTransaction();
    await holder.endSession();
    const { result, attempts } = await pending;

    expect((conflict.failure as { errorLabels?: string[] }).errorLabels).toContain('TransientTransactionError');
    expect(result).toEqual({ ok: true, attempts: 1 });
    expect(attempts).toBeGreaterThanOrEqual(2); // the conflicted run counts
    expect(await fx.store.get(P, id)).toMatchObject({ stock: 8, version: 3 });
  });

  it('answers a clean guard_failed when the transaction it conflicted with took the last unit', async () => {
    const id = await product(1);
    const orderId = `o-${randomUUID()}`;
    const holder = await holdWith(id);
    const conflicted = firstWriteConflict(fx.storeClient);

    const pending = underPolicy(purchase(id, orderId), 50);
    await conflicted;
    await holder.commitTransaction();
    await holder.endSession();
    const { result } = await pending;

    expect(result).toMatchObject({ ok: false, index: 0, reason: 'guard_failed', current: { stock: 0, version: 2 } });
    expect(await fx.store.get('orders', orderId)).toBeNull();
  });

  it('answers a WriteConflict as contention after one run, and writes nothing', async () => {
    const id = await product(10);
    const orderId = `o-${randomUUID()}`;
    const holder = await holdWith(id);
    const conflicted = firstWriteConflict(fx.storeClient);

    const result = await fx.store.transact(purchase(id, orderId));

    expect(result).toEqual({ ok: false, reason: 'contention', attempts: 1 });
    expect(await conflicted).toMatchObject({ failure: { code: WRITE_CONFLICT } });
    await holder.abortTransaction();
    await holder.endSession();
    expect(await fx.store.get(P, id)).toMatchObject({ stock: 10, version: 1 });
    expect(await fx.store.get('orders', orderId)).toBeNull();
  });

  it('stops retrying at the deadline even with attempts to spare', async () => {
    const id = await product(10);
    const holder = await holdWith(id);
    const startedAt = Date.now();

    const attempt = underPolicy(purchase(id, `o-${randomUUID()}`), 10_000, { deadline: startedAt + 400 });

    await expect(attempt).rejects.toMatchObject({ code: 'TRANSACTION_CONFLICT', details: { exhausted: 'deadline' } });
    // One backoff (at most 200 ms) and one run bounded by maxTimeMS may end past the deadline.
    expect(Date.now() - startedAt).toBeLessThan(2_000);
    await holder.abortTransaction();
    await holder.endSession();
    expect(await fx.store.get(P, id)).toMatchObject({ stock: 10, version: 1 });
  });

  it('sends nothing when the deadline has already passed, and says so as contention with no run', async () => {
    const id = await product(10);
    const orderId = `o-${randomUUID()}`;
    const sentBefore = fx.started.length;

    const result = await fx.store.transact(purchase(id, orderId), { deadline: Date.now() - 1 });

    expect(result).toEqual({ ok: false, reason: 'contention', attempts: 0 });
    expect(fx.started.length).toBe(sentBefore);
    expect(await fx.store.get(P, id)).toMatchObject({ stock: 10, version: 1 });
    expect(await fx.store.get('orders', orderId)).toBeNull();
  });

  it('bounds every command of the transaction, commit included, by the time left', async () => {
    const id = await product(10);
    const from = fx.started.length;

    const result = await fx.store.transact(purchase(id, `o-${randomUUID()}`), { deadline: Date.now() + 5_000 });

    expect(result).toEqual({ ok: true, attempts: 1 });
    const sent = fx.started.slice(from).filter((event) => event.command.autocommit === false);
    expect(sent.map((event) => event.commandName)).toEqual(['update', 'insert', 'commitTransaction']);
    for (const event of sent) {
      expect(event.command.maxTimeMS).toBeGreaterThan(0);
      expect(event.command.maxTimeMS).toBeLessThanOrEqual(5_000);
    }
  });

  it('conserves money across 20 racing transfers between two accounts, under the operation policy', async () => {
    const a = `acct-${randomUUID()}`;
    const b = `acct-${randomUUID()}`;
    await fx.store.insert('accounts', { id: a, balance: 1_000 });
    await fx.store.insert('accounts', { id: b, balance: 1_000 });
    const transfer = (from: string, to: string): TxWrite[] => [
      {
        kind: 'update',
        collection: 'accounts',
        id: from,
        spec: { guards: [{ field: 'balance', op: 'gte', value: 10 }], inc: { balance: -10 } },
      },
      { kind: 'update', collection: 'accounts', id: to, spec: { inc: { balance: 10 } } },
    ];

    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => underPolicy(i % 2 ? transfer(a, b) : transfer(b, a), 100)));

    expect(results.every((r) => r.result.ok)).toBe(true);
    const [left, right] = [await fx.store.get('accounts', a), await fx.store.get('accounts', b)];
    expect((left?.balance as number) + (right?.balance as number)).toBe(2_000);
    expect(left).toMatchObject({ balance: 1_000, version: 21 });
    expect(right).toMatchObject({ balance: 1_000, version: 21 });
  });
});
