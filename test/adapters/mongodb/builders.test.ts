/** The pure builders of the MongoDB adapter: what filter and update a spec becomes. No server. */
import { effectiveGuards } from '../../../shared/conditions';
import type { CollectionShape } from '../../../shared/collections';
import type { Guard } from '../../../shared/store';
import { buildFilter, buildUpdate, guardClause } from '../../../adapters/mongodb/builders';

const NOT_AN_ARRAY = { $not: { $type: 'array' } };
const TTL: CollectionShape = { ttlField: 'expiresAt' };

describe('guardClause', () => {
  const cases: Array<[Guard, Record<string, unknown>]> = [
    [{ field: 'stock', op: 'gte', value: 5 }, { stock: { $gte: 5, ...NOT_AN_ARRAY } }],
    [{ field: 'stock', op: 'gt', value: 5 }, { stock: { $gt: 5, ...NOT_AN_ARRAY } }],
    [{ field: 'stock', op: 'lte', value: -1 }, { stock: { $lte: -1, ...NOT_AN_ARRAY } }],
    [{ field: 'stock', op: 'lt', value: 0.5 }, { stock: { $lt: 0.5, ...NOT_AN_ARRAY } }],
    [{ field: 'status', op: 'eq', value: 'paid' }, { status: { $eq: 'paid', ...NOT_AN_ARRAY } }],
    [{ field: 'price', op: 'eq', value: 1999 }, { price: { $eq: 1999, ...NOT_AN_ARRAY } }],
    [{ field: 'active', op: 'eq', value: false }, { active: { $eq: false, ...NOT_AN_ARRAY } }],
    [{ field: 'lockedBy', op: 'exists' }, { lockedBy: { $exists: true } }],
    [{ field: 'lockedBy', op: 'notExists' }, { lockedBy: { $exists: false } }],
    [{ field: 'items', op: 'hasElement', key: 'e1' }, { items: { $elemMatch: { id: { $eq: 'e1' } } } }],
    [{ field: 'items', op: 'lacksElement', key: 'e1' }, { items: { $type: 'array', $not: { $elemMatch: { id: { $eq: 'e1' } } } } }],
  ];

  it.each(cases)('%j', (guard, expected) => {
    expect(guardClause(guard)).toEqual(expected);
  });

  it('compares the TTL field as the Date its epoch seconds stand for', () => {
    expect(guardClause({ field: 'expiresAt', op: 'gt', value: 1_700_000_000 }, TTL)).toEqual({
      expiresAt: { $gt: new Date(1_700_000_000_000), ...NOT_AN_ARRAY },
    });
    expect(guardClause({ field: 'expiresAt', op: 'eq', value: 'never' }, TTL)).toEqual({
      expiresAt: { $eq: 'never', ...NOT_AN_ARRAY },
    });
  });
});

describe('buildFilter', () => {
  it('matches the id alone when there are no conditions', () => {
    expect(buildFilter('p1', { guards: [] })).toEqual({ _id: { $eq: 'p1' } });
  });

  it('adds the expected version', () => {
    expect(buildFilter('p1', { expectVersion: 3, guards: [] })).toEqual({ _id: { $eq: 'p1' }, version: { $eq: 3 } });
  });

  it('keeps every guard on the same field instead of letting one overwrite another', () => {
    const guards: Guard[] = [
      { field: 'stock', op: 'gte', value: 1 },
      { field: 'stock', op: 'lte', value: 100 },
      { field: 'stock', op: 'exists' },
    ];
    expect(buildFilter('p1', { expectVersion: 2, guards })).toEqual({
      _id: { $eq: 'p1' },
      version: { $eq: 2 },
      $and: [{ stock: { $gte: 1, ...NOT_AN_ARRAY } }, { stock: { $lte: 100, ...NOT_AN_ARRAY } }, { stock: { $exists: true } }],
    });
  });

  it('carries the guards implied by pull and push', () => {
    const pull = buildFilter('c1', { guards: effectiveGuards({ pull: { field: 'items', key: 'x' } }) });
    expect(pull.$and).toEqual([{ items: { $elemMatch: { id: { $eq: 'x' } } } }]);
    const push = buildFilter('c1', { guards: effectiveGuards({ push: { field: 'items', element: { id: 'y' } } }) });
    expect(push.$and).toEqual([{ items: { $exists: true } }, { items: { $type: 'array', $not: { $elemMatch: { id: { $eq: 'y' } } } } }]);
  });
});

describe('buildUpdate', () => {
  it('sets, increments and bumps the version by default', () => {
    expect(buildUpdate({ set: { name: 'n', tags: ['a'] }, inc: { stock: -2, sold: 2 } })).toEqual({
      $set: { name: 'n', tags: ['a'] },
      $inc: { stock: -2, sold: 2, version: 1 },
    });
  });

  it('leaves the version alone when bumpVersion is false', () => {
    expect(buildUpdate({ inc: { views: 1 }, bumpVersion: false })).toEqual({ $inc: { views: 1 } });
    expect(buildUpdate({ set: { a: 1 }, bumpVersion: false })).toEqual({ $set: { a: 1 } });
  });

  it('bumps the version alone when that is the only change', () => {
    expect(buildUpdate({})).toEqual({ $inc: { version: 1 } });
  });

  it('pulls by element id and pushes through $each', () => {
    expect(buildUpdate({ pull: { field: 'items', key: 'x' } })).toEqual({
      $pull: { items: { id: { $eq: 'x' } } },
      $inc: { version: 1 },
    });
    const element = { id: 'y', sku: 's', qty: 2 };
    expect(buildUpdate({ push: { field: 'items', element } })).toEqual({
      $push: { items: { $each: [element] } },
      $inc: { version: 1 },
    });
  });

  it('stores a TTL field set in epoch seconds as a Date, and refuses to increment it', () => {
    expect(buildUpdate({ set: { expiresAt: 1_700_000_000 } }, TTL).$set).toEqual({ expiresAt: new Date(1_700_000_000_000) });
    expect(() => buildUpdate({ inc: { expiresAt: 60 } }, TTL)).toThrow(/invalid store spec/);
  });
});

describe('values shaped like operators stay values', () => {
  it('puts a set value in $set unchanged, where Mongo stores it literally', () => {
    const value = { $gt: '', $where: 'sleep(1000)' };
    expect(buildUpdate({ set: { note: value } }).$set).toEqual({ note: value });
  });

  it('keeps a pushed element inside $each, so its keys are never read as push modifiers', () => {
    const element = { id: 'x', $each: [1], $slice: 0 } as never;
    expect(buildUpdate({ push: { field: 'items', element } }).$push).toEqual({ items: { $each: [element] } });
  });

  it('puts ids, keys and compared values in operand position only', () => {
    const filter = buildFilter('{"$ne":null}', {
      guards: [
        { field: 'status', op: 'eq', value: '$gt' },
        { field: 'items', op: 'hasElement', key: '$ne' },
      ],
    });
    expect(filter).toEqual({
      _id: { $eq: '{"$ne":null}' },
      $and: [{ status: { $eq: '$gt', ...NOT_AN_ARRAY } }, { items: { $elemMatch: { id: { $eq: '$ne' } } } }],
    });
    expect(buildUpdate({ pull: { field: 'items', key: '$exists' } }).$pull).toEqual({ items: { id: { $eq: '$exists' } } });
  });
});
