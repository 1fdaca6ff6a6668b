/**
 * Seeding for the bench's scale profile (issue 15): S streamers, each with an overlay token, and
 * D paid, already-alerted donations spread over them, written straight into the run's three
 * databases (and the overlay-token mirror in Redis) with a few set-based statements, so 100,000
 * donations take seconds. The rows have the columns and states the product writes itself:
 *
 * - gateway_db: `users` (one argon2id hash of {@link SEEDED_PASSWORD}, hashed once and reused, so a
 *   seeded streamer can log in), `streamers` (settings, a random overlay token: SHA-256 hash and
 *   the SecretBox ciphertext of the install's keys), `notification_ledger` (one row per donation).
 * - donation_db: `donations`, status `paid` with `alert_published_at` set (the outbox leaves them
 *   alone: nothing is re-announced).
 * - payment_db: `payments` (paid, checkout ready), `provider_events` and `webhook_inbox` (verified).
 * - Redis: `<prefix>:overlay-token:<hash>` → streamer id, as registration writes it.
 *
 * Donation and payment ids are `md5(tag || n)::uuid` in every database, so the three inserts agree
 * without shipping 100,000 ids through the client. Each seeded table is vacuumed and analysed at
 * once, as a long-running install's would be, so autovacuum does not run inside the measured
 * profile and the planner sees the real sizes.
 */
import { randomBytes } from 'node:crypto';
import argon2 from 'argon2';
import pg from 'pg';
import type { Redis } from 'ioredis';
import { uuidv7 } from 'uuidv7';
import { overlayTokenHash } from '../gateway/accounts/accounts.store.js';
import { DEFAULT_STREAMER_SETTINGS } from '../gateway/accounts/gateway.db.js';
import type { Config } from '../shared/config.js';
import { KEYS } from '../shared/queues.js';
import { SecretBox, secretBoxKeys } from '../shared/secret-box.js';
import type { BenchStreamer } from './load.js';

/** The password of every seeded streamer (`<username>@bench.test`). */
export const SEEDED_PASSWORD = 'correct horse battery';

/** What was seeded and how long each part took. */
export interface ScaleSeed {
  streamers: BenchStreamer[];
  donations: number;
  /** Wall seconds: gateway_db + Redis, donation_db, payment_db (the last two run side by side). */
  seconds: { total: number; gateway: number; donations: number; payments: number };
  /** Row counts after seeding (the runs' own rows included), by `db.table`. */
  rows: Record<string, number>;
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const value = await fn();
  return [value, Math.round((performance.now() - t0) / 100) / 10];
}

/**
 * Seeds `streamers` streamers and `donations` paid donations into the databases of `config`
 * (already migrated; the system may be running). Streamers get usernames `<label><i>_<hex>`.
 * @returns the streamers (with their overlay tokens) and timings.
 * @throws when a statement fails (e.g. a username collides with an existing one).
 */
