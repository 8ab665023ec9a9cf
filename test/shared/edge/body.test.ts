import { duplicateKey, readJsonObject } from '../../../shared/edge/body';
import { MAX_INPUT_BYTES as MAX_BODY_BYTES } from '../../../shared/validation';
import { fromHttpEvent } from '../../../shared/edge/request';
import { httpEvent } from '../../support/events';

/** The ApiRequest of a POST carrying `body` with these headers (content type application/json unless given). */
function request(body: string | undefined, headers: Record<string, string> = {}) {
  const event = httpEvent({ method: 'POST', path: '/transfers', body, headers });
  if (Object.keys(headers).some((name) => name.toLowerCase() === 'content-type'))
    delete (event.headers as Record<string, string>)['content-type'];
  Object.assign(event.headers, headers);
  return fromHttpEvent(event);
}

function refusal(body: string | undefined, headers?: Record<string, string>) {
  try {
    readJsonObject(request(body, headers));
  } catch (err) {
    expect(err).toMatchObject({ code: 'INVALID_REQUEST' });
    return (err as { details: { issues: Array<{ field: string; message: string }> } }).details.issues;
  }
  throw new Error('expected INVALID_REQUEST');
}

describe('readJsonObject', () => {
  it.each([
    'application/json',
    'APPLICATION/JSON',
    'Application/Json; charset=utf-8',
    'application/json;charset=UTF-8',
    'application/json ; Charset = "utf-8"',
    ' application/json ',
  ])('accepts the content type %j', (contentType) => {
    expect(readJsonObject(request('{"amount":1}', { 'content-type': contentType }))).toEqual({ amount: 1 });
  });

  it('finds the content type whatever the header name casing', () => {
    expect(readJsonObject(request('{"a":1}', { 'Content-Type': 'application/json' }))).toEqual({ a: 1 });
    expect(readJsonObject(request('{"a":1}', { 'CONTENT-TYPE': 'Application/JSON' }))).toEqual({ a: 1 });
  });

  it.each([
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/json-seq',
    'application/jsonx',
    'application/merge-patch+json',
    'application/json; charset=latin1',
    'application/json; charset=utf-16',
    'application/json; charset=utf-8; boundary=x',
    'application/json, text/plain',
    'application/json\u0000',
    '',
    `application/json; charset=utf-8${' '.repeat(200)}`,
  ])('refuses the content type %j', (contentType) => {
    expect(refusal('{"amount":1}', { 'content-type': contentType })).toEqual([
      { field: 'headers.content-type', message: expect.any(String) },
    ]);
  });

  it('refuses a body without a content type (a form post is not JSON)', () => {
    const event = httpEvent({ method: 'POST', path: '/transfers', body: '{"amount":1}' });
    delete (event.headers as Record<string, string>)['content-type'];
    expect(() => readJsonObject(fromHttpEvent(event))).toThrow(expect.objectContaining({ code: 'INVALID_REQUEST' }));
  });

  it.each([
    ['no body', undefined],
    ['an empty body', ''],
    ['malformed JSON', '{"amount": 1'],
    ['a trailing comma', '{"amount": 1,}'],
    ['a byte order mark', '\ufeff{"amount": 1}'],
    ['two documents', '{"a":1}{"b":2}'],
    ['an array', '[{"amount": 1}]'],
    ['a string', '"amount"'],
    ['null', 'null'],
    ['a number', '1'],
    ['NaN', '{"amount": NaN}'],
    ['single quotes', "{'amount': 1}"],
    ['a comment', '{"amount": 1 /* x */}'],
  ])('refuses %s', (_name, body) => {
    expect(refusal(body)).toEqual([{ field: 'body', message: expect.any(String) }]);
  });

  it(`caps the body at ${MAX_BODY_BYTES} bytes of UTF-8`, () => {
    const fill = (n: number, ch = 'a') => `{"x":"${ch.repeat(n)}"}`;
    const exact = fill(MAX_BODY_BYTES - 8);
    expect(Buffer.byteLength(exact)).toBe(MAX_BODY_BYTES);
    expect(readJsonObject(request(exact))).toEqual({ x: expect.any(String) });
    expect(refusal(fill(MAX_BODY_BYTES - 7))[0]).toMatchObject({ field: 'body', message: expect.stringMatching(/at most/) });
    // Counted in bytes, not characters: 6000 three-byte characters are 18000 bytes.
    expect(refusal(fill(6000, '商'))[0]).toMatchObject({ field: 'body', message: expect.stringMatching(/at most/) });
  });

  it.each([
    ['__proto__', '{"__proto__": {"polluted": 1}, "amount": 1}', 'body'],
    ['__proto__ holding a scalar', '{"__proto__": "x", "amount": 1}', 'body'],
    ['constructor', '{"constructor": {"prototype": {"polluted": 1}}, "amount": 1}', 'body'],
    ['prototype', '{"prototype": {}, "amount": 1}', 'body'],
    ['$where', '{"$where": "1", "amount": 1}', 'body'],
    ['a dotted key', '{"balance.x": 1, "amount": 1}', 'body'],
    ['an operator object', '{"from": {"$ne": null}, "amount": 1}', 'body.from'],
    ['a nested __proto__', '{"from": {"__proto__": {"a": 1}}}', 'body.from'],
    ['a nested constructor', '{"item": [{"constructor": 1}]}', 'body.item.0'],
  ])('refuses %s before any schema sees it, and pollutes nothing', (_name, body, field) => {
    expect(refusal(body)).toEqual([{ field, message: expect.stringMatching(/^key /) }]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each([
    ['a repeated key', '{"amount": 1, "amount": 1000}', 'amount'],
    ['a repeated key spelled with an escape', '{"amount": 1, "\\u0061mount": 1000}', 'amount'],
    ['a repeated nested key', '{"item": {"id": "a", "id": "b"}}', 'id'],
  ])('refuses %s (JSON.parse would silently keep the last)', (_name, body, key) => {
    expect(refusal(body)).toEqual([{ field: 'body', message: `key "${key}" appears more than once` }]);
  });
});

describe('duplicateKey', () => {
  it.each([
    ['{"a":1,"b":{"a":2},"c":[{"a":1},{"a":2}]}', undefined],
    ['{"a":"{\\"a\\":1,\\"a\\":2}","b":"\\"a\\""}', undefined],
    ['{"a":["a","a"],"b":{}}', undefined],
    ['{"a":[{"x":1,"x":2}]}', 'x'],
    ['{"a":{},"a":{}}', 'a'],
  ])('%s -> %s', (text, expected) => {
    expect(duplicateKey(text)).toBe(expected);
  });
});
