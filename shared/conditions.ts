/**
 * Pure semantics of the port's conditions, shared by every adapter so that the backends cannot disagree:
 * which guards an update implies, whether a document satisfies them, and why a failed write failed.
 *
 * Adapters translate the same conditions into their own language (a Mongo filter, a DynamoDB
 * ConditionExpression); the contract tests check that the translation agrees with this file on real servers.
 */
import type { Doc, Guard, TxWrite, UpdateSpec, WriteFailure } from './store';

/** The conditions of one write: its expected version, if any, and every guard (implied ones included). */
export interface WriteConditions {
  expectVersion?: number;
  guards: Guard[];
}

/** Top-level field names the port accepts: no `$`, no `.`, no expression syntax, nothing reserved. */
const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
const RESERVED_FIELDS = new Set(['id', '_id', 'version']);
/** Element ids and document ids: printable, bounded; placeholders carry them, but bound them anyway. */
const KEY_MAX_LENGTH = 256;

export class InvalidSpecError extends Error {
  constructor(message: string) {
    super(`invalid store spec: ${message}`);
    this.name = 'InvalidSpecError';
  }
}

function assertField(field: string, context: string): void {
  if (!FIELD_NAME.test(field)) throw new InvalidSpecError(`${context}: field name ${JSON.stringify(field)} is not allowed`);
}

function assertWritableField(field: string, context: string): void {
  assertField(field, context);
  if (RESERVED_FIELDS.has(field)) throw new InvalidSpecError(`${context}: ${field} is managed by the store`);
}

export function assertKey(key: string, context: string): void {
  if (typeof key !== 'string' || key.length === 0 || key.length > KEY_MAX_LENGTH) {
    throw new InvalidSpecError(`${context}: key must be a non-empty string of at most ${KEY_MAX_LENGTH} characters`);
  }
}

/** Rejects specs the backends would interpret differently or not at all. Throws InvalidSpecError. */
export function validateUpdateSpec(spec: UpdateSpec): void {
  const touched = new Set<string>();
  const touch = (field: string, context: string) => {
    assertWritableField(field, context);
    if (touched.has(field)) throw new InvalidSpecError(`${context}: ${field} is changed twice in one update`);
    touched.add(field);
  };
  for (const field of Object.keys(spec.set ?? {})) touch(field, 'set');
  for (const [field, by] of Object.entries(spec.inc ?? {})) {
    touch(field, 'inc');
    if (!Number.isSafeInteger(by)) throw new InvalidSpecError(`inc: ${field} must change by a safe integer`);
  }
  if (spec.pull) {
    touch(spec.pull.field, 'pull');
    assertKey(spec.pull.key, 'pull');
  }
  if (spec.push) {
    touch(spec.push.field, 'push');
    assertKey(spec.push.element?.id, 'push');
  }
  if (spec.expectVersion !== undefined && !(Number.isSafeInteger(spec.expectVersion) && spec.expectVersion >= 1)) {
    throw new InvalidSpecError('expectVersion must be a positive integer');
  }
  const changes = touched.size + (spec.bumpVersion === false ? 0 : 1);
  if (changes === 0) throw new InvalidSpecError('an update must change something');
  for (const guard of spec.guards ?? []) validateGuard(guard);
}

export function validateGuard(guard: Guard): void {
  assertField(guard.field, `guard ${guard.op}`);
  switch (guard.op) {
    case 'gte':
    case 'gt':
    case 'lte':
    case 'lt':
      if (typeof guard.value !== 'number' || !Number.isFinite(guard.value)) {
        throw new InvalidSpecError(`guard ${guard.op} on ${guard.field} needs a finite number`);
      }
      return;
    case 'eq':
      if (!['string', 'number', 'boolean'].includes(typeof guard.value)) {
        throw new InvalidSpecError(`guard eq on ${guard.field} needs a string, number or boolean`);
      }
      return;
    case 'exists':
    case 'notExists':
      return;
    case 'hasElement':
    case 'lacksElement':
      assertKey(guard.key, `guard ${guard.op}`);
      return;
    default:
      throw new InvalidSpecError(`unknown guard op ${JSON.stringify((guard as { op: unknown }).op)}`);
  }
}

