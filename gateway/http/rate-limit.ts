/**
 * Request rate limits of the gateway, on rate-limiter-flexible's RateLimiterRedis under the
 * install's Redis prefix, so every gateway instance shares one count. A request over a limit is
 * refused with {@link RateLimitedError}, which the error middleware answers as 429 with
 * `Retry-After` (seconds) and the limit's message.
 */
import type { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { RateLimitedError } from '../../shared/errors.js';

/** One named limit. */
export interface RateLimitOptions {
  /** Short name, part of the Redis key (`<prefix>:rl:<name>:<key>`). */
  name: string;
  /** Requests allowed per window. */
  points: number;
  /** Window length, in seconds. */
  durationS: number;
  /** Once over the limit, refuse for this long, in seconds [0: until the window ends]. */
  blockS?: number;
  /** What the client is told on a 429 ("Too many donations from your address"). */
  message: string;
}

/** A limit: `consume(key)` spends points or throws; `reset(key)` forgets a key. */
export interface RateLimit {
  /**
   * Spends `points` [1] for `key`.
   * @throws {RateLimitedError} with `retryAfterMs` when over the limit.
   */
  consume(key: string, points?: number): Promise<void>;
  /** Points still left for `key` in the current window (no spending). */
  remaining(key: string): Promise<number>;
  /** Forgets `key` (e.g. the failed-login count after a successful login). */
  reset(key: string): Promise<void>;
}

/** A Redis-backed limit under `<redisPrefix>:rl:<name>`. */
export function rateLimit(redis: Redis, redisPrefix: string, options: RateLimitOptions): RateLimit {
  const limiter = new RateLimiterRedis({
    storeClient: redis,
    keyPrefix: `${redisPrefix}:rl:${options.name}`,
    points: options.points,
    duration: options.durationS,
    blockDuration: options.blockS ?? 0,
  });
  return {
    async consume(key, points = 1) {
      try {
        await limiter.consume(key, points);
      } catch (err) {
        if (!(err instanceof RateLimiterRes)) throw err;
        throw new RateLimitedError(options.message, Math.max(err.msBeforeNext, 1000));
      }
    },
    async remaining(key) {
      const res = await limiter.get(key);
      return res ? Math.max(0, options.points - res.consumedPoints) : options.points;
    },
    async reset(key) {
      await limiter.delete(key);
    },
  };
}
