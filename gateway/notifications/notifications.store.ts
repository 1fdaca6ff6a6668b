/**
 * Notifications beyond the overlay, in gateway_db: each streamer's channel settings (Discord
 * webhook URL and Telegram bot token kept encrypted with AES-256-GCM, see shared/secret-box.ts),
 * browser push subscriptions, donors' receipt addresses (encrypted, never shown to the streamer),
 * the sent marks that make each channel exactly-once per donation, the attempt log, the ledger
 * the daily digest sums, and the single-use account tokens of password reset and email
 * verification (stored hashed). Used by the gateway's routes and by the notifications worker
 * pool (a gateway worker: gateway_db stays the gateway's own).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { Migration } from '@mikro-orm/migrations';
import { uuidv7 } from 'uuidv7';
import { SecretBox, type SecretBoxKeys } from '../../shared/secret-box.js';
import type { NotificationChannel } from '../../shared/queues.js';

/** How a streamer hears about donations by email. */
export const STREAMER_EMAIL_MODES = ['off', 'each', 'digest'] as const;
export type StreamerEmailMode = (typeof STREAMER_EMAIL_MODES)[number];

/** One chat channel's switch and threshold. */
export interface ChannelSwitch {
  enabled: boolean;
  /**
   * Donations below this many minor units of the streamer's currency are not sent (0: all).
   * Donations in another currency are always sent.
   */
  minMinor: number;
}

/** A streamer's notification settings (the secrets are kept apart, encrypted). */
export interface NotificationSettings {
  /** Language of the streamer's mails and chat messages. */
  language: 'id' | 'en';
  email: { mode: StreamerEmailMode; refunds: boolean };
  push: ChannelSwitch;
  discord: ChannelSwitch;
  telegram: ChannelSwitch & { chatId: string };
}

export const DEFAULT_NOTIFICATION_SETTINGS: NotificationSettings = {
  language: 'id',
  email: { mode: 'off', refunds: true },
  push: { enabled: false, minMinor: 0 },
  discord: { enabled: false, minMinor: 0 },
  telegram: { enabled: false, minMinor: 0, chatId: '' },
};

/** What the worker needs of one streamer. */
export interface StreamerNotificationTarget {
  streamerId: string;
  username: string;
  displayName: string;
  email: string;
  currency: string;
  wordFilter: unknown;
  settings: NotificationSettings;
  discordUrl: string;
  telegramToken: string;
}

export interface PushSubscriptionRow {
  id: string;
  streamerId: string;
  endpoint: string;
  p256dh: string;
  auth: string;
  createdAt: string;
}

export interface DonorContact {
  donationId: string;
  streamerId: string;
  email: string;
  language: 'id' | 'en';
  /** The donor agreed that the streamer may see the address. */
  shareWithStreamer: boolean;
}

export interface NotificationAttempt {
  jobId: string;
  attempt: number;
  channel: NotificationChannel;
  target: string;
  eventKey: string;
  ok: boolean;
  statusCode: number | null;
  error: string;
  durationMs: number;
}

/** Totals of one currency in a digest window. */
export interface DigestTotal {
  currency: string;
  count: number;
  amountMinor: number;
}

/** What a single-use account token (account_tokens) is for. */
export type AccountTokenPurpose = 'password-reset' | 'email-verification';

/** The outcome of using an account token. */
export type AccountTokenUse =
  { ok: true; userId: string } | { ok: false; reason: 'unknown' | 'used' | 'expired' };

