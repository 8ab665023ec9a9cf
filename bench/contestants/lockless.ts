/** The lockless strategies, each through the real purchase handler; reads through the real getProduct handler. */
import type { Answer, Invoker } from '../invoke/invoker';
import { conflict, failed, insufficient, ok, type Outcome } from '../outcome';
import type { Strategy } from '../../shared/validation';
import type { Contestant, Send } from './contestant';

const CONFLICTS = new Set(['VERSION_CONFLICT', 'TRANSACTION_CONFLICT', 'IDEMPOTENCY_IN_PROGRESS']);
const REFUSALS = new Set(['INSUFFICIENT_STOCK', 'INSUFFICIENT_BALANCE']);

/** An answer as an outcome: 200 ok, 409 conflicts, 422 refusals; anything else is an error. */
export function classifyAnswer(answer: Answer, units: number): Outcome {
  const code = answer.body?.error;
  const reported = answer.body?.data?.attempts;
  const attempts = typeof reported === 'number' && reported >= 1 ? reported : 1;
  if (answer.status === 200) return ok(attempts, units);
  if (code && CONFLICTS.has(code)) return conflict(attempts);
  if (code && REFUSALS.has(code)) return insufficient(attempts);
  return failed(`${answer.status}${code ? ` ${code}` : ''}`, attempts);
}

function send(call: () => Promise<Answer>, units: number): Send {
  return async () => classifyAnswer(await call(), units);
}

const DESCRIBE: Record<Strategy, string> = {
  atomic: 'lockless `atomic`: one guarded decrement (stock >= q), then the order insert',
  version: 'lockless `version`: read, CAS on version, jittered backoff (default budget 64 attempts)',
  transaction: 'lockless `transaction`: read the price, then decrement + order insert in one transaction',
};

export function locklessPurchaser(invoker: Invoker, strategy: Strategy): Contestant {
  return {
    name: strategy,
    slug: strategy,
    family: 'lockless',
    describe: DESCRIBE[strategy],
    purchase: (id, uid, quantity) =>
      send(
        invoker.prepare('purchase', {
          method: 'POST',
          route: 'POST /products/{id}/purchase',
          path: `/products/${id}/purchase`,
          pathParameters: { id },
          body: { quantity, strategy },
          sub: uid,
        }),
        quantity,
      ),
    read: (id) =>
      send(
        invoker.prepare('getProduct', { method: 'GET', route: 'GET /products/{id}', path: `/products/${id}`, pathParameters: { id } }),
        0,
      ),
  };
}

/** POST /transfers `{ from, to, amount }` as the owner of `from`, with an Idempotency-Key as the design asks. */
export function locklessTransfer(invoker: Invoker): Contestant {
  let n = 0;
  return {
    name: 'lockless',
    slug: 'lockless',
    family: 'lockless',
    describe: 'lockless transfer handler (POST /transfers)',
    transfer: ({ from, to, amount, sub }) =>
      send(
        invoker.prepare('transfer', {
          method: 'POST',
          route: 'POST /transfers',
          path: '/transfers',
          body: { from, to, amount },
          headers: { 'idempotency-key': `bench-${process.pid}-${Date.now().toString(36)}-${(n++).toString(36)}` },
          sub,
        }),
        amount,
      ),
  };
}
