import { fromHttpEvent, MAX_HEADER_BYTES, refuseInvalidInput } from '../../../shared/edge/request';
import { httpEvent, lambdaContext } from '../../support/events';

type Event = ReturnType<typeof httpEvent> & Record<string, unknown>;

function event(overrides: Partial<Parameters<typeof httpEvent>[0]> = {}, extra: Record<string, unknown> = {}): Event {
  return {
    ...httpEvent({ method: 'POST', path: '/products/1/purchase', pathParameters: { id: '1' }, sub: 'alice', ...overrides }),
    ...extra,
  };
}

/** The issues refuseInvalidInput throws for the request read from `e` (none: []). */
function issues(e: unknown) {
  const req = fromHttpEvent(e);
  try {
    refuseInvalidInput(req);
    return [];
  } catch (err) {
    expect(err).toMatchObject({ code: 'INVALID_REQUEST' });
    return (err as { details: { issues: Array<{ field: string; message: string }> } }).details.issues;
  }
}

describe('fromHttpEvent', () => {
  it('reads method, path parameters, lower-cased headers, the verified sub and the language', () => {
    const req = fromHttpEvent(
      event({ headers: { 'Accept-Language': 'en-US', 'Idempotency-Key': 'k-1' }, body: '{"quantity":1}' }),
      lambdaContext(),
    );
    expect(req).toMatchObject({ method: 'POST', sub: 'alice', lang: 'en', body: '{"quantity":1}', issues: [] });
    expect(req.pathParams.id).toBe('1');
    expect(req.headers['idempotency-key']).toBe('k-1');
  });

  it('takes identity only from the authorizer claims', () => {
    expect(
      fromHttpEvent(event({ sub: undefined, headers: { 'x-user': 'alice', sub: 'alice' }, body: '{"sub":"alice"}' })).sub,
    ).toBeUndefined();
    const bad = event();
    (bad.requestContext as any).authorizer.jwt.claims.sub = 42;
    expect(fromHttpEvent(bad).sub).toBeUndefined();
  });

  it('decodes a base64 body strictly', () => {
    const text = '{"quantity":1,"note":"商品"}';
    const base64 = Buffer.from(text).toString('base64');
    expect(fromHttpEvent(event({ body: base64 }, { isBase64Encoded: true })).body).toBe(text);
    expect(issues(event({ body: base64 }, { isBase64Encoded: true }))).toEqual([]);
    for (const bad of [`${base64}!`, base64.slice(1), `${base64}====`, 'e30 =', 'e3-_']) {
      expect(issues(event({ body: bad }, { isBase64Encoded: true }))).toEqual([{ field: 'body', message: 'body is not valid base64' }]);
    }
  });

  it('refuses bytes that are not UTF-8 instead of replacing them', () => {
    const latin1 = Buffer.from([0x7b, 0x22, 0x71, 0xe9, 0x22, 0x3a, 0x31, 0x7d]).toString('base64'); // {"q\xe9":1}
    expect(issues(event({ body: latin1 }, { isBase64Encoded: true }))).toEqual([{ field: 'body', message: 'body is not valid UTF-8' }]);
    const overlong = Buffer.from([0x7b, 0xc0, 0xaf, 0x7d]).toString('base64');
    expect(issues(event({ body: overlong }, { isBase64Encoded: true }))).toEqual([{ field: 'body', message: 'body is not valid UTF-8' }]);
    expect(issues(event({ body: '{"a":"\ud800"}' }))).toEqual([{ field: 'body', message: 'body is not valid UTF-8' }]);
  });

  it('keeps a byte order mark, so that the JSON reader refuses it like in a plain body', () => {
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{}')]).toString('base64');
    expect(fromHttpEvent(event({ body: bom }, { isBase64Encoded: true })).body).toBe('\ufeff{}');
  });

  it('refuses an oversized base64 body before decoding it', () => {
    const big = Buffer.alloc(64 * 1024, 0x20).toString('base64');
    expect(issues(event({ body: big }, { isBase64Encoded: true }))).toEqual([{ field: 'body', message: expect.stringMatching(/at most/) }]);
  });

  it.each(['GET', 'DELETE', 'HEAD', 'OPTIONS', 'get'])('refuses a body on %s', (method) => {
    expect(issues(event({ method, body: '{"$where":"1"}' }))).toEqual([{ field: 'body', message: expect.stringMatching(/takes no body/) }]);
    expect(issues(event({ method }))).toEqual([]);
  });

  it('refuses query parameters: no route takes one', () => {
    expect(issues(event({ body: '{}' }, { rawQueryString: 'uid=bob', queryStringParameters: { uid: 'bob' } }))).toEqual([
      { field: 'query.uid', message: 'unknown query parameter' },
    ]);
    expect(issues(event({ body: '{}' }, { rawQueryString: '&' }))).toEqual([{ field: 'query', message: expect.any(String) }]);
    expect(issues(event({ body: '{}' }, { rawQueryString: '' }))).toEqual([]);
  });

  it('refuses two spellings of one header with different values, and oversized headers', () => {
    expect(issues(event({ body: '{}', headers: { 'Idempotency-Key': 'a', 'idempotency-key': 'b' } }))).toEqual([
      { field: 'headers.idempotency-key', message: 'must not be sent twice' },
    ]);
    expect(issues(event({ body: '{}', headers: { 'Idempotency-Key': 'a', 'idempotency-key': 'a' } }))).toEqual([]);
    expect(issues(event({ body: '{}', headers: { 'x-big': 'a'.repeat(MAX_HEADER_BYTES) } }))).toEqual([
      { field: 'headers', message: expect.stringMatching(/at most/) },
    ]);
    // A long Accept-Language within the cap is only negotiated on its first characters.
    expect(fromHttpEvent(event({ headers: { 'accept-language': `${'x;q=0.1,'.repeat(1000)}en` } })).lang).toBe('zh');
  });

  it('treats a header named __proto__ or constructor as a header, not as a prototype', () => {
    const raw = event({ body: '{}' });
    raw.headers = JSON.parse('{"__proto__": "x", "constructor": "y", "content-type": "application/json"}');
    const req = fromHttpEvent(raw);
    expect(Object.getPrototypeOf(req.headers)).toBeNull();
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers.constructor).toBe('y');
  });

  it.each([
    ['a header that is not a string', { headers: { 'content-type': 5 } }, 'event.headers.content-type'],
    ['a body that is not a string', { body: { quantity: 1 } }, 'event.body'],
    ['a non-boolean isBase64Encoded', { isBase64Encoded: 'yes' }, 'event.isBase64Encoded'],
    ['a path parameter that is an array', { pathParameters: { id: ['1'] } }, 'event.pathParameters.id'],
    ['a method that is not a string', { requestContext: { http: { method: 1 } } }, 'event.requestContext.http.method'],
    ['headers that are a string', { headers: 'content-type: application/json' }, 'event.headers'],
  ])('answers INVALID_REQUEST, not a crash, for %s', (_name, extra, field) => {
    expect(() => fromHttpEvent(event({}, extra))).toThrow(
      expect.objectContaining({ code: 'INVALID_REQUEST', details: { issues: [expect.objectContaining({ field })] } }),
    );
  });
});
