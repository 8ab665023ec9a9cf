/**
 * GET /orders?limit=&cursor=: the caller's orders, newest first. `limit` 1-100 (default 20); `cursor` is the
 * `nextCursor` of the previous page, valid only for the caller it was given to.
 * Also a direct invocation. Payloads, answers and errors: the API table in README.md.
 */
import * as z from 'zod/mini';
import { callerOf, lambdaFunction } from '../shared/edge/lambdaFunction';
import { decodeCursor, encodeCursor } from '../shared/edge/listCursor';
import { DEFAULT_ORDER_PAGE, listOrders, MAX_ORDER_PAGE } from '../shared/operations/orderList';
import { parseWith } from '../shared/validation';
import { depsFor } from './runtime';

const Limit = z.number().check(z.int(), z.positive(), z.maximum(MAX_ORDER_PAGE));
/** A limit as a query string carries it: digits only, no sign, no exponent, no leading zero. */
const LimitText = z.string().check(z.regex(/^[1-9][0-9]{0,2}$/, `must be an integer from 1 to ${MAX_ORDER_PAGE}`));
const Cursor = z.string().check(z.minLength(1), z.maxLength(512));

/** Direct invocation: `{ limit?, cursor? }`. */
const ListOrdersPayload = z.strictObject({ limit: z.optional(Limit), cursor: z.optional(Cursor) });

export const { handler, httpHandler } = lambdaFunction({
  name: 'listOrders',
  access: 'user',
  query: ['limit', 'cursor'],
  fromHttp: (req) => {
    const { limit, cursor } = req.query;
    return {
      ...(limit === undefined ? {} : { limit: parseWith(Limit, Number(parseWith(LimitText, limit, 'query.limit')), 'query.limit') }),
      ...(cursor === undefined ? {} : { cursor: parseWith(Cursor, cursor, 'query.cursor') }),
    };
  },
  direct: ListOrdersPayload,
  run: async ({ limit, cursor }, call) => {
    const uid = callerOf(call);
    const field = call.transport === 'http' ? 'query.cursor' : 'payload.cursor';
    const after = cursor === undefined ? undefined : decodeCursor(uid, cursor, field);
    const page = await listOrders(await depsFor(call), { uid, limit: limit ?? DEFAULT_ORDER_PAGE, ...(after ? { after } : {}) });
    return { data: { orders: page.orders, ...(page.next ? { nextCursor: encodeCursor(uid, page.next) } : {}) } };
  },
});
