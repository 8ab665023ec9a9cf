/**
 * HTTP API events that must be refused: a refused well-formed request (requests.ts), often with one mutation of
 * its body and/or one of the rest (query, headers, path parameters, the event's own types), sent with a verified
 * sub, none, or claims that hold no usable sub. Valid variations ride along: header names and JSON content types
 * in any letter case, charset parameters, base64-encoded bodies, Accept-Language of every kind.
 */
import fc from 'fast-check';
import type { HttpPlan, Identity } from './generators';
import { mutations, toFields, toText } from './mutations';
import { verdict, type Base } from './requests';
import { ROUTES, type Route } from './routes';
import { anyJsonText, badIdString, badKeyHeader } from './values';

const JSON_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json;charset=UTF-8',
  'application/json; charset="utf-8"',
  'application/json ; charset = utf-8',
];
const BAD_TYPES = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/json-seq',
  'application/jsonx',
  'application/merge-patch+json',
  'application/json; charset=latin1',
  'application/json; charset=utf-16',
  'application/json, text/plain',
  'application/json; charset=utf-8; boundary=x',
  'text/json',
  'application/xml',
  '',
  '*/*',
  'application/json\u0000',
];
const MALFORMED_JSON = [
  '{',
  '}',
  '{"quantity":',
  '{"quantity":1,}',
  "{'quantity':1}",
  '{"quantity":1}{}',
  '\ufeff{"quantity":1}',
  '{"quantity":NaN}',
  '{"quantity":1 /*x*/}',
  '[]',
  '[{"quantity":1}]',
  '"x"',
  '1',
  'null',
  'true',
  'undefined',
  '{quantity:1}',
  '\u0000',
];
const INVALID_UTF8 = [[0xff], [0xc0, 0xaf], [0x80], [0xe5, 0x95], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80]];

/** A string that JSON.parse refuses or that is not an object (so no schema can accept it). */
const notAJsonObject = fc.oneof(fc.constantFrom(...MALFORMED_JSON), fc.string({ maxLength: 40 })).filter((text) => {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed !== 'object' || parsed === null || Array.isArray(parsed);
  } catch {
    return true;
  }
});

type HttpDraft = Pick<
  HttpPlan,
  'kinds' | 'pathParameters' | 'headers' | 'body' | 'isBase64Encoded' | 'rawQueryString' | 'queryStringParameters' | 'shape'
> & {
  early: boolean;
};

function encodeBase64(draft: HttpDraft): HttpDraft {
  return draft.body === undefined ? draft : { ...draft, body: Buffer.from(draft.body, 'utf8').toString('base64'), isBase64Encoded: true };
}

type Step = (d: HttpDraft) => HttpDraft;

// Built once: a stringMatching arbitrary costs milliseconds to construct, and plans are built per request.
const QUERY_NAME = fc.stringMatching(/^[a-z]{1,8}$/);
/** Parts of an API Gateway event, each with values of a type API Gateway never puts there. */
const WRONG_TYPES: Array<[string[], unknown[]]> = [
  [
    ['headers', 'content-type'],
    [1, true, null, { $ne: null }, ['application/json']],
  ],
  [['headers'], ['content-type: application/json', 1, true, ['x']]],
  [['body'], [1, true, { quantity: 1 }, ['x']]],
  [['isBase64Encoded'], [1, 'true', 'false', {}, ['x']]],
  [
    ['requestContext', 'http', 'method'],
    [1, true, null, {}],
  ],
  [['pathParameters'], ['id', 1, true, ['x'], { id: 1 }, { id: { $ne: null } }]],
];
const OTHER_TYPE = fc.stringMatching(/^(text|image|application\/x-)[a-z/+-]{0,12}$/);

function step(kind: string, f: Step, early = false): Step {
  return (d) => ({ ...f(d), kinds: [...d.kinds, kind], early: d.early || early });
}

/**
 * Mutations of everything but the body: query, headers, path parameters, the event's own types. None of them
 * touches the body, so one of these after one body mutation cannot undo it.
 */
