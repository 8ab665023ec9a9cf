/**
 * Input schemas for everything that crosses the edge. Strict objects: unknown fields are refused, types are
 * never coerced ("1" is not a quantity), ids are limited to a documented character set.
 *
 * Written with `zod/mini`, zod 4's tree-shakable API: the same core, checks and messages as `zod`, but a bundle
 * holds only what these schemas use (about 20 KiB instead of zod's 444 KiB, which no bundler can shrink).
 * `zod/mini` loads no locale by itself, so the English messages the classic API would give are configured
 * here, once, before any schema parses; the messages are part of the answer (`issues[].message`).
 */
import { DEFAULT_STRATEGY, STRATEGIES, type Strategy } from './model';
import * as z from 'zod/mini';
import { en } from 'zod/locales';
import { AppError } from './errors';

z.config(en());

// Each schema is built inside a /* @__PURE__ */ arrow, so a function's bundle builds only the schemas it uses
// (esbuild drops the rest; a plain `z.strictObject(...)` call would count as a side effect and stay). Building
// every route's schemas at init was a measurable part of a cold start (docs/benchmark.md). New schemas should
// follow the pattern; one that does not is only built everywhere, never wrong.

/** A schema parsing to T (what FunctionSpec.direct and parseWith take). */
export type Schema<T> = z.ZodMiniType<T>;

/** Ids (products, carts, items, accounts): 1-64 of A-Z a-z 0-9 _ - . No `$`, `.`, spaces or expression syntax. */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
export const MAX_QUANTITY = 1_000;

export const Id = /* @__PURE__ */ (() => z.string().check(z.regex(ID_PATTERN, 'must be 1-64 characters of A-Z a-z 0-9 _ -')))();

// The purchase strategies are domain vocabulary (shared/model.ts); re-exported for the schemas' callers.
export { DEFAULT_STRATEGY, STRATEGIES, type Strategy };

/** Idempotency keys: 1-128 of A-Z a-z 0-9 _ - . : (a UUID fits). Scoped per caller and operation. */
export const IdempotencyKey = /* @__PURE__ */ (() =>
  z.string().check(z.regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'must be 1-128 characters of A-Z a-z 0-9 _ - . :')))();

/** Checks in the classic API's order (`.int().positive().max()`): the order of the issues depends on it. */
export const Quantity = /* @__PURE__ */ (() => z.number().check(z.int(), z.positive(), z.maximum(MAX_QUANTITY)))();

export const PurchaseBody = /* @__PURE__ */ (() =>
  z.strictObject({
    quantity: Quantity,
    strategy: z.optional(z.enum(STRATEGIES)),
  }))();
export type PurchaseBody = z.infer<typeof PurchaseBody>;

/** Direct invocation of purchase: `{ productId, quantity, strategy?, idempotencyKey? }`. */
export const PurchasePayload = /* @__PURE__ */ (() =>
  z.strictObject({
    productId: Id,
    quantity: Quantity,
    strategy: z.optional(z.enum(STRATEGIES)),
    idempotencyKey: z.optional(IdempotencyKey),
  }))();

export const GetProductPayload = /* @__PURE__ */ (() => z.strictObject({ productId: Id }))();

export interface FieldIssue {
  field: string;
  message: string;
}

/** The largest body or direct payload accepted, in UTF-8 bytes of its JSON text. */
export const MAX_INPUT_BYTES = 16 * 1024;
/** Nesting the largest valid input needs is 2 (payload.item.quantity); anything far deeper is refused unread. */
export const MAX_INPUT_DEPTH = 8;
/** At most this many issues are reported for one input, so a hostile document cannot inflate the answer. */
const MAX_ISSUES = 10;

/**
 * Keys refused at any depth of any input, before a schema sees it: prototype pollution (`__proto__`, an own
 * property after JSON.parse; `constructor`, `prototype`), MongoDB operators (`$gt`, `$where`), dotted paths
 * (`a.b` names a nested field to MongoDB) and NUL. The strict schemas refuse unknown keys too; this makes the
 * refusal independent of how a schema is written (a record or passthrough object added later), and says why.
 */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

