/**
 * The DynamoDB sender of the conditional-write port: builds parameters with ./expressions, sends one command,
 * and turns a failed condition into a value. DynamoDB hands back the item it evaluated the condition against
 * (ReturnValuesOnConditionCheckFailure ALL_OLD), so a failure is classified from exactly that item with
 * shared/conditions.ts classifyFailure: no second read, and no window in which the item could change.
 */
import { randomUUID } from 'node:crypto';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient, TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { CollectionShape, Schema } from '../../shared/collections';
import {
  InvalidSpecError,
  assertKey,
  classifyFailure,
  effectiveGuards,
  txConditions,
  validateTransaction,
} from '../../shared/conditions';
import { AppError } from '../../shared/errors';
import { realRetryDeps, retry } from '../../shared/retry';
import type { RetryDeps, RetryPolicy } from '../../shared/retry';
import type { ConditionalStore, Doc, InsertResult, RemoveResult, TxResult, TxWrite, WriteFailure, WriteResult } from '../../shared/store';
import { buildCheck, buildInsertCondition, buildRemoveCondition, buildUpdate } from './expressions';
import type { WriteConditions } from './expressions';
import { send } from './sending';
import { fromStoredItem, toStoredItem } from './storedDocument';

export interface DynamoStoreOptions {
  client: DynamoDBDocumentClient;
  /** Table name = tablePrefix + collection. */
  tablePrefix: string;
  schema: Schema;
  retryDeps?: RetryDeps;
}

type TxItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
type CancellationReason = { Code?: string; Item?: Record<string, AttributeValue> };

/** Cancellation reasons that mean "too many requests for this item or table right now". */
const THROTTLED_REASONS = new Set(['ThrottlingError', 'ProvisionedThroughputExceeded']);

/** A TransactionCanceledException whose only reasons are throttling (and `None` for the other writes). */
function isThrottledCancellation(err: unknown): boolean {
  if (errorName(err) !== 'TransactionCanceledException') return false;
  const reasons: CancellationReason[] = (err as { CancellationReasons?: CancellationReason[] }).CancellationReasons ?? [];
  return reasons.some((r) => THROTTLED_REASONS.has(r.Code ?? '')) && reasons.every((r) => r.Code === 'None' || THROTTLED_REASONS.has(r.Code ?? ''));
}

/** Transient conflicts clear in milliseconds; short full-jitter backoff spreads the contenders. */
const CONFLICT_POLICY: Omit<RetryPolicy, 'maxAttempts'> = { baseDelayMs: 10, maxDelayMs: 200 };
const DEFAULT_ATTEMPTS = 5;

/** Branch on the error name, never instanceof: bundles can duplicate the SDK's classes. */
const errorName = (err: unknown) => (typeof err === 'object' && err !== null ? (err as { name?: unknown }).name : undefined);

/**
 * A ConditionalStore on DynamoDB: one table per collection, key `id` (string).
 *
 * Every method throws InvalidSpecError (before sending anything) for a spec, key or collection the port
 * refuses. `update` and `insert` throw AppError TRANSACTION_CONFLICT (retryable) if the item stays locked by
 * other transactions through every attempt; `transact` throws it when conflicts outlast its attempts or
 * deadline. Classification that contradicts DynamoDB throws AppError INTERNAL. An unreachable or silent database
 * throws AppError SERVICE_UNAVAILABLE (see sending.ts for what is retried first).
 */
