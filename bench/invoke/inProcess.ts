/**
 * Calls the real handlers (functions/*.ts) in this process, as a warm Lambda container would: the store is
 * built from the environment on the first call (adapters/index.ts) and reused after.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Context } from 'aws-lambda';
import { httpEvent, lambdaContext } from './events';
import { parseBody, type FunctionName, type Invoker } from './invoker';

type Handler = (event: unknown, context: Context) => Promise<unknown>;

const ROOT = join(__dirname, '..', '..');

export function functionExists(fn: FunctionName): boolean {
  return existsSync(join(ROOT, 'functions', `${fn}.ts`));
}

export function inProcessInvoker(): Invoker {
  const handlers = new Map<FunctionName, Handler>();
  const load = (fn: FunctionName): Handler => {
    let handler = handlers.get(fn);
    if (!handler) {
      // The API Gateway entry: the bench sends HTTP API events, as the `<fn>Http` function receives them.
      handler = (require(join(ROOT, 'functions', fn)) as { httpHandler: Handler }).httpHandler;
      handlers.set(fn, handler);
    }
    return handler;
  };
  return {
    mode: 'in-process',
    has: functionExists,
    prepare(fn, call) {
      const handler = load(fn);
      const event = httpEvent(call);
      return async () => {
        const raw = (await handler(event, lambdaContext(fn))) as { statusCode: number; body?: string };
        return { status: raw.statusCode, body: parseBody(raw.body) };
      };
    },
    async close() {
      const adapters = require(join(ROOT, 'adapters')) as typeof import('../../adapters');
      await adapters.closeStore();
    },
  };
}
