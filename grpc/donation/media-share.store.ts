/**
 * The media-share queue over donation_db: the clips' forward-only state machine (every move is a
 * conditional UPDATE, so a late or repeated command never moves a clip back), the player's claim
 * (at most once per clip, one playing clip per streamer), the streamer's commands, and the event
 * each change puts on the event stream.
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Redis } from 'ioredis';
import { publishMediaShareEvents, type StreamLimits } from '../../shared/alert-stream.js';
import { ConflictError, NotFoundError, ValidationError } from '../../shared/errors.js';
import type { Logger } from '../../shared/logger.js';
import {
  ANONYMOUS_DONOR_NAME,
  type ClipState,
  type MediaShareEvent,
  type MediaShareEventType,
} from '../../shared/queues.js';

type RawRow = Record<string, unknown>;

/**
 * Which states each state may be reached from: the state machine, enforced in SQL by
 * `where state = any(<allowed predecessors>)`.
 */
export const MEDIA_SHARE_TRANSITIONS: Record<ClipState, readonly ClipState[]> = {
  pending_review: [],
  approved: [],
  queued: ['pending_review'],
  rejected: ['pending_review', 'queued'],
  playing: ['queued'],
  played: ['playing'],
  skipped: ['queued', 'playing'],
  refunded: ['pending_review', 'queued', 'playing', 'rejected'],
};

/** States a clip waits in (listed as the queue, movable). */
export const WAITING_STATES: readonly ClipState[] = ['pending_review', 'queued'];

/** True when the state machine lets a clip go from `from` to `to`. */
export function canMove(from: ClipState, to: ClipState): boolean {
  return MEDIA_SHARE_TRANSITIONS[to].includes(from);
}

/**
 * Seconds a playing clip may overrun its bought seconds before the reconciler finishes it (the
 * player's buffering and the embed's start-up): a dead player never blocks the queue longer.
 */
export const PLAYING_GRACE_S = 15;

/**
 * SQL of a whole number of seconds read from the donation's media_share JSON: `fallback` when
 * absent or not a number, clamped to [min, 1 day]. Never an error: this runs inside the paid
 * UPDATE, and a malformed clip must not keep a donation from being paid and alerted.
 */
function jsonSeconds(key: string, fallback: number, min: number): string {
  const value = `media_share->'${key}'`;
  return `least(greatest(case when jsonb_typeof(${value}) = 'number'
            then floor(least((${value})::numeric, 86400))::int else ${fallback} end, ${min}), 86400)`;
}

/**
 * SQL of the clip a paid donation gets, run as a data-modifying CTE over `moved` (the donation
 * rows the paid UPDATE returned), so the clip is committed in the very statement that makes the
 * donation paid. The donation id is the key: a retried markPaid adds nothing. Order key: the
 * payment time in ms, so clips play in the order they were paid.
 */
export const CLIP_ON_PAID_SQL = `
  insert into media_share_clips
    (donation_id, streamer_id, state, position, start_s, seconds, test, created_at, updated_at)
  select id, streamer_id,
         case when media_share->'review' = 'true'::jsonb then 'pending_review' else 'queued' end,
         floor(extract(epoch from clock_timestamp()) * 1000)::numeric,
         ${jsonSeconds('startS', 0, 0)},
         ${jsonSeconds('seconds', 30, 1)},
         provider = 'sandbox', now(), now()
    from moved where status = 'paid' and media_share is not null
  on conflict (donation_id) do nothing
  returning donation_id, streamer_id, state, test`;

/** A clip as the dashboard, the player and the donor's status page see it. */
export interface ClipView {
  donationId: string;
  state: ClipState;
  /** 1-based place among the queued clips (0 when not queued). */
  position: number;
  platform: string;
  videoId: string;
  url: string;
  startS: number;
  seconds: number;
  title: string;
  channel: string;
  thumbnailUrl: string;
  donorName: string;
  /** Minor units. */
  amountMinor: number;
  currency: string;
  message: string;
  test: boolean;
  rejectRefund: boolean;
  createdAt: string;
  startedAt: string;
  /** Seconds left of a playing clip (bought seconds minus the time played; 0 otherwise). */
  remainingS: number;
}

/** The streamer's player: paused and volume (0–100). */
export interface PlayerView {
  paused: boolean;
  volume: number;
}

