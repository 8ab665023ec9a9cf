/** A scripted transport for unit tests: records every request and answers from a list, one per try. */
import type { Transport, WireRequest, WireResponse } from '../../../client/src';

export type Scripted = WireResponse | Error | ((request: WireRequest) => Promise<WireResponse>);

export interface FakeTransport {
  transport: Transport;
  requests: WireRequest[];
}

export const envelope = (status: number, body: Record<string, unknown>, headers: Record<string, string> = {}): WireResponse => ({
  status,
  body: { code: status, ...body },
  headers,
});

export function fakeTransport(...answers: Scripted[]): FakeTransport {
  const requests: WireRequest[] = [];
  const transport: Transport = async (request) => {
    requests.push(request);
    const next = answers[Math.min(requests.length, answers.length) - 1];
    if (next === undefined) throw new Error('no scripted answer');
    if (next instanceof Error) throw next;
    if (typeof next === 'function') return next(request);
    return next;
  };
  return { transport, requests };
}

/** A clock whose sleeps only advance time, and record how long they would have been. */
export function fakeClock(random = 1) {
  let now = 1_000_000;
  const sleeps: number[] = [];
  return {
    sleeps,
    clock: {
      now: () => now,
      sleep: async (ms: number) => {
        sleeps.push(ms);
        now += ms;
      },
      random: () => random,
    },
    advance: (ms: number) => {
      now += ms;
    },
  };
}
