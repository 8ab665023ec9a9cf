/**
 * Input schemas of the catalog's admin routes (create, edit, restock): strict objects, no coercion, like
 * everything in validation.ts, whose building blocks they reuse.
 */
import * as z from 'zod/mini';
import { Id, IdempotencyKey, MAX_AMOUNT, MAX_QUANTITY } from './validation';

/** A product name: 1-200 characters, no control characters (it is shown in shop pages and logs). */
export const ProductName = z.string().check(z.minLength(1), z.maxLength(200), z.regex(/^\P{Cc}*$/u, 'must not contain control characters'));
/** A unit price in minor units (fen): 0 (a free gift) up to MAX_AMOUNT. */
export const Price = z.number().check(z.int(), z.nonnegative(), z.maximum(MAX_AMOUNT));
/** Stock a product starts with: 0 up to a billion units. */
export const InitialStock = z.number().check(z.int(), z.nonnegative(), z.maximum(1_000_000_000));
/** Units one restock adds: 1 up to a million. */
export const RestockQuantity = z.number().check(z.int(), z.positive(), z.maximum(1_000_000));
/** The most units one user may hold across live orders of a product (enforced by purchases). */
export const LimitPerUser = z.number().check(z.int(), z.positive(), z.maximum(MAX_QUANTITY));

/** POST /products body and direct payload. */
export const CreateProductBody = z.strictObject({
  id: Id,
  name: ProductName,
  price: Price,
  stock: InitialStock,
  limitPerUser: z.optional(LimitPerUser),
});
export type CreateProductBody = z.infer<typeof CreateProductBody>;

const hasChange = (edit: { name?: string; price?: number }) => edit.name !== undefined || edit.price !== undefined;
const CHANGE_NEEDED = { message: 'name or price is required', path: [] };

/** PATCH /products/{id} body: what changes, at least one field. */
export const EditProductBody = z
  .strictObject({ name: z.optional(ProductName), price: z.optional(Price) })
  .check(z.refine(hasChange, CHANGE_NEEDED));

/** An If-Match value as sent (checked against the product's ETag by the operation's edge, not here). */
export const IfMatch = z.string().check(z.minLength(1), z.maxLength(200));

/** Direct invocation of editProduct: `{ productId, ifMatch?, name?, price? }` (ifMatch missing: 428). */
export const EditProductPayload = z
  .strictObject({ productId: Id, ifMatch: z.optional(IfMatch), name: z.optional(ProductName), price: z.optional(Price) })
  .check(z.refine(hasChange, CHANGE_NEEDED));

/** POST /products/{id}/restock body. */
export const RestockBody = z.strictObject({ quantity: RestockQuantity });

/** Direct invocation of restock: `{ productId, quantity, idempotencyKey? }`. */
export const RestockPayload = z.strictObject({ productId: Id, quantity: RestockQuantity, idempotencyKey: z.optional(IdempotencyKey) });
