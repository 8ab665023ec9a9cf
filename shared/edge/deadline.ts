/**
 * The last line of defence against a stalled database: whatever the operation is waiting for, the function
 * answers 503 SERVICE_UNAVAILABLE (retryable) at its deadline instead of being killed by Lambda with nothing
 * said. Database timeouts and retry budgets normally stop well before this; this bounds what they miss.
 */
import { AppError } from '../errors';

export async function beforeDeadline<T>(work: Promise<T>, deadline: number, now: () => number = Date.now): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new AppError('SERVICE_UNAVAILABLE', 'the request did not finish before the function deadline', {
            details: { outcome: 'unknown' },
          }),
        ),
      Math.max(0, deadline - now()),
    );
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
    // The operation may still settle after we answered; its outcome is then only in the logs.
    work.catch(() => {});
  }
}
