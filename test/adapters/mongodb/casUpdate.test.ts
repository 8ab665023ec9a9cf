/** The one-round-trip compare-and-swap of the MongoDB adapter: which specs take it and what it sends. No server. */
import { effectiveGuards } from '../../../shared/conditions';
import type { UpdateSpec } from '../../../shared/store';
import { afterCas, buildCasUpdate, casApplied } from '../../../adapters/mongodb/casUpdate';

const build = (spec: UpdateSpec, shape = {}) =>
  buildCasUpdate('p1', spec, { expectVersion: spec.expectVersion, guards: effectiveGuards(spec) }, shape);

describe('buildCasUpdate', () => {
  it('turns a version CAS with set into a conditional pipeline on the id alone, values as literals', () => {
    const cas = build({ expectVersion: 4, set: { stock: 9, label: '$price' } });
    const matches = { $eq: ['$version', 4] };
    expect(cas?.filter).toEqual({ _id: { $eq: 'p1' } });
    expect(cas?.pipeline).toEqual([
      {
        $set: {
          stock: { $cond: [matches, { $literal: 9 }, '$stock'] },
          label: { $cond: [matches, { $literal: '$price' }, '$label'] },
          version: { $cond: [matches, { $add: ['$version', 1] }, '$version'] },
        },
      },
    ]);
  });

  it('stores the TTL field as a Date, as the ordinary update does', () => {
    const cas = build({ expectVersion: 1, set: { expiresAt: 1_700_000_000 } }, { ttlField: 'expiresAt' });
    expect(cas?.stored).toEqual({ expiresAt: new Date(1_700_000_000_000) });
  });

  it.each<[string, UpdateSpec]>([
    ['no expected version', { set: { stock: 1 } }],
    ['a guard', { expectVersion: 1, set: { stock: 1 }, guards: [{ field: 'stock', op: 'gte', value: 1 }] }],
    ['inc', { expectVersion: 1, inc: { stock: -1 } }],
    ['pull', { expectVersion: 1, pull: { field: 'items', key: 'a' } }],
    ['push', { expectVersion: 1, push: { field: 'items', element: { id: 'a' } } }],
  ])('leaves a spec with %s to the filter form', (_label, spec) => {
    expect(build(spec)).toBeNull();
  });
});

describe('casApplied and afterCas', () => {
  const cas = build({ expectVersion: 2, set: { stock: 7 } });
  if (!cas) throw new Error('expected the one-round-trip form');

  it('reads the outcome from the version of the document the swap was decided on', () => {
    expect(casApplied(cas, { _id: 'p1', version: 2, stock: 8 })).toBe(true);
    expect(casApplied(cas, { _id: 'p1', version: 3, stock: 8 })).toBe(false);
  });

  it('shows the document after an applied swap without reading it', () => {
    expect(afterCas(cas, { _id: 'p1', version: 2, stock: 8, name: 'A' })).toEqual({ _id: 'p1', version: 3, stock: 7, name: 'A' });
  });

  it('keeps the version when the spec does not bump it', () => {
    const quiet = build({ expectVersion: 2, set: { views: 1 }, bumpVersion: false });
    expect(quiet?.pipeline[0]?.$set.version).toBeUndefined();
    expect(quiet && afterCas(quiet, { _id: 'p1', version: 2 })).toEqual({ _id: 'p1', version: 2, views: 1 });
  });
});