export async function seedScale(
  config: Config,
  redis: Redis,
  options: { streamers: number; donations: number; label?: string },
): Promise<ScaleSeed> {
  const t0 = performance.now();
  const label = options.label ?? 'scale';
  const tag = `${label}-${randomBytes(4).toString('hex')}-`;
  const box = new SecretBox(secretBoxKeys(config), 'overlay-token');
  const passwordHash = await argon2.hash(SEEDED_PASSWORD, { type: argon2.argon2id });
  const streamers: (BenchStreamer & { tokenHash: string; tokenEnc: string })[] = Array.from(
    { length: options.streamers },
    (_, i) => {
      const token = randomBytes(32).toString('base64url');
      return {
        id: uuidv7(),
        username: `${label}${i}_${randomBytes(3).toString('hex')}`,
        overlayToken: token,
        tokenHash: overlayTokenHash(token),
        tokenEnc: box.seal(token),
      };
    },
  );
  const ids = streamers.map((s) => s.id);
  const n = options.donations;
  // Donation n: streamer ids[1 + n % S], created (N - n) minutes ago, paid 30 s later.
  const series = `from generate_series(1, $2::int) g,
    lateral (select now() - make_interval(mins => $2::int - g) as created_at) t`;
  const donationId = `md5($1 || g)::uuid`;
  const streamerOf = `($3::uuid[])[1 + g % array_length($3::uuid[], 1)]`;
  const amount = `(2000000 + (g % 50) * 1000)`;

  const gateway = timed(() =>
    withClient(config.GATEWAY_DATABASE_URL, async (c) => {
      await c.query('begin');
      await c.query(
        `insert into users (id, email, password_hash, role)
         select id, lower(u) || '@bench.test', $3, 'streamer' from unnest($1::uuid[], $2::text[]) as x(id, u)`,
        [ids, streamers.map((s) => s.username), passwordHash],
      );
      await c.query(
        `insert into streamers (user_id, username, display_name, min_donation_minor, currency,
                                overlay_token_hash, overlay_token_enc, settings)
         select id, u, 'Scale ' || u, 100000, 'IDR', h, e, $5::jsonb
         from unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) as x(id, u, h, e)`,
        [
          ids,
          streamers.map((s) => s.username),
          streamers.map((s) => s.tokenHash),
          streamers.map((s) => s.tokenEnc),
          JSON.stringify(DEFAULT_STREAMER_SETTINGS),
        ],
      );
      if (n > 0 && ids.length > 0)
        await c.query(
          `insert into notification_ledger (donation_id, streamer_id, amount_minor, currency, test, paid_at, recorded_at)
           select ${donationId}, ${streamerOf}, ${amount}, 'IDR', false,
                  created_at + interval '30 seconds', created_at + interval '31 seconds' ${series}`,
          [tag, n, ids],
        );
      await c.query('commit');
      await c.query('vacuum analyze users, streamers, notification_ledger');
      const pipeline = redis.pipeline();
      for (const s of streamers) pipeline.set(KEYS.overlayToken(config.REDIS_PREFIX, s.tokenHash), s.id);
      await pipeline.exec();
    }),
  );
  const donations = timed(() =>
    n > 0 && ids.length > 0
      ? withClient(config.DONATION_DATABASE_URL, async (c) => {
          await c.query(
            `insert into donations (id, streamer_id, donor_name, amount_minor, currency, message, provider,
                                    status, request_id, created_at, updated_at, paid_at, alert_published_at)
             select ${donationId}, ${streamerOf}, 'Seeded donor ' || g, ${amount}, 'IDR',
                    'seeded #' || g, 'sandbox', 'paid', '', created_at, created_at + interval '31 seconds',
                    created_at + interval '30 seconds', created_at + interval '31 seconds' ${series}`,
            [tag, n, ids],
          );
          await c.query('vacuum analyze donations');
        })
      : Promise.resolve(),
  );
  const payments = timed(() =>
    n > 0 && ids.length > 0
      ? withClient(config.PAYMENT_DATABASE_URL, async (c) => {
          await c.query('begin');
          await c.query(
            `insert into payments (id, donation_id, streamer_id, provider, order_id, amount_minor, currency,
                                   status, checkout_state, checkout_url, expires_at, created_at, updated_at, paid_at)
             select md5($1 || 'p' || g)::uuid, ${donationId}, ${streamerOf}, 'sandbox', $1 || g, ${amount}, 'IDR',
                    'paid', 'ready', '', created_at + interval '1 hour', created_at,
                    created_at + interval '30 seconds', created_at + interval '30 seconds' ${series}`,
            [tag, n, ids],
          );
          await c.query(
            `insert into provider_events (provider, event_id, payment_id, claimed_status, confirmed_status, received_at, processed_at)
             select 'sandbox', $1 || 'e' || g, md5($1 || 'p' || g)::uuid, 'paid', 'paid',
                    created_at + interval '29 seconds', created_at + interval '30 seconds'
             from generate_series(1, $2::int) g,
               lateral (select now() - make_interval(mins => $2::int - g) as created_at) t`,
            [tag, n],
          );
          await c.query(
            `insert into webhook_inbox (provider, event_id, job, received_at, verified_at)
             select 'sandbox', $1 || 'e' || g, '{}'::jsonb, created_at + interval '29 seconds',
                    created_at + interval '30 seconds'
             from generate_series(1, $2::int) g,
               lateral (select now() - make_interval(mins => $2::int - g) as created_at) t`,
            [tag, n],
          );
          await c.query('commit');
          await c.query('vacuum analyze payments, provider_events, webhook_inbox');
        })
      : Promise.resolve(),
  );
  const [[, gw], [, dn], [, pm]] = await Promise.all([gateway, donations, payments]);
  const count = async (url: string, db: string, tables: string[]) =>
    withClient(url, async (c) => {
      const out: Record<string, number> = {};
      for (const t of tables) {
        const r = await c.query<{ n: string }>(`select count(*) as n from ${t}`);
        out[`${db}.${t}`] = Number(r.rows[0]!.n);
      }
      return out;
    });
  const rows = {
    ...(await count(config.GATEWAY_DATABASE_URL, 'gateway_db', [
      'users',
      'streamers',
      'notification_ledger',
    ])),
    ...(await count(config.DONATION_DATABASE_URL, 'donation_db', ['donations'])),
    ...(await count(config.PAYMENT_DATABASE_URL, 'payment_db', [
      'payments',
      'provider_events',
      'webhook_inbox',
    ])),
  };
  return {
    streamers: streamers.map(({ id, username, overlayToken }) => ({ id, username, overlayToken })),
    donations: n,
    seconds: {
      total: Math.round((performance.now() - t0) / 100) / 10,
      gateway: gw,
      donations: dn,
      payments: pm,
    },
    rows,
  };
}
