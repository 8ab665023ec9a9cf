/**
 * How `npm start` runs one Lambda function inside serverless-offline (wired in by localRuntime.cjs): the bundle
 * is loaded once and stays warm in the offline process, at most `concurrency` invocations of the function run at
 * once and the rest wait in line (first come, first served), and each invocation gets a context of its own whose
 * remaining time counts from the moment it starts running, not from when it arrived.
 *
 * serverless-offline 13 alone starts a worker thread per concurrent request with no bound (each cold-loads the
 * bundle), counts its timeout from before that cold start, and answers a timed-out or crashed HTTP API function
 * with HTTP 200 and the error as the body. Here a run that overruns its timeout or throws is answered over HTTP
 * as 503 SERVICE_UNAVAILABLE in lockless's envelope with `data.outcome: 'unknown'` (retry with the same
 * Idempotency-Key), exactly what the function itself answers when it reaches its own deadline; a request that
 * could not start within `maxQueueMs` is 503 with `outcome: 'not-applied'` (nothing ran; retrying is safe). A
 * direct invocation fails the way Lambda's Invoke API reports it (FunctionError), by throwing.
 */
import type { Context } from 'aws-lambda';
import { AppError } from '../../shared/errors';
import { logLine } from '../../shared/log';
import { errorEnvelope, toHttp } from '../../shared/edge/response';
import { negotiateLang } from '../../shared/messages';

export type LambdaHandler = (event: unknown, context: Context, callback: (err?: unknown, result?: unknown) => void) => unknown;

export interface InvokerOptions {
  /** The function's name, for logs. */
  name: string;
  /** Loads the bundle's handler (once: the module cache keeps it warm), like Lambda's init phase. */
  load(): LambdaHandler;
  /** The function's timeout (serverless.yml `timeout`), counted from the start of each run. */
  timeoutMs: number;
  /** Invocations of this function that run at once; later ones wait in line. */
  concurrency: number;
  /** How long a request may wait for its turn before it is refused without having run. */
  maxQueueMs: number;
  now?: () => number;
}

export type Invoke = (event: unknown, offlineContext: Partial<Context>) => Promise<unknown>;

/**
 * ClientContext objects already handed to an invocation. serverless-offline keeps the last direct invocation's
 * ClientContext on its pooled function object and passes it again to the next request served by that object,
 * even an HTTP one that never had one. Each direct invocation parses a fresh object, so one seen before is stale.
 */
const consumedClientContexts = new WeakSet<object>();

export function createLocalInvoker(options: InvokerOptions): Invoke {
  const now = options.now ?? Date.now;
  const line = createLine(options.concurrency);
  let handler: LambdaHandler | undefined;

  return async (event, offlineContext) => {
    const clientContext = freshClientContext(offlineContext.clientContext);
    const arrived = now();
    const turn = await line.take(options.maxQueueMs);
    if (!turn) {
      const err = new AppError('SERVICE_UNAVAILABLE', 'the function was busy: the request did not start', {
        details: { outcome: 'not-applied' },
      });
      return failed(event, offlineContext, err, { reason: 'queue', waitedMs: now() - arrived });
    }
    let failure: { err: AppError; log: Record<string, unknown>; direct: unknown } | undefined;
    try {
      handler ??= options.load();
      const started = now();
      const context = invocationContext(offlineContext, clientContext, () => Math.max(0, started + options.timeoutMs - now()));
      const result = await withTimeout(runOnce(handler, event, context), options.timeoutMs);
      if (!result.timedOut) return result.value;
      failure = {
        err: new AppError('SERVICE_UNAVAILABLE', 'the function did not answer within its timeout', { details: { outcome: 'unknown' } }),
        log: { reason: 'timeout', timeoutMs: options.timeoutMs },
        direct: `Task timed out after ${(options.timeoutMs / 1000).toFixed(2)} seconds`,
      };
    } catch (thrown) {
      failure = {
        err: new AppError('SERVICE_UNAVAILABLE', 'the function failed without answering', {
          details: { outcome: 'unknown' },
          cause: thrown,
        }),
        log: { reason: 'crash' },
        direct: thrown,
      };
    } finally {
      // The run is over for Lambda (which would freeze or replace the sandbox); a handler still busy after its
      // timeout keeps running in this process, but no longer counts against the function's concurrency.
      turn.release();
    }
    return failed(event, offlineContext, failure.err, failure.log, failure.direct);
  };

  /** Over HTTP: lockless's envelope with the 5xx status. Directly: throw, which the Invoke API reports as FunctionError. */
  function failed(
    event: unknown,
    offlineContext: Partial<Context>,
    err: AppError,
    log: Record<string, unknown>,
    direct?: unknown,
  ): unknown {
    const requestId = offlineContext.awsRequestId || 'unknown';
    const http = isHttpEvent(event);
    logLine('error', {
      fn: options.name,
      requestId,
      transport: http ? 'http' : 'direct',
      status: err.status,
      error: err.code,
      ...log,
      cause: err.cause,
    });
    if (!http) throw direct instanceof Error ? direct : new Error(typeof direct === 'string' ? direct : err.message);
    const headers = (event as { headers?: Record<string, string | undefined> }).headers ?? {};
    return toHttp(errorEnvelope(err, negotiateLang(headers['accept-language']), requestId));
  }
}

