/**
 * Typed errors with stable public codes. Codes are public API: never rename or renumber one; callers branch on
 * `code`, never on `instanceof` (bundles can duplicate classes).
 */

/** Every public error code, its HTTP status, and whether retrying the same request may succeed. */
export const ERROR_CODES = {
  INVALID_REQUEST: { status: 400, retryable: false },
  UNAUTHORIZED: { status: 401, retryable: false },
  FORBIDDEN: { status: 403, retryable: false },
  PRODUCT_NOT_FOUND: { status: 404, retryable: false },
  CART_NOT_FOUND: { status: 404, retryable: false },
  ITEM_NOT_FOUND: { status: 404, retryable: false },
  ACCOUNT_NOT_FOUND: { status: 404, retryable: false },
  ORDER_NOT_FOUND: { status: 404, retryable: false },
  ROUND_NOT_FOUND: { status: 404, retryable: false },
  VERSION_CONFLICT: { status: 409, retryable: true },
  TRANSACTION_CONFLICT: { status: 409, retryable: true },
  ITEM_EXISTS: { status: 409, retryable: false },
  PRODUCT_EXISTS: { status: 409, retryable: false },
  IDEMPOTENCY_IN_PROGRESS: { status: 409, retryable: true },
  INVALID_TRANSITION: { status: 409, retryable: false },
  PRECONDITION_FAILED: { status: 412, retryable: false },
  ROUND_EXISTS: { status: 409, retryable: false },
  INSUFFICIENT_STOCK: { status: 422, retryable: false },
  INSUFFICIENT_BALANCE: { status: 422, retryable: false },
  CART_FULL: { status: 422, retryable: false },
  CART_LIMIT_REACHED: { status: 422, retryable: false },
  IDEMPOTENCY_KEY_REUSED: { status: 422, retryable: false },
  PRECONDITION_REQUIRED: { status: 428, retryable: false },
  PURCHASE_LIMIT_EXCEEDED: { status: 422, retryable: false },
  ROUND_SOLD_OUT: { status: 422, retryable: false },
  ENTRY_CAP_EXCEEDED: { status: 422, retryable: false },
  ROUND_NOT_FULL: { status: 422, retryable: false },
  INTERNAL: { status: 500, retryable: false },
  SERVICE_UNAVAILABLE: { status: 503, retryable: true },
} as const satisfies Record<string, { status: number; retryable: boolean }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface AppErrorOptions {
  /** Safe, client-facing details (field-level validation issues, the attempts made...). */
  details?: unknown;
  /** The underlying error; logged, never sent to a client. */
  cause?: unknown;
  /** Overrides the default retryability of the code. */
  retryable?: boolean;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  /** Below 500 the code, message and details are shown to the client; at 500 and above only a generic answer. */
  readonly expose: boolean;
  readonly retryable: boolean;
  readonly details?: unknown;
  override readonly cause?: unknown;

  constructor(code: ErrorCode, message?: string, options: AppErrorOptions = {}) {
    super(message ?? code);
    this.name = 'AppError';
    this.code = code;
    this.status = ERROR_CODES[code].status;
    this.expose = this.status < 500 || code === 'SERVICE_UNAVAILABLE';
    this.retryable = options.retryable ?? ERROR_CODES[code].retryable;
    this.details = options.details;
    this.cause = options.cause;
  }
}

/** True for anything carrying one of our codes, even from a duplicated class in another bundle. */
export function isAppError(err: unknown): err is AppError {
  return (
    typeof err === 'object' &&
    err !== null &&
    typeof (err as { code?: unknown }).code === 'string' &&
    (err as { code: string }).code in ERROR_CODES &&
    typeof (err as { status?: unknown }).status === 'number'
  );
}

/** Any thrown value as an AppError: unknown failures become INTERNAL with the original kept as `cause`. */
export function toAppError(err: unknown): AppError {
  if (isAppError(err)) return err;
  return new AppError('INTERNAL', 'internal error', { cause: err });
}
