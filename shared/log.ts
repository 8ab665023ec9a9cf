/** One structured JSON log line per event, so a request id in a 500 answer finds its cause in CloudWatch. */
import { logThreshold } from './config';

export type LogLevel = 'info' | 'warn' | 'error';

const RANK: Record<LogLevel | 'silent', number> = { info: 0, warn: 1, error: 2, silent: 3 };

/** LOCKLESS_LOG_LEVEL, read at each line (shared/config.ts says why). */
function threshold(): number {
  return RANK[logThreshold()];
}

export function logLine(level: LogLevel, fields: Record<string, unknown>): void {
  if (RANK[level] < threshold()) return;
  const line = JSON.stringify({ level, time: new Date().toISOString(), ...fields }, (_key, value) =>
    value instanceof Error ? { name: value.name, message: value.message, stack: value.stack } : value,
  );
  if (level === 'error') console.error(line);
  else console.log(line);
}