function keyProblem(key: string): string | undefined {
  if (FORBIDDEN_KEYS.has(key)) return 'is a reserved key';
  if (key.startsWith('$')) return 'must not start with $';
  if (key.includes('.')) return 'must not contain a dot';
  if (key.includes('\0')) return 'must not contain NUL';
  return undefined;
}

const clipped = (key: string) => (key.length > 64 ? `${key.slice(0, 64)}...` : key);
const shown = (key: string) => JSON.stringify(clipped(key));

/**
 * Refuses, with INVALID_REQUEST, an input that is not plain JSON data safe to hand to a schema: when `maxBytes`
 * is given, a JSON text longer than that (checked first, so a huge payload is not walked); a forbidden key
 * anywhere (see FORBIDDEN_KEYS); nesting deeper than MAX_INPUT_DEPTH (also what stops a cycle). The walk is
 * iterative, so no input can overflow the stack.
 */
export function assertSafeInput(input: unknown, where: string, maxBytes?: number): void {
  const refuse = (issues: FieldIssue[]) => {
    throw new AppError('INVALID_REQUEST', 'invalid request', { details: { issues: issues.slice(0, MAX_ISSUES) } });
  };
  if (maxBytes !== undefined) {
    let bytes: number;
    try {
      bytes = Buffer.byteLength(JSON.stringify(input) ?? '', 'utf8');
    } catch {
      bytes = Infinity; // not JSON data at all (a BigInt, a cycle, absurd nesting): no Lambda payload is that
    }
    if (bytes > maxBytes) refuse([{ field: where, message: `must be JSON of at most ${maxBytes} bytes` }]);
  }
  const issues: FieldIssue[] = [];
  const stack: Array<{ value: unknown; path: string; depth: number }> = [{ value: input, path: where, depth: 0 }];
  while (stack.length > 0 && issues.length < MAX_ISSUES) {
    const { value, path, depth } = stack.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= MAX_INPUT_DEPTH) {
      issues.push({ field: path, message: `must not be nested more than ${MAX_INPUT_DEPTH} levels deep` });
      continue;
    }
    if (Array.isArray(value)) {
      for (const [index, element] of value.entries()) stack.push({ value: element, path: `${path}.${index}`, depth: depth + 1 });
      continue;
    }
    for (const key of Object.keys(value)) {
      const problem = keyProblem(key);
      // The field at fault is the object holding the key: `{ quantity: { $gt: 0 } }` is a bad body.quantity.
      if (problem) issues.push({ field: path, message: `key ${shown(key)} ${problem}` });
      else stack.push({ value: (value as Record<string, unknown>)[key], path: `${path}.${key}`, depth: depth + 1 });
    }
  }
  if (issues.length > 0) refuse(issues);
}

/**
 * A direct payload (or any parsed document) through both gates: assertSafeInput, then the strict schema.
 * @throws AppError INVALID_REQUEST with field-level issues.
 */
export function parseInput<T>(schema: Schema<T>, input: unknown, where: string, maxBytes = MAX_INPUT_BYTES): T {
  assertSafeInput(input, where, maxBytes);
  return parseWith(schema, input, where);
}

/** Parses `input` with `schema`, or throws INVALID_REQUEST listing every offending field. */
export function parseWith<T>(schema: Schema<T>, input: unknown, where: string): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues: FieldIssue[] = result.error.issues.slice(0, MAX_ISSUES).map((issue) => {
    // Keys are the client's own text: shown cut to 64 characters, so a huge key cannot inflate the answer.
    const keys = (issue.code === 'unrecognized_keys' ? issue.keys : []).map(clipped);
    const path = [...issue.path.map((part) => clipped(String(part))), ...(keys.length === 1 ? keys : [])].join('.');
    return {
      field: path ? `${where}.${path}` : where,
      message: keys.length > 1 ? `unknown fields: ${keys.join(', ')}` : keys.length === 1 ? 'unknown field' : issue.message,
    };
  });
  throw new AppError('INVALID_REQUEST', 'invalid request', { details: { issues } });
}

