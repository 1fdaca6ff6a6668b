/**
 * Outgoing webhooks in gateway_db: each streamer's endpoints (URL, the event types wanted, a
 * signing secret kept encrypted with AES-256-GCM) and the delivery log (one row per attempt).
 * Used by the gateway's REST routes and by the outgoing-webhooks worker pool (a gateway worker:
 * gateway_db stays the gateway's own).
 */
import { randomBytes } from 'node:crypto';
import { SecretBox, type SecretBoxKeys } from '../../shared/secret-box.js';
import type { MikroORM } from '@mikro-orm/postgresql';
import { Migration } from '@mikro-orm/migrations';
import { uuidv7 } from 'uuidv7';
import { ConflictError, NotFoundError } from '../../shared/errors.js';
import type { DonationEventType } from '../../shared/queues.js';

/** Event types an endpoint can ask for. */
export const WEBHOOK_EVENT_TYPES = [
  'donation.paid',
  'donation.refunded',
  'alert.test',
  'alert.replay',
] as const;
/** What a new endpoint gets when it names no types. */
export const DEFAULT_WEBHOOK_EVENTS: DonationEventType[] = [
  'donation.paid',
  'donation.refunded',
  'alert.test',
];
/** Endpoints per streamer. */
export const MAX_ENDPOINTS_PER_STREAMER = 10;

export interface WebhookEndpoint {
  id: string;
  streamerId: string;
  url: string;
  events: DonationEventType[];
  createdAt: string;
}

export interface WebhookAttempt {
  deliveryId: string;
  endpointId: string;
  eventType: string;
  eventKey: string;
  /** 1-based. */
  attempt: number;
  ok: boolean;
  /** HTTP status of the endpoint's answer (null when none: timeout, refused connection). */
  statusCode: number | null;
  error: string;
  durationMs: number;
  createdAt: string;
}

export class Migration20261130000008OutgoingWebhooks extends Migration {
  override up(): void {
    this.addSql(`
      create table webhook_endpoints (
        id uuid primary key,
        streamer_id uuid not null references streamers (user_id) on delete cascade,
        url text not null,
        events text[] not null,
        secret_enc text not null,
        created_at timestamptz not null default now()
      )`);
    this.addSql('create index webhook_endpoints_streamer on webhook_endpoints (streamer_id)');
    this.addSql(`
      create table webhook_deliveries (
        delivery_id text not null,
        attempt int not null,
        endpoint_id uuid not null references webhook_endpoints (id) on delete cascade,
        event_type text not null,
        event_key text not null,
        ok boolean not null,
        status_code int,
        error text not null default '',
        duration_ms int not null,
        created_at timestamptz not null default now(),
        primary key (delivery_id, attempt)
      )`);
    this.addSql(
      'create index webhook_deliveries_endpoint on webhook_deliveries (endpoint_id, created_at desc)',
    );
  }
  override down(): void {
    this.addSql('drop table if exists webhook_deliveries');
    this.addSql('drop table if exists webhook_endpoints');
  }
}

type RawRow = Record<string, unknown>;

function toEndpoint(r: RawRow): WebhookEndpoint {
  return {
    id: r.id as string,
    streamerId: r.streamer_id as string,
    url: r.url as string,
    events: r.events as DonationEventType[],
    createdAt: new Date(r.created_at as string).toISOString(),
  };
}

export class OutgoingWebhookStore {
  private readonly box: SecretBox;

  /** @param secret install secret the endpoint-secret encryption key is derived from (HKDF-SHA256). */
  constructor(
    private readonly orm: MikroORM,
    secret: string | SecretBoxKeys,
  ) {
    // Its own key (HKDF label per purpose), with the key id in each ciphertext: rotating
    // JWT_SECRET leaves it readable (shared/secret-box.ts).
    this.box = new SecretBox(
      typeof secret === 'string' ? { current: secret } : secret,
      'outgoing-webhook-secret',
    );
  }

  private conn() {
    return this.orm.em.fork().getConnection();
  }

  /**
   * Registers an endpoint. @returns it with its signing secret (shown to the streamer once).
   * @throws {ConflictError} past MAX_ENDPOINTS_PER_STREAMER.
   */
  async create(
    streamerId: string,
    url: string,
    events: DonationEventType[],
  ): Promise<WebhookEndpoint & { secret: string }> {
    const secret = `whsec_${randomBytes(32).toString('base64url')}`;
    const rows = await this.conn().execute<RawRow[]>(
      `insert into webhook_endpoints (id, streamer_id, url, events, secret_enc)
       select ?, ?, ?, ?::text[], ?
       where (select count(*) from webhook_endpoints where streamer_id = ?) < ?
       returning *`,
      [
        uuidv7(),
        streamerId,
        url,
        `{${events.join(',')}}`,
        this.encrypt(secret),
        streamerId,
        MAX_ENDPOINTS_PER_STREAMER,
      ],
      'all',
    );
    if (!rows[0])
      throw new ConflictError(`At most ${MAX_ENDPOINTS_PER_STREAMER} webhook endpoints per streamer`);
    return { ...toEndpoint(rows[0]), secret };
  }

