/**
 * Generated requests for every route and both transports, each one a request that MUST be refused: a
 * well-formed request the dataset refuses (requests.ts), usually mutated into a malformed or malicious one
 * (mutations.ts, httpPlans.ts, and the direct payload's own cases here), sent with a good, missing or forged
 * identity. Each plan carries the statuses a correct function may answer, so the fuzzer checks the exact
 * refusal, not only "no 5xx".
 */
import fc from 'fast-check';
import type { Dataset, User } from '../support/dataset';
import { httpPlan } from './httpPlans';
import { mutations, toFields, toText, type Fields } from './mutations';
import { bases, verdict, type Base, type RouteName } from './requests';
import { ROUTES } from './routes';
import { BAD_VALUE } from './values';

export type Identity =
  | { kind: 'user'; sub: User; via?: 'cognito' | 'trusted' }
  | { kind: 'none' }
  /** HTTP: claims that are not a usable sub. Direct: an assertion that does not verify, or an empty Cognito id. */
  | { kind: 'forged'; how: string; sub: unknown };

export interface HttpPlan {
  transport: 'http';
  route: RouteName;
  kinds: string[];
  expect: number[];
  method: string;
  path: string;
  pathParameters?: Record<string, string>;
  headers: Array<[string, string]>;
  body?: string;
  isBase64Encoded: boolean;
  rawQueryString?: string;
  queryStringParameters?: Record<string, string>;
  identity: Identity;
  /** A field of the event replaced by a value of the wrong type (something API Gateway never sends). */
  shape?: { path: string[]; value: unknown };
}

export interface DirectPlan {
  transport: 'direct';
  route: RouteName;
  kinds: string[];
  expect: number[];
  /** The payload's JSON text, parsed at send time as the Lambda runtime does. */
  payload: string;
  /** Send an API Gateway-shaped event instead (with claims naming someone else). */
  httpShaped?: { claimsSub: User };
  identity: Identity;
}

export type Plan = HttpPlan | DirectPlan;

// ---- Direct invocation -----------------------------------------------------------------------------------

const NOT_OBJECTS = ['[]', '[{"productId":"p-1"}]', '"p-1"', '1', '0', 'null', 'true', 'false', '""'];

function directPlan(base: Base): fc.Arbitrary<DirectPlan> {
  const route = ROUTES[base.route];
  const known = [...route.payloadKeys, 'lang'];
  const fields = toFields(base.command);
  const withLang = fc
    .option(fc.constantFrom('"zh"', '"en"'), { nil: undefined })
    .map((lang): Fields => (lang ? [...fields, ['lang', lang]] : fields));
  type Draft = { kinds: string[]; early: boolean; payload: string; httpShaped?: boolean };
  const mutated: fc.Arbitrary<Draft> = fc.oneof(
    {
      arbitrary: withLang
        .chain((f) => mutations(known, true)(f))
        .map(([kind, f]) => ({ kinds: [`payload: ${kind}`], early: false, payload: toText(f) })),
      weight: 8,
    },
    {
      arbitrary: fc.constantFrom(...NOT_OBJECTS).map((payload) => ({ kinds: ['payload not an object'], early: true, payload })),
      weight: 1,
    },
    {
      arbitrary: BAD_VALUE.lang.map((lang) => ({ kinds: ['bad lang'], early: true, payload: toText([...fields, ['lang', lang]]) })),
      weight: 1,
    },
    {
      arbitrary: fc.integer({ min: 16 * 1024, max: 64 * 1024 }).map((n) => ({
        kinds: ['oversize payload'],
        early: false,
        payload: toText([...fields, ['padding', JSON.stringify('a'.repeat(n))]]),
      })),
      weight: 1,
    },
    {
      arbitrary: fc
        .dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 })
        .filter((o) => !('lang' in o))
        .filter(
          (o) =>
            Object.keys(o).some((k) => !known.includes(k)) ||
            route.payloadKeys.some((k) => !(k in o) && !['strategy', 'idempotencyKey', 'limit', 'cursor', 'ifMatch'].includes(k)),
        )
        .map((o) => ({ kinds: ['junk payload'], early: false, payload: JSON.stringify(o) })),
      weight: 1,
    },
  );
  const plain: fc.Arbitrary<Draft> = withLang.map((f) => ({ kinds: [], early: false, payload: toText(f) }));
  const shaped: fc.Arbitrary<Draft> = fc.constant({
    kinds: ['API Gateway-shaped event invoked with Cognito'],
    early: false,
    payload: '{}',
    httpShaped: true,
  });
  const identity: fc.Arbitrary<Identity> = fc.oneof(
    // The dataset's owners are JWT users; a trusted caller names them. A Cognito identity is an owner of its own
    // (cognito:<id>), so it appears below only where the verdict does not depend on who owns what.
    { arbitrary: fc.constant<Identity>({ kind: 'user', sub: base.caller, via: 'trusted' }), weight: 6 },
    { arbitrary: fc.constant<Identity>({ kind: 'none' }), weight: 1 },
    {
      arbitrary: fc
        .constantFrom(
          'wrong secret',
          'stale',
          'future',
          'renamed',
          'no sig',
          'iat as text',
          'sub not a string',
          'huge sub',
          'empty cognito id',
          'not an object',
        )
        .map((how): Identity => ({ kind: 'forged', how, sub: base.caller })),
      weight: 1,
    },
  );
  return fc
    .tuple(fc.oneof({ arbitrary: mutated, weight: 15 }, { arbitrary: plain, weight: 5 }, { arbitrary: shaped, weight: 1 }), identity)
    .map(([d, who]) => {
      // An API Gateway-shaped event sent to a direct entry is a payload like any other, whoever invokes it.
      const effective: Identity = d.httpShaped ? { kind: 'user', sub: base.caller, via: 'cognito' } : who;
      const claimsSub = base.caller === 'alice' ? 'bob' : 'alice';
      return {
        transport: 'direct',
        route: base.route,
        ...verdict(base, d, effective),
        payload: d.payload,
        identity: effective,
        ...(d.httpShaped ? { httpShaped: { claimsSub } } : {}),
      };
    });
}

/** Every route, both transports: the fuzzer's one generator. */
export function plans(data: Dataset): fc.Arbitrary<Plan> {
  const perRoute = Object.values(bases(data));
  const base = fc.oneof(...perRoute);
  // The transport is drawn first so that only one plan's arbitraries are built per request.
  return fc.tuple(base, fc.boolean()).chain(([b, http]): fc.Arbitrary<Plan> => (http ? httpPlan(b) : directPlan(b)));
}
