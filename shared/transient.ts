/**
 * Telling "a dependency is away" (Redis, PostgreSQL or a service unreachable: answer 503 and
 * retry later) from a bug (500), across the drivers' own error shapes.
 */
import { AppError, UnavailableError } from './errors.js';

/** Socket-level error codes of Node, pg and ioredis that mean "could not reach it". */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ENOTFOUND',
]);

/**
 * PostgreSQL SQLSTATEs of an unreachable or restarting server: class 08 (connection exception),
 * 57P01–57P03 (admin/crash shutdown, cannot connect now), 53300 (too many connections).
 * Source: https://www.postgresql.org/docs/current/errcodes-appendix.html
 */
function isPostgresUnavailable(code: string): boolean {
  return code.startsWith('08') || ['57P01', '57P02', '57P03', '53300'].includes(code);
}

/** Messages of ioredis, pg, knex and MikroORM for a lost or refused connection. */
const UNAVAILABLE_MESSAGES = [
  /Connection is closed/i,
  /Stream isn't writeable/i,
  /max retries per request/i,
  /Command timed out/i,
  /Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /Timeout acquiring a connection/i,
  /the database system is (starting up|shutting down|in recovery mode)/i,
  /terminating connection due to administrator command/i,
];

/**
 * Whether `err` (or an error in its `cause` chain) says a dependency could not be reached.
 * Such errors are answered 503 with Retry-After, never 500.
 */
export function isTransientError(err: unknown): boolean {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    const { code, name, message } = e as { code?: unknown; name?: unknown; message?: unknown };
    if (typeof code === 'string' && (NETWORK_CODES.has(code) || isPostgresUnavailable(code))) return true;
    if (name === 'MaxRetriesPerRequestError' || name === 'ConnectionException') return true;
    if (typeof message === 'string' && UNAVAILABLE_MESSAGES.some((re) => re.test(message))) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/** What a person reads when a dependency is away (never an internal address). */
export const UNAVAILABLE_MESSAGE = 'MediaShar is briefly unavailable. Please try again in a few seconds.';

/** Seconds a client should wait before retrying after a 503. */
export const RETRY_AFTER_S = 2;

/** An IPv4/IPv6 address or host:port, as transport errors spell them. */
const INTERNAL_ADDRESS = /\b\d{1,3}(\.\d{1,3}){3}\b|\[[0-9a-f:]+\]|\b[a-z0-9.-]+:\d{2,5}\b|ECONN|EHOST/i;

/**
 * The error a transport answers for `err`: a dependency that is away becomes an
 * UnavailableError with a message for people; an unavailable error whose message names an
 * internal address gets the message for people instead. Anything else is returned as is.
 */
export function asUnavailable(err: unknown): unknown {
  if (!(err instanceof AppError) && isTransientError(err)) return new UnavailableError(UNAVAILABLE_MESSAGE);
  if (
    err instanceof AppError &&
    (err.code === 'UNAVAILABLE' || err.code === 'PROVIDER_UNAVAILABLE') &&
    INTERNAL_ADDRESS.test(err.message)
  )
    return new UnavailableError(UNAVAILABLE_MESSAGE);
  return err;
}
