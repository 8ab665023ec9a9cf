/** How the port's documents map onto MongoDB documents and back. No server. */
import { fromStored, toStored, toStoredValue } from '../../../adapters/mongodb/storedDocument';

const TTL = { ttlField: 'expiresAt' };

describe('stored documents', () => {
  it('keys by _id, assigns version 1 and maps back to the same document', () => {
    const stored = toStored({ id: 'p1', name: 'n', stock: 3, version: 42, meta: { a: [1] } }, {});
    expect(stored).toEqual({ _id: 'p1', name: 'n', stock: 3, version: 1, meta: { a: [1] } });
    expect(fromStored(stored, {})).toEqual({ id: 'p1', name: 'n', stock: 3, version: 1, meta: { a: [1] } });
  });

  it('refuses a field named _id, which would replace the key', () => {
    expect(() => toStored({ id: 'p1', _id: 'other' }, {})).toThrow(/invalid store spec/);
  });

  it('stores the TTL field as a Date and shows it again in epoch seconds', () => {
    const stored = toStored({ id: 'k', expiresAt: 1_700_000_123, state: 'done' }, TTL);
    expect(stored.expiresAt).toEqual(new Date(1_700_000_123_000));
    expect(fromStored(stored, TTL)).toEqual({ id: 'k', version: 1, expiresAt: 1_700_000_123, state: 'done' });
  });

  it('converts only finite numbers in the TTL field, and only there', () => {
    expect(toStoredValue(TTL, 'expiresAt', 'soon')).toBe('soon');
    expect(toStoredValue(TTL, 'expiresAt', Number.POSITIVE_INFINITY)).toBe(Number.POSITIVE_INFINITY);
    expect(toStoredValue(TTL, 'expiresAt', 1e300)).toBe(1e300);
    expect(toStoredValue(TTL, 'createdAt', 1_700_000_000)).toBe(1_700_000_000);
    expect(toStoredValue({}, 'expiresAt', 1_700_000_000)).toBe(1_700_000_000);
  });
});
