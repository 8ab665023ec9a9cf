/**
 * lockless client SDK, buyer's entry (`@lockless/client`): typed calls, idempotency keys and safe retries for
 * browsers, mini-programs and apps. The admin-only routes are in `@lockless/client/admin` (admin/index.ts).
 */
export {
  createClient,
  type ClientOptions,
  type CallOptions,
  type MutationOptions,
  type TransitionOptions,
  type LocklessClient,
} from './client';
export {
  SERVER_CODES,
  CLIENT_CODES,
  type ErrorCode,
  type ServerCode,
  type ClientCode,
  type ErrorData,
  type ErrorDataMap,
  type FieldIssue,
} from './codes';
export type { Lang } from './messages';
export { ROUTES, type Route } from './routes';
export { DEFAULT_POLICY, type RetryPolicy, type Clock } from './retry';
export { newIdempotencyKey } from './keys';
export type { Operation, BuyerOperation, AdminOperation, Transport, WireRequest, WireResponse } from './transport';
export { fetchTransport, type FetchLike } from './transports/fetch';
export { wxTransport, uniTransport, type MiniProgramApi, type MiniProgramRequestOptions } from './transports/miniProgram';
export { invokeTransport, type Invoke, type InvokeOptions } from './transports/invoke';
export type * from './types';
