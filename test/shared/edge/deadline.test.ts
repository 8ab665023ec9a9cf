import { beforeDeadline } from '../../../shared/edge/deadline';

describe('beforeDeadline', () => {
  it('passes the answer through when it comes in time', async () => {
    await expect(beforeDeadline(Promise.resolve(42), Date.now() + 1_000)).resolves.toBe(42);
  });

  it('answers SERVICE_UNAVAILABLE at the deadline when the work hangs', async () => {
    const started = Date.now();
    const never = new Promise<never>(() => {});
    await expect(beforeDeadline(never, started + 50)).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE', status: 503, retryable: true });
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it("keeps the work's own error", async () => {
    await expect(beforeDeadline(Promise.reject(new Error('boom')), Date.now() + 1_000)).rejects.toThrow('boom');
  });
});
