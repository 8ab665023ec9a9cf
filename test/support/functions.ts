/**
 * Loads the real handlers in a fresh module registry wired by the real composition root (adapters/index.ts)
 * from a configuration read from these variables, as a Lambda container would, against one test fixture's
 * namespace.
 */
import type { Context } from 'aws-lambda';
import { TEST_IDENTITY_POOL } from './events';
import { dynamoEndpoint, mongoUri, type BackendName } from './stores';

export type Handler = (event: unknown, context: Context) => Promise<unknown>;

export interface LoadedFunctions {
  /** The direct-invocation entry (`handler`) of that function; a name that was not loaded throws. */
  handler(name: string): Handler;
  /** The API Gateway entry (`httpHandler`) of that function: what the `<name>Http` Lambda function runs. */
  http(name: string): Handler;
  close(): Promise<void>;
}

export function backendEnv(backend: BackendName, namespace: { tablePrefix?: string; dbName?: string }): Record<string, string> {
  return backend === 'dynamodb'
    ? {
        LOCKLESS_BACKEND: 'dynamodb',
        LOCKLESS_DYNAMODB_ENDPOINT: dynamoEndpoint(),
        LOCKLESS_TABLE_PREFIX: namespace.tablePrefix!,
      }
    : { LOCKLESS_BACKEND: 'mongodb', LOCKLESS_MONGODB_URI: mongoUri(), LOCKLESS_MONGODB_DB: namespace.dbName! };
}

export function loadFunctions(names: string[], backendSettings: Record<string, string | undefined>): LoadedFunctions {
  // Cognito identities count only from the configured pool: the one cognitoContext() uses, unless overridden.
  const env = { LOCKLESS_COGNITO_IDENTITY_POOL_ID: TEST_IDENTITY_POOL, ...backendSettings };
  let loaded: LoadedFunctions | undefined;
  jest.isolateModules(() => {
    // The container's configuration, handed over instead of read from process.env (shared/config.ts).
    const merged: Record<string, string | undefined> = { ...process.env, ...env };
    const { readConfig, useConfig } = require('../../shared/config') as typeof import('../../shared/config');
    useConfig(readConfig(merged));
    // Retry budgets are still read from process.env by createDeps (shared/operations/deps.ts): only they need
    // this environment in force while the container's store and dependencies are built.
    const saved: Record<string, string | undefined> = {};
    for (const [key, value] of Object.entries(env)) {
      saved[key] = process.env[key];
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    try {
      (require('../../functions/runtime') as typeof import('../../functions/runtime')).runtimeDeps();
    } finally {
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
    const adapters = require('../../adapters') as typeof import('../../adapters');
    const modules: Record<string, { handler: Handler; httpHandler: Handler }> = {};
    for (const name of names) modules[name] = require(`../../functions/${name}`);
    const entry = (name: string, which: 'handler' | 'httpHandler'): Handler => {
      const found = modules[name]?.[which];
      if (!found) throw new Error(`handler ${name} was not loaded`);
      return found;
    };
    loaded = { handler: (name) => entry(name, 'handler'), http: (name) => entry(name, 'httpHandler'), close: () => adapters.closeStore() };
  });
  return loaded!;
}