/** The guards an update must satisfy: the explicit ones plus those implied by pull and push. */
export function effectiveGuards(spec: Pick<UpdateSpec, 'guards' | 'pull' | 'push'>): Guard[] {
  const guards = [...(spec.guards ?? [])];
  if (spec.pull) guards.push({ field: spec.pull.field, op: 'hasElement', key: spec.pull.key });
  if (spec.push) {
    guards.push({ field: spec.push.field, op: 'exists' });
    guards.push({ field: spec.push.field, op: 'lacksElement', key: spec.push.element.id });
  }
  return guards;
}

function hasElement(value: unknown, key: string): boolean {
  return Array.isArray(value) && value.some((e) => typeof e === 'object' && e !== null && (e as { id?: unknown }).id === key);
}

/** Whether `doc` satisfies one guard, with the same typing rules the backends apply. */
export function guardHolds(doc: Doc, guard: Guard): boolean {
  const present = Object.hasOwn(doc, guard.field) && doc[guard.field] !== undefined;
  const value = present ? doc[guard.field] : undefined;
  switch (guard.op) {
    case 'gte':
      return typeof value === 'number' && value >= guard.value;
    case 'gt':
      return typeof value === 'number' && value > guard.value;
    case 'lte':
      return typeof value === 'number' && value <= guard.value;
    case 'lt':
      return typeof value === 'number' && value < guard.value;
    case 'eq':
      return present && value === guard.value;
    case 'exists':
      return present;
    case 'notExists':
      return !present;
    case 'hasElement':
      return hasElement(value, guard.key);
    case 'lacksElement':
      return Array.isArray(value) && !hasElement(value, guard.key);
  }
}

/**
 * Why a write with these conditions does not apply to `current` (the stored document, or null), or null if it
 * would apply. Precedence: not_found, version_conflict, guard_failed.
 */
export function classifyFailure(current: Doc | null, conditions: WriteConditions): WriteFailure | null {
  if (!current) return { ok: false, reason: 'not_found' };
  if (conditions.expectVersion !== undefined && current.version !== conditions.expectVersion) {
    return { ok: false, reason: 'version_conflict', current };
  }
  const failed = conditions.guards.filter((g) => !guardHolds(current, g));
  if (failed.length > 0) return { ok: false, reason: 'guard_failed', failed, current };
  return null;
}

/** The conditions a transaction write imposes (inserts impose absence, checked by the adapter). */
export function txConditions(write: TxWrite): WriteConditions {
  switch (write.kind) {
    case 'update':
      return { expectVersion: write.spec.expectVersion, guards: effectiveGuards(write.spec) };
    case 'check':
      return { expectVersion: write.expectVersion, guards: write.guards ?? [] };
    case 'insert':
      return { guards: [] };
  }
}

/** Rejects transactions the backends cannot run the same way: empty, too large, or a document twice. */
export function validateTransaction(writes: TxWrite[]): void {
  if (writes.length === 0) throw new InvalidSpecError('a transaction needs at least one write');
  if (writes.length > 100) throw new InvalidSpecError('a transaction holds at most 100 writes');
  const seen = new Set<string>();
  for (const write of writes) {
    const id = write.kind === 'insert' ? write.doc.id : write.id;
    assertKey(id, `transaction ${write.kind}`);
    const key = `${write.collection}\u0000${id}`;
    if (seen.has(key)) throw new InvalidSpecError(`transaction touches ${write.collection}/${id} twice`);
    seen.add(key);
    if (write.kind === 'update') validateUpdateSpec(write.spec);
    if (write.kind === 'check') {
      for (const guard of write.guards ?? []) validateGuard(guard);
      if (write.expectVersion === undefined && (write.guards ?? []).length === 0) {
        throw new InvalidSpecError('a check needs a version or a guard');
      }
    }
  }
}
