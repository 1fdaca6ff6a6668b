/**
 * donation_db: donations and their alert-publication marker. Owned by donation-service and the
 * donation worker pool; no other process connects.
 */
import { BigIntType, EntitySchema } from '@mikro-orm/postgresql';
import { Migration } from '@mikro-orm/migrations';
import type { DatabaseDefinition } from '../../shared/database.js';
import type { DonationStatus, MediaShare } from '../../shared/queues.js';
import type { ProviderName } from '../../shared/config.js';
import {
  MediaShareClipSchema,
  MediaSharePlayerSchema,
  Migration20261203080000MediaShareQueue,
} from './media-share.db.js';

/** A donation row. Amounts in integer minor units. */
export interface DonationRow {
  id: string;
  streamerId: string;
  donorName: string;
  donorUserId: string | null;
  anonymous: boolean;
  amountMinor: number;
  currency: string;
  message: string;
  provider: ProviderName;
  status: DonationStatus;
  idempotencyKey: string | null;
  mediaShare: MediaShare | null;
  requestId: string;
  createdAt: Date;
  updatedAt: Date;
  paidAt: Date | null;
  /** Set once the paid alert is on the event stream (the reconciler re-publishes rows without it). */
  alertPublishedAt: Date | null;
  /**
   * Word filter in hold mode (issue 14): null when nothing was held; `held` while the donor's
   * text waits for the streamer (then `message` is empty and the text is in `heldMessage`);
   * `approved` (the text moved to `message`) or `rejected` (the text dropped). Forward-only.
   */
  messageReview: MessageReview | null;
  /** The held text, only while `messageReview` is `held`. */
  heldMessage: string | null;
}

/** States of a held donation message: held → approved | rejected. */
export type MessageReview = 'held' | 'approved' | 'rejected';

export const DonationSchema = new EntitySchema<DonationRow>({
  name: 'Donation',
  tableName: 'donations',
  properties: {
    id: { type: 'uuid', primary: true },
    streamerId: { type: 'uuid' },
    donorName: { type: 'text' },
    donorUserId: { type: 'uuid', nullable: true },
    anonymous: { type: 'boolean' },
    amountMinor: { type: new BigIntType('number') },
    currency: { type: 'text' },
    message: { type: 'text' },
    provider: { type: 'text' },
    status: { type: 'text' },
    idempotencyKey: { type: 'text', nullable: true },
    mediaShare: { type: 'json', nullable: true },
    requestId: { type: 'text' },
    createdAt: { type: 'datetime' },
    updatedAt: { type: 'datetime' },
    paidAt: { type: 'datetime', nullable: true },
    alertPublishedAt: { type: 'datetime', nullable: true },
    messageReview: { type: 'text', nullable: true },
    heldMessage: { type: 'text', nullable: true },
  },
});

export class Migration20261130000001Donations extends Migration {
  override up(): void {
    this.addSql(`
      create table donations (
        id uuid primary key,
        streamer_id uuid not null,
        donor_name text not null,
        donor_user_id uuid null,
        anonymous boolean not null default false,
        amount_minor bigint not null check (amount_minor > 0),
        currency char(3) not null,
        message text not null default '',
        provider text not null,
        status text not null check (status in ('pending','paid','failed','expired','refunded')),
        idempotency_key text null,
        media_share jsonb null,
        request_id text not null default '',
        created_at timestamptz not null,
        updated_at timestamptz not null default now(),
        paid_at timestamptz null,
        alert_published_at timestamptz null
      )`);
    this.addSql(
      'create unique index donations_streamer_idempotency_key on donations (streamer_id, idempotency_key) where idempotency_key is not null',
    );
    this.addSql(
      'create index donations_streamer_created on donations (streamer_id, created_at desc, id desc)',
    );
    this.addSql(
      "create index donations_unpublished on donations (paid_at) where status = 'paid' and alert_published_at is null",
    );
  }
  override down(): void {
    this.addSql('drop table if exists donations');
  }
}

/** Idempotency decided by the database: the request body's hash beside (streamer, key). */
export class Migration20261202150000DonationRequestHash extends Migration {
  override up(): void {
    this.addSql('alter table donations add column request_hash text null');
  }
  override down(): void {
    this.addSql('alter table donations drop column request_hash');
  }
}

/**
 * Where each overlay stands: the alerts each overlay token acknowledged as shown (the durable
 * copy of the notification service's Redis state; see shared/overlay-acks.ts).
 */
export class Migration20261202151000OverlayAcks extends Migration {
  override up(): void {
    this.addSql(`
      create table overlay_acks (
        token_hash text not null,
        donation_id uuid not null,
        streamer_id uuid not null,
        event_id text not null,
        acked_at timestamptz not null,
        primary key (token_hash, donation_id)
      )`);
    this.addSql('create index overlay_acks_acked_at on overlay_acks (acked_at)');
  }
  override down(): void {
    this.addSql('drop table if exists overlay_acks');
  }
}

/**
 * An anonymous donation keeps no real name (issue 10): names written before the gateway and
 * DonationService dropped them are replaced. Irreversible by design.
 */
export class Migration20261202160000AnonymousDonorNames extends Migration {
  override up(): void {
    this.addSql(
      "update donations set donor_name = 'Anonymous' where anonymous and donor_name <> 'Anonymous'",
    );
  }
  override down(): void {
    // The real names are gone on purpose.
  }
}

/**
 * Word filter hold mode (issue 14): a donation's flagged message waits for the streamer's review.
 * The partial index serves the dashboard's "held messages" list.
 */
export class Migration20261203120000HeldMessages extends Migration {
  override up(): void {
    this.addSql(
      "alter table donations add column message_review text null check (message_review in ('held','approved','rejected'))",
    );
    this.addSql('alter table donations add column held_message text null');
    this.addSql(
      "create index donations_held_messages on donations (streamer_id, created_at desc) where message_review = 'held'",
    );
  }
  override down(): void {
    this.addSql('drop index if exists donations_held_messages');
    this.addSql('alter table donations drop column held_message');
    this.addSql('alter table donations drop column message_review');
  }
}

/** The donation_db definition for MikroORM. */
export function donationDatabase(url: string, poolMax?: number): DatabaseDefinition {
  return {
    url,
    poolMax,
    entities: [DonationSchema, MediaShareClipSchema, MediaSharePlayerSchema],
    migrations: [
      { name: 'Migration20261130000001Donations', class: Migration20261130000001Donations },
      {
        name: 'Migration20261202150000DonationRequestHash',
        class: Migration20261202150000DonationRequestHash,
      },
      { name: 'Migration20261202151000OverlayAcks', class: Migration20261202151000OverlayAcks },
      {
        name: 'Migration20261202160000AnonymousDonorNames',
        class: Migration20261202160000AnonymousDonorNames,
      },
      { name: 'Migration20261203080000MediaShareQueue', class: Migration20261203080000MediaShareQueue },
      { name: 'Migration20261203120000HeldMessages', class: Migration20261203120000HeldMessages },
    ],
  };
}
