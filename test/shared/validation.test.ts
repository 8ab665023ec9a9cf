import {
  AddCartItemPayload,
  Amount,
  assertSafeInput,
  Id,
  IdempotencyKey,
  MAX_AMOUNT,
  MAX_INPUT_BYTES,
  MAX_QUANTITY,
  parseInput,
  PurchasePayload,
  Quantity,
  TransferPayload,
} from '../../shared/validation';

/** The INVALID_REQUEST issues `fn` throws, or fails the test if it does not throw one. */
function issuesOf(fn: () => unknown): Array<{ field: string; message: string }> {
  try {
    fn();
  } catch (err) {
    expect(err).toMatchObject({ code: 'INVALID_REQUEST', status: 400 });
    return (err as { details: { issues: Array<{ field: string; message: string }> } }).details.issues;
  }
  throw new Error('expected INVALID_REQUEST');
}

describe('ids', () => {
  it.each(['1', 'a', 'A-z_09', 'x'.repeat(64), 'cart-4f1c7f2e-9a7b-4c1e-8f00-1234567890ab'.slice(0, 64)])('accepts %j', (id) => {
    expect(Id.safeParse(id).success).toBe(true);
  });

  it.each([
    '',
    'x'.repeat(65),
    'a.b',
    '$where',
    '#a',
    ':v',
    'attribute_exists(x)',
    'items.#id',
    'a b',
    'a\u0000b',
    'a\n',
    '\u00e9',
    'ａ', // fullwidth a
    'a\u200b',
    '商品',
    '../x',
    'a/b',
    '{"$gt":""}',
  ])('refuses %j', (id) => {
    expect(Id.safeParse(id).success).toBe(false);
  });

  it.each([1, null, { $ne: null }, { $gt: '' }, ['a'], true])('refuses the non-string %j', (id) => {
    expect(Id.safeParse(id).success).toBe(false);
  });

  it('limits idempotency keys to 1-128 of A-Z a-z 0-9 _ - . :', () => {
    expect(IdempotencyKey.safeParse('pay-42:retry.1').success).toBe(true);
    expect(IdempotencyKey.safeParse('k'.repeat(128)).success).toBe(true);
    for (const bad of ['', 'k'.repeat(129), 'a b', 'a,b', 'a\u0000', '$gt', '#a', 'ключ'])
      expect(IdempotencyKey.safeParse(bad).success).toBe(false);
  });
});

describe('numbers', () => {
  it(`takes a quantity from 1 to ${MAX_QUANTITY} and an amount from 1 to ${MAX_AMOUNT}, integers only, never coerced`, () => {
    for (const ok of [1, MAX_QUANTITY]) expect(Quantity.safeParse(ok).success).toBe(true);
    for (const ok of [1, MAX_AMOUNT]) expect(Amount.safeParse(ok).success).toBe(true);
    const bad = [0, -0, -1, 1.5, NaN, Infinity, -Infinity, 2 ** 53, Number.MAX_VALUE, '1', '1e3', null, true, [1], { $gt: 0 }];
    for (const value of [...bad, MAX_QUANTITY + 1]) expect(Quantity.safeParse(value).success).toBe(false);
    for (const value of [...bad, MAX_AMOUNT + 1]) expect(Amount.safeParse(value).success).toBe(false);
  });
});

