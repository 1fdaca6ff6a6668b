/**
 * Appending events to the Redis streams and reading a streamer's alert history.
 *
 * A paid donation is appended once: a Lua script sets a per-donation marker with NX and, only
 * when it was not there, XADDs to the streamer's history (whose entry id becomes the alert's
 * eventId) and to the global stream read by the notification service. A retried job therefore
 * never produces a second alert. Both streams are capped with MAXLEN ~.
 */
import type { ServerWritableStream } from '@grpc/grpc-js';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { ValidationError } from './errors.js';
import { STREAMS, type AlertPayload, type DonationEvent, type MediaShareEvent } from './queues.js';
import { formatMoney } from './money.js';
import { mediaShareToWire } from './media-share.js';
import type { DonationEvent as ProtoDonationEvent } from '../proto/generated/mediashar/v1/DonationEvent.js';

const PUBLISH_SCRIPT = `
if KEYS[1] ~= '' and redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[1]) == false then
  return false
end
local prev = ''
local last = redis.call('XREVRANGE', KEYS[2], '+', '-', 'COUNT', 1)
if last[1] then prev = last[1][1] end
local id = redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], '*', 'data', ARGV[4], 'prev', prev)
redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[3], '*', 'data', ARGV[4], 'eventId', id, 'prev', prev)
redis.call('XTRIM', KEYS[2], 'MINID', '~', ARGV[5])
redis.call('XTRIM', KEYS[3], 'MINID', '~', ARGV[5])
return id
`;

/**
 * How long the once-only marker of a published alert lives, in seconds (1 h). It guards the
 * window in which the same publish can be attempted again: a donation-status job's retries
 * (12 attempts, backoff from 200 ms: ~14 min in all) and the reconciler's pass for a crash
 * between the XADD and the row's alert_published_at; after that the row itself says
 * "published".
 */
export const ALERT_MARKER_TTL_S = 3600;

/** Default age after which stream entries are trimmed (MINID ~), in seconds (24 h). */
export const DEFAULT_STREAM_MAX_AGE_S = 24 * 3600;

/** The MINID of a stream trimmed to `maxAgeS` seconds. */
function minIdFor(maxAgeS: number): string {
  return `${Date.now() - maxAgeS * 1000}-0`;
}

type PublishCommand = (
  marker: string,
  history: string,
  global: string,
  ttlS: number,
  historyMaxLen: number,
  globalMaxLen: number,
  data: string,
  minId: string,
) => Promise<string | null>;

function publishCommand(redis: Redis): PublishCommand {
  const r = redis as Redis & { mediasharPublishAlert?: PublishCommand };
  if (!r.mediasharPublishAlert)
    r.defineCommand('mediasharPublishAlert', { numberOfKeys: 3, lua: PUBLISH_SCRIPT });
  return r.mediasharPublishAlert!.bind(r);
}

/** Stream caps: by length (entries, MAXLEN ~) and by age (MINID ~). */
export interface StreamLimits {
  globalMaxLen: number;
  historyMaxLen: number;
  /** Entries older than this are trimmed, in seconds [DEFAULT_STREAM_MAX_AGE_S = 86400]. */
  maxAgeS?: number;
}

/**
 * Appends an alert-bearing event to the streamer's history and the global stream.
 * @param onceKey a marker key making the append happen at most once (null: always append, for
 *   test alerts and replays).
 * @returns the new eventId, or null when `onceKey` said it was already published.
 */
export async function publishAlertEvent(
  redis: Redis,
  prefix: string,
  event: DonationEvent,
  limits: StreamLimits,
  onceKey: string | null,
): Promise<string | null> {
  return publishCommand(redis)(
    onceKey ?? '',
    STREAMS.streamerAlerts(prefix, event.streamerId),
    STREAMS.donationEvents(prefix),
    ALERT_MARKER_TTL_S,
    limits.historyMaxLen,
    limits.globalMaxLen,
    JSON.stringify(event),
    minIdFor(limits.maxAgeS ?? DEFAULT_STREAM_MAX_AGE_S),
  );
}

/**
 * Appends many alert-bearing events in one pipelined round trip, in order (each as
 * publishAlertEvent, with its own once-only marker key or null).
 * @returns one eventId (or null when its marker said it was already published) per event.
 * @throws the first error of any append (the caller retries; markers keep it once-only).
 */
