/**
 * gateway_db: users, streamer profiles and settings, overlay tokens. Owned by the gateway; no
 * other process connects.
 */
import { BigIntType, EntitySchema } from '@mikro-orm/postgresql';
import { Migration } from '@mikro-orm/migrations';
import type { AlertSettings } from '../../shared/alert-design.js';
import type { WordFilterSettings } from '../../shared/word-filter.js';
import type { DatabaseDefinition } from '../../shared/database.js';
import type { ChannelLinks, Language } from './profile.js';
import type { Role } from '../../shared/access-token.js';
import type { MediaShareRules } from '../../shared/media-share-quote.js';
import { Migration20261130000008OutgoingWebhooks } from '../outgoing-webhooks/outgoing-webhooks.store.js';
import { Migration20261202150000Sessions } from './sessions.store.js';
import { Migration20261202151000InstallSettings } from '../admin/admin.store.js';
import { Migration20261203090000Uploads } from '../uploads/upload.store.js';
import {
  Migration20261203120000Notifications,
  Migration20261203150000AccountTokens,
} from '../notifications/notifications.store.js';
import {
  Migration20261202160000StreamerCurrencies,
  type CurrencyMinimum,
} from '../donations/accepted-currencies.js';

export interface UserRow {
  id: string;
  email: string;
  passwordHash: string;
  role: Role;
  createdAt: Date;
}

/** Streamer settings kept as JSON (alerts, media share, word filter, providers offered). */
export interface StreamerSettings {
  /** How long one alert stays on screen, in ms. */
  alertDurationMs: number;
  /** Text-to-speech reads messages of donations at least this large (minor units, streamer currency); 0 = off. */
  ttsMinMinor: number;
  /** Custom alert sound (https URL) or '' for the default. */
  soundUrl: string;
  /** Words masked in donor names and messages (case-insensitive). */
  wordFilter: string[] | WordFilterSettings;
  /** Providers the donation page offers (subset of the install's enabled providers). */
  providers: string[];
  /** Media-share rules; rows written before a rule existed lack it (see normalizeMediaShareRules). */
  mediaShare: Partial<MediaShareRules> & { enabled: boolean; minMinor: number };
  /** Donation goal shown by the goal widget, minor units of the streamer currency (0 = none). */
  goalMinor: number;
  goalTitle: string;
  /**
   * Currencies accepted besides the streamer's own, each with its minimum in minor units
   * (gateway/donations/accepted-currencies.ts); absent: the own currency only.
   */
  currencies?: CurrencyMinimum[];
  /** Short public bio (plain text, ≤ 300 characters). */
  bio?: string;
  /** Links to the streamer's channels (https URLs on each platform's host). */
  links?: ChannelLinks;
  /** Preset amounts per currency, minor units, at most six each, ascending. */
  presets?: Record<string, number[]>;
  /** Language of the overlay's fixed words and of text-to-speech. */
  language?: Language;
  /** The text-to-speech voice (gateway/tts): language (default `language`), rate in wpm, gender. */
  tts?: { language?: Language; rate?: number; gender?: 'm' | 'f' };
  /** Alert designs, tiers, delay and message minimum (shared/alert-design.ts normalizes). */
  alerts?: AlertSettings;
  /** The goal counts paid donations from this instant on (ISO 8601; absent: the last 30 days). */
  goalStartedAt?: string;
}

export const DEFAULT_STREAMER_SETTINGS: StreamerSettings = {
  alertDurationMs: 8000,
  ttsMinMinor: 0,
  soundUrl: '',
  wordFilter: [],
  providers: ['sandbox', 'midtrans', 'stripe', 'paypal'],
  mediaShare: { enabled: true, minMinor: 0 },
  goalMinor: 0,
  goalTitle: '',
};

export interface StreamerRow {
  userId: string;
  username: string;
  displayName: string;
  avatarUrl: string;
  /** Minimum donation in minor units of `currency`. */
  minDonationMinor: number;
  currency: string;
  overlayTokenHash: string;
  /** The overlay token encrypted (AES-256-GCM) so the streamer can see it again. */
  overlayTokenEnc: string;
  settings: StreamerSettings;
  createdAt: Date;
}

export const UserSchema = new EntitySchema<UserRow>({
  name: 'User',
  tableName: 'users',
  properties: {
    id: { type: 'uuid', primary: true },
    email: { type: 'text' },
    passwordHash: { type: 'text' },
    role: { type: 'text' },
    createdAt: { type: 'datetime' },
  },
});

export const StreamerSchema = new EntitySchema<StreamerRow>({
  name: 'Streamer',
  tableName: 'streamers',
  properties: {
    userId: { type: 'uuid', primary: true },
    username: { type: 'text' },
    displayName: { type: 'text' },
    avatarUrl: { type: 'text' },
    minDonationMinor: { type: new BigIntType('number') },
    currency: { type: 'text' },
    overlayTokenHash: { type: 'text' },
    overlayTokenEnc: { type: 'text' },
    settings: { type: 'json' },
    createdAt: { type: 'datetime' },
  },
});

export class Migration20261130000003Accounts extends Migration {
  override up(): void {
    this.addSql(`
      create table users (
        id uuid primary key,
        email text not null,
        password_hash text not null,
        role text not null check (role in ('streamer','donor','admin')),
        created_at timestamptz not null default now()
      )`);
    this.addSql('create unique index users_email on users (lower(email))');
    this.addSql(`
      create table streamers (
        user_id uuid primary key references users (id) on delete cascade,
        username text not null,
        display_name text not null,
        avatar_url text not null default '',
        min_donation_minor bigint not null default 0,
        currency char(3) not null default 'IDR',
        overlay_token_hash text not null,
        overlay_token_enc text not null,
        settings jsonb not null default '{}',
        created_at timestamptz not null default now()
      )`);
    this.addSql('create unique index streamers_username on streamers (lower(username))');
    this.addSql('create unique index streamers_overlay_token_hash on streamers (overlay_token_hash)');
  }
  override down(): void {
    this.addSql('drop table if exists streamers');
    this.addSql('drop table if exists users');
  }
}

/** The gateway_db definition for MikroORM. */
export function gatewayDatabase(url: string, poolMax?: number): DatabaseDefinition {
  return {
    url,
    poolMax,
    entities: [UserSchema, StreamerSchema],
    migrations: [
      { name: 'Migration20261130000003Accounts', class: Migration20261130000003Accounts },
      { name: 'Migration20261130000008OutgoingWebhooks', class: Migration20261130000008OutgoingWebhooks },
      { name: 'Migration20261202150000Sessions', class: Migration20261202150000Sessions },
      { name: 'Migration20261202151000InstallSettings', class: Migration20261202151000InstallSettings },
      { name: 'Migration20261202160000StreamerCurrencies', class: Migration20261202160000StreamerCurrencies },
      { name: 'Migration20261203090000Uploads', class: Migration20261203090000Uploads },
      { name: 'Migration20261203120000Notifications', class: Migration20261203120000Notifications },
      { name: 'Migration20261203150000AccountTokens', class: Migration20261203150000AccountTokens },
    ],
  };
}