describe('assertSafeInput', () => {
  it.each([
    ['__proto__', '{"__proto__": {"polluted": true}, "quantity": 1}', 'payload'],
    ['constructor', '{"constructor": {"prototype": {"polluted": true}}, "quantity": 1}', 'payload'],
    ['prototype', '{"prototype": 1, "quantity": 1}', 'payload'],
    ['$gt', '{"quantity": {"$gt": 0}}', 'payload.quantity'],
    ['$ne', '{"productId": {"$ne": null}, "quantity": 1}', 'payload.productId'],
    ['$where', '{"$where": "sleep(1000)", "quantity": 1}', 'payload'],
    ['a.b', '{"items.a": 1, "quantity": 1}', 'payload'],
    ['a NUL', '{"a\\u0000": 1}', 'payload'],
    ['__proto__ nested', '{"cartId": "c", "item": {"__proto__": {"x": 1}, "id": "a"}}', 'payload.item'],
    ['constructor nested', '{"cartId": "c", "item": {"constructor": {}, "id": "a"}}', 'payload.item'],
    ['$set nested', '{"cartId": "c", "item": {"id": "a", "quantity": {"$set": 1}}}', 'payload.item.quantity'],
    ['in an array', '{"x": [1, {"$or": []}]}', 'payload.x.1'],
  ])('refuses a %s key, naming the object that holds it', (_name, text, field) => {
    // JSON text, parsed the way Lambda parses a payload: `__proto__` becomes an own property.
    const issues = issuesOf(() => assertSafeInput(JSON.parse(text), 'payload'));
    expect(issues).toEqual([expect.objectContaining({ field, message: expect.stringMatching(/^key ".*" /) })]);
  });

  it('leaves plain data alone, whatever the strings hold', () => {
    expect(() => assertSafeInput({ cartId: '$where', item: { id: 'a.b', productId: '__proto__', quantity: 1 } }, 'payload')).not.toThrow();
  });

  it('refuses deep nesting and cycles without recursion', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    expect(issuesOf(() => assertSafeInput(deep, 'payload'))[0]!.message).toMatch(/nested more than/);
    const cyclic: Record<string, unknown> = { productId: '1' };
    cyclic.self = cyclic;
    expect(issuesOf(() => assertSafeInput(cyclic, 'payload'))[0]!.message).toMatch(/nested more than/);
  });

  it(`caps the JSON size at ${MAX_INPUT_BYTES} bytes when asked to`, () => {
    const at = { x: 'a'.repeat(MAX_INPUT_BYTES - '{"x":""}'.length) };
    expect(() => assertSafeInput(at, 'payload', MAX_INPUT_BYTES)).not.toThrow();
    expect(issuesOf(() => assertSafeInput({ x: `${at.x}a` }, 'payload', MAX_INPUT_BYTES))).toEqual([
      { field: 'payload', message: expect.stringMatching(/at most/) },
    ]);
    expect(issuesOf(() => assertSafeInput({ x: 1n }, 'payload', MAX_INPUT_BYTES))).toHaveLength(1);
  });

  it('reports a bounded number of issues', () => {
    const many = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`$k${i}`, i]));
    expect(issuesOf(() => assertSafeInput(many, 'payload')).length).toBeLessThanOrEqual(10);
  });
});

describe('parseInput (direct payloads)', () => {
  it('refuses forbidden keys before the schema, and unknown fields with the schema', () => {
    expect(
      issuesOf(() => parseInput(PurchasePayload, JSON.parse('{"productId":"1","quantity":1,"__proto__":{"uid":"bob"}}'), 'payload')),
    ).toEqual([{ field: 'payload', message: 'key "__proto__" is a reserved key' }]);
    expect(
      issuesOf(() =>
        parseInput(AddCartItemPayload, { cartId: 'c', item: { id: 'a', productId: 'p', quantity: 1, uid: 'bob' } }, 'payload'),
      ),
    ).toEqual([expect.objectContaining({ field: 'payload.item.uid' })]);
    expect(issuesOf(() => parseInput(TransferPayload, { from: 'a', to: 'a', amount: 1 }, 'payload'))).toEqual([
      expect.objectContaining({ field: 'payload.to' }),
    ]);
  });

  it('refuses an oversized, absurdly nested or cyclic payload as too large, without overflowing the stack', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    const cyclic: Record<string, unknown> = { productId: '1', quantity: 1 };
    cyclic.self = cyclic;
    const wide = { productId: '1', quantity: 1, x: Array.from({ length: 1_000_000 }, () => 0) };
    for (const payload of [{ productId: '1', quantity: 1, x: deep }, cyclic, wide, { productId: 'p'.repeat(5_000_000), quantity: 1 }]) {
      expect(issuesOf(() => parseInput(PurchasePayload, payload, 'payload'))).toEqual([
        { field: 'payload', message: expect.stringMatching(/at most/) },
      ]);
    }
  });

  it('shows an unknown key cut to 64 characters, alone or among others', () => {
    const key = 'k'.repeat(15_000);
    const alone = issuesOf(() => parseInput(PurchasePayload, { productId: '1', quantity: 1, [key]: 1 }, 'payload'));
    expect(alone).toEqual([{ field: `payload.${'k'.repeat(64)}...`, message: expect.any(String) }]);
    const among = issuesOf(() => parseInput(PurchasePayload, { productId: '1', quantity: 1, [key]: 1, other: 2 }, 'payload'));
    expect(among).toEqual([{ field: 'payload', message: `unknown fields: ${'k'.repeat(64)}..., other` }]);
    expect(JSON.stringify([alone, among]).length).toBeLessThan(1_000);
  });

  it('returns the command for a valid payload', () => {
    expect(parseInput(PurchasePayload, { productId: '1', quantity: 2, strategy: 'atomic', idempotencyKey: 'k-1' }, 'payload')).toEqual({
      productId: '1',
      quantity: 2,
      strategy: 'atomic',
      idempotencyKey: 'k-1',
    });
  });
});