export async function publishAlertEvents(
  redis: Redis,
  prefix: string,
  items: { event: DonationEvent; onceKey: string | null }[],
  limits: StreamLimits,
): Promise<(string | null)[]> {
  if (!items.length) return [];
  publishCommand(redis);
  const pipeline = redis.pipeline() as ReturnType<Redis['pipeline']> & {
    mediasharPublishAlert: (...args: (string | number)[]) => unknown;
  };
  const minId = minIdFor(limits.maxAgeS ?? DEFAULT_STREAM_MAX_AGE_S);
  for (const { event, onceKey } of items)
    pipeline.mediasharPublishAlert(
      onceKey ?? '',
      STREAMS.streamerAlerts(prefix, event.streamerId),
      STREAMS.donationEvents(prefix),
      ALERT_MARKER_TTL_S,
      limits.historyMaxLen,
      limits.globalMaxLen,
      JSON.stringify(event),
      minId,
    );
  const results = (await pipeline.exec()) ?? [];
  return results.map(([err, id]) => {
    if (err) throw err;
    return (id as string | null) ?? null;
  });
}

/** Appends a non-alert event (refunds and other dashboard updates) to the global stream only. */
export async function publishDashboardEvent(
  redis: Redis,
  prefix: string,
  event: DonationEvent,
  limits: StreamLimits,
): Promise<void> {
  const key = STREAMS.donationEvents(prefix);
  await redis
    .multi()
    .xadd(
      key,
      'MAXLEN',
      '~',
      limits.globalMaxLen,
      '*',
      'data',
      JSON.stringify(event),
      'eventId',
      '',
      'prev',
      '',
    )
    .xtrim(key, 'MINID', '~', minIdFor(limits.maxAgeS ?? DEFAULT_STREAM_MAX_AGE_S))
    .exec();
}

/** Value of the `kind` field that marks a media-share entry on the global stream. */
const MEDIA_KIND = 'media';

/**
 * Appends media-share events (a clip's state change, the player's pause or volume) to the global
 * stream only, in one round trip: they are not alerts, never replayed to overlays, and readers
 * that do not know them (outgoing webhooks, gRPC subscribers) pass them by their `kind` field.
 */
export async function publishMediaShareEvents(
  redis: Redis,
  prefix: string,
  events: MediaShareEvent[],
  limits: StreamLimits,
): Promise<void> {
  if (!events.length) return;
  const key = STREAMS.donationEvents(prefix);
  const multi = redis.multi();
  for (const event of events)
    multi.xadd(
      key,
      'MAXLEN',
      '~',
      limits.globalMaxLen,
      '*',
      'data',
      JSON.stringify(event),
      'eventId',
      '',
      'prev',
      '',
      'kind',
      MEDIA_KIND,
    );
  await multi.exec();
}

/** The media-share event of a global stream entry, or null when the entry is not one. */
export function parseMediaShareEntry(fields: string[]): MediaShareEvent | null {
  for (let i = 0; i + 1 < fields.length; i += 2) {
    if (fields[i] === 'kind' && fields[i + 1] === MEDIA_KIND) {
      const data = fields[fields.indexOf('data') + 1];
      return data ? (JSON.parse(data) as MediaShareEvent) : null;
    }
  }
  return null;
}

/** A parsed stream entry. */
export interface StreamEvent {
  /** Entry id in the stream it was read from. */
  entryId: string;
  /** Alert event id in the streamer history ('' for dashboard-only events). */
  eventId: string;
  prevEventId: string;
  event: DonationEvent;
}

/** Parses the flat field list of a stream entry. */
export function parseEntry(entryId: string, fields: string[]): StreamEvent {
  const map = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) map.set(fields[i]!, fields[i + 1]!);
  const fromHistory = !map.has('eventId');
  return {
    entryId,
    eventId: fromHistory ? entryId : (map.get('eventId') ?? ''),
    prevEventId: map.get('prev') ?? '',
    event: JSON.parse(map.get('data') ?? '{}') as DonationEvent,
  };
}

/**
 * A streamer's alerts after `afterEventId` (exclusive), oldest first, at most `limit`.
 * An empty `afterEventId` reads from the start of the kept history.
 */
export async function readHistory(
  redis: Redis,
  prefix: string,
  streamerId: string,
  afterEventId: string,
  limit = 500,
): Promise<StreamEvent[]> {
  const start = afterEventId ? `(${afterEventId}` : '-';
  const entries = await redis.xrange(STREAMS.streamerAlerts(prefix, streamerId), start, '+', 'COUNT', limit);
  return entries.map(([id, fields]) => parseEntry(id, fields));
}