const CLIP_SELECT = `
  select c.*, d.donor_name, d.anonymous, d.amount_minor, d.currency, d.message, d.media_share,
         p.paused as player_paused, p.paused_at as player_paused_at
    from media_share_clips c
    join donations d on d.id = c.donation_id
    left join media_share_players p on p.streamer_id = c.streamer_id`;

function iso(v: unknown): string {
  return v == null ? '' : new Date(v as string).toISOString();
}

function toView(r: RawRow, position = 0): ClipView {
  const media = (r.media_share ?? {}) as Record<string, unknown>;
  const text = (k: string) => (typeof media[k] === 'string' ? media[k] : '');
  const seconds = Number(r.seconds);
  let remainingS = 0;
  if (r.state === 'playing' && r.started_at) {
    // A paused queue stops the clock: time played ends where the pause began.
    const until = r.player_paused && r.player_paused_at ? Date.parse(iso(r.player_paused_at)) : Date.now();
    const played = Math.max(0, (until - Date.parse(iso(r.started_at))) / 1000);
    remainingS = Math.max(0, Math.ceil(seconds - played));
  }
  return {
    donationId: r.donation_id as string,
    state: r.state as ClipState,
    position,
    platform: text('platform'),
    videoId: text('videoId'),
    url: text('url'),
    startS: Number(r.start_s),
    seconds,
    title: text('title'),
    channel: text('channel'),
    thumbnailUrl: text('thumbnailUrl'),
    donorName: r.anonymous ? ANONYMOUS_DONOR_NAME : (r.donor_name as string),
    amountMinor: Number(r.amount_minor),
    currency: String(r.currency),
    message: (r.message as string) ?? '',
    test: Boolean(r.test),
    rejectRefund: Boolean(r.reject_refund),
    createdAt: iso(r.created_at),
    startedAt: iso(r.started_at),
    remainingS,
  };
}

/** The outcome of a command on one clip. */
export interface CommandResult {
  /** Whether a row moved. */
  moved: boolean;
}

export class MediaShareStore {
  constructor(
    private readonly orm: MikroORM,
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly limits: StreamLimits,
    private readonly log: Logger,
  ) {}

  private conn() {
    return this.orm.em.fork().getConnection();
  }

  /** Publishes events for clip rows that changed (rows carry streamer_id, donation_id, state, test). */
  async publish(
    rows: RawRow[],
    type: (row: RawRow) => MediaShareEventType,
    requestId: string,
    extra: (row: RawRow) => Partial<MediaShareEvent> = () => ({}),
  ): Promise<void> {
    const at = new Date().toISOString();
    await publishMediaShareEvents(
      this.redis,
      this.prefix,
      rows.map((r) => ({
        type: type(r),
        streamerId: r.streamer_id as string,
        donationId: r.donation_id as string,
        state: r.state as ClipState,
        test: Boolean(r.test),
        at,
        requestId,
        ...extra(r),
      })),
      this.limits,
    );
  }

  /**
   * Announces clips just created by a paid donation (rows of CLIP_ON_PAID_SQL) and marks them
   * announced; the reconciler announces any a crash left out.
   */
  async announce(rows: RawRow[], requestId: string): Promise<void> {
    if (!rows.length) return;
    await this.publish(
      rows,
      (r) => (r.state === 'queued' ? 'media.queued' : 'media.pending_review'),
      requestId,
    );
    await this.conn().execute(
      `update media_share_clips set announced_at = now()
        where donation_id in (${rows.map(() => '?').join(', ')}) and announced_at is null`,
      rows.map((r) => r.donation_id),
    );
  }

  /** Announces clips whose creation event never reached the stream (older than `olderThanMs`). */
  async announceUnannounced(olderThanMs = 5000, limit = 500): Promise<number> {
    const rows = await this.conn().execute<RawRow[]>(
      `select donation_id, streamer_id, state, test from media_share_clips
        where announced_at is null and created_at < now() - (? || ' milliseconds')::interval
        order by created_at limit ?`,
      [String(olderThanMs), limit],
      'all',
    );
    await this.announce(rows, 'reconciler');
    return rows.length;
  }

