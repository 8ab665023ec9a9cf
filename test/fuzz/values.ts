/**
 * Values for the fuzzer, as JSON text, each one certain to be refused for the field it is put in. "Certain" is
 * decided by predicates written here from the README's input rules, not by the project's schemas: a schema
 * that wrongly accepted a value must not also make the fuzzer stop generating it.
 */
import fc from 'fast-check';

/** README: ids are 1-64 characters of A-Z a-z 0-9 _ -. */
export const ID_RULE = /^[A-Za-z0-9_-]{1,64}$/;
/** README: idempotency keys are 1-128 characters of A-Z a-z 0-9 _ - . : */
export const KEY_RULE = /^[A-Za-z0-9_.:-]{1,128}$/;
export const STRATEGIES = ['atomic', 'version', 'transaction'] as const;
const isQuantity = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 1000;
const isAmount = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 1 && v <= 1e12;

export type FieldType = 'id' | 'quantity' | 'amount' | 'strategy' | 'key' | 'item' | 'lang';

const json = (value: unknown) => JSON.stringify(value) ?? 'null';

/** Strings that mean something to DynamoDB expressions, MongoDB paths or a parser. */
export const EXPRESSION_STRINGS = [
  '#a',
  ':v',
  '#id',
  ':id',
  'attribute_exists(x)',
  'attribute_not_exists(id)',
  'id = :v OR attribute_exists(id)',
  'size(items) > :n',
  'a.b',
  'items.#id',
  'items[0]',
  'balance.x',
  '$where',
  '$ne',
  '$gt',
  '$regex',
  '$expr',
  'SET balance = :x',
  'REMOVE items',
  ')',
  '(',
  'this.owner',
  'function(){return true}',
  '__proto__',
  'constructor',
  '{"$ne":null}',
  '[$ne]=1',
  "' OR '1'='1",
  'a\u0000b',
  '\u0000',
  '../etc/passwd',
  '%2e%2e',
  'a b',
  'a\nb',
];

/** Characters outside the id alphabet, ASCII and not: any one of them makes an id invalid. */
const ODD_CHARS = [
  ' ',
  '.',
  '$',
  '#',
  ':',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  '\u0000',
  '\n',
  '\t',
  '"',
  "'",
  '/',
  '\\',
  '=',
  '<',
  '>',
  ',',
  ';',
  '*',
  '?',
  '%',
  '+',
  '@',
  '!',
  '~',
  '`',
  '|',
  '&',
  '\u00e9',
  '\u5546',
  '\u200b',
  '\ufeff',
  '\u{1F600}',
  '\ud800',
  '\udfff',
  '\u202e',
  '\uff41',
  '\u0430',
  '\u0301',
];

const idChars = (max: number) => fc.stringMatching(new RegExp(`^[A-Za-z0-9_-]{0,${max}}$`));

/** Valid ids that name nothing seeded (every seeded id starts otherwise). */
export const unknownId = fc.stringMatching(/^[A-Za-z0-9_-]{1,24}$/).map((s) => `nx-${s}`);
export const validItemId = fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/);

/** Objects that are MongoDB operators, DynamoDB attribute values or prototype keys, as JSON text. */
export const injectionObjectText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '{"$gt": ""}',
    '{"$ne": null}',
    '{"$gte": 0}',
    '{"$in": ["p-1"]}',
    '{"$regex": ".*"}',
    '{"$where": "sleep(100)"}',
    '{"$exists": true}',
    '{"$expr": {"$eq": [1, 1]}}',
    '{"S": "acc-alice"}',
    '{"N": "1"}',
    '{"__proto__": {"admin": true}}',
    '{"constructor": {"prototype": {"admin": true}}}',
    '{"prototype": 1}',
    '{"a.b": 1}',
    '["$ne", null]',
    '[]',
    '{}',
  ),
  fc
    .tuple(
      fc.constantFrom('$gt', '$ne', '$in', '$set', '$where', '$or', '__proto__', 'constructor', 'prototype', 'a.b', '$'),
      fc.jsonValue({ maxDepth: 2 }),
    )
    .map(([key, value]) => `{${json(key)}: ${json(value)}}`),
);

/** A value nested deeper than any input needs. */
export const deepText = fc
  .integer({ min: 9, max: 300 })
  .chain((depth) => fc.constantFrom('{"a":', '[').map((open) => `${open.repeat(depth)}1${(open === '[' ? ']' : '}').repeat(depth)}`));

const nonStringText = fc.oneof(
  fc.integer().map(json),
  fc.double().map(json),
  fc.boolean().map(json),
  fc.constant('null'),
  fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 }).map(json),
  injectionObjectText,
);