export function createDynamoStore(options: DynamoStoreOptions): ConditionalStore {
  const { client, tablePrefix, schema } = options;
  const deps = options.retryDeps ?? realRetryDeps;

  function shapeOf(collection: string): CollectionShape {
    const shape = Object.hasOwn(schema, collection) ? schema[collection] : undefined;
    if (!shape) throw new InvalidSpecError(`unknown collection ${JSON.stringify(collection)}`);
    return shape;
  }
  const tableOf = (collection: string) => tablePrefix + collection;
  const docFrom = (shape: CollectionShape, item: Record<string, AttributeValue> | undefined): Doc | null =>
    item ? fromStoredItem(shape, unmarshall(item)) : null;

  function classify(shape: CollectionShape, item: Record<string, AttributeValue> | undefined, conditions: WriteConditions): WriteFailure {
    const failure = classifyFailure(docFrom(shape, item), conditions);
    // DynamoDB refused a condition that holds on the very item it returned: the builder and guardHolds disagree.
    if (!failure) throw new AppError('INTERNAL', 'DynamoDB refused a write whose conditions hold', { details: { conditions } });
    return failure;
  }

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

  function txItem(write: TxWrite): TxItem {
    const shape = shapeOf(write.collection);
    const TableName = tableOf(write.collection);
    const ReturnValuesOnConditionCheckFailure = 'ALL_OLD' as const;
    switch (write.kind) {
      case 'update':
        return { Update: { TableName, Key: { id: write.id }, ...buildUpdate(write.spec, shape), ReturnValuesOnConditionCheckFailure } };
      case 'insert':
        return { Put: { TableName, Item: toStoredItem(shape, write.doc), ...buildInsertCondition(), ReturnValuesOnConditionCheckFailure } };
      case 'check':
        return { ConditionCheck: { TableName, Key: { id: write.id }, ...buildCheck(txConditions(write), shape), ReturnValuesOnConditionCheckFailure } };
    }
  }

  function txFailure(write: TxWrite, reason: CancellationReason, index: number): TxResult {
    const shape = shapeOf(write.collection);
    if (write.kind === 'insert') {
      const current = docFrom(shape, reason.Item);
      return { ok: false, reason: 'already_exists', ...(current ? { current } : {}), index };
    }
    return { ...classify(shape, reason.Item, txConditions(write)), index };
  }

  return {
    async get(collection, id) {
      const shape = shapeOf(collection);
      assertKey(id, 'get');
      const out = await send('read', () => client.send(new GetCommand({ TableName: tableOf(collection), Key: { id }, ConsistentRead: true })), deps);
      return out.Item ? fromStoredItem(shape, out.Item) : null;
    },

    async update(collection, id, spec) {
      const shape = shapeOf(collection);
      assertKey(id, 'update');
      const params = buildUpdate(spec, shape);
      const command = new UpdateCommand({
        TableName: tableOf(collection),
        Key: { id },
        ...params,
        ReturnValues: 'ALL_NEW',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      });
      return withConflictRetry<WriteResult>(async () => {
        try {
          const out = await send('conditional-write', () => client.send(command), deps);
          if (!out.Attributes) throw new AppError('INTERNAL', 'UpdateItem returned no attributes');
          return { ok: true as const, doc: fromStoredItem(shape, out.Attributes) };
        } catch (err) {
          if (errorName(err) !== 'ConditionalCheckFailedException') throw err;
          const item = (err as { Item?: Record<string, AttributeValue> }).Item;
          return classify(shape, item, { expectVersion: spec.expectVersion, guards: effectiveGuards(spec) });
        }
      });
    },

    async insert(collection, doc) {
      const shape = shapeOf(collection);
      assertKey(doc.id, 'insert');
      const Item = toStoredItem(shape, doc);
      const command = new PutCommand({
        TableName: tableOf(collection),
        Item,
        ...buildInsertCondition(),
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      });
      return withConflictRetry<InsertResult>(async () => {
        try {
          await send('conditional-write', () => client.send(command), deps);
          return { ok: true as const, doc: fromStoredItem(shape, Item) };
        } catch (err) {
          if (errorName(err) !== 'ConditionalCheckFailedException') throw err;
          const current = docFrom(shape, (err as { Item?: Record<string, AttributeValue> }).Item);
          return { ok: false as const, reason: 'already_exists' as const, ...(current ? { current } : {}) };
        }
      });
    },

    async remove(collection, id, expectVersion) {
      const shape = shapeOf(collection);
      assertKey(id, 'remove');
      const command = new DeleteCommand({
        TableName: tableOf(collection),
        Key: { id },
        ...buildRemoveCondition(expectVersion),
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      });
      return withConflictRetry<RemoveResult>(async () => {
        try {
          await send('conditional-write', () => client.send(command), deps);
          return { ok: true as const };
        } catch (err) {
          if (errorName(err) !== 'ConditionalCheckFailedException') throw err;
          const current = docFrom(shape, (err as { Item?: Record<string, AttributeValue> }).Item);
          return current ? { ok: false as const, reason: 'version_conflict' as const, current } : { ok: false as const, reason: 'not_found' as const };
        }
      });
    },

    async transact(writes, txOptions = {}) {
      validateTransaction(writes);
      const TransactItems = writes.map(txItem);
      const result = await retry<TxResult, unknown>(
        async (attempt) => {
          try {
            // One token per attempt: a resend after a lost answer reuses it, so DynamoDB applies the transaction at
            // most once; the next attempt after a cancellation is a new transaction and gets a new token.
            const ClientRequestToken = randomUUID();
            await send('transaction', () => client.send(new TransactWriteCommand({ TransactItems, ClientRequestToken })), deps, txOptions.deadline);
            return { done: true, value: { ok: true, attempts: attempt } };
          } catch (err) {
            if (errorName(err) === 'TransactionConflictException') return { done: false, failure: err };
            if (errorName(err) !== 'TransactionCanceledException') throw err;
            const reasons: CancellationReason[] = (err as { CancellationReasons?: CancellationReason[] }).CancellationReasons ?? [];
            const failed = reasons.findIndex((r) => r.Code === 'ConditionalCheckFailed');
            const [write, reason] = [writes[failed], reasons[failed]];
            if (write && reason) return { done: true, value: txFailure(write, reason, failed) };
            if (reasons.some((r) => r.Code === 'TransactionConflict')) return { done: false, failure: err };
            // Past ~500 transactional writes/s on one item DynamoDB cancels with ThrottlingError (or
            // ProvisionedThroughputExceeded on a provisioned table): nothing applied, so try again in time.
            if (isThrottledCancellation(err)) return { done: false, failure: err };
            throw err;
          }
        },
        { ...CONFLICT_POLICY, maxAttempts: txOptions.maxAttempts ?? DEFAULT_ATTEMPTS },
        { deadline: txOptions.deadline, deps },
      );
      if (result.ok) return result.value;
      if (isThrottledCancellation(result.failure)) {
        throw new AppError('SERVICE_UNAVAILABLE', `DynamoDB throttled the transaction (${result.attempts} attempt(s))`, {
          cause: result.failure,
          details: { outcome: 'not-applied' },
        });
      }
      throw new AppError('TRANSACTION_CONFLICT', 'the transaction kept conflicting with concurrent writes', {
        cause: result.failure,
        details: { attempts: result.attempts, exhausted: result.exhausted },
      });
    },

    async close() {
      client.destroy();
    },
  };
}
