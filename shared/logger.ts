import { pino, type Logger } from 'pino';

/** Fields never written to a log, wherever they appear (secrets, tokens, raw webhook bodies). */
export const REDACTED_PATHS = [
  'password',
  'token',
  'accessToken',
  'overlayToken',
  'authorization',
  'headers.authorization',
  'req.headers.authorization',
  'req.headers.cookie',
  '*.password',
  '*.token',
  '*.accessToken',
  '*.serverKey',
  '*.secret',
  'rawBody',
  '*.rawBody',
];

/**
 * Creates the process logger (JSON lines on stdout). `service` names the process in every line,
 * so one grep over all logs tells a donation's story.
 */
export function createLogger(service: string, level: string): Logger {
  return pino({
    level,
    base: { service, pid: process.pid },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}
export type { Logger };
