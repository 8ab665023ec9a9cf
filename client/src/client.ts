/**
 * createClient: one typed method per route. Every method resolves (never rejects) with a Result: `ok: true`
 * with `data`, or `ok: false` with a stable `error` code to switch on. State-changing calls (POST, DELETE)
 * carry an Idempotency-Key made for that call, or the one the caller passes, on every try (retry.ts).
 */
import { failure, readAnswer } from './envelope';
import { newIdempotencyKey } from './keys';
import { ownMessage, type Lang } from './messages';
import { DEFAULT_POLICY, realClock, withRetries, type Clock, type RetryPolicy } from './retry';
import { fillPath, ROUTES } from './routes';
import type { Operation, Transport } from './transport';
import type {
  Account,
  BatchAdjustOutcome,
  Cart,
  DrawOutcome,
  EnterRoundOutcome,
  NewRound,
  Order,
  OrderPage,
  OrderTransitionOutcome,
  Product,
  PurchaseOutcome,
  RemoveOutcome,
  RestockOutcome,
  ResetFreeEntriesOutcome,
  Result,
  Round,
  Strategy,
  TransferOutcome,
} from './types';

export interface ClientOptions {
  /** Where the HTTP API is, e.g. https://api.example.com or http://127.0.0.1:3000 (unused by invokeTransport). */
  baseUrl?: string;
  transport: Transport;
  /** The user's JWT for the HTTP API, asked for before every try (so a refreshed token is used). */
  getToken?: () => string | null | undefined | Promise<string | null | undefined>;
  /** Language of `msg`: sent as Accept-Language (or the direct payload's `lang`). Default zh. */
  lang?: Lang | (() => Lang);
  /** Limits of the retry loop (retry.ts); defaults: 15 s per call, 10 s per try, 8 tries, waits 100 ms..2 s. */
  retry?: Partial<RetryPolicy>;
  /** Time, waits and jitter; for tests. */
  clock?: Partial<Clock>;
  /** Makes idempotency keys; default 128 random bits from crypto.getRandomValues (keys.ts). */
  newKey?: () => string;
}

export interface CallOptions {
  /** This call's deadline, instead of the client's. */
  deadlineMs?: number;
}

export interface MutationOptions extends CallOptions {
  /**
   * The key to send instead of a new one: to ask again about a call whose outcome is unknown (NETWORK_ERROR),
   * even after the app restarted, pass the key that call reported.
   */
  idempotencyKey?: string;
}

export interface TransitionOptions extends MutationOptions {
  /** The order's ETag (GET /orders/{orderNo} answers it): a stale one is PRECONDITION_FAILED with the current one. */
  ifMatch?: string;
}

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
   * CART_LIMIT_REACHED, CART_NOT_FOUND, VERSION_CONFLICT, UNAUTHORIZED, INVALID_REQUEST. The server keeps no
   * idempotency record for carts: after a lost answer, a retry that finds the item already there says ITEM_EXISTS.
   */
  addCartItem(cartId: string, item: { id: string; productId: string; quantity: number }, options?: MutationOptions): Promise<Result<Cart>>;
  /**
   * DELETE /carts/{id}/items/{itemId}: each item is removed exactly once. Errors: ITEM_NOT_FOUND, CART_NOT_FOUND,
   * UNAUTHORIZED, INVALID_REQUEST. After a lost answer, a retry of the removal that did happen says ITEM_NOT_FOUND.
   */
  removeCartItem(cartId: string, itemId: string, options?: MutationOptions): Promise<Result<RemoveOutcome>>;
  /** GET /carts/{id}, the caller's own. Errors: CART_NOT_FOUND, UNAUTHORIZED, INVALID_REQUEST. */
  getCart(cartId: string, options?: CallOptions): Promise<Result<Cart>>;
  /**
   * GET /orders: the caller's orders, newest first; `limit` 1-100 (default 20), `cursor` the previous page's
   * `nextCursor`. Errors: UNAUTHORIZED, INVALID_REQUEST (also a cursor of another user's list).
   */
  listOrders(page?: { limit?: number; cursor?: string }, options?: CallOptions): Promise<Result<OrderPage>>;
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
  /** GET /rounds/{id}, public. Errors: ROUND_NOT_FOUND, INVALID_REQUEST. */
  getRound(roundId: string, options?: CallOptions): Promise<Result<{ round: Round }>>;
  /**
   * POST /rounds/{id}/entries from an account the caller owns. Errors: ROUND_SOLD_OUT, ENTRY_CAP_EXCEEDED,
   * INSUFFICIENT_BALANCE, ROUND_NOT_FOUND, FORBIDDEN, TRANSACTION_CONFLICT, IDEMPOTENCY_KEY_REUSED, UNAUTHORIZED,
   * INVALID_REQUEST.
   */
  enterRound(roundId: string, entry: { accountId: string; shares: number }, options?: MutationOptions): Promise<Result<EnterRoundOutcome>>;
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

