/**
 * Where each overlay stands: the alerts an overlay token acknowledged as shown. The notification
 * service records an ack in Redis (the token's last ack and its set of shown donations, read at
 * the next handshake) and appends it to a stream that the donation worker pool copies into
 * donation_db (overlay_acks); after Redis lost its data the donation reconciler writes them back
 * from there before it re-publishes alerts, so a re-published alert is recognised by its
 * donation id even by an overlay that just loaded.
 */
import type { Redis } from 'ioredis';
import { KEYS, STREAMS, type OverlayAck } from './queues.js';
import { DEFAULT_STREAM_MAX_AGE_S } from './alert-stream.js';

/**
 * How long an ack is kept, in seconds: as long as the streamer's alert history keeps alerts
 * (older ones can no longer be replayed, so they need no ack).
 */
export const OVERLAY_ACK_TTL_S = DEFAULT_STREAM_MAX_AGE_S;

/** Entries kept on the ack stream (MAXLEN ~): far more than the donation pool lags behind. */
const ACK_STREAM_MAXLEN = 100_000;

/** An overlay token's acks as read at handshake. */
export interface OverlayAcks {
  /** The last acknowledged alert, if any. */
  last: { eventId: string; donationId: string } | null;
  /**
   * Donations acknowledged within OVERLAY_ACK_TTL_S, each with the eventId it was shown under
   * ('' for acks recorded before the eventId was kept). A replay of that same eventId is shown
   * again to a socket that asks for it (a second overlay on the token); the same donation under
   * another eventId (re-published after a Redis loss) is not.
   */
  shown: Map<string, string>;
}

/** Writes acks to the token's Redis state (without the stream append: see recordAck). */
function writeState(multi: ReturnType<Redis['multi']>, prefix: string, acks: OverlayAck[]): void {
  const last = new Map<string, OverlayAck>();
  for (const a of acks) {
    const shown = KEYS.overlayShown(prefix, a.tokenHash);
    multi.zadd(shown, a.at, `${a.donationId} ${a.eventId}`);
    const prev = last.get(a.tokenHash);
    if (!prev || a.at >= prev.at) last.set(a.tokenHash, a);
  }
  const oldest = Date.now() - OVERLAY_ACK_TTL_S * 1000;
  for (const a of last.values()) {
    const shown = KEYS.overlayShown(prefix, a.tokenHash);
    const lastKey = KEYS.overlayAck(prefix, a.tokenHash);
    multi.zremrangebyscore(shown, '-inf', oldest);
    multi.expire(shown, OVERLAY_ACK_TTL_S);
    multi.hset(lastKey, { eventId: a.eventId, donationId: a.donationId, at: String(a.at) });
    multi.expire(lastKey, OVERLAY_ACK_TTL_S);
  }
}

/**
 * Records one ack: the token's state in Redis and an entry on the ack stream, in one MULTI.
 * @throws when Redis is away (the overlay's ack is then lost; the alert may be replayed once).
 */
export async function recordAck(redis: Redis, prefix: string, ack: OverlayAck): Promise<void> {
  const multi = redis.multi();
  writeState(multi, prefix, [ack]);
  multi.xadd(STREAMS.overlayAcks(prefix), 'MAXLEN', '~', ACK_STREAM_MAXLEN, '*', 'ack', JSON.stringify(ack));
  await multi.exec();
}

/** Writes acks read from donation_db back into Redis (after a data loss). */
export async function restoreAcks(redis: Redis, prefix: string, acks: OverlayAck[]): Promise<void> {
  for (let i = 0; i < acks.length; i += 500) {
    const multi = redis.multi();
    writeState(multi, prefix, acks.slice(i, i + 500));
    await multi.exec();
  }
}

/** The acks of one overlay token. */
export async function loadAcks(redis: Redis, prefix: string, tokenHash: string): Promise<OverlayAcks> {
  const [last, shown] = await Promise.all([
    redis.hgetall(KEYS.overlayAck(prefix, tokenHash)),
    redis.zrange(KEYS.overlayShown(prefix, tokenHash), '0', '-1'),
  ]);
  return {
    last: last.eventId && last.donationId ? { eventId: last.eventId, donationId: last.donationId } : null,
    shown: new Map(
      shown.map((member) => {
        const [donationId = '', eventId = ''] = member.split(' ');
        return [donationId, eventId];
      }),
    ),
  };
}

/** Parses an ack stream entry's fields; null when unreadable. */
export function parseAck(fields: string[]): OverlayAck | null {
  const i = fields.indexOf('ack');
  try {
    const a = JSON.parse(fields[i + 1] ?? '') as Partial<OverlayAck>;
    if (
      typeof a.tokenHash === 'string' &&
      typeof a.streamerId === 'string' &&
      typeof a.donationId === 'string' &&
      typeof a.eventId === 'string' &&
      typeof a.at === 'number'
    )
      return a as OverlayAck;
  } catch {
    /* unreadable */
  }
  return null;
}
