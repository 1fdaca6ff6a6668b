/**
 * `donation-status` jobs in batches (issue 15): the status jobs a worker process runs at once
 * share one conditional UPDATE … FROM (VALUES …) (forward-only, the paid donation's media-share
 * clip inserted by the same statement), one pipelined publish of the paid alerts (each still
 * once-only by its Redis marker) and one UPDATE marking what was published.
 *
 * Order per donation, as before: the row is paid (committed), then its alert is appended, then
 * the row is marked published. A crash between the commit and the append leaves a paid,
 * unmarked row: the job's retry publishes it (it publishes every paid, unmarked row of its
 * batch, moved or not), and the reconciler (donation.reconciler.ts, republishUnalerted) finds
 * it by `alert_published_at is null`; a crash between the append and the mark is harmless, the
 * marker key keeps the second append out.
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Redis } from 'ioredis';
import { publishAlertEvents, publishDashboardEvent, type StreamLimits } from '../../shared/alert-stream.js';
import { allowedPredecessors } from '../../shared/payment-state.js';
import { STREAMS, type DonationStatusJob } from '../../shared/queues.js';
import { GroupCommit } from '../../shared/group-commit.js';
import type { Logger } from '../../shared/logger.js';
import { donationsTotal } from '../../shared/metrics.js';
import type { DonationRow } from './donation.db.js';
import { DonationNotYetWrittenError, toRow, type DonationStore } from './donation.store.js';
import { CLIP_ON_PAID_SQL, MediaShareStore } from './media-share.store.js';

type RawRow = Record<string, unknown>;

/** What one job of a batch came to: its move, or the error that fails it alone. */
type StatusOutcome = { result: 'moved' | 'unchanged' } | { error: Error };

/** Options of a DonationStatusBatcher (units in the names). */
export interface DonationStatusBatcherOptions {
  /** Jobs per batch [200]. */
  maxBatch?: number;
  /** Longest wait of a batch's first job before it is written, in ms [2]. */
  maxDelayMs?: number;
}

/** The donation-status batcher of one worker process; `apply` is the job handler. */
export class DonationStatusBatcher {
  private readonly batches: GroupCommit<DonationStatusJob, StatusOutcome>;
  private readonly media: MediaShareStore;

  constructor(
    private readonly orm: MikroORM,
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly limits: StreamLimits,
    private readonly log: Logger,
    private readonly store: DonationStore,
    options: DonationStatusBatcherOptions = {},
  ) {
    this.media = new MediaShareStore(orm, redis, prefix, limits, log);
    this.batches = new GroupCommit(
      (jobs) => this.write(jobs),
      options.maxBatch ?? 200,
      options.maxDelayMs ?? 2,
    );
  }

  /**
   * Applies a payment outcome to a donation, forward-only, with the other jobs of its batch. A
   * paid donation gets its alert published exactly once; other moves go to dashboards.
   * @returns whether the row moved; resolves once the batch is committed and published.
   * @throws {DonationNotYetWrittenError} when the row does not exist yet (retry).
   */
  async apply(job: DonationStatusJob): Promise<'moved' | 'unchanged'> {
    const outcome = await this.batches.add(job);
    if ('error' in outcome) throw outcome.error;
    return outcome.result;
  }

