import { classifyFailure, effectiveGuards, guardHolds, validateTransaction, validateUpdateSpec } from '../../shared/conditions';
import type { Doc } from '../../shared/store';

const doc = (fields: Record<string, unknown>): Doc => ({ id: 'd', version: 3, ...fields });

describe('guardHolds', () => {
  it('compares only numbers', () => {
    expect(guardHolds(doc({ stock: 5 }), { field: 'stock', op: 'gte', value: 5 })).toBe(true);
    expect(guardHolds(doc({ stock: '5' }), { field: 'stock', op: 'gte', value: 5 })).toBe(false);
    expect(guardHolds(doc({}), { field: 'stock', op: 'lte', value: 5 })).toBe(false);
  });

  it('treats null as present and undefined as absent', () => {
    expect(guardHolds(doc({ a: null }), { field: 'a', op: 'exists' })).toBe(true);
    expect(guardHolds(doc({ a: undefined }), { field: 'a', op: 'notExists' })).toBe(true);
  });

  it('looks into keyed arrays by id', () => {
    const d = doc({ items: [{ id: 'x' }, { id: 'y' }] });
    expect(guardHolds(d, { field: 'items', op: 'hasElement', key: 'y' })).toBe(true);
    expect(guardHolds(d, { field: 'items', op: 'lacksElement', key: 'y' })).toBe(false);
    expect(guardHolds(doc({}), { field: 'items', op: 'lacksElement', key: 'y' })).toBe(false);
  });
});

describe('classifyFailure', () => {
  const guards = [{ field: 'stock', op: 'gte' as const, value: 2 }];

  it('orders reasons: not_found, version_conflict, guard_failed', () => {
    expect(classifyFailure(null, { expectVersion: 1, guards })).toEqual({ ok: false, reason: 'not_found' });
    expect(classifyFailure(doc({ stock: 0 }), { expectVersion: 1, guards })?.reason).toBe('version_conflict');
    expect(classifyFailure(doc({ stock: 0 }), { expectVersion: 3, guards })).toEqual({
      ok: false,
      reason: 'guard_failed',
      failed: guards,
      current: doc({ stock: 0 }),
    });
  });

  it('returns null when the write would apply', () => {
    expect(classifyFailure(doc({ stock: 2 }), { expectVersion: 3, guards })).toBeNull();
  });
});

describe('effectiveGuards', () => {
  it('adds the element guards implied by pull and push', () => {
    expect(effectiveGuards({ pull: { field: 'items', key: 'k' } })).toEqual([{ field: 'items', op: 'hasElement', key: 'k' }]);
    expect(effectiveGuards({ push: { field: 'items', element: { id: 'k' } } })).toEqual([
      { field: 'items', op: 'exists' },
      { field: 'items', op: 'lacksElement', key: 'k' },
    ]);
  });
});

describe('validation of specs', () => {
  it('accepts an ordinary update', () => {
    expect(() => validateUpdateSpec({ expectVersion: 2, set: { name: 'x' }, inc: { stock: -1 } })).not.toThrow();
  });

  it.each([
    [{ set: { 'a.b': 1 } }],
    [{ set: { $inc: 1 } }],
    [{ set: { id: 'other' } }],
    [{ inc: { n: Number.MAX_SAFE_INTEGER + 2 } }],
    [{ expectVersion: 0, set: { a: 1 } }],
    [{ bumpVersion: false }],
    [{ guards: [{ field: 'a', op: 'eq', value: { $ne: null } }], set: { b: 1 } }],
    [{ guards: [{ field: 'a', op: 'regex', value: '.*' }], set: { b: 1 } }],
    [{ pull: { field: 'items', key: '' } }],
  ])('rejects %j', (spec) => {
    expect(() => validateUpdateSpec(spec as never)).toThrow(/invalid store spec/);
  });

  it('rejects empty and oversized transactions', () => {
    expect(() => validateTransaction([])).toThrow(/at least one/);
    const many = Array.from({ length: 101 }, (_, i) => ({ kind: 'insert' as const, collection: 'c', doc: { id: `d${i}` } }));
    expect(() => validateTransaction(many)).toThrow(/at most 100/);
  });
});
