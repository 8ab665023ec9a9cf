/**
 * The one module that reads the environment: every setting of the functions (and of the local tools that start
 * them) in one typed object. A function reads it once per container, when it loads (`config()`); tests that
 * load the functions in-process build one with `readConfig(env)` and hand it over (`useConfig`). Two readings
 * are not here yet: the retry budgets (policiesFromEnv in shared/operations/deps.ts) and the log level, which is
 * read at every line on purpose (logThreshold below).
 *
 * Every name starts with LOCKLESS_. The unprefixed names of earlier releases (MONGODB_URI, DYNAMODB_ENDPOINT,
 * TABLE_PREFIX...) are still accepted as fallbacks, listed in RENAMED (shared/renamedSettings.json), so a
 * setting made under an old name keeps working instead of being ignored. `BACKEND` is the one exception: it is
 * the documented alias of `npm start` (`BACKEND=mongodb npm start`), read only by `backendFrom` below.
 */
import renamed from './renamedSettings.json';

export type Backend = 'dynamodb' | 'mongodb';

/** Where a secret comes from: a plain value (local runs) or the name of an SSM SecureString parameter (deployed). */
export interface SecretSource {
  value?: string;
  parameter?: string;
}

export interface DynamoSettings {
  /** Unset: the AWS endpoint of the region. */
  endpoint?: string;
  tablePrefix: string;
  connectTimeoutMs: number;
  requestTimeoutMs: number;
  maxSockets: number;
}

export interface MongoSettings {
  uri: SecretSource;
  dbName: string;
  serverSelectionTimeoutMs: number;
  connectTimeoutMs: number;
  socketTimeoutMs: number;
  maxPoolSize: number;
}

export interface AdminSettings {
  /** The JWT claim that lists the caller's groups (Cognito user pools: `cognito:groups`). */
  claim: string;
  /** The group whose members are admins. */
  group: string;
}

export interface OrderSettings {
  /** How long a new order waits for payment before the sweep expires it (LOCKLESS_PAYMENT_WINDOW_S, default 900). */
  paymentWindowMs: number;
  /** The account payments go to and refunds come from (LOCKLESS_MERCHANT_ACCOUNT_ID, default acc-merchant). */
  merchantAccountId: string;
}

export const DEFAULT_ORDER_SETTINGS: Readonly<OrderSettings> = { paymentWindowMs: 15 * 60 * 1000, merchantAccountId: 'acc-merchant' };

/** The order lifecycle's settings (shared/operations/orderTransitions.ts). */
export function orderSettings(env: Env = process.env): OrderSettings {
  return {
    paymentWindowMs: intSetting('LOCKLESS_PAYMENT_WINDOW_S', DEFAULT_ORDER_SETTINGS.paymentWindowMs / 1000, env) * 1000,
    merchantAccountId: setting('LOCKLESS_MERCHANT_ACCOUNT_ID', env) ?? DEFAULT_ORDER_SETTINGS.merchantAccountId,
  };
}

export interface FunctionConfig {
  backend: Backend;
  /** True inside an esbuild bundle (esbuild.config.mjs defines it). */
  bundled: boolean;
  /**
   * True when Lambda initialises this container ahead of any request, for provisioned concurrency
   * (AWS_LAMBDA_INITIALIZATION_TYPE=provisioned-concurrency): functions/runtime.ts then loads the adapter during
   * init instead of at the first request, since no caller waits for that init.
   */
  provisioned: boolean;
  /** The deployment stage; trusted-caller assertions are bound to it. */
  stage: string;
  /** The one Cognito identity pool whose identities count on direct invocation; unset: none do. */
  cognitoIdentityPoolId?: string;
  trustedCallerSecret: SecretSource;
  /** Who may call admin routes over HTTP: a verified JWT whose `claim` lists `group` (admin.ts). */
  admin: AdminSettings;
  orders: OrderSettings;
  dynamodb: DynamoSettings;
  mongodb: MongoSettings;
  /** The CloudWatch namespace of the functions' metrics (LOCKLESS_METRICS_NAMESPACE, default `lockless`). */
  metricsNamespace: string;
}

/**
 * Old (unprefixed) names still accepted when the LOCKLESS_ name is unset: new name → old name. JSON, so that
 * the serverless side (scripts/serverless/settings.cjs, plain CommonJS) applies the very same table.
 */
export const RENAMED: Readonly<Record<string, string>> = renamed;

type Env = Readonly<Record<string, string | undefined>>;

/** A setting by its LOCKLESS_ name, else by its old name; empty counts as unset (serverless.yml writes '' for "none"). */
export function setting(name: string, env: Env = process.env): string | undefined {
  const old = RENAMED[name];
  return env[name] || (old ? env[old] : undefined) || undefined;
}

function positiveInt(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return Number.isSafeInteger(n) && n > 0 ? n : fallback;
}

/** A whole number setting (a port, a count); unset or not a positive integer: `fallback`. */
export function intSetting(name: string, fallback: number, env: Env = process.env): number {
  return positiveInt(setting(name, env), fallback);
}

