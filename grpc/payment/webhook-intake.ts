/**
 * The webhook intake of PaymentService, group-committed (issue 15): verified webhooks arriving
 * within a few milliseconds are written to the inbox with one multi-row INSERT and queued for
 * verification with one addBulk, and each caller is answered once its batch is durable.
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import { GroupCommit } from '../../shared/group-commit.js';
import { QUEUES, verifyJobId, type PaymentVerifyJob, type TypedQueue } from '../../shared/queues.js';

/** Options of the intake (units in the names). */
export interface WebhookIntakeOptions {
  /** Webhooks per batch [200]. */
  maxBatch?: number;
  /** Longest wait of a batch's first webhook before the write, in ms [3]. */
  maxDelayMs?: number;
}

export class WebhookIntake {
  private readonly batches: GroupCommit<PaymentVerifyJob>;

  constructor(
    private readonly orm: MikroORM,
    private readonly verifyQueue: TypedQueue<'payment-verify'>,
    options: WebhookIntakeOptions = {},
  ) {
    this.batches = new GroupCommit((jobs) => this.write(jobs), options.maxBatch, options.maxDelayMs);
  }

  /**
   * Makes a verified webhook durable: in the inbox (a job lost with Redis's data is re-queued
   * from it by the reconciler) and on the verify queue under its deterministic job id, so a
   * repeat delivery collapses. Resolves once both hold for the batch carrying it.
   * @throws whatever PostgreSQL or Redis threw when the webhook's batch, and then the webhook
   *   written alone, could not be made durable (the caller answers 5xx; the provider retries).
   */
  accept(job: PaymentVerifyJob): Promise<void> {
    return this.batches.add(job);
  }

  /**
   * One inbox INSERT … ON CONFLICT DO NOTHING for the batch (hot path: raw SQL, one round trip),
   * then one addBulk. The same provider event twice in one batch is written and queued once.
   */
  private async write(jobs: PaymentVerifyJob[]): Promise<void> {
    const unique = [...new Map(jobs.map((j) => [verifyJobId(j.provider, j.eventId), j])).entries()];
    const params = unique.flatMap(([, j]) => [j.provider, j.eventId, JSON.stringify(j)]);
    await this.orm.em
      .fork()
      .getConnection()
      .execute(
        `insert into webhook_inbox (provider, event_id, job)
           values ${unique.map(() => '(?, ?, ?::jsonb)').join(', ')} on conflict do nothing`,
        params,
      );
    await this.verifyQueue.addBulk(
      unique.map(([jobId, data]) => ({ name: QUEUES.paymentVerify.jobs.verify, data, opts: { jobId } })),
    );
  }
}
