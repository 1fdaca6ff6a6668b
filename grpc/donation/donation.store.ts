/**
 * The donation domain over donation_db: writing new donations in groups, publishing the paid
 * alert exactly once, and the reads behind the streamer's dashboard (the forward-only status
 * moves are batched in donation-status-batcher.ts).
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Redis } from 'ioredis';
import { publishAlertEvent, type StreamLimits } from '../../shared/alert-stream.js';
import { STREAMS, type DonationCreateJob, type DonationEvent } from '../../shared/queues.js';
import { GroupCommit } from '../../shared/group-commit.js';
import { AppError, ConflictError, NotFoundError, ValidationError } from '../../shared/errors.js';
import type { Logger } from '../../shared/logger.js';
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

/** A donations row as the store returns it (raw SQL row → DonationRow). */
export function toRow(r: RawRow): DonationRow {
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
    messageReview: (r.message_review as DonationRow['messageReview']) ?? null,
    heldMessage: (r.held_message as string | null) ?? null,
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
  perProvider: { provider: string; currency: string; totalMinor: number; count: number }[];
  /** Paid sandbox (test) donations in the range: in none of the figures above. */
  testCount: number;
}

/** Filters of a streamer's donation history (all optional). */
export interface DonationFilters {
  status?: string;
  /** Case-insensitive substring of the donor name or the message. */
  search?: string;
  provider?: string;
  currency?: string;
  /** ISO 8601 instants: created at or after / before. */
  createdFrom?: string;
  createdBefore?: string;
  /** Word filter hold mode: `held`, `approved` or `rejected` (see DonationRow.messageReview). */
  messageReview?: string;
}

export class DonationStore {
  private readonly inserts: GroupCommit<DonationCreateJob, CreateOutcome>;