function envelopeMutations(route: Route, base: Base): Array<fc.Arbitrary<Step>> {
  const out: Array<fc.Arbitrary<Step>> = [
    fc
      .tuple(
        QUERY_NAME.filter((name) => !(route.query ?? []).includes(name)),
        fc.string({ maxLength: 12 }),
      )
      .map(([name, value]) =>
        step('query', (d) => ({ ...d, rawQueryString: `${name}=${encodeURIComponent(value)}`, queryStringParameters: { [name]: value } })),
      ),
    fc
      .constantFrom('uid=alice', 'sub=alice', '&', 'a', '__proto__[admin]=1', '$where=1')
      .map((raw) => step('query', (d) => ({ ...d, rawQueryString: raw }))),
    fc
      .integer({ min: 16 * 1024 + 1, max: 40_000 })
      .map((n) => step('huge headers', (d) => ({ ...d, headers: [...d.headers, ['x-padding', 'a'.repeat(n)]] }))),
    fc
      .tuple(
        fc.constantFrom('Content-Type', 'Idempotency-Key', 'Accept-Language', 'X-Custom'),
        fc.string({ minLength: 1, maxLength: 10 }),
        fc.string({ minLength: 1, maxLength: 10 }),
      )
      .filter(([, a, b]) => a !== b)
      .map(([name, a, b]) =>
        step(`two ${name} headers`, (d) => ({
          ...d,
          headers: [...d.headers.filter(([n]) => n.toLowerCase() !== name.toLowerCase()), [name, a], [name.toLowerCase(), b]],
        })),
      ),
    fc
      .constantFrom(...WRONG_TYPES)
      .chain(([path, values]) => fc.constantFrom(...values).map((value) => [path, value] as const))
      .map(([path, value]) =>
        step(`event ${path.join('.')} of the wrong type`, (d) => ({ ...d, shape: { path: [...path], value } }), true),
      ),
  ];
  const params = Object.keys(route.http(base.command).params);
  if (params.length > 0) {
    out.push(
      fc
        .tuple(fc.constantFrom(...params), badIdString)
        .map(([name, bad]) => step(`bad path.${name}`, (d) => ({ ...d, pathParameters: { ...d.pathParameters, [name]: bad } }))),
      fc.constantFrom(...params).map((name) =>
        step(`missing path.${name}`, (d) => ({
          ...d,
          pathParameters: Object.fromEntries(Object.entries(d.pathParameters ?? {}).filter(([n]) => n !== name)),
        })),
      ),
    );
  }
  // The content type matters only with a body (order transitions are POSTs without one).
  if (route.method === 'POST' && route.http(base.command).body !== undefined) {
    out.push(
      fc.oneof(fc.constantFrom(...BAD_TYPES), OTHER_TYPE).map((type) =>
        step('bad content type', (d) => ({
          ...d,
          headers: [...d.headers.filter(([n]) => n.toLowerCase() !== 'content-type'), ['content-type', type]],
        })),
      ),
      fc.constant(step('no content type', (d) => ({ ...d, headers: d.headers.filter(([n]) => n.toLowerCase() !== 'content-type') }))),
    );
  }
  if (base.route === 'purchase' || base.route === 'transfer' || base.route === 'payOrder' || base.route === 'enterRound') {
    out.push(
      badKeyHeader.map((key) =>
        step('bad idempotency key', (d) => ({
          ...d,
          headers: [...d.headers.filter(([n]) => n.toLowerCase() !== 'idempotency-key'), ['Idempotency-Key', key]],
        })),
      ),
    );
  }
  return out;
}

/** Mutations of the body, built from the request's canonical JSON text `canon` (undefined on GET and DELETE). */
function bodyMutations(route: Route, base: Base, canon: string | undefined): Array<fc.Arbitrary<Step>> {
  const text =
    (body: string | undefined, isBase64Encoded = false) =>
    (d: HttpDraft): HttpDraft => {
      const { body: _old, ...rest } = d;
      return { ...rest, ...(body !== undefined ? { body } : {}), isBase64Encoded };
    };
  if (canon === undefined) {
    return [fc.oneof(anyJsonText, fc.string({ minLength: 1, maxLength: 30 })).map((body) => step(`a body on ${route.method}`, text(body)))];
  }
  const b64 = Buffer.from(canon, 'utf8').toString('base64');
  const out: Array<fc.Arbitrary<Step>> = [
    fc.constantFrom(undefined, '').map((body) => step('no body', text(body))),
    notAJsonObject.map((body) => step('not a JSON object', text(body))),
    fc.nat(canon.length - 1).map((cut) => step('truncated JSON', text(canon.slice(0, cut)))),
    fc
      .integer({ min: 1, max: 2000 })
      .map((extra) => step('oversize body', text(canon + ' '.repeat(16 * 1024 - Buffer.byteLength(canon) + extra)))),
    fc
      .tuple(fc.nat(b64.length), fc.constantFrom('!', '-', '_', '*', ' ', '.', '\u00e9', '='))
      .map(([at, ch]) => step('invalid base64', text(b64.slice(0, at) + ch + b64.slice(at), true))),
    fc.nat(b64.length - 1).map((at) => step('truncated base64', text(b64.slice(0, at) + b64.slice(at + 1), true))),
    fc.tuple(fc.nat(Buffer.byteLength(canon)), fc.constantFrom(...INVALID_UTF8)).map(([at, bytes]) => {
      const raw = Buffer.from(canon, 'utf8');
      return step(
        'invalid UTF-8',
        text(Buffer.concat([raw.subarray(0, at), Buffer.from(bytes), raw.subarray(at)]).toString('base64'), true),
      );
    }),
  ];
  const fields = toFields(route.http(base.command).body!);
  out.push(
    fc
      .tuple(mutations(route.bodyKeys!, false)(fields), fc.boolean())
      .map(([[kind, mutated], base64]) =>
        step(`body: ${kind}`, base64 ? text(Buffer.from(toText(mutated)).toString('base64'), true) : text(toText(mutated))),
      ),
    fc.tuple(fc.nat(fields.length - 1), anyJsonText, fc.boolean()).map(([i, value, first]) => {
      const duplicate: [string, string] = [fields[i]![0], value];
      return step(`duplicate key ${fields[i]![0]}`, text(toText(first ? [duplicate, ...fields] : [...fields, duplicate])));
    }),
  );
  return out;
}

