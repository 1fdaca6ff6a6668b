/**
 * The streamer's history and stats helpers: filters from the query (days in the streamer's time
 * zone), the stats ranges, and the CSV export (RFC 4180, formula-injection safe, streamed).
 */
import { Readable } from 'node:stream';
import type { ClientReadableStream, ServiceError } from '@grpc/grpc-js';
import { fromServiceError } from '../../shared/grpc.js';
import { z } from 'zod';
import { PROVIDERS } from '../../shared/config.js';
import { SUPPORTED_CURRENCIES, toDecimalString } from '../../shared/money.js';
import type { Donation } from '../../proto/generated/mediashar/v1/Donation.js';

/** An IANA time zone Intl knows. */
export const timeZoneSchema = z
  .string()
  .max(64)
  .refine((zone) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
      return /^[A-Za-z_+\-/0-9]+$/.test(zone);
    } catch {
      return false;
    }
  }, 'must be an IANA time zone such as Asia/Jakarta');

/** A day (YYYY-MM-DD, in `tz`) or an ISO 8601 instant. */
const dayOrInstant = z
  .string()
  .max(40)
  .refine(
    (v) => /^\d{4}-\d{2}-\d{2}$/.test(v) || !Number.isNaN(Date.parse(v)),
    'must be a day (YYYY-MM-DD) or an ISO 8601 time',
  );

/** History filters shared by GET /me/donations and GET /me/donations.csv. */
export const historyFilterShape = {
  q: z.string().trim().max(100, 'must be at most 100 characters').optional(),
  status: z.enum(['pending', 'paid', 'failed', 'expired', 'refunded']).optional(),
  provider: z.enum(PROVIDERS, `must be one of ${PROVIDERS.join(', ')}`).optional(),
  currency: z.enum(SUPPORTED_CURRENCIES, 'must be a supported currency code').optional(),
  from: dayOrInstant.optional().describe('created on or after (a day in tz, or an instant)'),
  to: dayOrInstant.optional().describe('created on or before (a whole day in tz), or before an instant'),
  tz: timeZoneSchema.default('UTC'),
};

export const STATS_RANGES = ['today', '7d', '30d', 'all'] as const;
export type StatsRange = (typeof STATS_RANGES)[number];

/** Offset of `zone` from UTC at `at`, in ms (positive east of Greenwich). */
function zoneOffsetMs(at: number, zone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  const local = Date.UTC(
    +parts.year!,
    +parts.month! - 1,
    +parts.day!,
    +parts.hour!,
    +parts.minute!,
    +parts.second!,
  );
  return local - Math.floor(at / 1000) * 1000;
}

/** The instant a calendar day starts in `zone` (`day` = YYYY-MM-DD). */
export function startOfDay(day: string, zone: string): Date {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const guess = Date.UTC(y, m - 1, d);
  // Twice: the offset at the guess may differ from the offset at the answer (a DST change).
  const first = guess - zoneOffsetMs(guess, zone);
  return new Date(guess - zoneOffsetMs(first, zone));
}

/** Today's date (YYYY-MM-DD) in `zone`, shifted by `deltaDays`. */
export function dayIn(zone: string, deltaDays = 0, now = Date.now()): string {
  const local = new Date(now + zoneOffsetMs(now, zone) + deltaDays * 86_400_000);
  return local.toISOString().slice(0, 10);
}

/** `from`/`to` of the query → created-at bounds (ISO instants; '' = open). */
export function createdBounds(q: { from?: string; to?: string; tz: string }): {
  createdFrom: string;
  createdBefore: string;
} {
  const isDay = (v: string) => /^\d{4}-\d{2}-\d{2}$/.test(v);
  const createdFrom = !q.from
    ? ''
    : isDay(q.from)
      ? startOfDay(q.from, q.tz).toISOString()
      : new Date(q.from).toISOString();
  let createdBefore = '';
  if (q.to) {
    // A day is inclusive: everything before the next day starts.
    createdBefore = isDay(q.to)
      ? startOfDay(
          new Date(Date.parse(`${q.to}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10),
          q.tz,
        ).toISOString()
      : new Date(q.to).toISOString();
  }
  return { createdFrom, createdBefore };
}

/** Where a stats range starts (ISO instant; '' for all time) and how many days its series covers. */
export function statsRangeStart(range: StatsRange, zone: string): { paidFrom: string; days: number } {
  switch (range) {
    case 'today':
      return { paidFrom: startOfDay(dayIn(zone), zone).toISOString(), days: 1 };
    case '7d':
      return { paidFrom: startOfDay(dayIn(zone, -6), zone).toISOString(), days: 7 };
    case '30d':
      return { paidFrom: startOfDay(dayIn(zone, -29), zone).toISOString(), days: 30 };
    case 'all':
      return { paidFrom: '', days: 366 };
  }
}

/** CSV columns of the export, in order. */
export const CSV_COLUMNS = [
  'id',
  'created_at',
  'paid_at',
  'status',
  'provider',
  'donor_name',
  'anonymous',
  'amount',
  'currency',
  'message',
  'media_url',
] as const;

/**
 * One CSV cell: a text starting with = + - @ (or a tab / carriage return) gets a leading ' so a
 * spreadsheet shows it instead of running it (OWASP "CSV injection"); then RFC 4180 quoting.
 */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One CSV record (CRLF-terminated, RFC 4180) of a donation; the amount in major units. */
export function csvRow(d: Donation): string {
  const amount = d.amount ? toDecimalString(Number(d.amount.amountMinor), d.amount.currency) : '';
  return (
    [
      d.id,
      d.createdAt,
      d.paidAt,
      d.status,
      d.provider,
      d.donorName,
      d.anonymous ? 'yes' : 'no',
      amount,
      d.amount?.currency ?? '',
      d.message,
      d.mediaShare?.url ?? '',
    ]
      .map((v) => csvCell(String(v ?? '')))
      .join(',') + '\r\n'
  );
}

/**
 * The CSV body of an export stream. The first message is awaited before anything is sent, so
 * an error at the start (refused, bad filter) still becomes a proper error response; later,
 * rows are pulled only as fast as the HTTP client reads (Readable.from → async iterator →
 * gRPC flow control → the service's `drain`).
 */
export async function csvBody(stream: ClientReadableStream<Donation>): Promise<Readable> {
  const iterator = (stream as AsyncIterable<Donation>)[Symbol.asyncIterator]();
  // A failed call's status becomes the same named error a unary call gives (403, 400, …).
  const first = await iterator.next().catch((err: unknown) => {
    throw fromServiceError(err as ServiceError);
  });
  async function* lines(): AsyncGenerator<string> {
    try {
      yield CSV_COLUMNS.join(',') + '\r\n';
      if (first.done) return;
      yield csvRow(first.value);
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        yield csvRow(next.value);
      }
    } finally {
      // The client went away (or we are done): end the gRPC call too.
      stream.cancel();
    }
  }
  return Readable.from(lines());
}