/** The Socket.IO `alert` payload for a stream event. */
export function toAlertPayload(e: StreamEvent, locale?: string): AlertPayload {
  return {
    eventId: e.eventId,
    prevEventId: e.prevEventId,
    type: e.event.type,
    donationId: e.event.donationId,
    donorName: e.event.donorName,
    amount: e.event.amountMinor,
    currency: e.event.currency,
    formattedAmount: formatMoney(e.event.amountMinor, e.event.currency, locale),
    message: e.event.message,
    mediaShare: e.event.mediaShare,
    createdAt: e.event.createdAt,
    test: e.event.test,
    ...(e.event.messageHeld ? { messageHeld: true } : {}),
  };
}

/** Compares two stream ids ("ms-seq"): negative when a < b. */
export function compareStreamIds(a: string, b: string): number {
  const [am = 0, as = 0] = a.split('-').map(Number);
  const [bm = 0, bs = 0] = b.split('-').map(Number);
  return am === bm ? as - bs : am - bm;
}

/**
 * Follows a streamer's alerts: the kept history after `afterEventId`, then live entries, until
 * `isOpen()` turns false. The blocking reads use `blocking`, a connection of their own.
 */
export async function followStreamerAlerts(
  redis: Redis,
  blocking: Redis,
  prefix: string,
  streamerId: string,
  afterEventId: string,
  onEvent: (e: StreamEvent) => void,
  isOpen: () => boolean,
): Promise<void> {
  const key = STREAMS.streamerAlerts(prefix, streamerId);
  let after = afterEventId;
  if (after) {
    for (;;) {
      const page = await readHistory(redis, prefix, streamerId, after, 500);
      for (const e of page) onEvent(e);
      if (page.length < 500) break;
      after = page[page.length - 1]!.eventId;
    }
    const last = (await redis.xrevrange(key, '+', '-', 'COUNT', 1))[0]?.[0];
    if (last && compareStreamIds(last, after) > 0) after = last;
  } else {
    after = (await redis.xrevrange(key, '+', '-', 'COUNT', 1))[0]?.[0] ?? '0-0';
  }
  while (isOpen()) {
    const res = await blocking.xread('COUNT', 100, 'BLOCK', 1000, 'STREAMS', key, after);
    for (const [, entries] of res ?? []) {
      for (const [id, fields] of entries) {
        onEvent(parseEntry(id, fields));
        after = id;
      }
    }
  }
}

/** gRPC view of a stream event (mediashar.v1.DonationEvent). */
export function toProtoEvent(e: StreamEvent): ProtoDonationEvent {
  return {
    eventId: e.eventId,
    prevEventId: e.prevEventId,
    type: e.event.type,
    donationId: e.event.donationId,
    streamerId: e.event.streamerId,
    donorName: e.event.donorName,
    amount: { amountMinor: e.event.amountMinor, currency: e.event.currency },
    message: e.event.message,
    mediaShare: mediaShareToWire(e.event.mediaShare),
    createdAt: e.event.createdAt,
    paidAt: e.event.paidAt,
    test: e.event.test,
  };
}

/**
 * Serves one gRPC server stream of a streamer's events (DonationService.StreamDonationEvents and
 * NotificationService.SubscribeDonationEvents): the history after `afterEventId`, then live
 * entries, until the client goes away. The blocking reads use a connection of their own.
 * @throws {ValidationError} when streamerId is not a UUID.
 */
export async function serveStreamerEvents(
  call: ServerWritableStream<{ streamerId?: string; afterEventId?: string }, ProtoDonationEvent>,
  redis: Redis,
  blockingRedis: () => Redis,
  prefix: string,
): Promise<void> {
  const streamerId = call.request.streamerId ?? '';
  if (!z.uuid().safeParse(streamerId).success) throw new ValidationError('streamerId must be a UUID');
  let open = true;
  call.on('cancelled', () => (open = false));
  call.on('close', () => (open = false));
  const reader = blockingRedis();
  try {
    await followStreamerAlerts(
      redis,
      reader,
      prefix,
      streamerId,
      call.request.afterEventId ?? '',
      (e) => call.write(toProtoEvent(e)),
      () => open,
    );
  } finally {
    reader.disconnect();
  }
}
