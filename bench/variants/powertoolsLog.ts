/**
 * shared/log.ts written with Powertools for AWS Lambda's logger instead of by hand, for the benchmark only
 * (firstRequest.ts builds getProduct with it in place of shared/log.ts): issue 13 asks to replace the
 * hand-written logger if Powertools keeps today's fields and cost, and this is how the cost is measured.
 *
 * Same fields as today: `level` (lower case), `time`, then the caller's fields; a custom formatter drops
 * Powertools' own keys (service, sampling_rate, message). Errors come out as Powertools formats them (name,
 * location, message, stack), one field more than today's. The threshold is LOCKLESS_LOG_LEVEL read at each
 * line, as today.
 */
import { LogFormatter, LogItem, Logger } from '@aws-lambda-powertools/logger';
import type { LogAttributes, UnformattedAttributes } from '@aws-lambda-powertools/logger/types';
import { logThreshold } from '../../shared/config';

export type LogLevel = 'info' | 'warn' | 'error';

const RANK: Record<LogLevel | 'silent', number> = { info: 0, warn: 1, error: 2, silent: 3 };

class TodaysFields extends LogFormatter {
  formatAttributes(attributes: UnformattedAttributes, additional: LogAttributes): LogItem {
    return new LogItem({
      attributes: { level: attributes.logLevel.toLowerCase(), time: attributes.timestamp.toISOString(), ...additional },
    });
  }
}

const logger = new Logger({ logFormatter: new TodaysFields(), logLevel: 'INFO' });

export function logLine(level: LogLevel, fields: Record<string, unknown>): void {
  if (RANK[level] < RANK[logThreshold()]) return;
  logger[level]('', fields);
}