  /**
   * Moves one clip of `streamerId` to `to` when the state machine allows it from where it is.
   * @returns the moved row, or null when it did not move.
   */
  private async transition(
    streamerId: string,
    donationId: string,
    to: ClipState,
    set = '',
    params: unknown[] = [],
  ): Promise<RawRow | null> {
    const rows = await this.conn().execute<RawRow[]>(
      `update media_share_clips set state = ?, updated_at = now()${set}
        where donation_id = ? and streamer_id = ? and state = any(?::text[])
        returning donation_id, streamer_id, state, test, seconds, start_s, reject_refund`,
      [to, ...params, donationId, streamerId, `{${MEDIA_SHARE_TRANSITIONS[to].join(',')}}`],
      'all',
    );
    return rows[0] ?? null;
  }

  /** A clip's current row, or null. */
  private async row(streamerId: string, donationId: string): Promise<RawRow | null> {
    const rows = await this.conn().execute<RawRow[]>(
      'select donation_id, streamer_id, state, test, reject_refund from media_share_clips where donation_id = ? and streamer_id = ?',
      [donationId, streamerId],
      'all',
    );
    return rows[0] ?? null;
  }

  /**
   * Checks that a command can apply to the clip now (the gRPC layer answers 404/409 before it
   * queues the command; the worker's conditional UPDATE stays the authority).
   * @throws {NotFoundError} when the streamer has no such clip; {ConflictError} when its state
   *   does not allow `to`.
   */
  async assertCanMove(streamerId: string, donationId: string, to: ClipState): Promise<void> {
    const row = await this.row(streamerId, donationId);
    if (!row) throw new NotFoundError('No such clip in the media-share queue');
    const from = row.state as ClipState;
    if (from !== to && !canMove(from, to))
      throw new ConflictError(`The clip is ${from}; it cannot become ${to}`, {
        fields: { id: `is ${from}` },
      });
  }

  /**
   * Checks that the clip waits in the streamer's queue (pending_review or queued).
   * @throws {NotFoundError} when it does not exist; {ConflictError} naming `field` when it no
   *   longer waits.
   */
  async assertWaiting(streamerId: string, donationId: string, field: string): Promise<void> {
    const row = await this.row(streamerId, donationId);
    if (!row) throw new NotFoundError('No such clip in the media-share queue');
    if (!WAITING_STATES.includes(row.state as ClipState))
      throw new ConflictError(`The clip is ${row.state as string}; only a waiting clip can be moved`, {
        fields: { [field]: `is ${row.state as string}` },
      });
  }

  /** Runs a transition; when it did not move but the clip is already there, publishes again (a retried job's event). */
  private async command(
    streamerId: string,
    donationId: string,
    to: ClipState,
    type: MediaShareEventType,
    requestId: string,
    set = '',
    params: unknown[] = [],
  ): Promise<CommandResult> {
    const moved = await this.transition(streamerId, donationId, to, set, params);
    const row = moved ?? (await this.row(streamerId, donationId));
    if (row && row.state === to)
      await this.publish(
        [row],
        () => type,
        requestId,
        (r) => (to === 'rejected' ? { refund: Boolean(r.reject_refund) } : {}),
      );
    this.log.info(
      { donationId, streamerId, to, moved: Boolean(moved), requestId },
      'media-share clip command',
    );
    return { moved: Boolean(moved) };
  }

  /** pending_review → queued (approved_at set). */
  approve(streamerId: string, donationId: string, requestId: string): Promise<CommandResult> {
    return this.command(streamerId, donationId, 'queued', 'media.queued', requestId, ', approved_at = now()');
  }

  /**
   * pending_review | queued → rejected. The refund itself goes through PaymentService (the
   * gateway asks it with the streamer's token); the donation's refund then moves the clip to
   * `refunded`.
   */
  reject(streamerId: string, donationId: string, refund: boolean, requestId: string): Promise<CommandResult> {
    return this.command(
      streamerId,
      donationId,
      'rejected',
      'media.rejected',
      requestId,
      ', reject_refund = ?, finished_at = now()',
      [refund],
    );
  }

