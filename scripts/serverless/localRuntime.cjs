'use strict';
/**
 * `serverless offline` only: runs every function through lockless's local invoker (localInvoker.ts) instead of
 * serverless-offline's own runners. The bundles load once into the offline process and stay warm; each function
 * runs at most LOCKLESS_OFFLINE_CONCURRENCY invocations at once (default 32) and the rest wait in line, for at
 * most LOCKLESS_OFFLINE_MAX_QUEUE_MS (default: what API Gateway's 30 s leave after the function's timeout, at
 * least 10 s); every invocation gets its own context and its timeout (serverless.yml's, or
 * LOCKLESS_OFFLINE_TIMEOUT_MS), counted from when it starts. Why: see docs/local-runtime.md ("How npm start runs the
 * functions"). Deploying and packaging are untouched: this hooks `offline` alone.
 */
const { relative, resolve } = require('node:path');

/** API Gateway's limit for one HTTP API integration: no request waits and runs for longer in total. */
const GATEWAY_LIMIT_MS = 30_000;

class LocklessLocalRuntime {
  constructor(serverless, cliOptions, { log } = {}) {
    this.serverless = serverless;
    this.cliOptions = cliOptions;
    this.log = log;
    const install = () => this.install();
    this.hooks = { 'before:offline:start:init': install, 'before:offline:start': install };
  }

  install() {
    if (this.installed) return;
    this.installed = true;
    const { service, config } = this.serverless;
    const servicePath = config.servicePath;
    // serverless-offline's in-process runner calls our invokers; they keep the time, so its own timer (which
    // would answer HTTP 200 with the error as the body) is off.
    for (const flag of ['useInProcess', 'noTimeout']) {
      if (this.cliOptions[flag] === false) throw new Error(`lockless's local runtime needs serverless-offline's ${flag}`);
      this.cliOptions[flag] = true;
    }
    const { createLocalInvoker } = require('tsx/cjs/api').require('./localInvoker.ts', __filename);
    const concurrency = positive(process.env.LOCKLESS_OFFLINE_CONCURRENCY, 32);
    const here = relative(servicePath, __filename).replace(/\.cjs$/, '');
    for (const key of service.getAllFunctions()) {
      const fn = service.getFunction(key);
      const timeoutMs = positive(process.env.LOCKLESS_OFFLINE_TIMEOUT_MS, (fn.timeout ?? service.provider.timeout ?? 6) * 1000);
      const [file, exportName] = splitHandler(fn.handler);
      LocklessLocalRuntime.handlers[key] = createLocalInvoker({
        name: fn.name ?? key,
        load: () => require(resolve(servicePath, file))[exportName],
        timeoutMs,
        concurrency,
        maxQueueMs: positive(process.env.LOCKLESS_OFFLINE_MAX_QUEUE_MS, Math.max(10_000, GATEWAY_LIMIT_MS - timeoutMs)),
      });
      fn.handler = `${here}.handlers.${key}`;
    }
    this.log?.notice?.(
      `lockless: functions run in-process and warm, at most ${concurrency} at once each (scripts/serverless/localRuntime.cjs)`,
    );
  }
}

/** The invokers serverless-offline loads as handlers (`<this file>.handlers.<function>`). */
LocklessLocalRuntime.handlers = {};

function splitHandler(handler) {
  const at = handler.lastIndexOf('.');
  if (at <= 0) throw new Error(`handler ${handler} is not <file>.<export>`);
  return [handler.slice(0, at), handler.slice(at + 1)];
}

function positive(value, fallback) {
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

module.exports = LocklessLocalRuntime;