  /** The streamer's endpoints, oldest first. */
  async list(streamerId: string): Promise<WebhookEndpoint[]> {
    const rows = await this.conn().execute<RawRow[]>(
      'select * from webhook_endpoints where streamer_id = ? order by created_at, id',
      [streamerId],
      'all',
    );
    return rows.map(toEndpoint);
  }

  /** @throws {NotFoundError} when the endpoint is not the streamer's. */
  async remove(streamerId: string, id: string): Promise<void> {
    const rows = await this.conn().execute<RawRow[]>(
      'delete from webhook_endpoints where id = ? and streamer_id = ? returning id',
      [id, streamerId],
      'all',
    );
    if (!rows[0]) throw new NotFoundError('Webhook endpoint not found');
  }

  /** Ids of the streamers with at least one endpoint (the stream reader's cached filter). */
  async streamersWithEndpoints(): Promise<Set<string>> {
    const rows = await this.conn().execute<{ streamer_id: string }[]>(
      'select distinct streamer_id from webhook_endpoints',
      [],
      'all',
    );
    return new Set(rows.map((r) => r.streamer_id));
  }

  /** Endpoints of several streamers at once, by streamer id (the stream reader's batch lookup). */
  async endpointsOf(streamerIds: string[]): Promise<Map<string, WebhookEndpoint[]>> {
    const out = new Map<string, WebhookEndpoint[]>();
    if (!streamerIds.length) return out;
    const rows = await this.conn().execute<RawRow[]>(
      'select * from webhook_endpoints where streamer_id = any(?::uuid[])',
      [`{${streamerIds.join(',')}}`],
      'all',
    );
    for (const e of rows.map(toEndpoint)) out.set(e.streamerId, [...(out.get(e.streamerId) ?? []), e]);
    return out;
  }

  /** One endpoint with its secret in clear, or null when it was deleted. */
  async endpointWithSecret(id: string): Promise<(WebhookEndpoint & { secret: string }) | null> {
    const rows = await this.conn().execute<RawRow[]>(
      'select * from webhook_endpoints where id = ?',
      [id],
      'all',
    );
    return rows[0] ? { ...toEndpoint(rows[0]), secret: this.decrypt(rows[0].secret_enc as string) } : null;
  }

  /** Logs one attempt (idempotent per delivery and attempt number). */
  async logAttempt(a: Omit<WebhookAttempt, 'createdAt'>): Promise<void> {
    await this.conn().execute(
      `insert into webhook_deliveries (delivery_id, attempt, endpoint_id, event_type, event_key, ok, status_code, error, duration_ms)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing`,
      [
        a.deliveryId,
        a.attempt,
        a.endpointId,
        a.eventType,
        a.eventKey,
        a.ok,
        a.statusCode,
        a.error,
        a.durationMs,
      ],
    );
  }

  /**
   * The delivery log of one of the streamer's endpoints, newest first.
   * @throws {NotFoundError} when the endpoint is not the streamer's.
   */
  async attempts(streamerId: string, endpointId: string, limit = 50): Promise<WebhookAttempt[]> {
    const owner = await this.conn().execute<RawRow[]>(
      'select 1 from webhook_endpoints where id = ? and streamer_id = ?',
      [endpointId, streamerId],
      'all',
    );
    if (!owner[0]) throw new NotFoundError('Webhook endpoint not found');
    const rows = await this.conn().execute<RawRow[]>(
      'select * from webhook_deliveries where endpoint_id = ? order by created_at desc, attempt desc limit ?',
      [endpointId, limit],
      'all',
    );
    return rows.map((r) => ({
      deliveryId: r.delivery_id as string,
      endpointId: r.endpoint_id as string,
      eventType: r.event_type as string,
      eventKey: r.event_key as string,
      attempt: Number(r.attempt),
      ok: Boolean(r.ok),
      statusCode: r.status_code === null ? null : Number(r.status_code),
      error: r.error as string,
      durationMs: Number(r.duration_ms),
      createdAt: new Date(r.created_at as string).toISOString(),
    }));
  }

  private encrypt(text: string): string {
    return this.box.seal(text);
  }

  private decrypt(enc: string): string {
    return this.box.open(enc);
  }
}
