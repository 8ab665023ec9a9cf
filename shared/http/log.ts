/** One structured JSON log line per event, so a request id in a 500 answer finds its cause in CloudWatch. */
export type LogLevel = 'info' | 'warn' | 'error';

const RANK: Record<LogLevel | 'silent', number> = { info: 0, warn: 1, error: 2, silent: 3 };

/** LOCKLESS_LOG_LEVEL: info (default), warn, error or silent. */
function threshold(): number {
  const configured = process.env.LOCKLESS_LOG_LEVEL as LogLevel | 'silent' | undefined;
  return configured && configured in RANK ? RANK[configured] : RANK.info;
}

export function logLine(level: LogLevel, fields: Record<string, unknown>): void {
  if (RANK[level] < threshold()) return;
  const line = JSON.stringify({ level, time: new Date().toISOString(), ...fields }, (_key, value) =>
    value instanceof Error ? { name: value.name, message: value.message, stack: value.stack } : value,
  );
  if (level === 'error') console.error(line);
  else console.log(line);
}
