/**
 * The pure expression builders, without a server: placeholders only, each guard op, each change kind, and
 * version handling. The contract suite checks on DynamoDB Local that these expressions mean what guardHolds says.
 */
import type { CollectionShape } from '../../../shared/collections';
import type { Guard, UpdateSpec } from '../../../shared/store';
import { buildCheck, buildInsertCondition, buildUpdate } from '../../../adapters/dynamodb/builders';
import type { ConditionParams } from '../../../adapters/dynamodb/builders';

const plain: CollectionShape = {};
const cart: CollectionShape = { keyedArrays: ['items'] };

/** Replaces every placeholder by what it stands for, so assertions read like the expression DynamoDB sees. */
function resolve(params: ConditionParams & { UpdateExpression?: string }): { update?: string; condition: string } {
  // One pass, so text that a placeholder stands for is never read as a placeholder itself.
  const sub = (text: string) =>
    text.replace(/#n\d+|:v\d+/g, (p) => {
      const values = params.ExpressionAttributeValues ?? {};
      if (p.startsWith('#')) return params.ExpressionAttributeNames[p] ?? `<missing ${p}>`;
      return p in values ? JSON.stringify(values[p]) : `<missing ${p}>`;
    });
  return { update: params.UpdateExpression && sub(params.UpdateExpression), condition: sub(params.ConditionExpression) };
}

/** The raw expression text, the only part DynamoDB parses as syntax. */
const texts = (params: ConditionParams & { UpdateExpression?: string }) => `${params.UpdateExpression ?? ''} ${params.ConditionExpression}`;