export class Migration20261203120000Notifications extends Migration {
  override up(): void {
    this.addSql(`
      create table notification_settings (
        streamer_id uuid primary key references streamers (user_id) on delete cascade,
        settings jsonb not null default '{}',
        discord_url_enc text not null default '',
        telegram_token_enc text not null default '',
        digest_until timestamptz
      )`);
    this.addSql(`
      create table push_subscriptions (
        id uuid primary key,
        streamer_id uuid not null references streamers (user_id) on delete cascade,
        endpoint text not null,
        p256dh text not null,
        auth text not null,
        created_at timestamptz not null default now()
      )`);
    this.addSql('create unique index push_subscriptions_endpoint on push_subscriptions (endpoint)');
    this.addSql(`
      create table donor_contacts (
        donation_id uuid primary key,
        streamer_id uuid not null references streamers (user_id) on delete cascade,
        email_enc text not null,
        language text not null,
        share_with_streamer boolean not null default false,
        created_at timestamptz not null default now()
      )`);
    this.addSql(`
      create table notification_sent (
        channel text not null,
        target text not null,
        event_key text not null,
        sent_at timestamptz not null default now(),
        primary key (channel, target, event_key)
      )`);
    this.addSql(`
      create table notification_attempts (
        id bigserial primary key,
        job_id text not null,
        attempt int not null,
        streamer_id uuid,
        channel text not null,
        target text not null,
        event_key text not null,
        ok boolean not null,
        status_code int,
        error text not null default '',
        duration_ms int not null,
        created_at timestamptz not null default now()
      )`);
    this.addSql(
      'create index notification_attempts_streamer on notification_attempts (streamer_id, created_at desc)',
    );
    this.addSql(`
      create table notification_ledger (
        donation_id uuid primary key,
        streamer_id uuid not null references streamers (user_id) on delete cascade,
        amount_minor bigint not null,
        currency char(3) not null,
        test boolean not null,
        paid_at timestamptz not null,
        recorded_at timestamptz not null default now(),
        refunded boolean not null default false
      )`);
    this.addSql(
      'create index notification_ledger_streamer on notification_ledger (streamer_id, recorded_at)',
    );
    this.addSql(`
      create table password_resets (
        token_hash text primary key,
        user_id uuid not null references users (id) on delete cascade,
        expires_at timestamptz not null,
        used_at timestamptz,
        created_at timestamptz not null default now()
      )`);
  }
  override down(): void {
    for (const t of [
      'password_resets',
      'notification_ledger',
      'notification_attempts',
      'notification_sent',
      'donor_contacts',
      'push_subscriptions',
      'notification_settings',
    ])
      this.addSql(`drop table if exists ${t}`);
  }
}

/**
 * The reset tokens become account tokens with a purpose (password reset, email verification:
 * one table, one single-use rule), and users get the time their email was verified.
 */
export class Migration20261203150000AccountTokens extends Migration {
  override up(): void {
    this.addSql('alter table password_resets rename to account_tokens');
    this.addSql(`alter table account_tokens add column purpose text not null default 'password-reset'`);
    this.addSql('alter table account_tokens alter column purpose drop default');
    this.addSql('alter table users add column email_verified_at timestamptz');
  }
  override down(): void {
    this.addSql('alter table users drop column if exists email_verified_at');
    this.addSql(`delete from account_tokens where purpose <> 'password-reset'`);
    this.addSql('alter table account_tokens drop column purpose');
    this.addSql('alter table account_tokens rename to password_resets');
  }
}

type RawRow = Record<string, unknown>;

/** Stored settings of any age, completed with the defaults. */
export function normalizeNotificationSettings(value: unknown): NotificationSettings {
  const v = (value ?? {}) as Partial<NotificationSettings>;
  const d = DEFAULT_NOTIFICATION_SETTINGS;
  return {
    language: v.language === 'en' ? 'en' : 'id',
    email: { ...d.email, ...v.email },
    push: { ...d.push, ...v.push },
    discord: { ...d.discord, ...v.discord },
    telegram: { ...d.telegram, ...v.telegram },
  };
}

/** SHA-256 hex of an account token (only the hash is stored). */
export function accountTokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A paid donation (or its refund) as the digest's ledger keeps it; money in minor units. */
export interface LedgerEntry {
  donationId: string;
  streamerId: string;
  amountMinor: number;
  /** ISO 4217 code. */
  currency: string;
  /** A sandbox donation (summed apart). */
  test: boolean;
  /** ISO 8601 time of payment. */
  paidAt: string;
  refunded: boolean;
}

export class NotificationStore {
  private readonly box: SecretBox;

  constructor(
    private readonly orm: MikroORM,
    keys: SecretBoxKeys,
  ) {
    this.box = new SecretBox(keys, 'notification-secret');
  }

  private conn() {
    return this.orm.em.fork().getConnection();
  }

  /** The streamer's settings and whether each secret is set (never the secrets). */
  async settings(
    streamerId: string,
  ): Promise<{ settings: NotificationSettings; discordUrlSet: boolean; telegramTokenSet: boolean }> {
    const rows = await this.conn().execute<RawRow[]>(
      'select * from notification_settings where streamer_id = ?',
      [streamerId],
      'all',
    );
    const r = rows[0];
    return {
      settings: normalizeNotificationSettings(r?.settings),
      discordUrlSet: Boolean(r?.discord_url_enc),
      telegramTokenSet: Boolean(r?.telegram_token_enc),
    };
  }

