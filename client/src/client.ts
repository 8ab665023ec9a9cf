/**
 * createClient: one typed method per buyer's route, the entry end users' apps and mini-programs import. Every
 * method resolves (never rejects) with a Result: `ok: true` with `data`, or `ok: false` with a stable `error`
 * code to switch on. State-changing calls (POST, DELETE) carry an Idempotency-Key made for that call, or the
 * one the caller passes, on every try (core.ts, retry.ts). The admin routes are in the `/admin` entry.
 */
import { createCaller, defined, type CallOptions, type ClientOptions, type MutationOptions, type TransitionOptions } from './core';
import { ROUTES } from './routes';
import type {
  Account,
  Cart,
  EnterRoundOutcome,
  Order,
  OrderPage,
  OrderTransitionOutcome,
  Product,
  PurchaseOutcome,
  RemoveOutcome,
  Result,
  Round,
  Strategy,
  TransferOutcome,
} from './types';

export type { CallOptions, ClientOptions, MutationOptions, TransitionOptions } from './core';

export interface LocklessClient {
  /** GET /products/{id}. Errors: PRODUCT_NOT_FOUND, INVALID_REQUEST. */
  getProduct(productId: string, options?: CallOptions): Promise<Result<Product>>;
  /**
   * POST /products/{id}/purchase. Errors: INSUFFICIENT_STOCK, PRODUCT_NOT_FOUND, VERSION_CONFLICT,
   * TRANSACTION_CONFLICT, IDEMPOTENCY_KEY_REUSED, UNAUTHORIZED, INVALID_REQUEST; IDEMPOTENCY_IN_PROGRESS and
   * SERVICE_UNAVAILABLE once the deadline passed.
   */
  purchase(
    productId: string,
    order: { quantity: number; strategy?: Strategy },
    options?: MutationOptions,
  ): Promise<Result<PurchaseOutcome>>;
  /** GET /orders/{orderNo}, the caller's own orders only. Errors: ORDER_NOT_FOUND, UNAUTHORIZED, INVALID_REQUEST. */
  getOrder(orderNo: string, options?: CallOptions): Promise<Result<Order>>;
  /**
   * POST /transfers from an account the caller owns. Errors: INSUFFICIENT_BALANCE, ACCOUNT_NOT_FOUND, FORBIDDEN,
   * TRANSACTION_CONFLICT, IDEMPOTENCY_KEY_REUSED, UNAUTHORIZED, INVALID_REQUEST.
   */
  transfer(transfer: { from: string; to: string; amount: number }, options?: MutationOptions): Promise<Result<TransferOutcome>>;
  /** GET /accounts/{id}, the caller's own. Errors: ACCOUNT_NOT_FOUND, UNAUTHORIZED, INVALID_REQUEST. */
  getAccount(accountId: string, options?: CallOptions): Promise<Result<Account>>;
  /**
   * POST /carts/{id}/items (the cart is created if absent). Errors: ITEM_EXISTS, PRODUCT_NOT_FOUND, CART_FULL,
   * CART_LIMIT_REACHED, CART_NOT_FOUND, VERSION_CONFLICT, TRANSACTION_CONFLICT, IDEMPOTENCY_KEY_REUSED,
   * UNAUTHORIZED, INVALID_REQUEST. After a lost answer, the retry (same key) gets the first answer, replayed.
   */
  addCartItem(cartId: string, item: { id: string; productId: string; quantity: number }, options?: MutationOptions): Promise<Result<Cart>>;
  /**
   * DELETE /carts/{id}/items/{itemId}: each item is removed exactly once. Errors: ITEM_NOT_FOUND, CART_NOT_FOUND,
   * VERSION_CONFLICT, TRANSACTION_CONFLICT, IDEMPOTENCY_KEY_REUSED, UNAUTHORIZED, INVALID_REQUEST. After a lost
   * answer, the retry (same key) gets the first answer, replayed.
   */
  removeCartItem(cartId: string, itemId: string, options?: MutationOptions): Promise<Result<RemoveOutcome>>;
  /** GET /carts/{id}, the caller's own. Errors: CART_NOT_FOUND, UNAUTHORIZED, INVALID_REQUEST. */
  getCart(cartId: string, options?: CallOptions): Promise<Result<Cart>>;
  /**
   * GET /orders: the caller's orders, newest first; `limit` 1-100 (default 20), `cursor` the previous page's
   * `nextCursor`. Errors: UNAUTHORIZED, INVALID_REQUEST (also a cursor of another user's list).
   */
  listOrders(page?: { limit?: number; cursor?: string }, options?: CallOptions): Promise<Result<OrderPage>>;
  /**
   * POST /orders/{orderNo}/pay from an account the caller owns, before the payment window closes. Errors:
   * INSUFFICIENT_BALANCE, INVALID_TRANSITION, PRECONDITION_FAILED, ORDER_NOT_FOUND, FORBIDDEN,
   * TRANSACTION_CONFLICT, IDEMPOTENCY_KEY_REUSED, UNAUTHORIZED, INVALID_REQUEST.
   */
  payOrder(orderNo: string, payment: { accountId: string }, options?: TransitionOptions): Promise<Result<OrderTransitionOutcome>>;
  /**
   * POST /orders/{orderNo}/cancel, the caller's unpaid order. Errors: INVALID_TRANSITION, PRECONDITION_FAILED,
   * ORDER_NOT_FOUND, TRANSACTION_CONFLICT, UNAUTHORIZED, INVALID_REQUEST. No idempotency record: after a lost
   * answer, a retry of the cancellation that did happen says INVALID_TRANSITION with status `cancelled`.
   */
  cancelOrder(orderNo: string, options?: TransitionOptions): Promise<Result<OrderTransitionOutcome>>;
  /** GET /rounds/{id}, public. Errors: ROUND_NOT_FOUND, INVALID_REQUEST. */
  getRound(roundId: string, options?: CallOptions): Promise<Result<{ round: Round }>>;
  /**
   * POST /rounds/{id}/entries from an account the caller owns. Errors: ROUND_SOLD_OUT, ENTRY_CAP_EXCEEDED,
   * INSUFFICIENT_BALANCE, ROUND_NOT_FOUND, FORBIDDEN, TRANSACTION_CONFLICT, IDEMPOTENCY_KEY_REUSED, UNAUTHORIZED,
   * INVALID_REQUEST.
   */
  enterRound(roundId: string, entry: { accountId: string; shares: number }, options?: MutationOptions): Promise<Result<EnterRoundOutcome>>;
}

