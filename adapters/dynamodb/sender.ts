/**
 * The DynamoDB sender of the conditional-write port: the hooks shared/storeCore.ts calls. Each sends one
 * command built by ./builders and reports what DynamoDB said. DynamoDB hands back the item it evaluated a
 * refused condition against (ReturnValuesOnConditionCheckFailure ALL_OLD), so the core classifies a failure from
 * exactly that item: no second read, and no window in which the item could change.
 */
import { randomUUID } from 'node:crypto';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { CollectionShape, Schema } from '../../shared/collections';
import { AppError } from '../../shared/errors';
import { invocationMetrics, METRIC } from '../../shared/metrics';
import { realRetryDeps, retry } from '../../shared/retry';
import type { RetryDeps, RetryPolicy } from '../../shared/retry';
import type { ConditionalStore, Doc } from '../../shared/store';
import { createStore, type Refused, type StoreHooks } from '../../shared/storeCore';
import { buildInsertCondition, buildRemoveCondition, buildTxItem, buildUpdate, cancellationOf, type CancellationReason } from './builders';
import { buildListQuery, pageOf } from './list';
import { fromStoredItem, toStoredItem } from './storedDocument';
import { send } from './unavailable';

export interface DynamoStoreOptions {
  client: DynamoDBDocumentClient;
  /** Table name = tablePrefix + collection. */
  tablePrefix: string;
  schema: Schema;
  retryDeps?: RetryDeps;
}

/** Transient conflicts clear in milliseconds; short full-jitter backoff spreads the contenders. */
export const CONFLICT_POLICY: Omit<RetryPolicy, 'maxAttempts'> = { baseDelayMs: 10, maxDelayMs: 200 };
/** Attempts of a single write that finds its item locked by a transaction. */
export const DEFAULT_ATTEMPTS = 5;

/** Branch on the error name, never instanceof: bundles can duplicate the SDK's classes. */
const errorName = (err: unknown) => (typeof err === 'object' && err !== null ? (err as { name?: unknown }).name : undefined);
const reasonsOf = (err: unknown): CancellationReason[] => (err as { CancellationReasons?: CancellationReason[] }).CancellationReasons ?? [];

/**
 * A ConditionalStore on DynamoDB: one table per collection, key `id` (string).
 *
 * Throws what shared/storeCore.ts throws (InvalidSpecError before anything is sent; INTERNAL when DynamoDB
 * refuses a write whose conditions hold on the item it returned). `update`, `insert` and `remove` throw AppError
 * TRANSACTION_CONFLICT (retryable) if the item stays locked by other transactions through every attempt.
 * `transact` makes one attempt and answers a conflict or a throttling cancellation as a value (TxContended),
 * for the operation to retry. An unreachable or silent database
 * throws AppError SERVICE_UNAVAILABLE (see unavailable.ts for what is retried first).
 */
export function createDynamoStore(options: DynamoStoreOptions): ConditionalStore {
  return createStore({ schema: options.schema, hooks: dynamoHooks(options), refusedDocument: 'evaluated', retryDeps: options.retryDeps });
}

