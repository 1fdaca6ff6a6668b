/**
 * The donation domain over donation_db: writing new donations in groups, moving them along the
 * forward-only state machine, publishing the paid alert exactly once, and the reads behind the
 * streamer's dashboard.
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Redis } from 'ioredis';
import { publishAlertEvent, publishDashboardEvent, type StreamLimits } from '../../shared/alert-stream.js';
import { allowedPredecessors } from '../../shared/payment-state.js';
import {
  STREAMS,
  type DonationCreateJob,
  type DonationEvent,
  type DonationStatusJob,
} from '../../shared/queues.js';
import { GroupCommit } from '../../shared/group-commit.js';
import { AppError, ConflictError, NotFoundError, ValidationError } from '../../shared/errors.js';
import type { Logger } from '../../shared/logger.js';
import { donationsTotal } from '../../shared/metrics.js';
import type { DonationRow } from './donation.db.js';

/** Thrown when a status job arrives before its donation row was written: retry later. */
export class DonationNotYetWrittenError extends AppError {
  constructor(donationId: string) {
    super('UNAVAILABLE', `Donation ${donationId} is not written yet`);
  }
}

type RawRow = Record<string, unknown>;

/** SQL condition: the donation moved real money (the sandbox provider moves none). */
const REAL_MONEY = "provider <> 'sandbox'";

/** What one insert of a group came to. */
type CreateOutcome =
  | { kind: 'written'; donationId: string; createdAt: Date; created: boolean }
  | { kind: 'conflict'; donationId: string };

function toRow(r: RawRow): DonationRow {
  const date = (v: unknown) => (v == null ? null : new Date(v as string));
  return {
    id: r.id as string,
    streamerId: r.streamer_id as string,
    donorName: r.donor_name as string,
    donorUserId: (r.donor_user_id as string | null) ?? null,
    anonymous: Boolean(r.anonymous),
    amountMinor: Number(r.amount_minor),
    currency: String(r.currency),
    message: r.message as string,
    provider: r.provider as DonationRow['provider'],
    status: r.status as DonationRow['status'],
    idempotencyKey: (r.idempotency_key as string | null) ?? null,
    mediaShare: (r.media_share as DonationRow['mediaShare']) ?? null,
    requestId: (r.request_id as string) ?? '',
    createdAt: date(r.created_at)!,
    updatedAt: date(r.updated_at)!,
    paidAt: date(r.paid_at),
    alertPublishedAt: date(r.alert_published_at),
  };
}

/** Name shown on overlays: "Anonymous" when the donor asked for it. */
export function publicDonorName(row: Pick<DonationRow, 'anonymous' | 'donorName'>): string {
  return row.anonymous ? 'Anonymous' : row.donorName;
}

/** One page of a streamer's donations, newest first. */
export interface DonationPage {
  donations: DonationRow[];
  nextCursor: string;
}

/** Per-currency totals of paid donations (minor units). */
export interface DonationStatsResult {
  totals: { currency: string; totalMinor: number; count: number; averageMinor: number }[];
  count: number;
  topDonors: { donorName: string; currency: string; totalMinor: number; count: number }[];
  perDay: { day: string; currency: string; totalMinor: number; count: number }[];
}

export class DonationStore {
  private readonly inserts: GroupCommit<DonationCreateJob, CreateOutcome>;

  constructor(
    private readonly orm: MikroORM,
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly limits: StreamLimits,
    private readonly log: Logger,
  ) {
    this.inserts = new GroupCommit((jobs) => this.insertMany(jobs));
  }

  /**
   * Writes a new pending donation (grouped with concurrent ones) and resolves once it is
   * committed. The database decides idempotency: when (streamer, idempotency key) — or the id —
   * is already there, the existing row is the answer (`created: false`), and a different request
   * body under the same key is a conflict.
   * @throws {ConflictError} when the idempotency key was used with another request body.
   */
  async create(job: DonationCreateJob): Promise<{ donationId: string; createdAt: Date; created: boolean }> {
    const outcome = await this.inserts.add(job);
    if (outcome.kind === 'conflict') {
      this.log.warn(
        { donationId: outcome.donationId, requestId: job.requestId, streamerId: job.streamerId },
        'idempotency key reused with a different body',
      );
      throw new ConflictError('Idempotency-Key was already used with a different request body', {
        fields: { 'Idempotency-Key': 'reused with a different body' },
      });
    }
    return outcome;
  }