  constructor(
    private readonly orm: MikroORM,
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly limits: StreamLimits,
    private readonly log: Logger,
    /**
     * Called with the donations each group commit created, once they are committed and before
     * any caller is answered (DonationService queues their checkouts here). Must not throw.
     */
    private readonly onCreated?: (created: DonationCreateJob[]) => Promise<void>,
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
      'message_review',
      'held_message',
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
        j.heldMessage ? 'held' : null,
        j.heldMessage || null,
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
    const outcomes = jobs.map((j): CreateOutcome => {
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
    if (this.onCreated && written.size) await this.onCreated(jobs.filter((j) => written.has(j.donationId)));
    return outcomes;
  }

  /** The rows holding the ids or (streamer, idempotency key) pairs of refused inserts. */
  private async existingFor(jobs: DonationCreateJob[]): Promise<RawRow[]> {
    const conn = this.orm.em.fork().getConnection();
    const keyed = jobs.filter((j) => j.idempotencyKey);
    const params: unknown[] = jobs.map((j) => j.donationId);
    let where = `id in (${jobs.map(() => '?').join(', ')})`;
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
    this.log.debug(
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
      ...(row.messageReview === 'held' ? { messageHeld: true } : {}),
    };
  }

  /**
   * The streamer's decision on a held message (word filter in hold mode): `approve` moves the
   * held text to `message`, `reject` drops it. One conditional UPDATE, so two decisions at once
   * cannot both apply; a decision equal to the one already taken is answered as done.
   * @throws {NotFoundError} no such donation for this streamer
   * @throws {ConflictError} nothing is held (never was, or the other decision was taken)
   */
  async reviewMessage(
    streamerId: string,
    donationId: string,
    decision: 'approve' | 'reject',
  ): Promise<DonationRow> {
    const conn = this.orm.em.fork().getConnection();
    const approve = decision === 'approve';
    const updated = await conn.execute<RawRow[]>(
      `update donations
          set message = case when ? then held_message else message end,
              held_message = null,
              message_review = ?,
              updated_at = now()
        where id = ? and streamer_id = ? and message_review = 'held'
        returning *`,
      [approve, approve ? 'approved' : 'rejected', donationId, streamerId],
      'all',
    );
    if (updated[0]) return toRow(updated[0]);
    const rows = await conn.execute<RawRow[]>(
      'select * from donations where id = ? and streamer_id = ?',
      [donationId, streamerId],
      'all',
    );
    if (!rows[0]) throw new NotFoundError(`Donation ${donationId} not found`);
    const row = toRow(rows[0]);
    if (row.messageReview === (approve ? 'approved' : 'rejected')) return row;
    throw new ConflictError(
      row.messageReview
        ? `The message was already ${row.messageReview}`
        : 'This donation has no held message',
    );
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

  /** SQL condition and parameters of a streamer's history filters. */
  private filterSql(streamerId: string, f: DonationFilters): { where: string; params: unknown[] } {
    const params: unknown[] = [streamerId];
    let where = 'streamer_id = ?';
    if (f.status) {
      where += ' and status = ?';
      params.push(f.status);
    }
    if (f.provider) {
      where += ' and provider = ?';
      params.push(f.provider);
    }
    if (f.currency) {
      where += ' and currency = ?';
      params.push(f.currency);
    }
    if (f.messageReview) {
      where += ' and message_review = ?';
      params.push(f.messageReview);
    }
    if (f.createdFrom) {
      where += ' and created_at >= ?';
      params.push(f.createdFrom);
    }
    if (f.createdBefore) {
      where += ' and created_at < ?';
      params.push(f.createdBefore);
    }
    if (f.search) {
      // Substring, case-insensitive; LIKE's own wildcards in the search are literal.
      const pattern = `%${f.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      where += ' and (donor_name ilike ? or message ilike ?)';
      params.push(pattern, pattern);
    }
    return { where, params };
  }

  /**
   * A streamer's donations matching `filters`, newest first, keyset-paged.
   * @param pageSize rows per page (1–1000).
   * @throws {ValidationError} for a cursor this method did not make.
   */
  async list(
    streamerId: string,
    pageSize: number,
    cursor: string,
    filters: DonationFilters = {},
    maxPageSize = 100,
  ): Promise<DonationPage> {
    const size = Math.min(Math.max(pageSize || 20, 1), maxPageSize);
    let { where, params } = this.filterSql(streamerId, filters);
    if (cursor) {
      const [createdAt, id] = Buffer.from(cursor, 'base64url').toString().split('|');
      if (!createdAt || !id || Number.isNaN(Date.parse(createdAt)) || !/^[0-9a-f-]{36}$/.test(id))
        throw new ValidationError('cursor is invalid', {
          fields: { cursor: 'is not a cursor this API gave' },
        });
      where += ' and (created_at, id) < (?, ?)';
      params = [...params, createdAt, id];
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
   * Every donation matching `filters`, newest first, in keyset pages of `batch` rows: memory
   * stays one page however many rows match (the CSV export of 100,000 rows).
   */
  async *exportPages(
    streamerId: string,
    filters: DonationFilters,
    batch = 1000,
  ): AsyncGenerator<DonationRow[]> {
    let cursor = '';
    do {
      const page = await this.list(streamerId, batch, cursor, filters, batch);
      if (page.donations.length) yield page.donations;
      cursor = page.nextCursor;
    } while (cursor);
  }

  /**
   * Totals over paid donations that moved real money (refunded ones and sandbox ones out).
   * @param days the per-day series covers the last `days` days when `paidFrom` is empty.
   * @param paidFrom ISO 8601 instant: everything counts paid donations from then on; empty =
   *   totals, top donors and providers over all time.
   * @param timeZone IANA zone the days are cut in.
   */
  async stats(
    streamerId: string,
    days: number,
    paidFrom = '',
    timeZone = 'UTC',
  ): Promise<DonationStatsResult> {
    const conn = this.orm.em.fork().getConnection();
    const range = paidFrom ? ' and paid_at >= ?' : '';
    const rangeParams = paidFrom ? [paidFrom] : [];
    const paid = `streamer_id = ? and status = 'paid'${range}`;
    const [totals, top, perDay, perProvider, test] = await Promise.all([
      conn.execute<RawRow[]>(
        `select currency, sum(amount_minor)::bigint as total, count(*)::int as n
           from donations where ${paid} and ${REAL_MONEY} group by currency order by currency`,
        [streamerId, ...rangeParams],
        'all',
      ),
      conn.execute<RawRow[]>(
        `select donor_name, currency, sum(amount_minor)::bigint as total, count(*)::int as n
           from donations where ${paid} and ${REAL_MONEY} and not anonymous
           group by donor_name, currency order by sum(amount_minor) desc limit 10`,
        [streamerId, ...rangeParams],
        'all',
      ),
      conn.execute<RawRow[]>(
        `select to_char(date_trunc('day', paid_at at time zone ?), 'YYYY-MM-DD') as day, currency,
                sum(amount_minor)::bigint as total, count(*)::int as n
           from donations where streamer_id = ? and status = 'paid' and ${REAL_MONEY}
             and paid_at >= ${paidFrom ? '?' : "now() - (? || ' days')::interval"}
           group by 1, 2 order by 1, 2`,
        [timeZone, streamerId, paidFrom || String(Math.min(Math.max(days || 30, 1), 366))],
        'all',
      ),
      conn.execute<RawRow[]>(
        `select provider, currency, sum(amount_minor)::bigint as total, count(*)::int as n
           from donations where ${paid} and ${REAL_MONEY} group by provider, currency order by 1, 2`,
        [streamerId, ...rangeParams],
        'all',
      ),
      conn.execute<RawRow[]>(
        `select count(*)::int as n from donations where ${paid} and not (${REAL_MONEY})`,
        [streamerId, ...rangeParams],
        'all',
      ),
    ]);
    const mapped = totals.map((t) => ({
      currency: String(t.currency),
      totalMinor: Number(t.total),
      count: Number(t.n),
      averageMinor: Math.round(Number(t.total) / Number(t.n)),
    }));
    const sums = (r: RawRow) => ({
      currency: String(r.currency),
      totalMinor: Number(r.total),
      count: Number(r.n),
    });
    return {
      totals: mapped,
      count: mapped.reduce((s, t) => s + t.count, 0),
      topDonors: top.map((t) => ({ donorName: String(t.donor_name), ...sums(t) })),
      perDay: perDay.map((d) => ({ day: String(d.day), ...sums(d) })),
      perProvider: perProvider.map((p) => ({ provider: String(p.provider), ...sums(p) })),
      testCount: Number(test[0]?.n ?? 0),
    };
  }
}
