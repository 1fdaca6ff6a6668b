/**
 * donation_db's media-share queue: one row per paid donation that carries a clip (created in the
 * very statement that marks the donation paid, see DonationStatusBatcher) and one row per
 * streamer for the player's state (paused, volume).
 */
import { EntitySchema } from '@mikro-orm/postgresql';
import { Migration } from '@mikro-orm/migrations';
import { CLIP_STATES, type ClipState } from '../../shared/queues.js';

/** A clip of the media-share queue. Times are instants; seconds are whole seconds. */
export interface MediaShareClipRow {
  /** The donation's id: one clip per donation, created once. */
  donationId: string;
  streamerId: string;
  state: ClipState;
  /** Order key within the streamer's queue (ascending = plays first); numeric, so moves never run out of room. */
  position: string;
  /** Playback start in the video, seconds. */
  startS: number;
  /** Seconds of play the donation bought. */
  seconds: number;
  /** A sandbox donation's clip (moved no money): queued and played like any other, marked test. */
  test: boolean;
  /** Set by a rejection: whether the streamer chose to refund the donation. */
  rejectRefund: boolean | null;
  createdAt: Date;
  updatedAt: Date;
  approvedAt: Date | null;
  /** When the clip started playing (with `seconds`, the end of a playing clip after a restart). */
  startedAt: Date | null;
  finishedAt: Date | null;
  /** When its creation event reached the event stream (the reconciler announces rows without it). */
  announcedAt: Date | null;
}

export const MediaShareClipSchema = new EntitySchema<MediaShareClipRow>({
  name: 'MediaShareClip',
  tableName: 'media_share_clips',
  properties: {
    donationId: { type: 'uuid', primary: true },
    streamerId: { type: 'uuid' },
    state: { type: 'text' },
    position: { type: 'decimal' },
    startS: { type: 'integer' },
    seconds: { type: 'integer' },
    test: { type: 'boolean' },
    rejectRefund: { type: 'boolean', nullable: true },
    createdAt: { type: 'datetime' },
    updatedAt: { type: 'datetime' },
    approvedAt: { type: 'datetime', nullable: true },
    startedAt: { type: 'datetime', nullable: true },
    finishedAt: { type: 'datetime', nullable: true },
    announcedAt: { type: 'datetime', nullable: true },
  },
});

/** A streamer's player state (absent row = playing, volume 100). */
export interface MediaSharePlayerRow {
  streamerId: string;
  paused: boolean;
  /** When the queue was paused (a playing clip's clock stops then; see resume). */
  pausedAt: Date | null;
  /** 0–100. */
  volume: number;
  updatedAt: Date;
}

export const MediaSharePlayerSchema = new EntitySchema<MediaSharePlayerRow>({
  name: 'MediaSharePlayer',
  tableName: 'media_share_players',
  properties: {
    streamerId: { type: 'uuid', primary: true },
    paused: { type: 'boolean' },
    pausedAt: { type: 'datetime', nullable: true },
    volume: { type: 'integer' },
    updatedAt: { type: 'datetime' },
  },
});

/**
 * The media-share queue (issue 13). The donation id is the key, so a retried markPaid never makes
 * a second clip; a partial unique index keeps one playing clip per streamer, so concurrent claims
 * cannot start two.
 */
export class Migration20261203080000MediaShareQueue extends Migration {
  override up(): void {
    this.addSql(`
      create table media_share_clips (
        donation_id uuid primary key references donations (id),
        streamer_id uuid not null,
        state text not null check (state in (${CLIP_STATES.map((s) => `'${s}'`).join(',')})),
        position numeric not null,
        start_s integer not null default 0 check (start_s >= 0),
        seconds integer not null check (seconds > 0),
        test boolean not null default false,
        reject_refund boolean null,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        approved_at timestamptz null,
        started_at timestamptz null,
        finished_at timestamptz null,
        announced_at timestamptz null
      )`);
    this.addSql(
      'create index media_share_clips_queue on media_share_clips (streamer_id, state, position, donation_id)',
    );
    this.addSql(
      "create unique index media_share_clips_one_playing on media_share_clips (streamer_id) where state = 'playing'",
    );
    this.addSql(
      'create index media_share_clips_unannounced on media_share_clips (created_at) where announced_at is null',
    );
    this.addSql(`
      create table media_share_players (
        streamer_id uuid primary key,
        paused boolean not null default false,
        paused_at timestamptz null,
        volume integer not null default 100 check (volume between 0 and 100),
        updated_at timestamptz not null default now()
      )`);
  }
  override down(): void {
    this.addSql('drop table if exists media_share_players');
    this.addSql('drop table if exists media_share_clips');
  }
}
