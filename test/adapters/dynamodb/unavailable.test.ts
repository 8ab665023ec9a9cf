import { failureOf, send } from '../../../adapters/dynamodb/unavailable';
import type { RetryDeps } from '../../../shared/retry';

const deps: RetryDeps = { now: () => 0, random: () => 0, sleep: async () => {} };
const named = (name: string, message = '', extra: Record<string, unknown> = {}) => Object.assign(new Error(message), { name, ...extra });
const connectTimeout = () => named('TimeoutError', 'the request socket did not establish a connection with the server within 1000 ms');
const requestTimeout = () => named('TimeoutError', 'a request has exceeded the configured 2000 ms requestTimeout');

/** A request that fails with the given errors, then answers 'ok'; counts its calls. */
function flaky(...errors: Error[]) {
  const calls = { n: 0 };
  const request = async () => {
    const err = errors[calls.n++];
    if (err) throw err;
    return 'ok';
  };
  return { request, calls };
}

describe('failureOf', () => {
  it.each([
    [named('ProvisionedThroughputExceededException'), 'throttled'],
    [named('ThrottlingException'), 'throttled'],
    [connectTimeout(), 'not-sent'],
    [named('Error', 'connect ECONNREFUSED', { code: 'ECONNREFUSED' }), 'not-sent'],
    [requestTimeout(), 'unanswered'],
    [named('Error', 'read ECONNRESET', { code: 'ECONNRESET' }), 'unanswered'],
    [named('InternalServerError'), 'unanswered'],
    [named('Whatever', 'x', { $metadata: { httpStatusCode: 503 } }), 'unanswered'],
    [named('Error', 'AWS SDK error wrapper for Error: connect ECONNREFUSED 127.0.0.1:1'), 'not-sent'],
    [named('Error', 'AWS SDK error wrapper for TimeoutError: read ECONNRESET'), 'unanswered'],
    [named('ConditionalCheckFailedException'), undefined],
    [named('TransactionCanceledException'), undefined],
    [named('ValidationException'), undefined],
  ])('%s -> %s', (err, failure) => {
    expect(failureOf(err)).toBe(failure);
  });
});

describe('send', () => {
  it('never resends a conditional write whose answer was lost: the outcome is unknown', async () => {
    const { request, calls } = flaky(requestTimeout());
    await expect(send('conditional-write', request, deps)).rejects.toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      details: { outcome: 'unknown' },
    });
    expect(calls.n).toBe(1);
  });

  it('resends a conditional write that never left or was throttled', async () => {
    const { request, calls } = flaky(connectTimeout(), named('ThrottlingException'));
    await expect(send('conditional-write', request, deps)).resolves.toBe('ok');
    expect(calls.n).toBe(3);
  });

  it('resends reads and transactions whose answer was lost', async () => {
    for (const kind of ['read', 'transaction'] as const) {
      const { request, calls } = flaky(requestTimeout());
      await expect(send(kind, request, deps)).resolves.toBe('ok');
      expect(calls.n).toBe(2);
    }
  });

  it('gives up after its attempts with SERVICE_UNAVAILABLE, saying nothing applied for a read', async () => {
    const { request, calls } = flaky(requestTimeout(), requestTimeout(), requestTimeout(), requestTimeout());
    await expect(send('read', request, deps)).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE', details: { outcome: 'not-applied' } });
    expect(calls.n).toBe(3);
  });

  it("passes the service's deliberate answers through untouched", async () => {
    const failed = named('ConditionalCheckFailedException');
    const { request, calls } = flaky(failed);
    await expect(send('conditional-write', request, deps)).rejects.toBe(failed);
    expect(calls.n).toBe(1);
  });
});
