/**
 * The contract between the client and whatever carries a request: fetch, wx.request, uni.request or a direct
 * Lambda invocation. A transport sends one request and answers with what came back; it rejects only when no
 * answer came (connection refused or reset, timed out), which the client treats as a network error.
 */

/** The buyer's operations (client.ts): what end users' apps call. */
export type BuyerOperation =
  | 'getProduct'
  | 'purchase'
  | 'getOrder'
  | 'listOrders'
  | 'transfer'
  | 'getAccount'
  | 'addCartItem'
  | 'removeCartItem'
  | 'getCart'
  | 'payOrder'
  | 'cancelOrder'
  | 'getRound'
  | 'enterRound';

/** The operations only an admin's token may call (admin/adminClient.ts, the `/admin` entry). */
export type AdminOperation =
  | 'createProduct'
  | 'editProduct'
  | 'restock'
  | 'shipOrder'
  | 'refundOrder'
  | 'createRound'
  | 'drawRound'
  | 'batchAdjust'
  | 'resetFreeEntries';

/** The route tables' operation names; also the direct-invocation function names (without a stage prefix). */
export type Operation = BuyerOperation | AdminOperation;

export interface WireRequest {
  operation: Operation;
  method: 'GET' | 'POST' | 'DELETE' | 'PATCH';
  /** baseUrl + path (and query string), for HTTP transports. */
  url: string;
  /** Lower-cased names: accept-language, authorization, content-type, idempotency-key, if-match. */
  headers: Record<string, string>;
  /** The JSON body text, on POST. */
  body?: string;
  /** The same request as a direct-invocation payload (with `lang` and, where accepted, `idempotencyKey`). */
  payload: Record<string, unknown>;
  /** How long this try may take; the transport should give up (and reject) after it. */
  timeoutMs: number;
}

export interface WireResponse {
  status: number;
  /** The parsed JSON body, or the text when it is not JSON. */
  body: unknown;
  /** Lower-cased names. */
  headers: Record<string, string>;
}

export type Transport = (request: WireRequest) => Promise<WireResponse>;

/** JSON text to a value; text that is not JSON stays text (a gateway's HTML error page, say). */
export function parseBody(text: unknown): unknown {
  if (typeof text !== 'string') return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A copy of `headers` with lower-cased names (mini-programs keep the server's spelling). */
export function lowerCased(headers: Record<string, unknown> | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name in headers ?? {}) {
    const value = (headers as Record<string, unknown>)[name];
    if (typeof value === 'string') out[name.toLowerCase()] = value;
  }
  return out;
}