function dynamoHooks(options: DynamoStoreOptions): StoreHooks {
  const { client, tablePrefix } = options;
  const deps = options.retryDeps ?? realRetryDeps;
  const tableOf = (collection: string) => tablePrefix + collection;
  const docFrom = (shape: CollectionShape, item: Record<string, AttributeValue> | undefined): Doc | null =>
    item ? fromStoredItem(shape, unmarshall(item)) : null;

  /**
   * A single-item write is refused with TransactionConflictException while a transaction holds the item; it
   * was not applied, so trying again is safe. The SDK does not retry it (it is a 400), hence this loop.
   */
  async function withConflictRetry<T>(write: () => Promise<T>): Promise<T> {
    const result = await retry<T, unknown>(
      async () => {
        try {
          return { done: true, value: await write() };
        } catch (err) {
          if (errorName(err) === 'TransactionConflictException') return { done: false, failure: err };
          throw err;
        }
      },
      { ...CONFLICT_POLICY, maxAttempts: DEFAULT_ATTEMPTS },
      { deps },
    );
    if (result.ok) return result.value;
    throw new AppError('TRANSACTION_CONFLICT', 'the item stayed locked by concurrent transactions', {
      cause: result.failure,
      details: { attempts: result.attempts },
    });
  }

  /** A write DynamoDB refused on its condition, with the item it checked; anything else is rethrown. */
  function refused(shape: CollectionShape, err: unknown): Refused {
    if (errorName(err) !== 'ConditionalCheckFailedException') throw err;
    return { ok: false, current: docFrom(shape, (err as { Item?: Record<string, AttributeValue> }).Item) };
  }

  return {
    async get(collection, shape, id) {
      const out = await send(
        'read',
        () => client.send(new GetCommand({ TableName: tableOf(collection), Key: { id }, ConsistentRead: true })),
        deps,
      );
      return out.Item ? fromStoredItem(shape, out.Item) : null;
    },

    async update(collection, shape, id, spec) {
      const command = new UpdateCommand({
        TableName: tableOf(collection),
        Key: { id },
        ...buildUpdate(spec, shape),
        ReturnValues: 'ALL_NEW',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      });
      return withConflictRetry(async () => {
        try {
          const out = await send('conditional-write', () => client.send(command), deps);
          if (!out.Attributes) throw new AppError('INTERNAL', 'UpdateItem returned no attributes');
          return { ok: true as const, doc: fromStoredItem(shape, out.Attributes) };
        } catch (err) {
          return refused(shape, err);
        }
      });
    },

    async insert(collection, shape, doc) {
      const Item = toStoredItem(shape, doc);
      const command = new PutCommand({
        TableName: tableOf(collection),
        Item,
        ...buildInsertCondition(),
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      });
      return withConflictRetry(async () => {
        try {
          await send('conditional-write', () => client.send(command), deps);
          return { ok: true as const, doc: fromStoredItem(shape, Item) };
        } catch (err) {
          return refused(shape, err);
        }
      });
    },

    async remove(collection, shape, id, expectVersion) {
      const command = new DeleteCommand({
        TableName: tableOf(collection),
        Key: { id },
        ...buildRemoveCondition(expectVersion),
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      });
      return withConflictRetry(async () => {
        try {
          await send('conditional-write', () => client.send(command), deps);
          return { ok: true as const };
        } catch (err) {
          return refused(shape, err);
        }
      });
    },

    async transact(planned, txOptions) {
      const TransactItems = planned.map((p) => buildTxItem(p, tableOf(p.write.collection)));
      // One token for this attempt: a resend after a lost answer (unavailable.ts) reuses it, so DynamoDB applies
      // the transaction at most once; the operation's next attempt after a cancellation is a new transaction.
      const ClientRequestToken = randomUUID();
      try {
        await send(
          'transaction',
          () => client.send(new TransactWriteCommand({ TransactItems, ClientRequestToken })),
          deps,
          txOptions.deadline,
        );
        return { ok: true, attempts: 1 };
      } catch (err) {
        // Contention is a value: the operation retries it through its own policy, not this adapter.
        if (errorName(err) === 'TransactionConflictException') return { ok: false, reason: 'contention', attempts: 1 };
        if (errorName(err) !== 'TransactionCanceledException') throw err;
        const cancellation = cancellationOf(reasonsOf(err));
        if (cancellation === 'conflict') return { ok: false, reason: 'contention', attempts: 1 };
        // Past ~500 transactional writes/s on one item DynamoDB cancels with ThrottlingError (or
        // ProvisionedThroughputExceeded on a provisioned table): nothing applied, and trying again later may work.
        if (cancellation === 'throttled') {
          invocationMetrics.count(METRIC.throttles);
          return { ok: false, reason: 'throttled', attempts: 1 };
        }
        if (cancellation === 'unexplained' || !planned[cancellation.failed]) throw err;
        const { shape } = planned[cancellation.failed]!;
        return { ok: false, index: cancellation.failed, current: docFrom(shape, cancellation.item) };
      }
    },

    async list(collection, shape, index, query) {
      const input = buildListQuery(tableOf(collection), query.index, index, query);
      const out = await send('read', () => client.send(new QueryCommand(input)), deps);
      const items = (out.Items ?? []).map((item) => fromStoredItem(shape, item));
      return pageOf(items, query.limit, index, out.LastEvaluatedKey !== undefined);
    },

    async close() {
      client.destroy();
    },
  };
}
