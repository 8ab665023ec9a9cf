/**
 * Direct Lambda invocation, for apps and servers that call the functions themselves (with Cognito identity-pool
 * credentials, or as a trusted caller): the payload goes in as plain JSON and the envelope comes back as is.
 * Identity comes from the invocation context, so no token is sent; `lang` and `idempotencyKey` travel in the
 * payload.
 */
import type { Operation, Transport } from '../transport';

/**
 * Performs one invocation and resolves with the function's returned payload (parsed, or as JSON text). It
 * should reject only when the answer was lost or the call could not be made (then the client retries with
 * the same idempotency key); an unhandled function error is best returned as its payload.
 */
export type Invoke = (functionName: string, payload: Record<string, unknown>, timeoutMs: number) => Promise<unknown>;

export interface InvokeOptions {
  /** The deployed name of an operation's direct function; by default `lockless-dev-<operation>`. */
  functionName?: (operation: Operation) => string;
}

/** Status for a returned payload that is not an envelope (a crashed function): what API Gateway would answer. */
const NOT_AN_ENVELOPE = 502;

export function invokeTransport(invoke: Invoke, options: InvokeOptions = {}): Transport {
  if (typeof invoke !== 'function') throw new TypeError('invokeTransport: pass a function that invokes a Lambda function');
  const nameOf = options.functionName ?? ((operation: Operation) => `lockless-dev-${operation}`);
  return async (request) => {
    let body = await invoke(nameOf(request.operation), request.payload, request.timeoutMs);
    if (typeof body === 'string') {
      try {
        body = JSON.parse(body);
      } catch {
        // left as text: not an envelope
      }
    }
    const fields = typeof body === 'object' && body !== null ? (body as { code?: unknown; replayed?: unknown }) : {};
    // A direct answer marks a replay in the envelope (`replayed: true`); HTTP does it with a header, which is
    // what the envelope reader looks at.
    const headers: Record<string, string> = fields.replayed === true ? { 'idempotent-replayed': 'true' } : {};
    return { status: typeof fields.code === 'number' ? fields.code : NOT_AN_ENVELOPE, body, headers };
  };
}