  /**
   * One multi-row INSERT … ON CONFLICT DO NOTHING RETURNING id (hot path: raw SQL, one round
   * trip per group), then, only for the rows the unique keys refused, one SELECT naming the rows
   * that are there instead.
   */
  private async insertMany(jobs: DonationCreateJob[]): Promise<CreateOutcome[]> {
    const conn = this.orm.em.fork().getConnection();
    const now = new Date();
    const columns = [
      'id',
      'streamer_id',
      'donor_name',
      'donor_user_id',
      'anonymous',
      'amount_minor',
      'currency',
      'message',
      'provider',
      'status',
      'idempotency_key',
      'request_hash',
      'media_share',
      'request_id',
      'created_at',
      'updated_at',
    ];
    const params: unknown[] = [];
    const values = jobs.map((j) => {
      params.push(
        j.donationId,
        j.streamerId,
        j.donorName,
        j.donorUserId,
        j.anonymous,
        j.amountMinor,
        j.currency,
        j.message,
        j.provider,
        'pending',
        j.idempotencyKey,
        j.requestHash ?? null,
        j.mediaShare ? JSON.stringify(j.mediaShare) : null,
        j.requestId,
        new Date(j.createdAt),
        now,
      );
      return `(${columns.map(() => '?').join(', ')})`;
    });
    const inserted = await conn.execute<RawRow[]>(
      `insert into donations (${columns.join(', ')}) values ${values.join(', ')}
         on conflict do nothing returning id, created_at`,
      params,
      'all',
    );
    const written = new Map(inserted.map((r) => [r.id as string, new Date(r.created_at as string)]));
    const refused = jobs.filter((j) => !written.has(j.donationId));
    const existing = refused.length ? await this.existingFor(refused) : [];
    return jobs.map((j): CreateOutcome => {
      const createdAt = written.get(j.donationId);
      if (createdAt) return { kind: 'written', donationId: j.donationId, createdAt, created: true };
      const row = existing.find((r) =>
        j.idempotencyKey
          ? r.streamer_id === j.streamerId && r.idempotency_key === j.idempotencyKey
          : r.id === j.donationId,
      );
      // The unique key refused the row, yet nothing holds it: never answer as if written.
      if (!row) throw new Error(`donation ${j.donationId} was refused by a unique key but not found`);
      const sameBody = !j.requestHash || !row.request_hash || row.request_hash === j.requestHash;
      return sameBody
        ? {
            kind: 'written',
            donationId: row.id as string,
            createdAt: new Date(row.created_at as string),
            created: false,
          }
        : { kind: 'conflict', donationId: row.id as string };
    });
  }

  /** The rows holding the ids or (streamer, idempotency key) pairs of refused inserts. */
  private async existingFor(jobs: DonationCreateJob[]): Promise<RawRow[]> {
    const conn = this.orm.em.fork().getConnection();
    const keyed = jobs.filter((j) => j.idempotencyKey);
    const params: unknown[] = [jobs.map((j) => j.donationId)];
    let where = 'id = any(?::uuid[])';
    if (keyed.length) {
      where += ` or (streamer_id, idempotency_key) in (${keyed.map(() => '(?::uuid, ?)').join(', ')})`;
      for (const j of keyed) params.push(j.streamerId, j.idempotencyKey);
    }
    return conn.execute<RawRow[]>(
      `select id, streamer_id, idempotency_key, request_hash, created_at from donations where ${where}`,
      params,
      'all',
    );
  }