  /**
   * Saves settings; `discordUrl` / `telegramToken` undefined keeps the stored one, '' removes it.
   */
  async saveSettings(
    streamerId: string,
    settings: NotificationSettings,
    secrets: { discordUrl?: string; telegramToken?: string },
  ): Promise<void> {
    const seal = (v: string | undefined) => (v === undefined ? null : v === '' ? '' : this.box.seal(v));
    await this.conn().execute(
      `insert into notification_settings (streamer_id, settings, discord_url_enc, telegram_token_enc)
       values (?, ?::jsonb, coalesce(?, ''), coalesce(?, ''))
       on conflict (streamer_id) do update set settings = excluded.settings,
         discord_url_enc = coalesce(?, notification_settings.discord_url_enc),
         telegram_token_enc = coalesce(?, notification_settings.telegram_token_enc)`,
      [
        streamerId,
        JSON.stringify(settings),
        seal(secrets.discordUrl),
        seal(secrets.telegramToken),
        seal(secrets.discordUrl),
        seal(secrets.telegramToken),
      ],
    );
  }

  /** Turns the streamer's per-donation / digest mail off (the unsubscribe link). */
  async unsubscribeEmail(streamerId: string): Promise<void> {
    const { settings } = await this.settings(streamerId);
    settings.email.mode = 'off';
    settings.email.refunds = false;
    await this.saveSettings(streamerId, settings, {});
  }

  /** Streamers with their settings and secrets in clear, by id (the fan-out's batch lookup). */
  async targets(streamerIds: string[]): Promise<Map<string, StreamerNotificationTarget>> {
    const out = new Map<string, StreamerNotificationTarget>();
    if (!streamerIds.length) return out;
    const rows = await this.conn().execute<RawRow[]>(
      `select s.user_id, s.username, s.display_name, s.currency, s.settings as streamer_settings, u.email,
              n.settings, n.discord_url_enc, n.telegram_token_enc
       from streamers s join users u on u.id = s.user_id
       left join notification_settings n on n.streamer_id = s.user_id
       where s.user_id = any(?::uuid[])`,
      [`{${streamerIds.join(',')}}`],
      'all',
    );
    for (const r of rows) {
      const open = (v: unknown) => (typeof v === 'string' && v ? this.box.open(v) : '');
      out.set(r.user_id as string, {
        streamerId: r.user_id as string,
        username: r.username as string,
        displayName: r.display_name as string,
        email: r.email as string,
        currency: (r.currency as string).trim(),
        wordFilter: (r.streamer_settings as { wordFilter?: unknown } | null)?.wordFilter ?? [],
        settings: normalizeNotificationSettings(r.settings),
        discordUrl: open(r.discord_url_enc),
        telegramToken: open(r.telegram_token_enc),
      });
    }
    return out;
  }

  /** Streamers who chose the daily digest, with the end of the last window sent (null: none yet). */
  async digestStreamers(): Promise<{ streamerId: string; digestUntil: Date | null }[]> {
    const rows = await this.conn().execute<RawRow[]>(
      `select streamer_id, digest_until from notification_settings where settings->'email'->>'mode' = 'digest'`,
      [],
      'all',
    );
    return rows.map((r) => ({
      streamerId: r.streamer_id as string,
      digestUntil: r.digest_until ? new Date(r.digest_until as string) : null,
    }));
  }

  /** Records the end of the last digest window sent. */
  async markDigest(streamerId: string, until: Date): Promise<void> {
    await this.conn().execute('update notification_settings set digest_until = ? where streamer_id = ?', [
      until,
      streamerId,
    ]);
  }

  /** Keeps a paid donation (or its refund) for the digest; idempotent. */
  async recordLedger(e: LedgerEntry): Promise<void> {
    await this.recordLedgers([e]);
  }

  /**
   * Keeps a batch of paid donations and refunds for the digest: one multi-row INSERT of the
   * paid ones, then one UPDATE marking the refunded ones (issue 15: one statement per stream
   * batch, not one per donation); idempotent.
   */
  async recordLedgers(entries: LedgerEntry[]): Promise<void> {
    const paid = [...new Map(entries.filter((e) => !e.refunded).map((e) => [e.donationId, e])).values()];
    const refunded = [...new Set(entries.filter((e) => e.refunded).map((e) => e.donationId))];
    if (paid.length)
      await this.conn().execute(
        `insert into notification_ledger (donation_id, streamer_id, amount_minor, currency, test, paid_at)
         values ${paid.map(() => '(?, ?, ?, ?, ?, ?)').join(', ')} on conflict do nothing`,
        paid.flatMap((e) => [e.donationId, e.streamerId, e.amountMinor, e.currency, e.test, e.paidAt]),
      );
    if (refunded.length)
      await this.conn().execute(
        `update notification_ledger set refunded = true where donation_id in (${refunded.map(() => '?').join(', ')})`,
        refunded,
      );
  }

