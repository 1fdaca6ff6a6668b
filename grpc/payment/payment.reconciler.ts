/**
 * The payment side of the reconciler (run by the payment-verification pool on a timer):
 * - webhooks accepted (in the inbox) but never applied are verified again: their job was lost
 *   with Redis's data, or never reached the queue;
 * - after Redis lost its data, every payment settled in the rebuild window is told to the
 *   donation side again (a lost donation.markPaid; the donation side is idempotent);
 * - after Redis lost its data, `onDataLost` restores what else lived only there (the pool
 *   re-creates the pending-payment sweeper's job scheduler, which re-checks pending payments
 *   with their provider's status API).
 */
import type { Redis } from 'ioredis';
import { QUEUES, verifyJobId, type TypedQueue } from '../../shared/queues.js';
import { RedisLossSentinel, type ReconcileReport } from '../../shared/reconcile.js';
import { notifyDonation, type PaymentFlowDeps } from './payment.flows.js';

/** Options of the payment reconciler (units in the names). */
export interface PaymentReconcileOptions {
  /** A webhook unapplied this long is re-queued (when its job is gone) [10 000]. */
  webhookGraceMs?: number;
  /** How far back a rebuild after data loss reaches, in ms. */
  rebuildWindowMs: number;
  /** Called once a loss of Redis's data is seen, before the rebuild is marked done. */
  onDataLost?: () => Promise<unknown>;
}

/** Builds one idempotent pass. */
export function paymentReconcilePass(
  deps: PaymentFlowDeps,
  verifyQueue: TypedQueue<'payment-verify'>,
  redis: Redis,
  prefix: string,
  options: PaymentReconcileOptions,
): () => Promise<ReconcileReport> {
  const sentinel = new RedisLossSentinel(redis, prefix, 'payment');
  return async () => {
    const now = Date.now();
    const lost = await sentinel.lost();
    const since = new Date(now - options.rebuildWindowMs);

    let webhooksRequeued = 0;
    const unverified = await deps.store.unverifiedWebhooks(
      new Date(lost ? now : now - (options.webhookGraceMs ?? 10_000)),
      since,
    );
    // A job still in the queue (waiting, active, retrying, failed for good) is left alone.
    const jobless = [];
    for (const job of unverified)
      if (!(await verifyQueue.getJob(verifyJobId(job.provider, job.eventId)))) jobless.push(job);
    // Asked again after the queue: an entry whose job finished (and was removed) since the first
    // read is verified by now; only what is still unverified lost its job. Without this re-check a
    // burst that kept verification busy past the grace had its finished jobs queued again.
    const still = await deps.store.stillUnverified(jobless);
    for (const job of jobless) {
      if (!still.has(`${job.provider}:${job.eventId}`)) continue;
      const jobId = verifyJobId(job.provider, job.eventId);
      await verifyQueue.add(QUEUES.paymentVerify.jobs.verify, job, { jobId });
      webhooksRequeued++;
    }

    let settledRetold = 0;
    if (lost) {
      let after = '';
      for (;;) {
        const page = await deps.store.settledSince(since, after);
        // 50 at a time: a rebuild may re-tell a day of payments.
        for (let i = 0; i < page.length; i += 50)
          await Promise.all(page.slice(i, i + 50).map((p) => notifyDonation(deps, p, p.requestId)));
        settledRetold += page.length;
        if (page.length === 0) break;
        after = page[page.length - 1]!.id;
      }
    }

    // Repeatable jobs (the pending-payment sweeper's scheduler) went with the data too.
    if (lost) await options.onDataLost?.();

    if (lost) await sentinel.markRebuilt();
    return { redisDataLost: lost ? 1 : 0, webhooksRequeued, settledRetold };
  };
}