const acceptLanguage = fc.oneof(
  fc.constantFrom('en', 'zh-CN', 'en-US,en;q=0.9', 'fr, en;q=0.1', '*', 'en;q=0', ''),
  fc.string({ maxLength: 300 }),
);

export function httpPlan(base: Base): fc.Arbitrary<HttpPlan> {
  const route = ROUTES[base.route];
  const http = route.http(base.command);
  const headers = fc.tuple(
    fc.mixedCase(fc.constant('content-type')),
    fc.mixedCase(fc.constantFrom(...JSON_TYPES)),
    fc.option(acceptLanguage, { nil: undefined }),
    fc.mixedCase(fc.constant('accept-language')),
    fc.mixedCase(fc.constant('idempotency-key')),
  );
  const canon = http.body ? toText(toFields(http.body)) : undefined;
  const draft = fc.tuple(headers, fc.boolean()).map(([[ctName, ctValue, lang, langName, keyName], base64]): HttpDraft => {
    const list: Array<[string, string]> = [[ctName, ctValue]];
    if (lang !== undefined) list.push([langName, lang]);
    if (http.key) list.push([keyName, http.key]);
    const d: HttpDraft = {
      kinds: [],
      early: false,
      pathParameters: http.params,
      headers: list,
      isBase64Encoded: false,
      ...(http.query ? { rawQueryString: new URLSearchParams(http.query).toString(), queryStringParameters: http.query } : {}),
      ...(canon !== undefined ? { body: canon } : {}),
    };
    return base64 ? encodeBase64(d) : d;
  });
  const onBody = fc.oneof(...bodyMutations(route, base, canon));
  const around = fc.oneof(...envelopeMutations(route, base));
  // At most one body mutation, then at most one of the rest: no second mutation can repair the first.
  // A GET, a DELETE or a POST without fields has one body mutation (a body at all): it gets a smaller share than a POST's many.
  const bodyWeight = canon === undefined ? 1 : 3;
  const steps = fc.oneof(
    { arbitrary: onBody.map((f) => [f]), weight: bodyWeight },
    { arbitrary: around.map((f) => [f]), weight: 3 },
    { arbitrary: fc.tuple(onBody, around), weight: 1 },
  );
  const mutated = fc.tuple(draft, steps).map(([d, fs]) => fs.reduce((acc, f) => f(acc), d));
  const identity: fc.Arbitrary<Identity> = fc.oneof(
    { arbitrary: fc.constant<Identity>({ kind: 'user', sub: base.caller }), weight: 6 },
    { arbitrary: fc.constant<Identity>({ kind: 'none' }), weight: 1 },
    {
      arbitrary: fc
        .constantFrom<unknown>('', 0, 42, null, ['alice'], { sub: 'alice' })
        .map((sub): Identity => ({ kind: 'forged', how: 'claims', sub })),
      weight: 1,
    },
  );
  return fc.tuple(fc.oneof({ arbitrary: mutated, weight: 3 }, { arbitrary: draft, weight: 1 }), identity).map(([d, who]) => {
    return {
      transport: 'http',
      route: base.route,
      ...verdict(base, d, who),
      method: route.method,
      path: http.path,
      headers: d.headers,
      isBase64Encoded: d.isBase64Encoded,
      identity: who,
      ...(d.pathParameters && Object.keys(http.params).length ? { pathParameters: d.pathParameters } : {}),
      ...(d.body !== undefined ? { body: d.body } : {}),
      ...(d.rawQueryString !== undefined ? { rawQueryString: d.rawQueryString } : {}),
      ...(d.queryStringParameters ? { queryStringParameters: d.queryStringParameters } : {}),
      ...(d.shape ? { shape: d.shape } : {}),
    };
  });
}
