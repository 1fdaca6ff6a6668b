/**
 * Per-provider rate limits on provider API calls (DESIGN.md: "rate-limited per provider"). One
 * Redis-backed limiter per provider and kind of call, shared by every worker of the install, so
 * a burst on one provider never slows another, and the sandbox (no API) is never limited.
 * A call over the limit is refused with {@link RateLimitedError} carrying when to try again; the
 * job wrapper then delays that job alone (it costs no attempt).
 */
import type { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { ProviderName } from '../../shared/config.js';
import { RateLimitedError } from '../../shared/errors.js';

/** Which provider API a call goes to. */
export type ProviderCallKind = 'checkout' | 'status';

/** Acquires one provider API call, or throws RateLimitedError with `retryAfterMs`. */
export type ProviderRateLimit = (provider: ProviderName, kind: ProviderCallKind) => Promise<void>;

/**
 * @param perSecond calls a second per provider, by kind (CHECKOUT_RATE_LIMIT_PER_S,
 *   STATUS_CHECK_RATE_LIMIT_PER_S).
 */
export function providerRateLimit(
  redis: Redis,
  prefix: string,
  perSecond: Record<ProviderCallKind, number>,
): ProviderRateLimit {
  const limiters = {
    checkout: new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${prefix}:rl:provider-checkout`,
      points: perSecond.checkout,
      duration: 1,
    }),
    status: new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${prefix}:rl:provider-status`,
      points: perSecond.status,
      duration: 1,
    }),
  };
  return async (provider, kind) => {
    if (provider === 'sandbox') return;
    try {
      await limiters[kind].consume(provider);
    } catch (err) {
      if (!(err instanceof RateLimiterRes)) throw err;
      throw new RateLimitedError(
        `${provider} ${kind} calls are over the rate limit`,
        Math.max(err.msBeforeNext, 10),
      );
    }
  };
}