  /**
   * Places a waiting clip right before another waiting clip (`before` = '' : at the end).
   * @throws {NotFoundError} when either is not a waiting clip of the streamer.
   */
  async move(
    streamerId: string,
    donationId: string,
    before: string,
    requestId: string,
  ): Promise<CommandResult> {
    const waiting = `{${WAITING_STATES.join(',')}}`;
    // One statement: the new key lies between `before` and the waiting clip ahead of it
    // (numeric, so halving never runs out of precision); at the end: after the last one.
    const rows = await this.conn().execute<RawRow[]>(
      before
        ? `with target as (
             select position from media_share_clips
              where donation_id = ? and streamer_id = ? and state = any(?::text[]) and donation_id <> ?),
           prev as (
             select max(c.position) as position from media_share_clips c, target t
              where c.streamer_id = ? and c.state = any(?::text[]) and c.position < t.position and c.donation_id <> ?)
           update media_share_clips set updated_at = now(),
                  position = (select (t.position + coalesce(p.position, t.position - 2)) / 2 from target t, prev p)
            where donation_id = ? and streamer_id = ? and state = any(?::text[]) and exists (select 1 from target)
           returning donation_id, streamer_id, state, test`
        : `update media_share_clips set updated_at = now(),
                  position = (select coalesce(max(position), 0) + 1000 from media_share_clips
                               where streamer_id = ? and state = any(?::text[]))
            where donation_id = ? and streamer_id = ? and state = any(?::text[])
           returning donation_id, streamer_id, state, test`,
      before
        ? [
            before,
            streamerId,
            waiting,
            donationId,
            streamerId,
            waiting,
            donationId,
            donationId,
            streamerId,
            waiting,
          ]
        : [streamerId, waiting, donationId, streamerId, waiting],
      'all',
    );
    await this.publish(rows, () => 'media.moved', requestId);
    return { moved: rows.length > 0 };
  }

  /**
   * Skips the playing clip (`donationId` = '' : whichever plays). @returns whether one stopped.
   */
  async skip(streamerId: string, donationId: string, requestId: string): Promise<CommandResult> {
    const rows = await this.conn().execute<RawRow[]>(
      `update media_share_clips set state = 'skipped', updated_at = now(), finished_at = now()
        where streamer_id = ? and state = 'playing' and (? = '' or donation_id::text = ?)
        returning donation_id, streamer_id, state, test`,
      [streamerId, donationId, donationId],
      'all',
    );
    await this.publish(rows, () => 'media.skipped', requestId);
    return { moved: rows.length > 0 };
  }

  /** Skips every queued clip (those in review stay for the streamer's decision). @returns how many. */
  async clear(streamerId: string, requestId: string): Promise<number> {
    const rows = await this.conn().execute<RawRow[]>(
      `update media_share_clips set state = 'skipped', updated_at = now(), finished_at = now()
        where streamer_id = ? and state = 'queued'
        returning donation_id, streamer_id, state, test`,
      [streamerId],
      'all',
    );
    await this.publish(rows, () => 'media.skipped', requestId);
    return rows.length;
  }

  /**
   * Pauses or resumes the queue: a paused queue hands out no clip, and a playing clip's clock
   * stops (on resume its start moves forward by the pause, so its remaining time is kept).
   */
  async setPaused(streamerId: string, paused: boolean, requestId: string): Promise<PlayerView> {
    const conn = this.conn();
    const rows = await conn.execute<RawRow[]>(
      `with old as (select paused_at from media_share_players where streamer_id = ?),
       shifted as (
         update media_share_clips c set started_at = c.started_at + (now() - o.paused_at), updated_at = now()
           from old o
          where ? = false and o.paused_at is not null and c.streamer_id = ? and c.state = 'playing'
          returning c.donation_id)
       insert into media_share_players (streamer_id, paused, paused_at, volume, updated_at)
       values (?, ?, case when ? then now() else null end, 100, now())
       on conflict (streamer_id) do update
         set paused = excluded.paused, updated_at = now(),
             paused_at = case when excluded.paused then coalesce(media_share_players.paused_at, now()) else null end
       returning paused, volume`,
      [streamerId, paused, streamerId, streamerId, paused, paused],
      'all',
    );
    const view = { paused: Boolean(rows[0]?.paused), volume: Number(rows[0]?.volume ?? 100) };
    await this.publishPlayer(streamerId, view, requestId);
    return view;
  }