const checkLang = (lang: unknown): Lang => {
  if (lang !== 'zh' && lang !== 'en') throw new TypeError('createClient: lang must be "zh" or "en"');
  return lang;
};

/** The object without its undefined fields: a strict server schema refuses an explicit undefined. */
function defined<T extends Record<string, unknown>>(object: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  const out: Record<string, unknown> = {};
  for (const key in object) if (object[key] !== undefined) out[key] = object[key];
  return out as { [K in keyof T]: Exclude<T[K], undefined> };
}

export function createClient(options: ClientOptions): LocklessClient {
  if (!options || typeof options.transport !== 'function') throw new TypeError('createClient: a transport is required');
  const { transport, getToken } = options;
  const langOf = typeof options.lang === 'function' ? options.lang : () => (options.lang as Lang | undefined) ?? 'zh';
  checkLang(langOf());
  const policy: RetryPolicy = { ...DEFAULT_POLICY, ...options.retry };
  const clock: Clock = { ...realClock, ...options.clock };
  const newKey = options.newKey ?? (() => newIdempotencyKey());
  const base = (options.baseUrl ?? '').replace(/\/+$/, '');

  async function call<T>(
    operation: Operation,
    params: Record<string, string>,
    body: object | undefined,
    payload: Record<string, unknown>,
    callOptions: TransitionOptions = {},
    extra: { headers?: Record<string, string>; query?: Record<string, string> } = {},
  ): Promise<Result<T>> {
    const route = ROUTES[operation];
    const lang = checkLang(langOf());
    const key = route.method === 'GET' ? undefined : (callOptions.idempotencyKey ?? newKey());
    const headers: Record<string, string> = { 'accept-language': lang, ...extra.headers };
    const query = Object.entries(extra.query ?? {})
      .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
      .join('&');
    if (body) headers['content-type'] = 'application/json';
    if (key) headers['idempotency-key'] = key;
    const ifMatch = callOptions.ifMatch === undefined ? {} : { ifMatch: callOptions.ifMatch };
    if (ifMatch.ifMatch !== undefined) headers['if-match'] = ifMatch.ifMatch;
    const request = {
      operation,
      method: route.method,
      url: base + fillPath(route.path, params) + (query ? `?${query}` : ''),
      body: body ? JSON.stringify(body) : undefined,
      payload: { ...payload, ...ifMatch, lang, ...(key && route.payloadKey ? { idempotencyKey: key } : {}) },
    };
    const retryPolicy = callOptions.deadlineMs === undefined ? policy : { ...policy, deadlineMs: callOptions.deadlineMs };
    const { answer, tries } = await withRetries(
      async (timeoutMs) => {
        let token: string | null | undefined;
        try {
          token = route.public || !getToken ? undefined : await getToken();
        } catch {
          return failure(401, 'UNAUTHORIZED', ownMessage('UNAUTHORIZED', lang));
        }
        const withToken = token ? { ...headers, authorization: `Bearer ${token}` } : headers;
        return readAnswer(await transport({ ...request, headers: withToken, timeoutMs }), lang);
      },
      retryPolicy,
      clock,
      lang,
    );
    return { ...answer, tries, ...(key ? { idempotencyKey: key } : {}) } as Result<T>;
  }

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
      return call('listOrders', {}, undefined, page, o, { query: defined({ limit: limit?.toString(), cursor }) });
    },
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
    payOrder: (orderNo, { accountId }, o) => call('payOrder', { orderNo }, { accountId }, { orderNo, accountId }, o),
    cancelOrder: (orderNo, o) => call('cancelOrder', { orderNo }, undefined, { orderNo }, o),
    shipOrder: (orderNo, o) => call('shipOrder', { orderNo }, undefined, { orderNo }, o),
    refundOrder: (orderNo, o) => call('refundOrder', { orderNo }, undefined, { orderNo }, o),
    createRound: (round, o) => {
      const body = { ...round };
      return call('createRound', {}, body, body, o);
    },
    getRound: (roundId, o) => call('getRound', { id: roundId }, undefined, { roundId }, o),
    enterRound: (roundId, { accountId, shares }, o) =>
      call('enterRound', { id: roundId }, { accountId, shares }, { roundId, accountId, shares }, o),
    drawRound: (roundId, o) => call('drawRound', { id: roundId }, undefined, { roundId }, o),
    batchAdjust: ({ batchId, items }, o) => {
      const batch = { batchId, items: items.map(({ accountId, delta, reason }) => ({ accountId, delta, reason })) };
      return call('batchAdjust', {}, batch, batch, o);
    },
    resetFreeEntries: (o) => call('resetFreeEntries', {}, undefined, {}, o),
  };
}
