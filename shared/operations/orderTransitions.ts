/**
 * The order lifecycle: every change of an order's status is one transaction conditioned on the status it was
 * read with (and on its version when the client sent If-Match), so of any number of racing changes exactly one
 * commits, and whatever moves with it (money, stock, the buyer's allowance) moves exactly once:
 *
 * | transition | from                      | to        | by     | moves in the same transaction                      |
 * |------------|---------------------------|-----------|--------|----------------------------------------------------|
 * | pay        | pending_payment           | paid      | buyer  | buyer's account → merchant, ledger entry           |
 * | cancel     | pending_payment, created  | cancelled | buyer  | stock back, allowance freed                        |
 * | expire     | pending_payment (overdue) | expired   | sweep  | stock back, allowance freed                        |
 * | ship       | paid                      | shipped   | admin  | nothing else                                       |
 * | refund     | paid                      | refunded  | admin  | merchant → the paying account, ledger, stock back, allowance freed |
 *
 * `created` orders predate payment: they were never paid, so they can only be cancelled (docs/orders.md).
 * Payment is refused once the window has closed (`expiresAt <= now`), even before the sweep has run, so an
 * order is never both paid and expired.
 *
 * A buyer's transition on someone else's order answers ORDER_NOT_FOUND, like GET /orders/{orderNo}.
 *
 * Errors: ORDER_NOT_FOUND, INVALID_TRANSITION (409, details `{ status, transition }`), PRECONDITION_FAILED (412,
 * details `{ etag }`), FORBIDDEN (pay from an account that is not the buyer's), INSUFFICIENT_BALANCE,
 * ACCOUNT_NOT_FOUND (refund to an account that is gone), TRANSACTION_CONFLICT, SERVICE_UNAVAILABLE, INTERNAL
 * (the merchant account or the product is missing).
 */
import { ORDERS, PRODUCTS } from '../collections';
import { AppError } from '../errors';
import { isOrder, publicOrder, type Order, type OrderStatus } from '../model';
import type { Guard, TxFailure, TxWrite, Value } from '../store';
import { transactUntilDecided } from './contention';
import type { OperationDeps } from './deps';
import type { OnceTransact } from './idempotency';
import { moneyMoveWrites } from './moneyMoves';
import { ALLOWANCE, releaseAllowanceWrites } from './purchaseLimits';

export const TRANSITIONS = {
  pay: { from: ['pending_payment'], to: 'paid', by: 'buyer' },
  cancel: { from: ['pending_payment', 'created'], to: 'cancelled', by: 'buyer' },
  expire: { from: ['pending_payment'], to: 'expired', by: 'system' },
  ship: { from: ['paid'], to: 'shipped', by: 'admin' },
  refund: { from: ['paid'], to: 'refunded', by: 'admin' },
} as const satisfies Record<string, { from: readonly OrderStatus[]; to: OrderStatus; by: 'buyer' | 'admin' | 'system' }>;
export type TransitionName = keyof typeof TRANSITIONS;

export interface TransitionInput {
  orderNo: string;
  /** The verified caller: for buyer transitions, only the buyer's own orders exist. */
  uid?: string;
  /** The order version named by the client's If-Match; absent: no version condition. */
  expectVersion?: number;
  /** Epoch ms after which no new attempt starts. */
  deadline: number;
  /** The clock the payment window is judged by (the sweep passes its own); default deps.now(). */
  now?: number;
}

export interface TransitionOutcome {
  order: ReturnType<typeof publicOrder>;
  /** The ledger entry of a payment or a refund. */
  payment?: { paymentId: string; from: string; to: string; amount: number; createdAt: string };
}

/** What a transition adds to the order's own write, and the other writes of its transaction. */
interface Effects {
  set?: Record<string, Value>;
  guards?: Guard[];
  writes: TxWrite[];
  payment?: TransitionOutcome['payment'];
}

/** The ETag of an order version, as GET /orders/{orderNo} answers it (shared/edge/etag.ts has the same rule). */
export function orderEtag(orderNo: string, version: number): string {
  return `"${orderNo}.v${version}"`;
}