/** @throws TypeError at creation for a missing transport or a `lang` other than "zh" and "en". */
export function createClient(options: ClientOptions): LocklessClient {
  const call = createCaller(options, ROUTES);
  return {
    getProduct: (productId, o) => call('getProduct', { id: productId }, undefined, { productId }, o),
    purchase: (productId, { quantity, strategy }, o) => {
      const order = strategy === undefined ? { quantity } : { quantity, strategy };
      return call('purchase', { id: productId }, order, { productId, ...order }, o);
    },
    getOrder: (orderNo, o) => call('getOrder', { orderNo }, undefined, { orderNo }, o),
    transfer: ({ from, to, amount }, o) => call('transfer', {}, { from, to, amount }, { from, to, amount }, o),
    getAccount: (accountId, o) => call('getAccount', { id: accountId }, undefined, { accountId }, o),
    addCartItem: (cartId, { id, productId, quantity }, o) => {
      const item = { id, productId, quantity };
      return call('addCartItem', { id: cartId }, item, { cartId, item }, o);
    },
    removeCartItem: (cartId, itemId, o) => call('removeCartItem', { id: cartId, itemId }, undefined, { cartId, itemId }, o),
    getCart: (cartId, o) => call('getCart', { id: cartId }, undefined, { cartId }, o),
    listOrders: ({ limit, cursor } = {}, o) => {
      const page = defined({ limit, cursor });
      return call('listOrders', {}, undefined, page, o, defined({ limit: limit?.toString(), cursor }));
    },
    payOrder: (orderNo, { accountId }, o) => call('payOrder', { orderNo }, { accountId }, { orderNo, accountId }, o),
    cancelOrder: (orderNo, o) => call('cancelOrder', { orderNo }, undefined, { orderNo }, o),
    getRound: (roundId, o) => call('getRound', { id: roundId }, undefined, { roundId }, o),
    enterRound: (roundId, { accountId, shares }, o) =>
      call('enterRound', { id: roundId }, { accountId, shares }, { roundId, accountId, shares }, o),
  };
}
