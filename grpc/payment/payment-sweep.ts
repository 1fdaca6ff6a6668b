/**
 * The sweeper (repeatable `payment.sweep` job): payments pending past a threshold are re-checked
 * through their provider's status API by queueing a `payment.verify` job that claims nothing, so
 * the check goes through the same rate-limited queue, state machine and donation notification as
 * a webhook. A payment whose checkout expired long ago and that no provider confirms expires.
 */
import { QUEUES, type PaymentSweepJob, type TypedQueue } from '../../shared/queues.js';
import type { Logger } from '../../shared/logger.js';
import type { PaymentStore } from './payment.store.js';
import { SWEEP_FIELDS } from './payment-confirm.js';

export interface SweepOptions {
  /** Re-check payments pending longer than this, in seconds. */
  afterS: number;
  /** Expire payments this long past their checkout expiry that the provider does not confirm, in seconds. */
  expireGraceS: number;
}

/** One sweep; returns how many payments it queued for a re-check. */
export async function sweepPendingPayments(
  deps: { store: PaymentStore; verifyQueue: TypedQueue<'payment-verify'>; log: Logger },
  options: SweepOptions,
  job: PaymentSweepJob,
  now = new Date(),
): Promise<number> {
  const stale = await deps.store.pendingOlderThan(new Date(now.getTime() - options.afterS * 1000));
  if (!stale.length) return 0;
  const run = now.getTime().toString(36);
  const expireBefore = new Date(now.getTime() - options.expireGraceS * 1000).toISOString();
  await deps.verifyQueue.addBulk(
    stale.map((p) => ({
      name: QUEUES.paymentVerify.jobs.verify,
      data: {
        provider: p.provider,
        eventId: `sweep-${p.id}-${run}`,
        orderId: p.orderId,
        claimedStatus: null,
        fields: { [SWEEP_FIELDS.sweep]: '1', [SWEEP_FIELDS.expireBefore]: expireBefore },
        receivedAt: now.toISOString(),
        requestId: job.requestId,
      },
      opts: { jobId: `${p.provider}-sweep-${p.id}-${run}` },
    })),
  );
  deps.log.info(
    { count: stale.length, requestId: job.requestId },
    'sweeper queued pending payments for a status check',
  );
  return stale.length;
}