/**
 * The backend a tool runs or builds: LOCKLESS_BACKEND, else the alias BACKEND (`BACKEND=mongodb npm start`),
 * else dynamodb. Both set to different backends is refused rather than one silently winning.
 */
export function backendFrom(env: Env = process.env): Backend {
  const primary = env.LOCKLESS_BACKEND || undefined;
  const alias = env.BACKEND || undefined;
  if (primary && alias && primary !== alias) throw new Error(`LOCKLESS_BACKEND=${primary} and BACKEND=${alias} disagree: set one`);
  const chosen = primary ?? alias ?? 'dynamodb';
  if (chosen !== 'dynamodb' && chosen !== 'mongodb') throw new Error(`LOCKLESS_BACKEND must be dynamodb or mongodb, not ${chosen}`);
  return chosen;
}

/** The DynamoDB client settings the functions run with (also the benchmark's raw client's). */
export function dynamoSettings(env: Env = process.env): DynamoSettings {
  return {
    endpoint: setting('LOCKLESS_DYNAMODB_ENDPOINT', env),
    tablePrefix: setting('LOCKLESS_TABLE_PREFIX', env) ?? 'lockless-dev-',
    connectTimeoutMs: intSetting('LOCKLESS_DB_CONNECT_TIMEOUT_MS', 1_000, env),
    requestTimeoutMs: intSetting('LOCKLESS_DB_REQUEST_TIMEOUT_MS', 2_000, env),
    maxSockets: intSetting('LOCKLESS_DB_MAX_SOCKETS', 128, env),
  };
}

/** The MongoDB client settings the functions run with (also the benchmark's raw client's). */
export function mongoSettings(env: Env = process.env): MongoSettings {
  return {
    uri: { value: setting('LOCKLESS_MONGODB_URI', env), parameter: setting('LOCKLESS_MONGODB_URI_PARAMETER', env) },
    dbName: setting('LOCKLESS_MONGODB_DB', env) ?? 'lockless',
    serverSelectionTimeoutMs: intSetting('LOCKLESS_DB_CONNECT_TIMEOUT_MS', 2_000, env),
    connectTimeoutMs: intSetting('LOCKLESS_DB_CONNECT_TIMEOUT_MS', 1_000, env),
    socketTimeoutMs: intSetting('LOCKLESS_DB_REQUEST_TIMEOUT_MS', 2_000, env),
    maxPoolSize: intSetting('LOCKLESS_DB_MAX_SOCKETS', 10, env),
  };
}

/**
 * The backend a bundle was built for, or undefined when running from source. esbuild replaces both expressions
 * with constants (esbuild.config.mjs): a bundle holds one adapter only, so it runs the backend it holds.
 */
const BUILT_FOR: Backend | undefined =
  process.env.LOCKLESS_BUNDLED === 'true' ? (process.env.LOCKLESS_BACKEND === 'mongodb' ? 'mongodb' : 'dynamodb') : undefined;

/** Reads the functions' configuration from `env`. A function never sees BACKEND: its tools set LOCKLESS_BACKEND. */
export function readConfig(env: Env = process.env): FunctionConfig {
  return {
    backend: BUILT_FOR ?? (env.LOCKLESS_BACKEND === 'mongodb' ? 'mongodb' : 'dynamodb'),
    bundled: BUILT_FOR !== undefined,
    provisioned: env.AWS_LAMBDA_INITIALIZATION_TYPE === 'provisioned-concurrency',
    stage: setting('LOCKLESS_STAGE', env) ?? 'dev',
    cognitoIdentityPoolId: setting('LOCKLESS_COGNITO_IDENTITY_POOL_ID', env),
    trustedCallerSecret: {
      value: setting('LOCKLESS_TRUSTED_CALLER_SECRET', env),
      parameter: setting('LOCKLESS_TRUSTED_CALLER_SECRET_PARAMETER', env),
    },
    admin: {
      claim: setting('LOCKLESS_ADMIN_CLAIM', env) ?? 'cognito:groups',
      group: setting('LOCKLESS_ADMIN_GROUP', env) ?? 'lockless-admin',
    },
    orders: orderSettings(env),
    dynamodb: dynamoSettings(env),
    mongodb: mongoSettings(env),
    metricsNamespace: setting('LOCKLESS_METRICS_NAMESPACE', env) ?? 'lockless',
  };
}

let current: FunctionConfig | undefined;

/** The container's configuration, read from the environment at the first call and kept for its life. */
export function config(): FunctionConfig {
  current ??= readConfig();
  return current;
}

/** Replaces the container's configuration (tests and tools that load the functions in-process). */
export function useConfig(next: FunctionConfig): void {
  current = next;
}

export type LogThreshold = 'info' | 'warn' | 'error' | 'silent';

/**
 * LOCKLESS_LOG_LEVEL: info (default), warn, error or silent. The one setting read at every use instead of once,
 * so that verbosity can be turned up in a running process (a test that checks the audit lines does).
 */
export function logThreshold(env: Env = process.env): LogThreshold {
  const value = env.LOCKLESS_LOG_LEVEL;
  return value === 'info' || value === 'warn' || value === 'error' || value === 'silent' ? value : 'info';
}
