/**
 * Pure builders: a port UpdateSpec, a transaction check or an insert becomes DynamoDB expression parameters; a
 * planned transaction write becomes a TransactWriteItems entry; a cancelled transaction's reasons say which
 * write failed. Nothing here sends anything, so unit tests check the built parameters without a server.
 *
 * Invariant: every attribute name and every value (element keys included) reaches DynamoDB through a
 * placeholder (`#n0`, `:v0`); the expression text is made only of placeholders and fixed syntax, so no field
 * name or value can change what an expression means. The semantics mirror shared/conditions.ts guardHolds
 * exactly, because the sender classifies failures with it and the contract suite checks both agree.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { CollectionShape } from '../../shared/collections';
import { InvalidSpecError, effectiveGuards, validateGuard, validateUpdateSpec, type WriteConditions } from '../../shared/conditions';
import type { PlannedWrite } from '../../shared/storeCore';
import type { Guard, UpdateSpec } from '../../shared/store';
import { isKeyedArray, toStoredElement, toStoredItem, toStoredValue } from './storedDocument';

export type { WriteConditions };

/** Condition parameters, ready to spread into a command input. */
export interface ConditionParams {
  ConditionExpression: string;
  ExpressionAttributeNames: Record<string, string>;
  /** Omitted when empty: DynamoDB rejects an empty ExpressionAttributeValues. */
  ExpressionAttributeValues?: Record<string, unknown>;
}

export interface UpdateParams extends ConditionParams {
  UpdateExpression: string;
}

/** Hands out placeholders; one name always gets the same placeholder, every value gets its own. */
class Placeholders {
  private readonly nameIds = new Map<string, string>();
  private readonly values: Array<[string, unknown]> = [];

  name(name: string): string {
    let placeholder = this.nameIds.get(name);
    if (!placeholder) {
      placeholder = `#n${this.nameIds.size}`;
      this.nameIds.set(name, placeholder);
    }
    return placeholder;
  }

  value(value: unknown): string {
    const placeholder = `:v${this.values.length}`;
    this.values.push([placeholder, value]);
    return placeholder;
  }

  params(ConditionExpression: string): ConditionParams {
    const names = Object.fromEntries([...this.nameIds].map(([name, placeholder]) => [placeholder, name]));
    const params: ConditionParams = { ConditionExpression, ExpressionAttributeNames: names };
    if (this.values.length > 0) params.ExpressionAttributeValues = Object.fromEntries(this.values);
    return params;
  }
}

/** `#items.#key`: an element of a keyed array, which only a field stored as a map can address. */
function elementPath(p: Placeholders, shape: CollectionShape, field: string, key: string, context: string): string {
  if (!isKeyedArray(shape, field)) throw new InvalidSpecError(`${context}: ${field} is not a keyed array of this collection`);
  return `${p.name(field)}.${p.name(key)}`;
}

function guardCondition(p: Placeholders, shape: CollectionShape, guard: Guard): string {
  const f = p.name(guard.field);
  switch (guard.op) {
    // DynamoDB compares across types by its own rules; guardHolds says comparisons hold only for numbers,
    // so the type is pinned explicitly (a missing attribute fails attribute_type too).
    case 'gte':
      return `(attribute_type(${f}, ${p.value('N')}) AND ${f} >= ${p.value(guard.value)})`;
    case 'gt':
      return `(attribute_type(${f}, ${p.value('N')}) AND ${f} > ${p.value(guard.value)})`;
    case 'lte':
      return `(attribute_type(${f}, ${p.value('N')}) AND ${f} <= ${p.value(guard.value)})`;
    case 'lt':
      return `(attribute_type(${f}, ${p.value('N')}) AND ${f} < ${p.value(guard.value)})`;
    // `=` never converts types in DynamoDB, and a missing or NULL attribute never equals a scalar.
    case 'eq':
      return `${f} = ${p.value(guard.value)}`;
    // A NULL attribute exists, as a null field is present for guardHolds.
    case 'exists':
      return `attribute_exists(${f})`;
    case 'notExists':
      return `attribute_not_exists(${f})`;
    case 'hasElement':
      return `attribute_exists(${elementPath(p, shape, guard.field, guard.key, 'hasElement')})`;
    // guardHolds wants an actual array without the element; only a stored map reads back as an array, so
    // "the field is a map" stands for "exists and is an array" (a missing field must fail, not pass).
    case 'lacksElement': {
      const path = elementPath(p, shape, guard.field, guard.key, 'lacksElement');
      return `(attribute_type(${f}, ${p.value('M')}) AND attribute_not_exists(${path}))`;
    }
  }
}

/** `attribute_exists(#id)` first: a conditional write must never create an item, and absence reads as not_found. */
function conditionExpression(p: Placeholders, shape: CollectionShape, conditions: WriteConditions): string {
  const parts = [`attribute_exists(${p.name('id')})`];
  if (conditions.expectVersion !== undefined) parts.push(`${p.name('version')} = ${p.value(conditions.expectVersion)}`);
  for (const guard of conditions.guards) parts.push(guardCondition(p, shape, guard));
  return parts.join(' AND ');
}

