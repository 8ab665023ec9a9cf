/** Idempotency keys: random, never repeated, and always in the server's accepted form. */
import { newIdempotencyKey } from '../../client/src';
import { IdempotencyKey } from '../../shared/validation';

describe('idempotency keys', () => {
  it('are 128 bits from crypto.getRandomValues when there is one', () => {
    const calls: number[] = [];
    const source = {
      getRandomValues(bytes: Uint8Array) {
        calls.push(bytes.length);
        bytes.fill(0xab);
        return bytes;
      },
    };
    expect(newIdempotencyKey(source)).toBe('ab'.repeat(16));
    expect(calls).toEqual([16]);
    expect(newIdempotencyKey()).toMatch(/^[0-9a-f]{32}$/);
  });

  it.each([
    ['the platform crypto', () => newIdempotencyKey()],
    ['the fallback without crypto', () => newIdempotencyKey(null)],
  ])('from %s are distinct and valid for the server', (_, make) => {
    const keys = Array.from({ length: 10_000 }, make);
    expect(new Set(keys).size).toBe(keys.length);
    for (const key of keys.slice(0, 200)) expect(IdempotencyKey.safeParse(key).success).toBe(true);
  });

  it('fall back to time, a counter and Math.random', () => {
    expect(newIdempotencyKey(null)).toMatch(/^[0-9a-z]+-[0-9a-z]{1,4}-[0-9a-f]{32}$/);
  });
});