/** Strings that are not ids. */
export const badIdString: fc.Arbitrary<string> = fc
  .oneof(
    fc.constantFrom(...EXPRESSION_STRINGS, ''),
    fc.tuple(idChars(20), fc.constantFrom(...ODD_CHARS), idChars(20)).map(([a, c, b]) => a + c + b),
    fc.stringMatching(/^[A-Za-z0-9_-]{65,120}$/),
    fc.string({ unit: 'binary', maxLength: 70 }),
  )
  .filter((s) => !ID_RULE.test(s));

const parses = (rule: (v: unknown) => boolean) => (text: string) => !rule(JSON.parse(text));

/** Refused values per field type, as JSON text. */
export const BAD_VALUE: Record<FieldType, fc.Arbitrary<string>> = {
  id: fc.oneof(badIdString.map(json), nonStringText),
  quantity: fc
    .oneof(
      fc.integer({ max: 0 }).map(json),
      fc.integer({ min: 1001 }).map(json),
      fc.double().map(json),
      fc.integer({ min: 1, max: 1000 }).map((n) => json(String(n))),
      fc.constantFrom('1e400', '-1e400', '-0', '1.5', '0.0', '9007199254740993', '1e21', 'true', 'null', '[1]', '{}', '""'),
      nonStringText,
    )
    .filter(parses(isQuantity)),
  amount: fc
    .oneof(
      fc.integer({ max: 0 }).map(json),
      fc
        .maxSafeNat()
        .filter((n) => n > 1e12)
        .map(json),
      fc.double().map(json),
      fc.integer({ min: 1, max: 10_000 }).map((n) => json(String(n))),
      fc.constantFrom('1000000000001', '9007199254740992', '1e400', '-0', '0.01', '99.5', '"100"', 'false', 'null', '[100]'),
      nonStringText,
    )
    .filter(parses(isAmount)),
  strategy: fc
    .oneof(
      fc.constantFrom('ATOMIC', 'Atomic', ' atomic', 'atomic ', 'lock', 'optimistic', '', 'transaction\u0000', '$where'),
      fc.string({ maxLength: 12 }),
    )
    .map(json)
    .filter(parses((v) => (STRATEGIES as readonly unknown[]).includes(v)))
    .chain((text) => fc.oneof(fc.constant(text), nonStringText)),
  key: fc
    .oneof(
      fc.constantFrom('', 'a b', 'a,b', 'k'.repeat(129), '\u043a\u043b\u044e\u0447', 'a\u0000', '$x', '#a', 'a/b', 'a;b'),
      fc.string({ maxLength: 20 }),
    )
    .filter((s) => !KEY_RULE.test(s))
    .map(json)
    .chain((text) => fc.oneof(fc.constant(text), nonStringText)),
  item: fc.oneof(
    nonStringText.filter((t) => !t.startsWith('{') || t === '{}'),
    injectionObjectText,
    deepText,
  ),
  lang: fc
    .oneof(fc.constantFrom('fr', 'EN', 'zh-CN', 'en-US', '', 'en ', '*'), fc.string({ maxLength: 6 }))
    .map(json)
    .filter(parses((v) => v === 'zh' || v === 'en'))
    .chain((text) => fc.oneof(fc.constant(text), nonStringText)),
};

/** Idempotency-Key header values that are not keys (headers are strings). */
export const badKeyHeader = fc
  .oneof(
    fc.constantFrom('', ' ', 'a b', 'a,b', 'k'.repeat(129), '\u043a\u043b\u044e\u0447', 'a\u0000', '$x', 'a/b'),
    fc.string({ maxLength: 20 }),
  )
  .filter((s) => !KEY_RULE.test(s));

/** Keys no input may carry, and user ids that must never count. */
export const HOSTILE_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  '$where',
  '$gt',
  '$ne',
  '$set',
  '$expr',
  '$',
  'a.b',
  'items.a',
  'balance.x',
  '.',
  'uid',
  'owner',
  'sub',
  'userId',
  'cognitoIdentityId',
  'toString',
  'hasOwnProperty',
  'valueOf',
  '__defineGetter__',
  '',
  'id\u0000',
  '\u5546\u54c1',
];

/** A key that is none of `known`: hostile, or random. */
export const unknownKey = (known: readonly string[]) =>
  fc
    .oneof({ arbitrary: fc.constantFrom(...HOSTILE_KEYS), weight: 3 }, { arbitrary: fc.string({ maxLength: 16 }), weight: 1 })
    .filter((k) => !known.includes(k));

/** Any JSON value, as text. */
export const anyJsonText = fc.oneof(fc.jsonValue({ maxDepth: 2 }).map(json), injectionObjectText);
