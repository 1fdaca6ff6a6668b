/**
 * `payment.verify` in batches (issue 15): the verification jobs a worker process runs at once
 * (BullMQ concurrency) share their round trips. A batch looks its payments up in one SELECT;
 * each job then confirms its status with the provider on its own (rate-limited, as before);
 * the confirmed events are applied in one transaction (provider events, forward-only payment
 * updates, inbox marks) and the donation side is told with one addBulk. Each job resolves with
 * its own outcome only once its batch is durable; a batch that fails is written again one job
 * at a time (GroupCommit), so one bad job fails alone.
 */
import type { PaymentVerifyJob } from '../../shared/queues.js';
import { GroupCommit } from '../../shared/group-commit.js';
import type { PaymentRow } from './payment.db.js';
import type { EventOutcome, OrderKey, VerifiedEvent } from './payment.store.js';
import { donationStatusJob, UnknownOrderError, type PaymentFlowDeps } from './payment.flows.js';
import { providerFor } from './providers/providers.js';
import { confirmStatus, SWEEP_FIELDS } from './payment-confirm.js';

/** An event to apply and the webhook request that brought it (for the donation-status job). */
interface Pending {
  event: VerifiedEvent;
  requestId: string;
}

/** Options of a VerifyBatcher (units in the names). */
export interface VerifyBatcherOptions {
  /** Jobs per batch [200]. */
  maxBatch?: number;
  /** Longest wait of a batch's first job before it is written, in ms [2]. */
  maxDelayMs?: number;
}

/** The verification batcher of one worker process; `verify` is the `payment.verify` handler. */
export class VerifyBatcher {
  private readonly lookups: GroupCommit<OrderKey, PaymentRow | null>;
  private readonly applies: GroupCommit<Pending, EventOutcome>;

  constructor(
    private readonly deps: PaymentFlowDeps,
    options: VerifyBatcherOptions = {},
  ) {
    const max = options.maxBatch ?? 200;
    const delay = options.maxDelayMs ?? 2;
    this.lookups = new GroupCommit((keys) => deps.store.byOrders(keys), max, delay);
    this.applies = new GroupCommit((items) => this.apply(items), max, delay);
  }

  /** One transaction for the batch's events, then one addBulk of the donation-status jobs. */
  private async apply(items: Pending[]): Promise<EventOutcome[]> {
    const outcomes = await this.deps.store.applyEvents(items.map((i) => i.event));
    // Every delivery tells the donation side again, not only a move, so a crash after the
    // commit is repaired by the job's retry (job ids are deterministic: a repeat is a no-op).
    const jobs = new Map<string, NonNullable<ReturnType<typeof donationStatusJob>>>();
    outcomes.forEach((o, i) => {
      const job = donationStatusJob(o.payment, items[i]!.requestId);
      if (job && !jobs.has(job.opts.jobId)) jobs.set(job.opts.jobId, job);
    });
    if (jobs.size) await this.deps.donationStatusQueue.addBulk([...jobs.values()]);
    return outcomes;
  }

  /**
   * `payment.verify`: confirms a verified webhook's status (status API where the provider says
   * so), records the event once, moves the payment forward and tells the donation side.
   * @returns the payment's status after the event.
   * @throws {UnknownOrderError} when no payment has the webhook's order (retried, then dropped).
   */
  async verify(job: PaymentVerifyJob): Promise<string> {
    const { deps } = this;
    const provider = providerFor(deps.providers, job.provider);
    const payment = await this.lookups.add({
      provider: job.provider,
      ref: job.orderId,
      byProviderRef: job.fields.byProviderRef === '1',
    });
    if (!payment) throw new UnknownOrderError(job.provider, job.orderId);
    const confirmed = await confirmStatus(deps, provider, payment, job);
    // A sweeper check that learned nothing new records nothing (no event row per check and run).
    if (job.fields[SWEEP_FIELDS.sweep] === '1' && (confirmed === null || confirmed === 'pending'))
      return payment.status;
    const outcome = await this.applies.add({
      event: {
        provider: job.provider,
        eventId: job.eventId,
        paymentId: payment.id,
        claimedStatus: job.claimedStatus,
        confirmedStatus: confirmed,
        receivedAt: new Date(job.receivedAt),
      },
      requestId: job.requestId,
    });
    // The pay path's one info line (issue 15): webhook → payment, linked by both request ids.
    deps.log.info(
      {
        paymentId: payment.id,
        donationId: payment.donationId,
        requestId: payment.requestId || job.requestId,
        webhookRequestId: job.requestId,
        eventId: job.eventId,
        claimed: job.claimedStatus,
        confirmed,
        status: outcome.payment.status,
        duplicate: !outcome.firstDelivery,
      },
      'payment event verified',
    );
    return outcome.payment.status;
  }
}
