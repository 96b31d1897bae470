// The server's logger: pino, one JSON object a line (--log-format json, the default, for log shippers), or
// pino-pretty's readable lines (--log-format pretty, for a terminal). Written synchronously to stdout either way.
import pino from 'pino';
import pretty from 'pino-pretty';
import type { Logger } from 'pino';

export const LOG_FORMATS = ['json', 'pretty'] as const;

/** Checks --log-format and --log-level before anything starts. */
export function checkLogSettings(level: string | undefined, format: string | undefined): void {
  if (format !== undefined && !(LOG_FORMATS as readonly string[]).includes(format)) throw new Error(`--log-format must be json or pretty, got '${format}'`);
  if (level !== undefined && !Object.hasOwn(pino.levels.values, level) && level !== 'silent') {
    throw new Error(`--log-level must be one of ${Object.keys(pino.levels.values).join(', ')} or silent, got '${level}'`);
  }
}

export function createLogger(level: string | undefined, format: string | undefined): Logger {
  checkLogSettings(level, format);
  const options = { level: level ?? 'info' };
  if (format === 'pretty') return pino(options, pretty({ colorize: false, sync: true, singleLine: true, translateTime: 'SYS:standard', ignore: 'pid,hostname' }));
  return pino(options);
}
