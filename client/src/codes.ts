/**
 * The stable error codes a lockless answer can carry, with their HTTP status, plus the few the client itself
 * produces when there is no lockless answer to read. The server's list lives in shared/errors.ts; the client
 * cannot import it (it ships alone), so test/client/codes.test.ts keeps the two equal.
 */

/** Every code the server may put in an envelope's `error`, and its HTTP status. Public API: never renamed. */
export const SERVER_CODES = {
  INVALID_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  PRODUCT_NOT_FOUND: 404,
  CART_NOT_FOUND: 404,
  ITEM_NOT_FOUND: 404,
  ACCOUNT_NOT_FOUND: 404,
  ORDER_NOT_FOUND: 404,
  ROUND_NOT_FOUND: 404,
  VERSION_CONFLICT: 409,
  TRANSACTION_CONFLICT: 409,
  ITEM_EXISTS: 409,
  PRODUCT_EXISTS: 409,
  IDEMPOTENCY_IN_PROGRESS: 409,
  INVALID_TRANSITION: 409,
  PRECONDITION_FAILED: 412,
  ROUND_EXISTS: 409,
  INSUFFICIENT_STOCK: 422,
  INSUFFICIENT_BALANCE: 422,
  CART_FULL: 422,
  CART_LIMIT_REACHED: 422,
  IDEMPOTENCY_KEY_REUSED: 422,
  PRECONDITION_REQUIRED: 428,
  PURCHASE_LIMIT_EXCEEDED: 422,
  ROUND_SOLD_OUT: 422,
  ENTRY_CAP_EXCEEDED: 422,
  ROUND_NOT_FULL: 422,
  INTERNAL: 500,
  SERVICE_UNAVAILABLE: 503,
} as const;
export type ServerCode = keyof typeof SERVER_CODES;

/**
 * Codes only the client produces, never the server:
 * - NETWORK_ERROR: no answer before the deadline (connection failed, reset or timed out on every try). For a
 *   state-changing call the outcome is unknown: call again with the same `idempotencyKey` to learn it.
 * - THROTTLED: the gateway refused the request for its rate limit (HTTP 429), before any function ran.
 * - UNEXPECTED_RESPONSE: an answer that is neither a lockless envelope nor a known gateway answer.
 */
export const CLIENT_CODES = ['NETWORK_ERROR', 'THROTTLED', 'UNEXPECTED_RESPONSE'] as const;
export type ClientCode = (typeof CLIENT_CODES)[number];

export type ErrorCode = ServerCode | ClientCode;

export interface FieldIssue {
  field: string;
  message: string;
}

/** What `data` holds on a failure, per code (the server's safe details; for 5xx the request id). */
export interface ErrorDataMap {
  INVALID_REQUEST: { issues: FieldIssue[] };
  INSUFFICIENT_STOCK: { requested: number; available: number };
  INSUFFICIENT_BALANCE: { requested: number; available: number };
  VERSION_CONFLICT: { attempts: number };
  TRANSACTION_CONFLICT: { attempts: number; exhausted?: 'attempts' | 'deadline' };
  CART_FULL: { limit: number };
  INVALID_TRANSITION: { status: string; transition: string; reason?: string };
  /**
   * The resource's current ETag; for a product edit also the product as it is now: merge, then edit again with
   * this ETag as If-Match.
   */
  PRECONDITION_FAILED: {
    etag: string;
    current?: { id: string; name: string; price: number; stock: number; version: number };
  };
  PURCHASE_LIMIT_EXCEEDED: { limit: number; held: number; requested: number; remaining: number };
  CART_LIMIT_REACHED: { limit: number };
  ROUND_SOLD_OUT: { requested: number; available: number };
  ENTRY_CAP_EXCEEDED: { cap: number; held: number; requested: number };
  INTERNAL: { requestId?: string };
  /**
   * `outcome: 'unknown'`: the write may still have applied (the function's deadline passed, or the database's
   * answer was lost): ask again with the same idempotency key. `'not-applied'`: nothing was written.
   */
  SERVICE_UNAVAILABLE: { requestId?: string; outcome?: 'unknown' | 'not-applied' };
  NETWORK_ERROR: { reason: string };
  /** The HTTP status and, when the body had one, the code the client did not know. */
  UNEXPECTED_RESPONSE: { status: number; error?: string };
}
export type ErrorData<C extends ErrorCode> = C extends keyof ErrorDataMap ? ErrorDataMap[C] : undefined;

export function isServerCode(value: unknown): value is ServerCode {
  // biome-ignore lint/suspicious/noPrototypeBuiltins: Object.hasOwn is ES2022; mini-program runtimes may lack it.
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(SERVER_CODES, value);
}
