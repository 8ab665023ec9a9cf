/**
 * The local invoker that serverless-offline runs lockless's functions through (npm start): a bounded line per
 * function, a context and a deadline per invocation counted from when it starts, and 5xx envelopes (never 200)
 * for a run that times out, crashes or never gets its turn. Jest's fake timers drive the clock: no sleeps.
 */
import type { Context } from 'aws-lambda';
import { ERROR_CODES } from '../../../shared/errors';
import { createLine, createLocalInvoker, type LambdaHandler } from '../../../scripts/serverless/localInvoker';
import { httpEvent } from '../../support/events';

interface Seen {
  requestId: string;
  remainingAtStart: number;
  clientContext: unknown;
  sub?: string;
}

/** A handler that records what each invocation saw and answers when the test says so. */
function probe() {
  const seen: Seen[] = [];
  const pending: Array<(value: unknown) => void> = [];
  const handler: LambdaHandler = (event, context) => {
    const sub = (event as { requestContext?: { authorizer?: { jwt?: { claims?: { sub?: string } } } } }).requestContext?.authorizer?.jwt
      ?.claims?.sub;
    seen.push({
      requestId: context.awsRequestId,
      remainingAtStart: context.getRemainingTimeInMillis(),
      clientContext: context.clientContext,
      sub,
    });
    return new Promise((resolve) => pending.push(resolve));
  };
  return { seen, pending, handler };
}

const offlineContext = (awsRequestId: string, extra: Partial<Context> = {}): Partial<Context> => ({
  awsRequestId,
  functionName: 'lockless-dev-purchase',
  // What serverless-offline's in-process runner passes: its own clock, started before our line.
  getRemainingTimeInMillis: () => 1,
  ...extra,
});

const httpFor = (sub: string, headers: Record<string, string> = {}) =>
  httpEvent({ method: 'POST', path: '/products/1/purchase', pathParameters: { id: '1' }, body: { quantity: 1 }, sub, headers });

/** Lets every settled promise run its continuations (fake timers do not advance microtasks by themselves). */
const flush = () => jest.advanceTimersByTimeAsync(0);

/** The error lines the invoker logs (the serverless-offline process's output, locally). */
let logged: jest.SpyInstance;
beforeEach(() => {
  jest.useFakeTimers({ now: 1_000_000 });
  logged = jest.spyOn(console, 'error').mockImplementation(() => {});
});
afterEach(() => {
  jest.useRealTimers();
  logged.mockRestore();
});
const loggedLines = () => logged.mock.calls.map(([line]) => JSON.parse(String(line)));

