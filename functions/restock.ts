/**
 * POST /products/{id}/restock (admin): adds stock with one increment; with an Idempotency-Key, a retry adds once.
 * Also a direct invocation. Payloads, answers and errors: the API table in README.md, the one place they
 * are described.
 */
import { RestockBody, RestockPayload } from '../shared/catalogSchemas';
import { readJsonObject } from '../shared/edge/body';
import { idempotencyKeyOf } from '../shared/edge/idempotencyHeaders';
import { callerOf, lambdaFunction } from '../shared/edge/lambdaFunction';
import { restock } from '../shared/operations/catalog';
import { Id, parseWith } from '../shared/validation';
import { depsFor } from './runtime';

export const { handler, httpHandler } = lambdaFunction({
  name: 'restock',
  access: 'admin',
  fromHttp: (req) => ({
    productId: parseWith(Id, req.pathParams.id, 'path.id'),
    ...parseWith(RestockBody, readJsonObject(req), 'body'),
    idempotencyKey: idempotencyKeyOf(req),
  }),
  direct: RestockPayload,
  run: async (command, call) => {
    // The key is scoped to the verified admin who sent it.
    const { data, replayed } = await restock(await depsFor(call), { ...command, deadline: call.deadline, uid: callerOf(call) });
    return { msg: 'RESTOCKED', data, replayed };
  },
});
