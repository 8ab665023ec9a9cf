/**
 * POST /orders/{orderNo}/pay as an operation: payOrder (orderTransitions.ts), at most once per Idempotency-Key.
 * With a key, the claim commits in the payment's own transaction (idempotency.ts runOnceInTransaction), so a
 * repeat replays the first answer and moves no money again; without one, a second payment of the same order is
 * INVALID_TRANSITION (it is `paid` already).
 *
 * Errors: those of payOrder, and IDEMPOTENCY_KEY_REUSED, IDEMPOTENCY_IN_PROGRESS.
 */
import type { OperationDeps } from './deps';
import { runOnceInTransaction } from './idempotency';
import { payOrder, type TransitionInput, type TransitionOutcome } from './orderTransitions';

export interface PayInput extends TransitionInput {
  uid: string;
  accountId: string;
  idempotencyKey?: string;
}

export async function pay(deps: OperationDeps, input: PayInput): Promise<{ data: TransitionOutcome; replayed: boolean }> {
  if (!input.idempotencyKey) return { data: await payOrder(deps, input), replayed: false };
  return runOnceInTransaction(
    deps,
    {
      uid: input.uid,
      op: 'pay',
      key: input.idempotencyKey,
      command: { orderNo: input.orderNo, accountId: input.accountId, expectVersion: input.expectVersion ?? null },
    },
    input.deadline,
    (transact) => payOrder(deps, input, transact),
  );
}