  /**
   * Applies a payment outcome to a donation, forward-only. A paid donation gets its alert
   * published exactly once; a refund goes to dashboards.
   * @returns whether the row moved.
   * @throws {DonationNotYetWrittenError} when the row does not exist yet (retry).
   */
  async applyStatus(job: DonationStatusJob): Promise<'moved' | 'unchanged'> {
    const conn = this.orm.em.fork().getConnection();
    const from = allowedPredecessors(job.status);
    const placeholders = from.map(() => '?').join(', ');
    const updated = await conn.execute<RawRow[]>(
      `update donations set status = ?, updated_at = now(),
         paid_at = case when ? = 'paid' then coalesce(paid_at, now()) else paid_at end
       where id = ? and status in (${placeholders}) returning *`,
      [job.status, job.status, job.donationId, ...from],
      'all',
    );
    let row: DonationRow;
    if (updated[0]) {
      row = toRow(updated[0]);
      donationsTotal.inc({ status: row.status, provider: row.provider });
    } else {
      const found = await conn.execute<RawRow[]>(
        'select * from donations where id = ?',
        [job.donationId],
        'all',
      );
      if (!found[0]) throw new DonationNotYetWrittenError(job.donationId);
      row = toRow(found[0]);
    }
    // Publishing runs on every delivery of a paid job (not only when the row moved), so a
    // crash between the UPDATE and the XADD is repaired by the retry; the marker dedupes.
    if (row.status === 'paid' && !row.alertPublishedAt) await this.publishPaid(row, job.requestId);
    // Other status changes reach the streamer's dashboards only (no alert, no history).
    if (updated[0] && row.status !== 'paid' && row.status !== 'pending') {
      await publishDashboardEvent(
        this.redis,
        this.prefix,
        this.toEvent(row, `donation.${row.status}`, job.requestId),
        this.limits,
      );
    }
    this.log.info(
      { donationId: row.id, requestId: job.requestId, status: row.status, moved: Boolean(updated[0]) },
      updated[0] ? 'donation status changed' : 'donation status unchanged',
    );
    return updated[0] ? 'moved' : 'unchanged';
  }

  /** Publishes the paid alert (at most once per donation) and records that it was published. */
  async publishPaid(row: DonationRow, requestId: string): Promise<void> {
    const eventId = await publishAlertEvent(
      this.redis,
      this.prefix,
      // The donation's creation request id follows it onto the stream (see README, request ids).
      this.toEvent(row, 'donation.paid', row.requestId || requestId),
      this.limits,
      STREAMS.alertPublished(this.prefix, row.streamerId, row.id),
    );
    await this.orm.em
      .fork()
      .getConnection()
      .execute(
        'update donations set alert_published_at = now() where id = ? and alert_published_at is null',
        [row.id],
      );
    this.log.info(
      { donationId: row.id, requestId: row.requestId || requestId, eventId },
      'donation.paid published',
    );
  }

  /**
   * Re-publishes paid donations whose alert never reached the stream (after a Redis data loss
   * or a crash between commit and publish). The per-donation marker keeps it once-only.
   * @returns how many were re-published.
   */
  async republishUnalerted(olderThanMs = 5000, limit = 1000): Promise<number> {
    const conn = this.orm.em.fork().getConnection();
    const rows = await conn.execute<RawRow[]>(
      `select * from donations where status = 'paid' and alert_published_at is null
         and paid_at < now() - (? || ' milliseconds')::interval order by paid_at limit ?`,
      [String(olderThanMs), limit],
      'all',
    );
    for (const raw of rows) await this.publishPaid(toRow(raw), '');
    return rows.length;
  }

  /**
   * After Redis lost its data: publishes again the alerts published in the last `windowMs` ms
   * (one may have been on the stream but not yet delivered when the data went). The once-only
   * marker went with the data, so each is appended again; overlays drop a donation they
   * already showed (AlertSequencer).
   * @returns how many were appended again.
   */
  async republishRecent(windowMs: number, limit = 10_000): Promise<number> {
    const conn = this.orm.em.fork().getConnection();
    const rows = await conn.execute<RawRow[]>(
      `select * from donations where status = 'paid' and alert_published_at > now() - (? || ' milliseconds')::interval
         order by alert_published_at limit ?`,
      [String(windowMs), limit],
      'all',
    );
    let appended = 0;
    // In batches, in order: one connection runs the scripts in the order they were sent, so
    // each streamer's history keeps the original order.
    for (let i = 0; i < rows.length; i += 100) {
      const ids = await Promise.all(
        rows.slice(i, i + 100).map((raw) => {
          const row = toRow(raw);
          return publishAlertEvent(
            this.redis,
            this.prefix,
            this.toEvent(row, 'donation.paid', row.requestId),
            this.limits,
            STREAMS.alertPublished(this.prefix, row.streamerId, row.id),
          );
        }),
      );
      appended += ids.filter(Boolean).length;
    }
    return appended;
  }