/** Money amounts: positive integers in minor units, at most 10^12 (ten billion yuan in fen). */
export const MAX_AMOUNT = 1_000_000_000_000;
export const Amount = /* @__PURE__ */ (() => z.number().check(z.int(), z.positive(), z.maximum(MAX_AMOUNT)))();

/** POST /transfers body. `from` must differ from `to`. */
export const TransferBody = /* @__PURE__ */ (() =>
  z
    .strictObject({ from: Id, to: Id, amount: Amount })
    .check(z.refine((t) => t.from !== t.to, { message: 'from and to must differ', path: ['to'] })))();

/** Direct invocation of transfer: `{ from, to, amount, idempotencyKey? }`. */
export const TransferPayload = /* @__PURE__ */ (() =>
  z
    .strictObject({ from: Id, to: Id, amount: Amount, idempotencyKey: z.optional(IdempotencyKey) })
    .check(z.refine((t) => t.from !== t.to, { message: 'from and to must differ', path: ['to'] })))();

export const GetAccountPayload = /* @__PURE__ */ (() => z.strictObject({ accountId: Id }))();

/** POST /carts/{id}/items body: the item to add. No `uid` or `owner`: identity never comes from a body. */
export const CartItemBody = /* @__PURE__ */ (() => z.strictObject({ id: Id, productId: Id, quantity: Quantity }))();

/** Direct invocation of addCartItem: `{ cartId, item: { id, productId, quantity }, idempotencyKey? }`. */
export const AddCartItemPayload = /* @__PURE__ */ (() =>
  z.strictObject({ cartId: Id, item: CartItemBody, idempotencyKey: z.optional(IdempotencyKey) }))();

/** Direct invocation of removeCartItem: `{ cartId, itemId, idempotencyKey? }`. */
export const RemoveCartItemPayload = /* @__PURE__ */ (() =>
  z.strictObject({ cartId: Id, itemId: Id, idempotencyKey: z.optional(IdempotencyKey) }))();

/** Direct invocation of getCart: `{ cartId }`. */
export const GetCartPayload = /* @__PURE__ */ (() => z.strictObject({ cartId: Id }))();

/** Order numbers as lockless mints them (shared/ids.ts): O + base-36 time + 16 hex, here any id-shaped value. */
export const GetOrderPayload = /* @__PURE__ */ (() => z.strictObject({ orderNo: Id }))();

/**
 * If-Match on order transitions: `*` or one quoted ETag (weak ETags and lists are refused: a transition needs
 * the strong comparison). An ETag of the right shape that names another version answers 412, not 400.
 */
export const IfMatch = /* @__PURE__ */ (() =>
  z.string().check(z.regex(/^(\*|"[A-Za-z0-9_.-]{1,100}")$/, 'must be * or one quoted ETag such as "O123.v2"')))();

/** POST /orders/{orderNo}/pay body: the caller's account to pay from. */
export const PayBody = /* @__PURE__ */ (() => z.strictObject({ accountId: Id }))();

/** Direct invocation of payOrder: `{ orderNo, accountId, ifMatch?, idempotencyKey? }`. */
export const PayPayload = /* @__PURE__ */ (() =>
  z.strictObject({
    orderNo: Id,
    accountId: Id,
    ifMatch: z.optional(IfMatch),
    idempotencyKey: z.optional(IdempotencyKey),
  }))();

/** Direct invocation of cancelOrder, shipOrder and refundOrder: `{ orderNo, ifMatch? }`. */
export const OrderTransitionPayload = /* @__PURE__ */ (() => z.strictObject({ orderNo: Id, ifMatch: z.optional(IfMatch) }))();