/**
 * UpdateItem parameters for a spec. Validates the spec first.
 * @throws InvalidSpecError (not an AppError) for a spec the port refuses, or an element change or element
 *   guard on a field that is not a keyed array of the collection.
 */
export function buildUpdate(spec: UpdateSpec, shape: CollectionShape): UpdateParams {
  validateUpdateSpec(spec);
  const p = new Placeholders();
  const sets: string[] = [];
  const adds: string[] = [];
  const removes: string[] = [];
  for (const [field, value] of Object.entries(spec.set ?? {})) {
    sets.push(`${p.name(field)} = ${p.value(toStoredValue(shape, field, value))}`);
  }
  // ADD treats a missing attribute as 0, which is the port's rule for inc.
  for (const [field, by] of Object.entries(spec.inc ?? {})) adds.push(`${p.name(field)} ${p.value(by)}`);
  if (spec.bumpVersion !== false) adds.push(`${p.name('version')} ${p.value(1)}`);
  if (spec.pull) removes.push(elementPath(p, shape, spec.pull.field, spec.pull.key, 'pull'));
  if (spec.push) {
    const { field, element } = spec.push;
    sets.push(`${elementPath(p, shape, field, element.id, 'push')} = ${p.value(toStoredElement(field, element))}`);
  }
  const clauses = [
    sets.length > 0 ? `SET ${sets.join(', ')}` : '',
    adds.length > 0 ? `ADD ${adds.join(', ')}` : '',
    removes.length > 0 ? `REMOVE ${removes.join(', ')}` : '',
  ].filter((clause) => clause !== '');
  const conditions = { expectVersion: spec.expectVersion, guards: effectiveGuards(spec) };
  const UpdateExpression = clauses.join(' ');
  return { UpdateExpression, ...p.params(conditionExpression(p, shape, conditions)) };
}

/**
 * ConditionCheck parameters for a transaction check (the document must exist and meet the conditions).
 * @throws InvalidSpecError for an invalid guard or an element guard on a field that is not a keyed array.
 */
export function buildCheck(conditions: WriteConditions, shape: CollectionShape): ConditionParams {
  for (const guard of conditions.guards) validateGuard(guard);
  const p = new Placeholders();
  return p.params(conditionExpression(p, shape, conditions));
}

/** DeleteItem's condition: the item exists at exactly this version. */
export function buildRemoveCondition(expectVersion: number): ConditionParams {
  const p = new Placeholders();
  return p.params(`${p.name('version')} = ${p.value(expectVersion)}`);
}

/** PutItem condition for an insert: only if no item has this id. */
export function buildInsertCondition(): ConditionParams {
  const p = new Placeholders();
  return p.params(`attribute_not_exists(${p.name('id')})`);
}

export type TxItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/**
 * One TransactWriteItems entry. Every entry asks for the item it was checked against (ALL_OLD), so a refused
 * write is classified from exactly what DynamoDB saw. Throws InvalidSpecError as the builders above.
 */
export function buildTxItem(planned: PlannedWrite, TableName: string): TxItem {
  const { write, shape } = planned;
  const ReturnValuesOnConditionCheckFailure = 'ALL_OLD' as const;
  switch (write.kind) {
    case 'update':
      return { Update: { TableName, Key: { id: write.id }, ...buildUpdate(write.spec, shape), ReturnValuesOnConditionCheckFailure } };
    case 'insert':
      return { Put: { TableName, Item: toStoredItem(shape, write.doc), ...buildInsertCondition(), ReturnValuesOnConditionCheckFailure } };
    case 'check':
      return {
        ConditionCheck: { TableName, Key: { id: write.id }, ...buildCheck(planned.conditions, shape), ReturnValuesOnConditionCheckFailure },
      };
  }
}

/** One entry of a TransactionCanceledException's CancellationReasons, in the order of the items sent. */
export interface CancellationReason {
  Code?: string;
  Item?: Record<string, AttributeValue>;
}

/** Cancellation reasons that mean "too many requests for this item or table right now". */
const THROTTLED_REASONS = new Set(['ThrottlingError', 'ProvisionedThroughputExceeded']);

/**
 * What a cancelled transaction means: the first write whose condition failed (with the item it was checked
 * against, still marshalled); else `conflict` when another transaction held an item; else `throttled` when the
 * only reasons are throttling (and `None` for the other writes): in both nothing applied and it may run again.
 * Anything else is `unexplained` (a cancellation lockless does not expect: validation, size).
 */
export function cancellationOf(
  reasons: CancellationReason[],
): { failed: number; item?: Record<string, AttributeValue> } | 'conflict' | 'throttled' | 'unexplained' {
  const failed = reasons.findIndex((r) => r.Code === 'ConditionalCheckFailed');
  if (failed >= 0) return reasons[failed]!.Item ? { failed, item: reasons[failed]!.Item } : { failed };
  if (reasons.some((r) => r.Code === 'TransactionConflict')) return 'conflict';
  const throttled = (r: CancellationReason) => THROTTLED_REASONS.has(r.Code ?? '');
  if (reasons.some(throttled) && reasons.every((r) => r.Code === 'None' || throttled(r))) return 'throttled';
  return 'unexplained';
}
