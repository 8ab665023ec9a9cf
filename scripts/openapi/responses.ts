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
/** A lottery round as anyone sees it: the seed and the winning number only once it is drawn. */
export const Round = z.strictObject({
  id: z.string(),
  name: z.string(),
  totalShares: count,
  sold: count,
  price: minorUnits,
  prize: minorUnits,
  capPerUser: count,
  status: z.enum(['open', 'full', 'drawn']),
  /** sha256(seed), hex, published at creation. */
  commitment: z.string(),
  createdAt: timestamp,
  version: count,
  finalEntryId: z.optional(z.string()),
  seed: z.optional(z.string()),
  winningNumber: z.optional(count),
  winningEntryId: z.optional(z.string()),
  drawnAt: z.optional(timestamp),
});

export const RoundData = z.strictObject({ round: Round });

export const RoundEntered = z.strictObject({
  entry: z.strictObject({
    id: z.string(),
    roundId: z.string(),
    accountId: z.string(),
    shares: count,
    numbers: z.array(count),
    amount: minorUnits,
    createdAt: timestamp,
  }),
  round: Round,
  attempts: count,
});

export const RoundDrawn = z.strictObject({ round: Round, drawnNow: z.boolean() });
const delta = z.number().check(z.int());

export const BatchAdjust = z.strictObject({
  batchId: z.string(),
  /** False when the deadline or contention stopped the work: send the same batch again to finish it. */
  complete: z.boolean(),
  applied: count,
  refused: count,
  pending: count,
  items: z.array(
    z.strictObject({
      index: count,
      accountId: z.string(),
      delta,
      status: z.enum(['applied', 'refused', 'pending']),
      error: z.optional(z.enum(['INSUFFICIENT_BALANCE', 'ACCOUNT_NOT_FOUND'])),
    }),
  ),
});

export const ResetFreeEntries = z.strictObject({
  status: z.enum(['reset', 'already-done', 'busy', 'lease-lost']),
  day: z.string(),
  allowance: z.optional(count),
  token: z.optional(count),
  holder: z.optional(z.string()),
});
