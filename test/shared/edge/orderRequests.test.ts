/** If-Match on order transitions: which version an ETag names, and which values are refused at the edge. */
import { expectedVersion } from '../../../shared/edge/orderRequests';
import { IfMatch } from '../../../shared/validation';

describe('expectedVersion', () => {
  it.each([
    [undefined, undefined],
    ['*', undefined],
    ['"O1.v3"', 3],
    ['"O1.v12"', 12],
    // Another order's ETag, or one of another shape, names no version of this order: 412, never a match.
    ['"O2.v3"', 0],
    ['"O1.v0"', 0],
    ['"O1.vx"', 0],
    ['"O1"', 0],
  ])('%s names version %s of O1', (ifMatch, version) => {
    expect(expectedVersion('O1', ifMatch)).toBe(version);
  });
});

describe('IfMatch', () => {
  it.each(['*', '"O1.v1"', '"p-1.v20"'])('accepts %s', (value) => {
    expect(IfMatch.safeParse(value).success).toBe(true);
  });
  it.each(['W/"O1.v1"', 'O1.v1', '"O1.v1", "O1.v2"', '""', '"a b"', `"${'a'.repeat(101)}"`])('refuses %s', (value) => {
    expect(IfMatch.safeParse(value).success).toBe(false);
  });
});
