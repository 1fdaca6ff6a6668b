/**
 * The donation side of the reconciler (run by the donation worker pool on a timer): paid
 * donations whose alert never reached the stream are published, and after Redis lost its data
 * the alerts of the last window are published again.
 */
import type { Redis } from 'ioredis';
import { RedisLossSentinel, type ReconcileReport } from '../../shared/reconcile.js';
import type { DonationStore } from './donation.store.js';

/** Builds one idempotent pass; `republishWindowMs` in ms. */
export function donationReconcilePass(
  store: DonationStore,
  redis: Redis,
  prefix: string,
  republishWindowMs: number,
): () => Promise<ReconcileReport> {
  const sentinel = new RedisLossSentinel(redis, prefix, 'donation');
  return async () => {
    const lost = await sentinel.lost();
    const republished = lost ? await store.republishRecent(republishWindowMs) : 0;
    // Paid but never published (Redis away at publish time, or a crash between commit and
    // publish): one indexed query when there are none.
    const unalerted = await store.republishUnalerted(lost ? 0 : 5000);
    if (lost) await sentinel.markRebuilt();
    return { redisDataLost: lost ? 1 : 0, republished, unalerted };
  };
}