describe('createLocalInvoker', () => {
  it('runs at most `concurrency` invocations at once, in arrival order, each with its own identity', async () => {
    // Arrange
    const { seen, pending, handler } = probe();
    const invoke = createLocalInvoker({ name: 'purchase', load: () => handler, timeoutMs: 10_000, concurrency: 2, maxQueueMs: 60_000 });

    // Act
    const answers = ['alice', 'bob', 'carol'].map((sub) => invoke(httpFor(sub), offlineContext(`req-${sub}`)));
    await flush();

    // Assert: two run, the third waits for a free slot, then runs as itself
    expect(seen.map((s) => s.sub)).toEqual(['alice', 'bob']);
    pending[0]!('answer-alice');
    await flush();
    expect(seen.map((s) => s.sub)).toEqual(['alice', 'bob', 'carol']);
    expect(seen.map((s) => s.requestId)).toEqual(['req-alice', 'req-bob', 'req-carol']);
    pending[1]!('answer-bob');
    pending[2]!('answer-carol');
    await expect(Promise.all(answers)).resolves.toEqual(['answer-alice', 'answer-bob', 'answer-carol']);
  });

  it('counts the remaining time from when an invocation starts, not from when it arrived', async () => {
    // Arrange: one slot, two concurrent invocations
    const { seen, pending, handler } = probe();
    const invoke = createLocalInvoker({ name: 'purchase', load: () => handler, timeoutMs: 10_000, concurrency: 1, maxQueueMs: 60_000 });
    const first = invoke(httpFor('alice'), offlineContext('req-1'));
    const second = invoke(httpFor('bob'), offlineContext('req-2'));
    await flush();

    // Act: the first runs for 7 s while the second waits
    await jest.advanceTimersByTimeAsync(7_000);
    pending[0]!('one');
    await flush();

    // Assert: each started with the whole 10 s, and each got its own context object
    expect(seen.map((s) => s.remainingAtStart)).toEqual([10_000, 10_000]);
    await jest.advanceTimersByTimeAsync(9_000);
    pending[1]!('two');
    await expect(Promise.all([first, second])).resolves.toEqual(['one', 'two']);
  });

  it('keeps two concurrent invocations apart: identity, request id, deadline and ClientContext', async () => {
    // Arrange
    const contexts: Context[] = [];
    const handler: LambdaHandler = async (_event, context) => {
      contexts.push(context);
      await new Promise((resolve) => setTimeout(resolve, contexts.length === 1 ? 3_000 : 1_000));
      return {
        requestId: context.awsRequestId,
        remaining: context.getRemainingTimeInMillis(),
        caller: (context.clientContext as any)?.custom?.caller,
      };
    };
    const invoke = createLocalInvoker({ name: 'purchase', load: () => handler, timeoutMs: 10_000, concurrency: 4, maxQueueMs: 60_000 });

    // Act: the second starts 2 s after the first and they overlap
    const a = invoke({ productId: '1' }, offlineContext('req-a', { clientContext: { custom: { caller: 'a' } } as any }));
    await jest.advanceTimersByTimeAsync(2_000);
    const b = invoke({ productId: '1' }, offlineContext('req-b', { clientContext: { custom: { caller: 'b' } } as any }));
    await jest.advanceTimersByTimeAsync(2_000);

    // Assert: each answer carries its own id, caller and deadline (a: 3 s used, b: 1 s used)
    await expect(a).resolves.toEqual({ requestId: 'req-a', remaining: 7_000, caller: 'a' });
    await expect(b).resolves.toEqual({ requestId: 'req-b', remaining: 9_000, caller: 'b' });
    expect(contexts[0]).not.toBe(contexts[1]);
  });

  it('does not hand a ClientContext to a second invocation (serverless-offline reuses the last one)', async () => {
    // Arrange
    const { seen, pending, handler } = probe();
    const invoke = createLocalInvoker({ name: 'purchase', load: () => handler, timeoutMs: 10_000, concurrency: 4, maxQueueMs: 60_000 });
    const clientContext = { custom: { lockless: { sub: 'carol', iat: 1, sig: 'x' } } };

    // Act: a direct invocation with a ClientContext, then an HTTP request served by the same pooled object
    const direct = invoke({ productId: '1' }, offlineContext('req-direct', { clientContext: clientContext as any }));
    const http = invoke(httpFor('alice'), offlineContext('req-http', { clientContext: clientContext as any }));
    await flush();
    for (const resolve of pending) resolve('ok');
    await Promise.all([direct, http]);

    // Assert
    expect(seen.map((s) => s.clientContext)).toEqual([clientContext, undefined]);
  });

  it('answers an HTTP request whose run overruns its timeout with 503 and an unknown outcome, never 200', async () => {
    // Arrange
    const { handler } = probe();
    const invoke = createLocalInvoker({ name: 'purchase', load: () => handler, timeoutMs: 10_000, concurrency: 1, maxQueueMs: 60_000 });

    // Act
    const answer = invoke(httpFor('alice', { 'accept-language': 'en' }), offlineContext('req-late'));
    await jest.advanceTimersByTimeAsync(10_000);

    // Assert: lockless's envelope and a retryable code
    const result = (await answer) as { statusCode: number; body: string };
    expect(result.statusCode).toBe(503);
    const body = JSON.parse(result.body);
    expect(body).toEqual({
      code: 503,
      msg: 'Service temporarily unavailable, please retry',
      error: 'SERVICE_UNAVAILABLE',
      data: { outcome: 'unknown', requestId: 'req-late' },
    });
    expect(ERROR_CODES[body.error as keyof typeof ERROR_CODES].retryable).toBe(true);
    expect(loggedLines()).toEqual([
      expect.objectContaining({ fn: 'purchase', requestId: 'req-late', status: 503, reason: 'timeout', transport: 'http' }),
    ]);
  });

  it('frees the slot of a timed-out run for the next request of the same function', async () => {
    // Arrange
    let calls = 0;
    const handler: LambdaHandler = () => (++calls === 1 ? new Promise(() => {}) : Promise.resolve('second'));
    const invoke = createLocalInvoker({ name: 'purchase', load: () => handler, timeoutMs: 10_000, concurrency: 1, maxQueueMs: 60_000 });

    // Act
    const stuck = invoke(httpFor('alice'), offlineContext('req-1'));
    const queued = invoke(httpFor('bob'), offlineContext('req-2'));
    await jest.advanceTimersByTimeAsync(10_000);

    // Assert
    expect(((await stuck) as { statusCode: number }).statusCode).toBe(503);
    await expect(queued).resolves.toBe('second');
  });

  it('answers a crashed run (a throw, a rejection, a module that fails to load) with 503 over HTTP', async () => {
    // Arrange
    const throwing: LambdaHandler = () => {
      throw new Error('boom');
    };
    const rejecting: LambdaHandler = () => Promise.reject(new Error('later boom'));
    const make = (load: () => LambdaHandler) =>
      createLocalInvoker({ name: 'purchase', load, timeoutMs: 10_000, concurrency: 1, maxQueueMs: 60_000 });

    // Act
    const answers = (await Promise.all([
      make(() => throwing)(httpFor('alice'), offlineContext('r1')),
      make(() => rejecting)(httpFor('alice'), offlineContext('r2')),
      make(() => {
        throw new Error('Cannot find module');
      })(httpFor('alice'), offlineContext('r3')),
    ])) as Array<{ statusCode: number; body: string }>;

    // Assert: Chinese by default, the internal text nowhere
    for (const answer of answers) {
      expect(answer.statusCode).toBe(503);
      expect(JSON.parse(answer.body)).toMatchObject({
        code: 503,
        error: 'SERVICE_UNAVAILABLE',
        msg: '服务暂时不可用，请稍后重试',
        data: { outcome: 'unknown' },
      });
      expect(answer.body).not.toMatch(/boom|Cannot find/);
    }
    // The cause is kept for the log, where a request id in the answer finds it.
    expect(
      loggedLines()
        .map((l) => [l.requestId, l.reason, l.cause?.message])
        .sort(),
    ).toEqual([
      ['r1', 'crash', 'boom'],
      ['r2', 'crash', 'later boom'],
      ['r3', 'crash', 'Cannot find module'],
    ]);
  });

  it('fails a direct invocation that times out or crashes the way Lambda does: the Invoke API reports a FunctionError', async () => {
    // Arrange
    const { handler } = probe();
    const hanging = createLocalInvoker({ name: 'purchase', load: () => handler, timeoutMs: 10_000, concurrency: 1, maxQueueMs: 60_000 });
    const crashing = createLocalInvoker({
      name: 'purchase',
      load: () => () => Promise.reject(new Error('boom')),
      timeoutMs: 10_000,
      concurrency: 1,
      maxQueueMs: 60_000,
    });

    // Act
    const late = hanging({ productId: '1' }, offlineContext('r1'));
    const lateSettled = late.catch((err: Error) => err);
    await jest.advanceTimersByTimeAsync(10_000);

    // Assert
    expect(await lateSettled).toEqual(new Error('Task timed out after 10.00 seconds'));
    await expect(crashing({ productId: '1' }, offlineContext('r2'))).rejects.toThrow('boom');
  });

  it('refuses a request that could not start in time: 503, and nothing ran', async () => {
    // Arrange
    const { seen, pending, handler } = probe();
    const invoke = createLocalInvoker({ name: 'purchase', load: () => handler, timeoutMs: 10_000, concurrency: 1, maxQueueMs: 5_000 });
    const running = invoke(httpFor('alice'), offlineContext('r1'));
    const waiting = invoke(httpFor('bob'), offlineContext('r2'));

    // Act
    await jest.advanceTimersByTimeAsync(5_000);

    // Assert
    const refused = (await waiting) as { statusCode: number; body: string };
    expect(refused.statusCode).toBe(503);
    expect(JSON.parse(refused.body)).toMatchObject({ error: 'SERVICE_UNAVAILABLE', data: { outcome: 'not-applied', requestId: 'r2' } });
    expect(seen.map((s) => s.sub)).toEqual(['alice']);
    pending[0]!('done');
    await expect(running).resolves.toBe('done');
  });

  it('supports callback-style handlers', async () => {
    const handler: LambdaHandler = (_event, _context, callback) => {
      setTimeout(() => callback(null, 'via callback'), 10);
    };
    const invoke = createLocalInvoker({ name: 'purchase', load: () => handler, timeoutMs: 10_000, concurrency: 1, maxQueueMs: 60_000 });
    const answer = invoke({}, offlineContext('r1'));
    await jest.advanceTimersByTimeAsync(10);
    await expect(answer).resolves.toBe('via callback');
  });

  it('loads the bundle once and keeps it warm', async () => {
    const load = jest.fn(() => (async () => 'ok') as LambdaHandler);
    const invoke = createLocalInvoker({ name: 'purchase', load, timeoutMs: 10_000, concurrency: 2, maxQueueMs: 60_000 });
    await Promise.all([invoke({}, offlineContext('r1')), invoke({}, offlineContext('r2')), invoke({}, offlineContext('r3'))]);
    expect(load).toHaveBeenCalledTimes(1);
  });
});

describe('createLine', () => {
  it('admits in arrival order and never more than its slots', async () => {
    const line = createLine(2);
    const order: number[] = [];
    const turns = await Promise.all([line.take(1_000), line.take(1_000)]);
    const later = [3, 4, 5].map((n) => line.take(60_000).then((turn) => (order.push(n), turn)));
    await flush();
    expect(line.running).toBe(2);
    expect(line.waiting).toBe(3);
    turns[0]!.release();
    turns[0]!.release(); // a second release of one turn frees nothing more
    await flush();
    expect(order).toEqual([3]);
    expect(line.waiting).toBe(2);
    turns[1]!.release();
    await flush();
    expect(order).toEqual([3, 4]);
    (await later[0])!.release();
    (await later[1])!.release();
    (await later[2])!.release();
    expect(order).toEqual([3, 4, 5]);
    expect(line.running).toBe(0);
  });
});