  /** Sets the player's volume (0–100). @throws {ValidationError} outside 0–100. */
  async setVolume(streamerId: string, volume: number, requestId: string): Promise<PlayerView> {
    if (!Number.isInteger(volume) || volume < 0 || volume > 100)
      throw new ValidationError('volume must be a whole number from 0 to 100', {
        fields: { volume: 'must be a whole number from 0 to 100' },
      });
    const rows = await this.conn().execute<RawRow[]>(
      `insert into media_share_players (streamer_id, paused, volume, updated_at) values (?, false, ?, now())
       on conflict (streamer_id) do update set volume = excluded.volume, updated_at = now()
       returning paused, volume`,
      [streamerId, volume],
      'all',
    );
    const view = { paused: Boolean(rows[0]?.paused), volume: Number(rows[0]?.volume) };
    await this.publishPlayer(streamerId, view, requestId);
    return view;
  }

  private publishPlayer(streamerId: string, view: PlayerView, requestId: string): Promise<void> {
    return publishMediaShareEvents(
      this.redis,
      this.prefix,
      [
        {
          type: 'media.player',
          streamerId,
          donationId: '',
          state: '',
          paused: view.paused,
          volume: view.volume,
          test: false,
          at: new Date().toISOString(),
          requestId,
        },
      ],
      this.limits,
    );
  }

  /** The panic button's part here: pause the queue and skip the playing clip. */
  async panic(streamerId: string, requestId: string): Promise<void> {
    await this.setPaused(streamerId, true, requestId);
    await this.skip(streamerId, '', requestId);
  }

  /** The streamer's player state (defaults when never set). */
  async player(streamerId: string): Promise<PlayerView> {
    const rows = await this.conn().execute<RawRow[]>(
      'select paused, volume from media_share_players where streamer_id = ?',
      [streamerId],
      'all',
    );
    return { paused: Boolean(rows[0]?.paused), volume: Number(rows[0]?.volume ?? 100) };
  }

  /**
   * A streamer's clips in `states` (default: waiting and playing), the playing one first, then
   * in play order; queued ones carry their 1-based place. At most `limit` rows.
   */
  async list(streamerId: string, states: ClipState[] = [], limit = 200): Promise<ClipView[]> {
    const wanted = states.length ? states : ['playing', ...WAITING_STATES];
    const rows = await this.conn().execute<RawRow[]>(
      `${CLIP_SELECT}
        where c.streamer_id = ? and c.state = any(?::text[])
        order by (c.state = 'playing') desc,
                 case when c.state in ('pending_review', 'queued') then 0 else 1 end,
                 c.position, c.donation_id
        limit ?`,
      [streamerId, `{${wanted.join(',')}}`, Math.min(Math.max(limit, 1), 1000)],
      'all',
    );
    const places = await this.queuedPlaces(streamerId);
    return rows.map((r) => toView(r, places.get(r.donation_id as string) ?? 0));
  }

  /** 1-based place of every queued clip of the streamer. */
  private async queuedPlaces(streamerId: string): Promise<Map<string, number>> {
    const rows = await this.conn().execute<RawRow[]>(
      `select donation_id from media_share_clips where streamer_id = ? and state = 'queued'
        order by position, donation_id`,
      [streamerId],
      'all',
    );
    return new Map(rows.map((r, i) => [r.donation_id as string, i + 1]));
  }

  /** One donation's clip for the donor's status page, or null when it has none (yet). */
  async status(donationId: string): Promise<ClipView | null> {
    const rows = await this.conn().execute<RawRow[]>(
      `${CLIP_SELECT} where c.donation_id = ?`,
      [donationId],
      'all',
    );
    const r = rows[0];
    if (!r) return null;
    let place = 0;
    if (r.state === 'queued') {
      const ahead = await this.conn().execute<RawRow[]>(
        `select count(*)::int as n from media_share_clips
          where streamer_id = ? and state = 'queued' and (position, donation_id) < (?::numeric, ?::uuid)`,
        [r.streamer_id, r.position, r.donation_id],
        'all',
      );
      place = Number(ahead[0]?.n ?? 0) + 1;
    }
    return toView(r, place);
  }