const notFound = (orderNo: string) => new AppError('ORDER_NOT_FOUND', `order ${orderNo} not found`);
const invalid = (name: TransitionName, status: unknown, extra: Record<string, unknown> = {}) =>
  new AppError('INVALID_TRANSITION', `cannot ${name} an order that is ${String(status)}`, {
    details: { status, transition: name, ...extra },
  });
const stale = (order: { orderNo?: unknown; id: string; version: number }) =>
  new AppError('PRECONDITION_FAILED', 'the order changed since it was read', {
    details: { etag: orderEtag(order.id, order.version) },
  });

/** The stock an order holds goes back to its product (and its units to the buyer's allowance). */
function returnStockWrites(order: Order): TxWrite[] {
  return [
    {
      kind: 'update',
      label: 'product',
      collection: PRODUCTS,
      id: order.productId,
      // The product must still be a product: a numeric stock. An update never creates a document.
      spec: {
        guards: [{ field: 'stock', op: 'gte', value: Number.MIN_SAFE_INTEGER }],
        inc: { stock: order.quantity, sold: -order.quantity },
      },
    },
    ...releaseAllowanceWrites(order),
  ];
}

function moneyEffects(deps: OperationDeps, kind: 'payment' | 'refund', order: Order, from: string, to: string, owner?: string): Effects {
  const now = deps.now();
  const paymentId = deps.newTransferId(now);
  const createdAt = new Date(now).toISOString();
  const payment = { paymentId, from, to, amount: order.amount, createdAt };
  const entry = {
    id: paymentId,
    transferId: paymentId,
    kind,
    orderNo: order.orderNo,
    from,
    to,
    amount: order.amount,
    uid: order.uid,
    createdAt,
  };
  return { writes: moneyMoveWrites({ from, to, amount: order.amount, owner }, entry), payment };
}

/**
 * Runs one transition. `effects` builds the transition's own writes from the order as read; `transact` is the
 * store's, or under an idempotency key the one that adds the claim (idempotency.ts).
 */
async function runTransition(
  deps: OperationDeps,
  name: TransitionName,
  input: TransitionInput,
  effects: (order: Order, now: number) => Effects,
  transact: OnceTransact = (_data, writes, options) => deps.store.transact(writes, options),
): Promise<TransitionOutcome> {
  const rule = TRANSITIONS[name];
  const now = input.now ?? deps.now();
  const doc = await deps.store.get(ORDERS, input.orderNo);
  if (!isOrder(doc) || (rule.by === 'buyer' && doc.uid !== input.uid)) throw notFound(input.orderNo);
  const order = doc;
  if (input.expectVersion !== undefined && order.version !== input.expectVersion) throw stale(order);
  if (!(rule.from as readonly OrderStatus[]).includes(order.status)) throw invalid(name, order.status);
  if (name === 'pay' && !(typeof order.expiresAt === 'number' && order.expiresAt > now)) {
    throw invalid(name, order.status, { reason: 'payment window closed' });
  }
  if (name === 'expire' && !(typeof order.expiresAt === 'number' && order.expiresAt <= now)) {
    throw invalid(name, order.status, { reason: 'payment window still open' });
  }

  const extra = effects(order, now);
  const set = { status: rule.to, [`${rule.to}At`]: new Date(now).toISOString(), ...extra.set };
  const guards: Guard[] = [
    // The status it was read with: of racing transitions from it, exactly one commits.
    { field: 'status', op: 'eq', value: order.status },
    ...(rule.by === 'buyer' ? [{ field: 'uid', op: 'eq', value: order.uid } as Guard] : []),
    ...(extra.guards ?? []),
  ];
  const orderWrite: TxWrite = {
    kind: 'update',
    label: 'order',
    collection: ORDERS,
    id: order.id,
    spec: { guards, set, ...(input.expectVersion !== undefined ? { expectVersion: input.expectVersion } : {}) },
  };
  const next = { ...order, ...set, version: order.version + 1 } as Order;
  const data: TransitionOutcome = { order: publicOrder(next), ...(extra.payment ? { payment: extra.payment } : {}) };
  const writes = [orderWrite, ...extra.writes];
  const { result } = await transactUntilDecided(() => transact(data, writes, { deadline: input.deadline }), {
    maxAttempts: deps.policies.transactionAttempts,
    deadline: input.deadline,
    deps,
  });
  if (result.ok) return data;
  throw refusal(name, input, order, result);
}