  /**
   * Totals per currency of paid donations recorded in [from, until) (recorded when the pool
   * read them, so a late read still lands in the next window), refunded ones excluded; test
   * (sandbox) donations summed apart.
   */
  async digestTotals(
    streamerId: string,
    from: Date,
    until: Date,
  ): Promise<{ real: DigestTotal[]; test: DigestTotal[] }> {
    const rows = await this.conn().execute<RawRow[]>(
      `select currency, test, count(*)::int as n, sum(amount_minor)::bigint as total
       from notification_ledger
       where streamer_id = ? and recorded_at >= ? and recorded_at < ? and not refunded
       group by currency, test order by currency`,
      [streamerId, from, until],
      'all',
    );
    const pick = (test: boolean) =>
      rows
        .filter((r) => Boolean(r.test) === test)
        .map((r) => ({
          currency: (r.currency as string).trim(),
          count: Number(r.n),
          amountMinor: Number(r.total),
        }));
    return { real: pick(false), test: pick(true) };
  }

  /** Adds (or refreshes) a push subscription of the streamer. @returns its id. */
  async addPushSubscription(
    streamerId: string,
    sub: { endpoint: string; p256dh: string; auth: string },
  ): Promise<string> {
    const rows = await this.conn().execute<RawRow[]>(
      `insert into push_subscriptions (id, streamer_id, endpoint, p256dh, auth) values (?, ?, ?, ?, ?)
       on conflict (endpoint) do update set streamer_id = excluded.streamer_id, p256dh = excluded.p256dh, auth = excluded.auth
       returning id`,
      [uuidv7(), streamerId, sub.endpoint, sub.p256dh, sub.auth],
      'all',
    );
    return rows[0]!.id as string;
  }

  async pushSubscriptions(streamerId: string): Promise<PushSubscriptionRow[]> {
    const rows = await this.conn().execute<RawRow[]>(
      'select * from push_subscriptions where streamer_id = ? order by created_at',
      [streamerId],
      'all',
    );
    return rows.map((r) => ({
      id: r.id as string,
      streamerId: r.streamer_id as string,
      endpoint: r.endpoint as string,
      p256dh: r.p256dh as string,
      auth: r.auth as string,
      createdAt: new Date(r.created_at as string).toISOString(),
    }));
  }

  async pushSubscription(id: string): Promise<PushSubscriptionRow | null> {
    const rows = await this.conn().execute<RawRow[]>(
      'select * from push_subscriptions where id = ?',
      [id],
      'all',
    );
    const r = rows[0];
    return r
      ? {
          id: r.id as string,
          streamerId: r.streamer_id as string,
          endpoint: r.endpoint as string,
          p256dh: r.p256dh as string,
          auth: r.auth as string,
          createdAt: new Date(r.created_at as string).toISOString(),
        }
      : null;
  }

  /** Removes a subscription (the push service said it is gone, or the streamer turned it off). */
  async removePushSubscription(id: string, streamerId?: string): Promise<boolean> {
    const rows = await this.conn().execute<RawRow[]>(
      `delete from push_subscriptions where id = ? ${streamerId ? 'and streamer_id = ?' : ''} returning id`,
      streamerId ? [id, streamerId] : [id],
      'all',
    );
    return rows.length > 0;
  }

  /** Keeps a donor's receipt address (encrypted); idempotent per donation. */
  async saveDonorContact(c: DonorContact): Promise<void> {
    await this.conn().execute(
      `insert into donor_contacts (donation_id, streamer_id, email_enc, language, share_with_streamer)
       values (?, ?, ?, ?, ?) on conflict do nothing`,
      [c.donationId, c.streamerId, this.box.seal(c.email), c.language, c.shareWithStreamer],
    );
  }

  async donorContact(donationId: string): Promise<DonorContact | null> {
    const rows = await this.conn().execute<RawRow[]>(
      'select * from donor_contacts where donation_id = ?',
      [donationId],
      'all',
    );
    const r = rows[0];
    if (!r) return null;
    return {
      donationId: r.donation_id as string,
      streamerId: r.streamer_id as string,
      email: this.box.open(r.email_enc as string),
      language: r.language === 'en' ? 'en' : 'id',
      shareWithStreamer: Boolean(r.share_with_streamer),
    };
  }

  /** Donation ids among `ids` that have a receipt address. */
  async donationsWithContact(ids: string[]): Promise<Set<string>> {
    if (!ids.length) return new Set();
    const rows = await this.conn().execute<RawRow[]>(
      'select donation_id from donor_contacts where donation_id = any(?::uuid[])',
      [`{${ids.join(',')}}`],
      'all',
    );
    return new Set(rows.map((r) => r.donation_id as string));
  }

