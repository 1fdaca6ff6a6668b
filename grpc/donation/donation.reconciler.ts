/**
 * The donation side of the reconciler (run by the donation worker pool on a timer): paid
 * donations whose alert never reached the stream are published, and after Redis lost its data
 * the alerts of the last window are published again.
 */
import type { Redis } from 'ioredis';
import { RedisLossSentinel, type ReconcileReport } from '../../shared/reconcile.js';
import type { DonationStore } from './donation.store.js';
import type { OverlayAckStore } from './overlay-acks.store.js';
import { OVERLAY_ACK_TTL_S, restoreAcks } from '../../shared/overlay-acks.js';

/** How long before the last sight of intact data an alert may still have been undelivered, in ms. */
const LAG_MARGIN_MS = 30_000;

/**
 * Builds one idempotent pass. After a loss, alerts published since this process last saw Redis
 * intact (plus a margin) are published again, at most `republishWindowMs` ms back.
 */
export function donationReconcilePass(
  store: DonationStore,
  redis: Redis,
  prefix: string,
  republishWindowMs: number,
  acks: OverlayAckStore,
): () => Promise<ReconcileReport> {
  const sentinel = new RedisLossSentinel(redis, prefix, 'donation');
  /** When this process last saw Redis with its data (ms epoch; 0 = not yet). */
  let intactAt = 0;
  return async () => {
    const now = Date.now();
    const lost = await sentinel.lost();
    // The data went after `intactAt`; an alert published shortly before could still have been
    // undelivered on the stream (the margin covers a lagging notification service).
    const windowMs = intactAt
      ? Math.min(republishWindowMs, now - intactAt + LAG_MARGIN_MS)
      : republishWindowMs;
    // Where each overlay stands goes back first, so every alert published again below is
    // recognised (by donation id) by the overlays that already showed it.
    const acksRestored = lost ? await restoreOverlayAcks(acks, redis, prefix) : 0;
    const republished = lost ? await store.republishRecent(windowMs) : 0;
    // Paid but never published (Redis away at publish time, or a crash between commit and
    // publish): one indexed query when there are none.
    const unalerted = await store.republishUnalerted(lost ? 0 : 5000);
    if (lost) await sentinel.markRebuilt();
    intactAt = now;
    const acksPruned = await acks.prune(OVERLAY_ACK_TTL_S);
    return { redisDataLost: lost ? 1 : 0, acksRestored, republished, unalerted, acksPruned };
  };
}

async function restoreOverlayAcks(acks: OverlayAckStore, redis: Redis, prefix: string): Promise<number> {
  const rows = await acks.since(OVERLAY_ACK_TTL_S);
  await restoreAcks(redis, prefix, rows);
  return rows.length;
}