/** The context one invocation sees: a copy of what serverless-offline made, with our clock and callbacks. */
function invocationContext(offline: Partial<Context>, clientContext: Context['clientContext'], remaining: () => number): Context {
  const { getRemainingTimeInMillis: _ignored, done: _d, fail: _f, succeed: _s, ...fields } = offline;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: '',
    functionVersion: '$LATEST',
    invokedFunctionArn: '',
    memoryLimitInMB: '',
    awsRequestId: '',
    logGroupName: '',
    logStreamName: '',
    ...fields,
    clientContext,
    getRemainingTimeInMillis: remaining,
    // The deprecated callbacks: unused by lockless's async handlers; runOnce wires the callback argument.
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}

function freshClientContext(value: unknown): Context['clientContext'] {
  if (typeof value !== 'object' || value === null) return undefined;
  if (consumedClientContexts.has(value)) return undefined;
  consumedClientContexts.add(value);
  return value as Context['clientContext'];
}

/** The handler's answer, whether it returns a promise or calls the callback. */
function runOnce(handler: LambdaHandler, event: unknown, context: Context): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const callback = (err?: unknown, result?: unknown) => (err ? reject(err) : resolve(result));
    try {
      const returned = handler(event, context, callback) as Promise<unknown> | undefined;
      if (returned && typeof returned.then === 'function') returned.then(resolve, reject);
    } catch (err) {
      reject(err);
    }
  });
}

async function withTimeout<T>(work: Promise<T>, ms: number): Promise<{ timedOut: false; value: T } | { timedOut: true }> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<{ timedOut: true }>((resolve) => {
    timer = setTimeout(() => resolve({ timedOut: true }), ms);
  });
  try {
    return await Promise.race([work.then((value) => ({ timedOut: false as const, value })), late]);
  } finally {
    clearTimeout(timer);
    // A late failure of an abandoned run is logged by nobody but must not be an unhandled rejection.
    work.catch(() => {});
  }
}

/** The same test as the function's own wrapper (shared/edge/lambdaFunction.ts): it only picks the failure's shape. */
function isHttpEvent(event: unknown): boolean {
  const e = event as { version?: unknown; requestContext?: { http?: unknown } } | null;
  return typeof e === 'object' && e !== null && e.version === '2.0' && typeof e.requestContext?.http === 'object';
}

interface Turn {
  release(): void;
}

/** A first-come, first-served line in front of `slots` concurrent runs; a waiter gives up after `maxWaitMs`. */
export function createLine(slots: number) {
  let running = 0;
  const waiting: Array<(turn: Turn) => void> = [];
  const turn = (): Turn => {
    let released = false;
    return {
      release() {
        if (released) return;
        released = true;
        const next = waiting.shift();
        if (next) next(turn());
        else running -= 1;
      },
    };
  };
  return {
    take(maxWaitMs: number): Promise<Turn | undefined> {
      if (running < slots) {
        running += 1;
        return Promise.resolve(turn());
      }
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          const at = waiting.indexOf(admit);
          if (at >= 0) waiting.splice(at, 1);
          resolve(undefined);
        }, maxWaitMs);
        function admit(t: Turn) {
          clearTimeout(timer);
          resolve(t);
        }
        waiting.push(admit);
      });
    },
    get running() {
      return running;
    },
    get waiting() {
      return waiting.length;
    },
  };
}
