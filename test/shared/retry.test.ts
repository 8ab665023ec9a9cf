import { backoffDelay, retry, type RetryDeps } from '../../shared/retry';

function clockDeps(start = 1_000): RetryDeps & { slept: number[]; time: () => number } {
  let now = start;
  const slept: number[] = [];
  return {
    now: () => now,
    random: () => 0.5,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
    slept,
    time: () => now,
  };
}

describe('retry', () => {
  const policy = { maxAttempts: 5, baseDelayMs: 10, maxDelayMs: 40 };

  it('returns the first success with the number of attempts', async () => {
    const deps = clockDeps();
    let calls = 0;
    const result = await retry(async () => (++calls < 3 ? { done: false, failure: 'busy' } : { done: true, value: 'ok' }), policy, {
      deps,
    });
    expect(result).toEqual({ ok: true, value: 'ok', attempts: 3 });
    expect(deps.slept).toEqual([5, 10]);
  });

  it('waits what a backoff drawn from the failure says, still bounded by attempts and the deadline', async () => {
    const deps = clockDeps(1_000);
    const seen: Array<[number, string]> = [];
    const result = await retry(async (n) => ({ done: false, failure: `f${n}` }), policy, {
      deps,
      deadline: 1_000 + 100,
      backoff: (n, failure) => {
        seen.push([n, failure]);
        return 30.7;
      },
    });
    // The policy would have waited 5, 10, 20: the failure-driven backoff is used instead, rounded down.
    expect(deps.slept).toEqual([30, 30, 30]);
    expect(seen).toEqual([
      [1, 'f1'],
      [2, 'f2'],
      [3, 'f3'],
      [4, 'f4'],
    ]);
    expect(result).toEqual({ ok: false, failure: 'f4', attempts: 4, exhausted: 'deadline' });
  });

  it('stops after maxAttempts with the last failure', async () => {
    const deps = clockDeps();
    const result = await retry(async (n) => ({ done: false, failure: `f${n}` }), policy, { deps });
    expect(result).toEqual({ ok: false, failure: 'f5', attempts: 5, exhausted: 'attempts' });
    expect(deps.slept).toHaveLength(4);
  });

  it('does not start an attempt that cannot finish before the deadline', async () => {
    const deps = clockDeps(1_000);
    let calls = 0;
    const result = await retry(
      async () => {
        calls++;
        return { done: false, failure: 'x' };
      },
      { maxAttempts: 100, baseDelayMs: 10, maxDelayMs: 40 },
      { deps, deadline: 1_100, reserveMs: 30 },
    );
    expect(result.ok).toBe(false);
    expect(result.ok === false && result.exhausted).toBe('deadline');
    expect(deps.time()).toBeLessThan(1_100 - 30 + 1);
    expect(calls).toBeGreaterThan(1);
  });

  it('propagates a thrown error at once', async () => {
    const deps = clockDeps();
    await expect(retry(async () => Promise.reject(new Error('boom')), policy, { deps })).rejects.toThrow('boom');
  });

  it('caps the full-jitter backoff', () => {
    expect(backoffDelay(policy, 1, () => 0.999)).toBe(9);
    expect(backoffDelay(policy, 10, () => 0.999)).toBe(39);
    expect(backoffDelay(policy, 3, () => 0)).toBe(0);
  });
});
