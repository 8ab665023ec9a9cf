/**
 * The closed-loop load: `concurrency` callers, each sending its next request as soon as the last one answered,
 * until `requests` were sent or `maxMs` passed (requests in flight then finish and count).
 */
import { performance } from 'node:perf_hooks';
import { fromThrown, type RequestKind, type Sample } from './outcome';
import type { Send } from './contestants/contestant';

export interface PreparedRequest {
  kind: RequestKind;
  key: string;
  send: Send;
}

export interface LoadOptions {
  concurrency: number;
  requests: number;
  maxMs: number;
}

export interface LoadResult {
  samples: Sample[];
  elapsedMs: number;
  /** True when the time cap stopped the load before `requests` were sent. */
  capped: boolean;
}

export async function drive(request: (i: number) => PreparedRequest, options: LoadOptions): Promise<LoadResult> {
  const samples: Sample[] = [];
  const t0 = performance.now();
  let next = 0;
  let capped = false;
  const caller = async () => {
    for (;;) {
      if (next >= options.requests) return;
      if (performance.now() - t0 > options.maxMs) {
        capped = true;
        return;
      }
      const { kind, key, send } = request(next++);
      const start = performance.now();
      let outcome: Awaited<ReturnType<typeof send>>;
      try {
        outcome = await send();
      } catch (thrown) {
        outcome = fromThrown(thrown);
      }
      samples.push({ kind, key, start, end: performance.now(), outcome });
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, caller));
  return { samples, elapsedMs: performance.now() - t0, capped };
}
