/**
 * Log-in rate limits that stop guessing without locking the owner out (OWASP Authentication
 * cheat sheet, "account lockout"; the device-cookie scheme of OWASP's "Blocking Brute Force
 * Attacks"):
 *
 * - per client address: every attempt counts (password spraying across many emails);
 * - per account, from devices it never signed in from: failed attempts only, all such devices
 *   together, so a guesser is stopped after a few tries whatever address it uses;
 * - per account and known device: a browser that signed in to the account before carries an
 *   `ms_device` cookie; it keeps its own allowance, so the owner signs in while a guesser has
 *   the account locked for everyone else.
 *
 * Emails only appear hashed in Redis keys.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Context } from 'koa';
import type { Redis } from 'ioredis';
import type { Config } from '../../shared/config.js';
import { UnauthenticatedError } from '../../shared/errors.js';
import { clientIp } from '../http/client-ip.js';
import { rateLimit } from '../http/rate-limit.js';

/** httpOnly cookie naming a device that signed in before (random, 128 bits). */
export const DEVICE_COOKIE = 'ms_device';
const DEVICE_PATH = '/api/v1/auth';
/** How long a device stays known to an account, in seconds (180 days). */
const DEVICE_TTL_S = 180 * 24 * 3600;
const WINDOW_S = 15 * 60;

export interface LoginThrottle {
  /**
   * Runs one log-in attempt for `email` under the limits: refuses it (429) before any password
   * check when a limit is spent, counts a failure when `check` throws UnauthenticatedError, and
   * on success marks this browser as a known device of the account.
   * @throws {RateLimitedError} 429 with Retry-After; whatever `check` throws.
   */
  attempt<T>(ctx: Context, email: string, check: () => Promise<T>): Promise<T>;
}

export function loginThrottle(config: Config, redis: Redis): LoginThrottle {
  const prefix = config.REDIS_PREFIX;
  const perIp = rateLimit(redis, prefix, {
    name: 'login-ip',
    points: config.RATE_LIMIT_LOGINS_PER_IP,
    durationS: WINDOW_S,
    message: 'Too many log-in attempts from your address: wait a few minutes',
  });
  const unknownDevices = rateLimit(redis, prefix, {
    name: 'login-account',
    points: config.RATE_LIMIT_LOGIN_FAILURES_PER_ACCOUNT,
    durationS: WINDOW_S,
    message:
      'Too many failed log-ins for this account: wait 15 minutes, or sign in from a device you used before',
  });
  const knownDevice = rateLimit(redis, prefix, {
    name: 'login-account-device',
    points: config.RATE_LIMIT_LOGIN_FAILURES_PER_ACCOUNT * 2,
    durationS: WINDOW_S,
    message: 'Too many failed log-ins from this device: wait 15 minutes',
  });
  const secure = new URL(config.PUBLIC_URL).protocol === 'https:';
  const accountKey = (email: string) =>
    createHash('sha256').update(`mediashar-login:${email.trim().toLowerCase()}`).digest('base64url');
  const devicesKey = (account: string) => `${prefix}:login-devices:${account}`;

  return {
    async attempt<T>(ctx: Context, email: string, check: () => Promise<T>): Promise<T> {
      const account = accountKey(email);
      const device = ctx.cookies.get(DEVICE_COOKIE) ?? '';
      const known =
        /^[A-Za-z0-9_-]{22}$/.test(device) && (await redis.sismember(devicesKey(account), device)) === 1;
      const accountLimit = known ? knownDevice : unknownDevices;
      const accountLimitKey = known ? `${account}:${device}` : account;
      await perIp.consume(clientIp(ctx));
      // Refused before the password is looked at: a locked account tells a guesser nothing more.
      if ((await accountLimit.remaining(accountLimitKey)) === 0) await accountLimit.consume(accountLimitKey);
      let result: T;
      try {
        result = await check();
      } catch (err) {
        if (err instanceof UnauthenticatedError) await accountLimit.consume(accountLimitKey).catch(() => {});
        throw err;
      }
      const id = known ? device : randomBytes(16).toString('base64url');
      await redis.multi().sadd(devicesKey(account), id).expire(devicesKey(account), DEVICE_TTL_S).exec();
      if (known) await accountLimit.reset(accountLimitKey);
      ctx.cookies.secure = secure;
      ctx.cookies.set(DEVICE_COOKIE, id, {
        httpOnly: true,
        secure,
        sameSite: 'strict',
        path: DEVICE_PATH,
        maxAge: DEVICE_TTL_S * 1000,
        overwrite: true,
      });
      return result;
    },
  };
}
