/**
 * `serverless package` (v3) compiles the template into the checkout's own `.serverless` folder, whatever
 * `--package` names, and its cleanup step deletes that folder. Two packagings of one checkout at once (jest runs
 * suites in parallel workers) delete each other's template: a CI run failed with ENOENT on
 * `cloudformation-template-update-stack.json` that way. Every test that packages holds this lock while it does.
 *
 * The lock is a directory (mkdir is atomic) holding the holder's pid; a holder that died without removing it is
 * detected by its pid and the lock taken over.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const LOCK = join(__dirname, '..', '..', '.serverless-package.lock');
const WAIT_MS = 10 * 60_000;

export async function withPackageLock<T>(work: () => Promise<T>): Promise<T> {
  const giveUpAt = Date.now() + WAIT_MS;
  for (;;) {
    try {
      await mkdir(LOCK);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (await holderIsGone()) {
        await rm(LOCK, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > giveUpAt) throw new Error(`another test held ${LOCK} for ${WAIT_MS / 60_000} min`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  await writeFile(join(LOCK, 'pid'), String(process.pid));
  try {
    return await work();
  } finally {
    await rm(LOCK, { recursive: true, force: true });
  }
}

/** True when the lock names a process that no longer exists (not when the pid is not written yet). */
async function holderIsGone(): Promise<boolean> {
  const pid = Number(await readFile(join(LOCK, 'pid'), 'utf8').catch(() => ''));
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