  /** The event appended to the streams for a donation. */
  toEvent(row: DonationRow, type: DonationEvent['type'], requestId: string): DonationEvent {
    return {
      type,
      donationId: row.id,
      streamerId: row.streamerId,
      donorName: publicDonorName(row),
      amountMinor: row.amountMinor,
      currency: row.currency,
      message: row.message,
      mediaShare: row.mediaShare,
      createdAt: row.createdAt.toISOString(),
      paidAt: (row.paidAt ?? new Date()).toISOString(),
      // A sandbox donation moved no money: marked test on overlays and outgoing webhooks.
      test: row.provider === 'sandbox',
      requestId,
    };
  }

  /** @throws {NotFoundError} */
  async get(donationId: string): Promise<DonationRow> {
    const rows = await this.orm.em
      .fork()
      .getConnection()
      .execute<RawRow[]>('select * from donations where id = ?', [donationId], 'all');
    if (!rows[0]) throw new NotFoundError(`Donation ${donationId} not found`);
    return toRow(rows[0]);
  }

  /** A streamer's donations, newest first, keyset-paged. */
  async list(streamerId: string, pageSize: number, cursor: string, status: string): Promise<DonationPage> {
    const size = Math.min(Math.max(pageSize || 20, 1), 100);
    const params: unknown[] = [streamerId];
    let where = 'streamer_id = ?';
    if (status) {
      where += ' and status = ?';
      params.push(status);
    }
    if (cursor) {
      const [createdAt, id] = Buffer.from(cursor, 'base64url').toString().split('|');
      if (!createdAt || !id || Number.isNaN(Date.parse(createdAt)))
        throw new ValidationError('cursor is invalid');
      where += ' and (created_at, id) < (?, ?)';
      params.push(createdAt, id);
    }
    const rows = await this.orm.em
      .fork()
      .getConnection()
      .execute<RawRow[]>(
        `select * from donations where ${where} order by created_at desc, id desc limit ?`,
        [...params, size + 1],
        'all',
      );
    const donations = rows.slice(0, size).map(toRow);
    const last = donations[donations.length - 1];
    const nextCursor =
      rows.length > size && last
        ? Buffer.from(`${last.createdAt.toISOString()}|${last.id}`).toString('base64url')
        : '';
    return { donations, nextCursor };
  }

  /**
   * Totals over paid donations of real money: refunded ones and sandbox (test) donations are out
   * of the totals, the top donors and the days, so of every goal, widget and balance built on them.
   */
  async stats(streamerId: string, days: number): Promise<DonationStatsResult> {
    const conn = this.orm.em.fork().getConnection();
    const totals = await conn.execute<RawRow[]>(
      `select currency, sum(amount_minor)::bigint as total, count(*)::int as n
         from donations where streamer_id = ? and status = 'paid' and ${REAL_MONEY} group by currency order by currency`,
      [streamerId],
      'all',
    );
    const top = await conn.execute<RawRow[]>(
      `select donor_name, currency, sum(amount_minor)::bigint as total, count(*)::int as n
         from donations where streamer_id = ? and status = 'paid' and ${REAL_MONEY} and not anonymous
         group by donor_name, currency order by sum(amount_minor) desc limit 10`,
      [streamerId],
      'all',
    );
    const perDay = await conn.execute<RawRow[]>(
      `select to_char(date_trunc('day', paid_at at time zone 'UTC'), 'YYYY-MM-DD') as day, currency,
              sum(amount_minor)::bigint as total, count(*)::int as n
         from donations where streamer_id = ? and status = 'paid' and ${REAL_MONEY}
           and paid_at > now() - (? || ' days')::interval
         group by 1, 2 order by 1, 2`,
      [streamerId, String(Math.min(Math.max(days || 30, 1), 366))],
      'all',
    );
    const mapped = totals.map((t) => ({
      currency: String(t.currency),
      totalMinor: Number(t.total),
      count: Number(t.n),
      averageMinor: Math.round(Number(t.total) / Number(t.n)),
    }));
    return {
      totals: mapped,
      count: mapped.reduce((s, t) => s + t.count, 0),
      topDonors: top.map((t) => ({
        donorName: String(t.donor_name),
        currency: String(t.currency),
        totalMinor: Number(t.total),
        count: Number(t.n),
      })),
      perDay: perDay.map((d) => ({
        day: String(d.day),
        currency: String(d.currency),
        totalMinor: Number(d.total),
        count: Number(d.n),
      })),
    };
  }
}