  /**
   * The player takes the next queued clip: queued → playing, at most once per clip and one
   * playing clip per streamer (the partial unique index refuses a second; FOR UPDATE SKIP LOCKED
   * keeps concurrent claims off each other's row). Nothing while the queue is paused or a clip
   * plays.
   * @returns the claimed clip, or, when none was claimed, the clip playing now (so a reloaded
   *   player resumes it with its remaining seconds), or nothing.
   */
  async claimNext(
    streamerId: string,
    requestId: string,
  ): Promise<{ claimed: ClipView | null; playing: ClipView | null; player: PlayerView }> {
    let claimed: RawRow | undefined;
    try {
      const rows = await this.conn().execute<RawRow[]>(
        `update media_share_clips set state = 'playing', started_at = now(), updated_at = now()
          where donation_id = (
                  select donation_id from media_share_clips
                   where streamer_id = ? and state = 'queued'
                     and not exists (select 1 from media_share_clips p where p.streamer_id = ? and p.state = 'playing')
                     and not exists (select 1 from media_share_players pl where pl.streamer_id = ? and pl.paused)
                   order by position, donation_id limit 1 for update skip locked)
            and state = 'queued'
          returning donation_id, streamer_id, state, test, seconds, start_s`,
        [streamerId, streamerId, streamerId],
        'all',
      );
      claimed = rows[0];
    } catch (err) {
      // Another claim started a clip first (media_share_clips_one_playing): nothing for this one.
      if ((err as { code?: string }).code !== '23505') throw err;
    }
    const player = await this.player(streamerId);
    if (claimed) {
      await this.publish(
        [claimed],
        () => 'media.playing',
        requestId,
        (r) => ({
          seconds: Number(r.seconds),
          startS: Number(r.start_s),
        }),
      );
      this.log.info({ donationId: claimed.donation_id, streamerId, requestId }, 'media-share clip claimed');
      return { claimed: await this.status(claimed.donation_id as string), playing: null, player };
    }
    const playing = await this.conn().execute<RawRow[]>(
      `${CLIP_SELECT} where c.streamer_id = ? and c.state = 'playing'`,
      [streamerId],
      'all',
    );
    return { claimed: null, playing: playing[0] ? toView(playing[0]) : null, player };
  }

  /**
   * The player reports the end of a clip: playing → played | skipped.
   * @throws {NotFoundError} when the streamer has no such clip.
   */
  async finish(
    streamerId: string,
    donationId: string,
    outcome: 'played' | 'skipped',
    requestId: string,
  ): Promise<CommandResult & { state: ClipState }> {
    const moved = await this.transition(streamerId, donationId, outcome, ', finished_at = now()');
    if (moved) await this.publish([moved], () => `media.${outcome}`, requestId);
    const row = moved ?? (await this.row(streamerId, donationId));
    if (!row) throw new NotFoundError('No such clip in the media-share queue');
    return { moved: Boolean(moved), state: row.state as ClipState };
  }

  /**
   * Finishes (as played) clips that played past their bought seconds plus `graceS` — a dead or
   * closed player never blocks the queue. A paused queue's clip is left alone (its clock stopped).
   * @returns how many were finished.
   */
  async finishExpired(graceS = PLAYING_GRACE_S): Promise<number> {
    const rows = await this.conn().execute<RawRow[]>(
      `update media_share_clips c set state = 'played', finished_at = now(), updated_at = now()
        where c.state = 'playing'
          and c.started_at + make_interval(secs => c.seconds + ?) < now()
          and not exists (select 1 from media_share_players p where p.streamer_id = c.streamer_id and p.paused)
        returning c.donation_id, c.streamer_id, c.state, c.test`,
      [graceS],
      'all',
    );
    await this.publish(rows, () => 'media.played', 'reconciler');
    return rows.length;
  }

  /**
   * A refunded donation's clip never plays (or stops): any state not yet finished → refunded.
   * Called by DonationStore when a donation becomes refunded; idempotent.
   */
  async refundClip(donationId: string, requestId: string): Promise<void> {
    const rows = await this.conn().execute<RawRow[]>(
      `update media_share_clips set state = 'refunded', updated_at = now(), finished_at = coalesce(finished_at, now())
        where donation_id = ? and state = any(?::text[])
        returning donation_id, streamer_id, state, test, reject_refund`,
      [donationId, `{${MEDIA_SHARE_TRANSITIONS.refunded.join(',')}}`],
      'all',
    );
    await this.publish(
      rows,
      () => 'media.refunded',
      requestId,
      (r) => ({ refund: Boolean(r.reject_refund) }),
    );
  }
}