describe('buildUpdate', () => {
  it('keeps every field name and value out of the expression text', () => {
    // Arrange: names and values that would change the expression's meaning if spliced in.
    const spec: UpdateSpec = {
      set: { statusField: 'paid) OR attribute_exists(#x' },
      inc: { stockLevel: -3 },
      guards: [{ field: 'ownerName', op: 'eq', value: ':v0 OR true' }],
    };
    // Act
    const params = buildUpdate(spec, plain);
    // Assert
    const text = texts(params);
    for (const leaked of ['statusField', 'stockLevel', 'ownerName', 'paid', 'OR', 'true', '-3', 'version', 'id']) {
      expect(text).not.toContain(leaked);
    }
    expect(text).toMatch(/^[A-Za-z_(),.=<>:#\d\s]+$/);
    expect(Object.values(params.ExpressionAttributeNames).sort()).toEqual(['id', 'ownerName', 'statusField', 'stockLevel', 'version']);
    expect(Object.values(params.ExpressionAttributeValues ?? {})).toEqual(
      expect.arrayContaining(['paid) OR attribute_exists(#x', -3, ':v0 OR true']),
    );
  });

  it('puts element keys of keyed arrays through name placeholders too', () => {
    const key = 'x] REMOVE #n0 SET a = :v1';
    const params = buildUpdate({ pull: { field: 'items', key } }, cart);
    expect(texts(params)).not.toContain('REMOVE #n0 SET');
    expect(Object.values(params.ExpressionAttributeNames)).toContain(key);
    expect(resolve(params)).toEqual({
      update: `ADD version 1 REMOVE items.${key}`,
      condition: `attribute_exists(id) AND attribute_exists(items.${key})`,
    });
  });

  it.each<[string, UpdateSpec]>([
    ['a $ field', { set: { $where: 1 } as never }],
    ['a dotted field', { set: { 'a.b': 1 } }],
    ['expression syntax in a field', { set: { 'a = :b': 1 } }],
    ['an injection attempt in a guard field', { guards: [{ field: 'a) OR (b', op: 'exists' }], inc: { a: 1 } }],
    ['setting the version', { set: { version: 2 } }],
    ['nothing to change', { bumpVersion: false }],
  ])('refuses %s before building anything', (_name, spec) => {
    expect(() => buildUpdate(spec, plain)).toThrow(/invalid store spec/);
  });

  it('refuses element changes and element guards on a field that is not a keyed array', () => {
    expect(() => buildUpdate({ pull: { field: 'tags', key: 'a' } }, cart)).toThrow(/not a keyed array/);
    expect(() => buildUpdate({ push: { field: 'items', element: { id: 'a' } } }, plain)).toThrow(/not a keyed array/);
    expect(() => buildUpdate({ guards: [{ field: 'tags', op: 'hasElement', key: 'a' }], inc: { n: 1 } }, cart)).toThrow(
      /not a keyed array/,
    );
  });

  it.each<[string, UpdateSpec, string]>([
    ['set', { set: { name: 'n', meta: { a: [1] } }, bumpVersion: false }, 'SET name = "n", meta = {"a":[1]}'],
    ['inc with ADD (missing counts as 0)', { inc: { stock: -2, sold: 2 }, bumpVersion: false }, 'ADD stock -2, sold 2'],
    ['the version bump by default', { set: { a: 1 } }, 'SET a = 1 ADD version 1'],
    ['pull as one REMOVE of a map entry', { pull: { field: 'items', key: 'e1' }, bumpVersion: false }, 'REMOVE items.e1'],
    [
      'push as one SET of a map entry',
      { push: { field: 'items', element: { id: 'e1', qty: 2 } } },
      'SET items.e1 = {"id":"e1","qty":2} ADD version 1',
    ],
    [
      'a keyed array set as a map',
      { set: { items: [{ id: 'b' }, { id: 'a' }] } },
      'SET items = {"b":{"id":"b"},"a":{"id":"a"}} ADD version 1',
    ],
  ])('builds %s', (_name, spec, update) => {
    expect(resolve(buildUpdate(spec, cart)).update).toBe(update);
  });

  it('refuses a keyed array with a duplicate element id', () => {
    expect(() => buildUpdate({ set: { items: [{ id: 'a' }, { id: 'a' }] } }, cart)).toThrow(/appears twice/);
  });

  it('always requires the item to exist, and compares the version when asked', () => {
    expect(resolve(buildUpdate({ inc: { a: 1 } }, plain)).condition).toBe('attribute_exists(id)');
    expect(resolve(buildUpdate({ expectVersion: 7, inc: { a: 1 } }, plain)).condition).toBe('attribute_exists(id) AND version = 7');
  });

  it('adds the guards pull and push imply', () => {
    expect(resolve(buildUpdate({ push: { field: 'items', element: { id: 'e1' } } }, cart)).condition).toBe(
      'attribute_exists(id) AND attribute_exists(items) AND (attribute_type(items, "M") AND attribute_not_exists(items.e1))',
    );
  });
});

describe('guards', () => {
  it.each<[Guard, string]>([
    [{ field: 'stock', op: 'gte', value: 5 }, '(attribute_type(stock, "N") AND stock >= 5)'],
    [{ field: 'stock', op: 'gt', value: 5 }, '(attribute_type(stock, "N") AND stock > 5)'],
    [{ field: 'stock', op: 'lte', value: 5 }, '(attribute_type(stock, "N") AND stock <= 5)'],
    [{ field: 'stock', op: 'lt', value: -1 }, '(attribute_type(stock, "N") AND stock < -1)'],
    [{ field: 'status', op: 'eq', value: 'paid' }, 'status = "paid"'],
    [{ field: 'active', op: 'eq', value: false }, 'active = false'],
    [{ field: 'lockedBy', op: 'exists' }, 'attribute_exists(lockedBy)'],
    [{ field: 'lockedBy', op: 'notExists' }, 'attribute_not_exists(lockedBy)'],
    [{ field: 'items', op: 'hasElement', key: 'e1' }, 'attribute_exists(items.e1)'],
    [{ field: 'items', op: 'lacksElement', key: 'e1' }, '(attribute_type(items, "M") AND attribute_not_exists(items.e1))'],
  ])('%o becomes %s', (guard, expected) => {
    const params = buildCheck({ guards: [guard] }, cart);
    expect(resolve(params).condition).toBe(`attribute_exists(id) AND ${expected}`);
  });

  it('reuses one placeholder per name and omits empty values', () => {
    const params = buildCheck(
      {
        guards: [
          { field: 'a', op: 'exists' },
          { field: 'a', op: 'notExists' },
        ],
      },
      plain,
    );
    expect(params).toEqual({
      ConditionExpression: 'attribute_exists(#n0) AND attribute_exists(#n1) AND attribute_not_exists(#n1)',
      ExpressionAttributeNames: { '#n0': 'id', '#n1': 'a' },
    });
  });

  it('checks a version without guards and refuses an invalid guard', () => {
    expect(resolve(buildCheck({ expectVersion: 3, guards: [] }, plain)).condition).toBe('attribute_exists(id) AND version = 3');
    expect(() => buildCheck({ guards: [{ field: 'a', op: 'gte', value: Number.NaN }] }, plain)).toThrow(/invalid store spec/);
  });
});

describe('buildInsertCondition', () => {
  it('requires that no item has the id', () => {
    expect(buildInsertCondition()).toEqual({
      ConditionExpression: 'attribute_not_exists(#n0)',
      ExpressionAttributeNames: { '#n0': 'id' },
    });
  });
});
