/**
 * Input schemas for everything that crosses the edge. Strict objects: unknown fields are refused, types are
 * never coerced ("1" is not a quantity), ids are limited to a documented character set.
 */
import { z } from 'zod';
import { AppError } from './errors';

/** Ids (products, carts, items, accounts): 1-64 of A-Z a-z 0-9 _ - . No `$`, `.`, spaces or expression syntax. */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
export const MAX_QUANTITY = 1_000;

export const Id = z.string().regex(ID_PATTERN, 'must be 1-64 characters of A-Z a-z 0-9 _ -');

export const STRATEGIES = ['atomic', 'version', 'transaction'] as const;
export type Strategy = (typeof STRATEGIES)[number];
export const DEFAULT_STRATEGY: Strategy = 'transaction';

/** Idempotency keys: 1-128 of A-Z a-z 0-9 _ - . : (a UUID fits). Scoped per caller and operation. */
export const IdempotencyKey = z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'must be 1-128 characters of A-Z a-z 0-9 _ - . :');

export const Quantity = z.number().int().positive().max(MAX_QUANTITY);

export const PurchaseBody = z.strictObject({
  quantity: Quantity,
  strategy: z.enum(STRATEGIES).optional(),
});
export type PurchaseBody = z.infer<typeof PurchaseBody>;

/** Direct invocation of purchase: `{ productId, quantity, strategy?, idempotencyKey? }`. */
export const PurchasePayload = z.strictObject({
  productId: Id,
  quantity: Quantity,
  strategy: z.enum(STRATEGIES).optional(),
  idempotencyKey: IdempotencyKey.optional(),
});
export type PurchaseCommand = z.infer<typeof PurchasePayload>;

export const GetProductPayload = z.strictObject({ productId: Id });

export interface FieldIssue {
  field: string;
  message: string;
}

/** Parses `input` with `schema`, or throws INVALID_REQUEST listing every offending field. */
export function parseWith<T>(schema: z.ZodType<T>, input: unknown, where: string): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues: FieldIssue[] = result.error.issues.map((issue) => {
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
    const path = [...issue.path.map(String), ...(keys.length === 1 ? keys : [])].join('.');
    return {
      field: path ? `${where}.${path}` : where,
      message: keys.length > 1 ? `unknown fields: ${keys.join(', ')}` : issue.message,
    };
  });
  throw new AppError('INVALID_REQUEST', 'invalid request', { details: { issues } });
}

/** Money amounts: positive integers in minor units, at most 10^12 (ten billion yuan in fen). */
export const MAX_AMOUNT = 1_000_000_000_000;
export const Amount = z.number().int().positive().max(MAX_AMOUNT);

/** POST /transfers body. `from` must differ from `to`. */
export const TransferBody = z
  .strictObject({ from: Id, to: Id, amount: Amount })
  .refine((t) => t.from !== t.to, { message: 'from and to must differ', path: ['to'] });

/** Direct invocation of transfer: `{ from, to, amount, idempotencyKey? }`. */
export const TransferPayload = z
  .strictObject({ from: Id, to: Id, amount: Amount, idempotencyKey: IdempotencyKey.optional() })
  .refine((t) => t.from !== t.to, { message: 'from and to must differ', path: ['to'] });
export type TransferCommand = z.infer<typeof TransferPayload>;

export const GetAccountPayload = z.strictObject({ accountId: Id });

/** POST /carts/{id}/items body: the item to add. No `uid` or `owner`: identity never comes from a body. */
export const CartItemBody = z.strictObject({ id: Id, productId: Id, quantity: Quantity });

/** Direct invocation of addCartItem: `{ cartId, item: { id, productId, quantity } }`. */
export const AddCartItemPayload = z.strictObject({ cartId: Id, item: CartItemBody });

/** Direct invocation of removeCartItem: `{ cartId, itemId }`. */
export const RemoveCartItemPayload = z.strictObject({ cartId: Id, itemId: Id });

/** Direct invocation of getCart: `{ cartId }`. */
export const GetCartPayload = z.strictObject({ cartId: Id });

/** Order numbers as lockless mints them (shared/ids.ts): O + base-36 time + 16 hex, here any id-shaped value. */
export const GetOrderPayload = z.strictObject({ orderNo: Id });
