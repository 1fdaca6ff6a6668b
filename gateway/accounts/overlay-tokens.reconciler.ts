/**
 * The gateway's part of the reconciler: overlay token hashes live in gateway_db and are mirrored
 * into Redis for the Socket.IO handshake; after Redis lost its data they are written again.
 */
import type { Redis } from 'ioredis';
import { RedisLossSentinel, type ReconcileReport } from '../../shared/reconcile.js';
import type { AccountsStore } from './accounts.store.js';

/** Builds one idempotent pass (one EXISTS when Redis kept its data). */
export function overlayTokensReconcilePass(
  accounts: Pick<AccountsStore, 'seedOverlayTokens'>,
  redis: Redis,
  prefix: string,
): () => Promise<ReconcileReport> {
  const sentinel = new RedisLossSentinel(redis, prefix, 'gateway');
  return async () => {
    if (!(await sentinel.lost())) return { redisDataLost: 0, overlayTokensSeeded: 0 };
    const seeded = await accounts.seedOverlayTokens();
    await sentinel.markRebuilt();
    return { redisDataLost: 1, overlayTokensSeeded: seeded };
  };
}