  private async write(jobs: DonationStatusJob[]): Promise<StatusOutcome[]> {
    const conn = this.orm.em.fork().getConnection();
    // The moves of each donation in batch order: round k applies the k-th job of every donation.
    const rounds: number[][] = [];
    const seen = new Map<string, number>();
    jobs.forEach((j, i) => {
      const k = seen.get(j.donationId) ?? 0;
      seen.set(j.donationId, k + 1);
      (rounds[k] ??= []).push(i);
    });
    const moved = new Map<number, RawRow>();
    const latest = new Map<string, DonationRow>();
    for (const round of rounds) {
      // Rows in id order: two batches touching the same rows lock them in the same order.
      round.sort((a, b) => (jobs[a]!.donationId < jobs[b]!.donationId ? -1 : 1));
      // The media-share clip of a donation that becomes paid is inserted by the same statement
      // (a data-modifying CTE): paid and queued commit together, and a retry adds neither.
      const rows = await conn.execute<RawRow[]>(
        `with moved as (
           update donations d set status = v.status, updated_at = now(),
             paid_at = case when v.status = 'paid' then coalesce(d.paid_at, now()) else d.paid_at end
           from (values ${round.map(() => '(?::uuid, ?::text, ?::text[])').join(', ')}) as v(id, status, from_states)
           where d.id = v.id and d.status = any(v.from_states) returning d.*),
         clip as (${CLIP_ON_PAID_SQL})
         select moved.*, clip.state as clip_state, clip.test as clip_test
           from moved left join clip on clip.donation_id = moved.id`,
        round.flatMap((i) => {
          const j = jobs[i]!;
          return [j.donationId, j.status, `{${allowedPredecessors(j.status).join(',')}}`];
        }),
        'all',
      );
      for (const raw of rows) {
        const row = toRow(raw);
        latest.set(row.id, row);
        moved.set(
          round.find((i) => jobs[i]!.donationId === row.id)!,
          raw,
        );
        donationsTotal.inc({ status: row.status, provider: row.provider });
      }
    }
    const unread = [...seen.keys()].filter((id) => !latest.has(id));
    if (unread.length) {
      const rows = await conn.execute<RawRow[]>(
        'select * from donations where id = any(?::uuid[])',
        [`{${unread.join(',')}}`],
        'all',
      );
      for (const raw of rows) latest.set(raw.id as string, toRow(raw));
    }

    // Publishing runs on every delivery of a paid job (not only when the row moved), so a crash
    // between the UPDATE and the append is repaired by the retry; the marker dedupes.
    // A donation paid and refunded in the same batch still gets its paid alert, as it would
    // one job after the other.
    const requestOf = new Map(jobs.map((j) => [j.donationId, j.requestId]));
    const unpublished = new Map<string, DonationRow>();
    for (const row of [...[...moved.values()].map(toRow), ...latest.values()])
      if (row.status === 'paid' && !row.alertPublishedAt && !unpublished.has(row.id))
        unpublished.set(row.id, row);
    await this.publishPaid([...unpublished.values()], requestOf);

    for (const [i, raw] of moved) {
      const job = jobs[i]!;
      const row = toRow(raw);
      if (raw.clip_state)
        await this.media.announce(
          [{ donation_id: row.id, streamer_id: row.streamerId, state: raw.clip_state, test: raw.clip_test }],
          job.requestId,
        );
      // Other status changes reach the streamer's dashboards only (no alert, no history).
      if (row.status !== 'paid' && row.status !== 'pending')
        await publishDashboardEvent(
          this.redis,
          this.prefix,
          this.store.toEvent(row, `donation.${row.status}`, job.requestId),
          this.limits,
        );
    }
    // Idempotent: a retried refund job repairs a crash between the UPDATE and this one.
    for (const row of latest.values())
      if (row.status === 'refunded' && row.mediaShare)
        await this.media.refundClip(row.id, requestOf.get(row.id)!);
    return jobs.map((job, i): StatusOutcome => {
      const row = latest.get(job.donationId);
      if (!row) return { error: new DonationNotYetWrittenError(job.donationId) };
      this.log.debug(
        { donationId: row.id, requestId: job.requestId, status: row.status, moved: moved.has(i) },
        moved.has(i) ? 'donation status changed' : 'donation status unchanged',
      );
      return { result: moved.has(i) ? 'moved' : 'unchanged' };
    });
  }

  /**
   * Appends the paid alerts of `rows` (at most once per donation) in one pipelined round trip,
   * then marks them published in one UPDATE.
   */
  private async publishPaid(rows: DonationRow[], requestOf: Map<string, string>): Promise<void> {
    if (!rows.length) return;
    const ids = await publishAlertEvents(
      this.redis,
      this.prefix,
      rows.map((row) => ({
        // The donation's creation request id follows it onto the stream (see README, request ids).
        event: this.store.toEvent(row, 'donation.paid', row.requestId || (requestOf.get(row.id) ?? '')),
        onceKey: STREAMS.alertPublished(this.prefix, row.streamerId, row.id),
      })),
      this.limits,
    );
    await this.orm.em
      .fork()
      .getConnection()
      .execute(
        'update donations set alert_published_at = now() where id = any(?::uuid[]) and alert_published_at is null',
        [`{${rows.map((r) => r.id).join(',')}}`],
      );
    rows.forEach((row, i) =>
      this.log.debug(
        { donationId: row.id, requestId: row.requestId || requestOf.get(row.id), eventId: ids[i] },
        'donation.paid published',
      ),
    );
  }
}
