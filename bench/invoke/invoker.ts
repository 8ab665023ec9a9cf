/**
 * How the lockless contestants reach a function: in process (the handler called with a real event) or over
 * HTTP through serverless-offline. Either way a call is prepared first (event, token: not timed) and then sent.
 */
import type { HttpCall } from './events';

export type FunctionName = 'getProduct' | 'purchase' | 'transfer';

export interface Answer {
  status: number;
  body: { code?: number; error?: string; data?: Record<string, unknown> } | null;
}

export interface Invoker {
  readonly mode: 'in-process' | 'http';
  /** True when the function can be called (transfer may not exist yet). */
  has(fn: FunctionName): boolean;
  /** Builds everything the call needs, and returns the part that is timed. */
  prepare(fn: FunctionName, call: HttpCall): () => Promise<Answer>;
  close(): Promise<void>;
}

export function parseBody(text: string | undefined): Answer['body'] {
  if (!text) return null;
  try {
    return JSON.parse(text) as Answer['body'];
  } catch {
    return null;
  }
}