/** The error for a transition whose transaction was refused, by the label of the write that refused it. */
function refusal(name: TransitionName, input: TransitionInput, order: Order, result: TxFailure): AppError {
  if (result.label === 'order') {
    if (result.reason === 'not_found') return notFound(input.orderNo);
    if (result.reason === 'version_conflict') return stale(result.current);
    if (result.reason === 'guard_failed') {
      if (result.failed.some((g) => g.field === 'uid')) return notFound(input.orderNo);
      return invalid(name, result.current.status);
    }
  }
  if (result.label === 'debit' && result.reason === 'guard_failed' && result.failed.every((g) => g.field === 'balance')) {
    return new AppError('INSUFFICIENT_BALANCE', 'insufficient balance', {
      details: { requested: order.amount, available: result.current.balance },
    });
  }
  // Paying from an account that is missing or someone else's: 403, like a transfer, so nothing shows.
  if (name === 'pay' && result.label === 'debit') return new AppError('FORBIDDEN', 'the caller does not own the paying account');
  if (name === 'refund' && result.label === 'credit') return new AppError('ACCOUNT_NOT_FOUND', `account ${order.paidFrom} not found`);
  // The merchant account, the product or the allowance is missing or inconsistent: an operator's problem.
  return new AppError('INTERNAL', `${name} of ${order.orderNo} was refused by its ${result.label ?? `write ${result.index}`} write`, {
    details: { reason: result.reason, label: result.label ?? null, allowance: result.label === ALLOWANCE },
  });
}

/**
 * The buyer pays a pending order from their own account, before its window closes: debit guarded by balance,
 * credit to the merchant account, ledger entry and `paid`, in one transaction. `transact` carries an
 * idempotency claim when the request has a key (orderPayments.ts).
 */
export function payOrder(
  deps: OperationDeps,
  input: TransitionInput & { uid: string; accountId: string },
  transact?: OnceTransact,
): Promise<TransitionOutcome> {
  return runTransition(
    deps,
    'pay',
    input,
    (order, now) => {
      const money = moneyEffects(deps, 'payment', order, input.accountId, deps.orderSettings.merchantAccountId, input.uid);
      // Judged at commit time too: a payment never lands on an order whose window closed meanwhile.
      const guards: Guard[] = [{ field: 'expiresAt', op: 'gt', value: now }];
      return { ...money, guards, set: { paidFrom: input.accountId, paymentId: money.payment!.paymentId } };
    },
    transact,
  );
}

/** The buyer cancels a pending (or pre-payment `created`) order: its stock and allowance come back. */
export function cancelOrder(deps: OperationDeps, input: TransitionInput & { uid: string }): Promise<TransitionOutcome> {
  return runTransition(deps, 'cancel', input, (order) => ({ writes: returnStockWrites(order) }));
}

/** The sweep expires one overdue order (judged at `input.now`): its stock and allowance come back. */
export function expireOrder(deps: OperationDeps, input: TransitionInput & { now: number }): Promise<TransitionOutcome> {
  return runTransition(deps, 'expire', input, (order, now) => ({
    guards: [{ field: 'expiresAt', op: 'lte', value: now }],
    writes: returnStockWrites(order),
  }));
}

/** An admin marks a paid order shipped: the status change alone. */
export function shipOrder(deps: OperationDeps, input: TransitionInput): Promise<TransitionOutcome> {
  return runTransition(deps, 'ship', input, () => ({ writes: [] }));
}

/** An admin refunds a paid order: merchant → the account that paid, ledger entry, stock and allowance back. */
export function refundOrder(deps: OperationDeps, input: TransitionInput): Promise<TransitionOutcome> {
  return runTransition(deps, 'refund', input, (order) => {
    if (!order.paidFrom) throw new AppError('INTERNAL', `paid order ${order.orderNo} does not say which account paid`);
    const money = moneyEffects(deps, 'refund', order, deps.orderSettings.merchantAccountId, order.paidFrom);
    return { ...money, writes: [...money.writes, ...returnStockWrites(order)] };
  });
}
