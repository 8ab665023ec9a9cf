/**
 * The `data` each successful answer carries, as zod/mini schemas: the response side of the API, which the
 * request schemas in shared/validation.ts do not cover. Only the OpenAPI document uses them; the handlers
 * build their answers from shared/model.ts and shared/carts.ts, and test/scripts/openapi.test.ts checks that
 * real answers from the real handlers match these schemas, so the two cannot drift apart unnoticed.
 */
import * as z from 'zod/mini';
import { ORDER_STATUSES } from '../../shared/model';
import { STRATEGIES } from '../../shared/validation';

const count = z.number().check(z.int(), z.minimum(0));
const minorUnits = z.number().check(z.int(), z.minimum(0));
const timestamp = z.string().check(z.iso.datetime());

export const Product = z.strictObject({
  id: z.string(),
  name: z.string(),
  price: minorUnits,
  stock: count,
  version: count,
  limitPerUser: z.optional(count),
});

export const Order = z.strictObject({
  orderNo: z.string(),
  uid: z.string(),
  productId: z.string(),
  quantity: count,
  price: minorUnits,
  amount: minorUnits,
  status: z.enum(ORDER_STATUSES),
  createdAt: timestamp,
  /** When an unpaid order expires (absent on orders from before payment existed). */
  expiresAt: z.optional(timestamp),
  version: count,
});

/** The answer of an order transition; `payment` is the ledger entry of a payment or a refund. */
export const OrderTransition = z.strictObject({
  order: Order,
  payment: z.optional(
    z.strictObject({ paymentId: z.string(), from: z.string(), to: z.string(), amount: minorUnits, createdAt: timestamp }),
  ),
});

export const Purchase = z.strictObject({
  order: Order,
  /** Stock left just after this purchase; null when it is not known (read after a `transaction` commit). */
  stock: z.nullable(count),
  attempts: count,
  strategy: z.enum(STRATEGIES),
});

export const Transfer = z.strictObject({
  transfer: z.strictObject({
    transferId: z.string(),
    from: z.string(),
    to: z.string(),
    amount: minorUnits,
    createdAt: timestamp,
  }),
});

export const Account = z.strictObject({ id: z.string(), owner: z.string(), balance: minorUnits, version: count });

export const Cart = z.strictObject({
  id: z.string(),
  owner: z.string(),
  items: z.array(z.strictObject({ id: z.string(), productId: z.string(), quantity: count, addedAt: timestamp })),
  itemCount: count,
  version: count,
});

export const ItemRemoved = z.strictObject({ removed: z.literal(true), version: count });

export const Restock = z.strictObject({ productId: z.string(), added: count });

export const OrderPage = z.strictObject({ orders: z.array(Order), nextCursor: z.optional(z.string()) });