  /** True when this channel already sent this event to this target. */
  async wasSent(channel: NotificationChannel, target: string, eventKey: string): Promise<boolean> {
    const rows = await this.conn().execute<RawRow[]>(
      'select 1 from notification_sent where channel = ? and target = ? and event_key = ?',
      [channel, target, eventKey],
      'all',
    );
    return rows.length > 0;
  }

  /** Marks a send done; false when it was marked already. */
  async markSent(channel: NotificationChannel, target: string, eventKey: string): Promise<boolean> {
    const rows = await this.conn().execute<RawRow[]>(
      'insert into notification_sent (channel, target, event_key) values (?, ?, ?) on conflict do nothing returning 1',
      [channel, target, eventKey],
      'all',
    );
    return rows.length > 0;
  }

  /** Logs one attempt (a 429 that delayed the job keeps its attempt number: rows may share it). */
  async logAttempt(streamerId: string, a: NotificationAttempt): Promise<void> {
    await this.conn().execute(
      `insert into notification_attempts (job_id, attempt, streamer_id, channel, target, event_key, ok, status_code, error, duration_ms)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        a.jobId,
        a.attempt,
        streamerId || null,
        a.channel,
        a.target,
        a.eventKey,
        a.ok,
        a.statusCode,
        a.error,
        a.durationMs,
      ],
    );
  }

  /** The streamer's latest attempts, newest first. */
  async attempts(streamerId: string, limit = 50): Promise<(NotificationAttempt & { createdAt: string })[]> {
    const rows = await this.conn().execute<RawRow[]>(
      `select * from notification_attempts where streamer_id = ? and channel not in ('email-password-reset', 'email-verification')
       order by id desc limit ?`,
      [streamerId, limit],
      'all',
    );
    return rows.map((r) => ({
      jobId: r.job_id as string,
      attempt: Number(r.attempt),
      channel: r.channel as NotificationChannel,
      target: r.target as string,
      eventKey: r.event_key as string,
      ok: Boolean(r.ok),
      statusCode: r.status_code === null ? null : Number(r.status_code),
      error: r.error as string,
      durationMs: Number(r.duration_ms),
      createdAt: new Date(r.created_at as string).toISOString(),
    }));
  }

  /**
   * A new single-use token of `purpose` for the user (only its hash is stored).
   * @param ttlS seconds until it expires. @returns the token (base64url, 43 characters).
   */
  async createAccountToken(purpose: AccountTokenPurpose, userId: string, ttlS: number): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await this.conn().execute(
      `insert into account_tokens (token_hash, purpose, user_id, expires_at) values (?, ?, ?, now() + make_interval(secs => ?))`,
      [accountTokenHash(token), purpose, userId, ttlS],
    );
    return token;
  }

  /**
   * Uses a token of `purpose` once; every other open token of the user for that purpose dies
   * with it. @returns the user id, or why it was refused (unknown, used, expired).
   */
  async consumeAccountToken(purpose: AccountTokenPurpose, token: string): Promise<AccountTokenUse> {
    const hash = accountTokenHash(token);
    const rows = await this.conn().execute<RawRow[]>(
      `update account_tokens set used_at = now()
       where token_hash = ? and purpose = ? and used_at is null and expires_at > now() returning user_id`,
      [hash, purpose],
      'all',
    );
    if (!rows[0]) {
      const found = await this.conn().execute<RawRow[]>(
        'select expires_at <= now() as expired from account_tokens where token_hash = ? and purpose = ?',
        [hash, purpose],
        'all',
      );
      // Expiry first: a token that died with a sibling's use but had also run out says so.
      return { ok: false, reason: !found[0] ? 'unknown' : found[0].expired ? 'expired' : 'used' };
    }
    await this.conn().execute(
      'update account_tokens set used_at = now() where user_id = ? and purpose = ? and used_at is null',
      [rows[0].user_id, purpose],
    );
    return { ok: true, userId: rows[0].user_id as string };
  }

  /** A user's login email and mail language (their streamer settings' language, else Indonesian). */
  async userEmail(userId: string): Promise<{ email: string; language: 'id' | 'en' } | null> {
    const rows = await this.conn().execute<RawRow[]>(
      `select u.email, s.settings->>'language' as lang, n.settings->>'language' as nlang
       from users u left join streamers s on s.user_id = u.id left join notification_settings n on n.streamer_id = u.id
       where u.id = ?`,
      [userId],
      'all',
    );
    const r = rows[0];
    if (!r) return null;
    return { email: r.email as string, language: (r.nlang ?? r.lang) === 'en' ? 'en' : 'id' };
  }
}
