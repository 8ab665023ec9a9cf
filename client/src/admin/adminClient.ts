/**
 * createAdminClient: the routes only an admin's token may call (the catalog, shipping and refunds, lottery
 * rounds and draws, batch adjustments, the daily reset), over the same transport and retry core as the buyer's
 * client (core.ts), kept out of the buyer's bundle. The admin client also has every buyer's method (getProduct
 * answers the ETag an edit needs), so an admin console needs this one entry.
 */
import { createClient, type LocklessClient } from '../client';
import { createCaller, defined, type CallOptions, type ClientOptions, type MutationOptions, type TransitionOptions } from '../core';
import type {
  BatchAdjustOutcome,
  DrawOutcome,
  NewRound,
  OrderTransitionOutcome,
  Product,
  RestockOutcome,
  ResetFreeEntriesOutcome,
  Result,
  Round,
} from '../types';
import { ADMIN_ROUTES } from './adminRoutes';

export interface LocklessAdminClient extends LocklessClient {
  /** POST /products (admin; answers 201). Errors: PRODUCT_EXISTS, FORBIDDEN, UNAUTHORIZED, INVALID_REQUEST. */
  createProduct(
    product: { id: string; name: string; price: number; stock: number; limitPerUser?: number },
    options?: MutationOptions,
  ): Promise<Result<Product>>;
  /**
   * PATCH /products/{id} (admin), only if the product is still at the version `ifMatch` (the ETag of
   * getProduct, or `data.etag` of a PRECONDITION_FAILED) names. Errors: PRECONDITION_FAILED (with the current
   * product and ETag), PRECONDITION_REQUIRED, PRODUCT_NOT_FOUND, FORBIDDEN, UNAUTHORIZED, INVALID_REQUEST.
   * An edit that applied but whose answer was lost is PRECONDITION_FAILED when retried: compare `data.current`.
   */
  editProduct(
    productId: string,
    changes: { name?: string; price?: number },
    options: CallOptions & { ifMatch: string },
  ): Promise<Result<Product>>;
  /**
   * POST /products/{id}/restock (admin): adds `quantity`, once per idempotency key. Errors: PRODUCT_NOT_FOUND,
   * TRANSACTION_CONFLICT, IDEMPOTENCY_KEY_REUSED, FORBIDDEN, UNAUTHORIZED, INVALID_REQUEST.
   */
  restock(productId: string, quantity: number, options?: MutationOptions): Promise<Result<RestockOutcome>>;
  /** POST /orders/{orderNo}/ship (admins). Errors: FORBIDDEN, INVALID_TRANSITION, PRECONDITION_FAILED, ORDER_NOT_FOUND. */
  shipOrder(orderNo: string, options?: TransitionOptions): Promise<Result<OrderTransitionOutcome>>;
  /**
   * POST /orders/{orderNo}/refund (admins). Errors: FORBIDDEN, INVALID_TRANSITION, PRECONDITION_FAILED,
   * ORDER_NOT_FOUND, INSUFFICIENT_BALANCE (the merchant's), ACCOUNT_NOT_FOUND.
   */
  refundOrder(orderNo: string, options?: TransitionOptions): Promise<Result<OrderTransitionOutcome>>;
  /**
   * POST /rounds, admins only. Errors: ROUND_EXISTS, FORBIDDEN, TRANSACTION_CONFLICT, UNAUTHORIZED, INVALID_REQUEST.
   * The server keeps no idempotency record for it: after a lost answer, a retry that finds the round says ROUND_EXISTS.
   */
  createRound(round: NewRound, options?: MutationOptions): Promise<Result<{ round: Round }>>;
  /** POST /rounds/{id}/draw, admins only; a drawn round answers its result. Errors: ROUND_NOT_FULL, ROUND_NOT_FOUND, FORBIDDEN, UNAUTHORIZED. */
  drawRound(roundId: string, options?: MutationOptions): Promise<Result<DrawOutcome>>;
  /**
   * POST /accounts/batch-adjust, for an admin's token (or a trusted server's admin assertion). Safe to send again
   * with the same `batchId`: only what is missing is applied; `complete: false` asks for exactly that. Errors:
   * FORBIDDEN, IDEMPOTENCY_KEY_REUSED (the batchId was used with other items), UNAUTHORIZED, INVALID_REQUEST.
   */
  batchAdjust(
    batch: { batchId: string; items: Array<{ accountId: string; delta: number; reason: string }> },
    options?: MutationOptions,
  ): Promise<Result<BatchAdjustOutcome>>;
  /** POST /maintenance/reset-free-entries, for an admin's token; once per UTC day. Errors: FORBIDDEN, UNAUTHORIZED. */
  resetFreeEntries(options?: MutationOptions): Promise<Result<ResetFreeEntriesOutcome>>;
}

/** @throws TypeError at creation for a missing transport or a `lang` other than "zh" and "en". */
export function createAdminClient(options: ClientOptions): LocklessAdminClient {
  const call = createCaller(options, ADMIN_ROUTES);
  return {
    ...createClient(options),
    createProduct: ({ id, name, price, stock, limitPerUser }, o) => {
      const product = defined({ id, name, price, stock, limitPerUser });
      return call('createProduct', {}, product, product, o);
    },
    // `call` sends o.ifMatch as the If-Match header (HTTP) and in the payload (direct).
    editProduct: (productId, { name, price }, o) => {
      const changes = defined({ name, price });
      return call('editProduct', { id: productId }, changes, { productId, ...changes }, o);
    },
    restock: (productId, quantity, o) => call('restock', { id: productId }, { quantity }, { productId, quantity }, o),
    shipOrder: (orderNo, o) => call('shipOrder', { orderNo }, undefined, { orderNo }, o),
    refundOrder: (orderNo, o) => call('refundOrder', { orderNo }, undefined, { orderNo }, o),
    createRound: (round, o) => {
      const body = { ...round };
      return call('createRound', {}, body, body, o);
    },
    drawRound: (roundId, o) => call('drawRound', { id: roundId }, undefined, { roundId }, o),
    batchAdjust: ({ batchId, items }, o) => {
      const batch = { batchId, items: items.map(({ accountId, delta, reason }) => ({ accountId, delta, reason })) };
      return call('batchAdjust', {}, batch, batch, o);
    },
    resetFreeEntries: (o) => call('resetFreeEntries', {}, undefined, {}, o),
  };
}
