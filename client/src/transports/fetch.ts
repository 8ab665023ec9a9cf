/** The fetch transport: browsers, H5 pages, React Native, Node 18+. */
import { lowerCased, parseBody, type Transport } from '../transport';

/** The part of the Fetch API this transport uses. */
export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string; signal?: unknown },
) => Promise<{ status: number; text(): Promise<string>; headers: { forEach(fn: (value: string, name: string) => void): void } }>;

// Module-local declarations of the globals this file may find; no DOM or Node typings are assumed.
declare const fetch: FetchLike | undefined;
declare const AbortController: { new (): { signal: unknown; abort(): void } } | undefined;
declare function setTimeout(fn: () => void, ms: number): unknown;
declare function clearTimeout(id: unknown): void;

/**
 * @param fetchFn the fetch to use; by default the global one (a mini-program has none: use wxTransport or
 *   uniTransport there).
 */
export function fetchTransport(fetchFn?: FetchLike): Transport {
  const send: FetchLike | undefined = fetchFn ?? (typeof fetch === 'function' ? (url, init) => fetch!(url, init) : undefined);
  if (!send) throw new TypeError('fetchTransport: no fetch here; pass one, or use wxTransport / uniTransport');
  return async (request) => {
    const controller = typeof AbortController === 'function' ? new AbortController() : undefined;
    const timer = controller ? setTimeout(() => controller.abort(), request.timeoutMs) : undefined;
    try {
      const res = await send(request.url, {
        method: request.method,
        headers: request.headers,
        ...(request.body !== undefined ? { body: request.body } : {}),
        ...(controller ? { signal: controller.signal } : {}),
      });
      const headers: Record<string, string> = {};
      res.headers.forEach((value, name) => {
        headers[name] = value;
      });
      return { status: res.status, body: parseBody(await res.text()), headers: lowerCased(headers) };
    } finally {
      if (timer !== undefined) clearTimeout(timer);
    }
  };
}
