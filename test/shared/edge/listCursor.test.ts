/** The list cursor round-trips for its caller only, and the If-Match parser names a version of this product only. */
import { versionFromIfMatch } from '../../../shared/edge/etag';
import { decodeCursor, encodeCursor } from '../../../shared/edge/listCursor';

const position = { sort: '2026-12-01T08:00:00.000Z', id: 'O0MX6P54WA73533E78335D8A54' };

describe('list cursor', () => {
  it('gives its caller back the position it was made from', () => {
    expect(decodeCursor('alice', encodeCursor('alice', position), 'query.cursor')).toEqual(position);
  });

  it.each([
    ['another caller', encodeCursor('bob', position)],
    ['a bad sort value', encodeCursor('alice', { sort: 'yesterday', id: position.id })],
    ['an id outside the id pattern', encodeCursor('alice', { sort: position.sort, id: 'a.b' })],
    [
      'an extra field',
      Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(encodeCursor('alice', position), 'base64url').toString()), x: 1 })).toString(
        'base64url',
      ),
    ],
    ['not base64url', 'a+b/c='],
    ['not JSON', Buffer.from('{nope').toString('base64url')],
    ['an array', Buffer.from('[]').toString('base64url')],
    ['too long', 'A'.repeat(513)],
  ])('refuses %s with INVALID_REQUEST on the given field', (_what, cursor) => {
    expect(() => decodeCursor('alice', cursor, 'query.cursor')).toThrow(
      expect.objectContaining({
        code: 'INVALID_REQUEST',
        details: { issues: [{ field: 'query.cursor', message: 'is not a cursor of this list' }] },
      }),
    );
  });
});

describe('versionFromIfMatch', () => {
  it.each([
    ['"p1.v3"', 3],
    [' "p1.v12" ', 12],
    ['"p2.v3"', null],
    ['W/"p1.v3"', null],
    ['*', null],
    ['"p1.v0"', null],
    ['"p1.v3", "p1.v4"', null],
    ['p1.v3', null],
  ])('%s names version %p of p1', (header, version) => {
    expect(versionFromIfMatch('p1', header)).toBe(version);
  });
});
