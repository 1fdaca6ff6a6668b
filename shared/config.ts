/**
 * The only module that reads `process.env`.
 *
 * Every variable is validated at start with zod; all problems are reported together in one
 * {@link ConfigError}. Entry files call {@link loadConfigOrExit}, which prints that error and exits
 * with status 1. Defaults are documented in `.env.example`.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import proxyaddr from 'proxy-addr';

const port = z.coerce
  .number({ error: 'must be a TCP port number' })
  .int('must be a TCP port number')
  .min(1, 'must be a TCP port number between 1 and 65535')
  .max(65535, 'must be a TCP port number between 1 and 65535');
const metricsPort = z.coerce
  .number({ error: 'must be a TCP port number, or 0 for none' })
  .int('must be a TCP port number, or 0 for none')
  .min(0, 'must be a TCP port number, or 0 for none')
  .max(65535, 'must be a TCP port number, or 0 for none');
const postgresUrl = z
  .string({ error: 'is required (a postgres:// URL)' })
  .min(1, 'is required (a postgres:// URL)')
  .refine(
    (v) => /^postgres(ql)?:\/\/[^/]+\/[A-Za-z0-9_]+/.test(v),
    'must be a postgres:// URL with a database name',
  );
const bool = z.enum(['true', 'false', '1', '0', '']).transform((v) => v === 'true' || v === '1');
const optionalSecret = z
  .string()
  .optional()
  .transform((v) => (v ? v : undefined));
const optionalUrl = z
  .url()
  .optional()
  .or(z.literal('').transform(() => undefined));

/** Schema of the environment. Each field's default is the local single-machine setup. */
export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  /** Interface every server binds to. */
  BIND_HOST: z.string().default('127.0.0.1'),
  /** Public base URL of the gateway, used in links handed to donors and overlays. */
  PUBLIC_URL: z.url().default('http://localhost:8080'),
  /**
   * Reverse proxies whose X-Forwarded-For the gateway believes: comma-separated IPs or CIDR
   * ranges (`10.0.0.0/8, ::1`) [empty: none, the direct peer is the client]. Rate limits key on
   * the client address this yields, so list only proxies you run.
   */
  TRUSTED_PROXIES: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .refine((list) => {
      try {
        proxyaddr.compile(list);
        return true;
      } catch {
        return false;
      }
    }, 'must be a comma-separated list of IP addresses or CIDR ranges (e.g. 10.0.0.0/8,::1)'),
  /**
   * Folder for streamers' uploads (alert images and sounds) [empty: kept in gateway_db]. Every
   * gateway instance must see the same folder.
   */
  UPLOAD_DIR: z.string().default(''),
  /** The espeak-ng program for built-in text-to-speech (OS package `espeak-ng`). */
  ESPEAK_PATH: z.string().min(1).default('espeak-ng'),
  /** Google Cloud Text-to-Speech API key; when set, alerts are spoken by Google instead of espeak-ng. */
  GOOGLE_TTS_API_KEY: z.string().default(''),
  /** Base URL of Google's Text-to-Speech REST API. */
  GOOGLE_TTS_URL: z.url().default('https://texttospeech.googleapis.com'),
  /** Longest text read aloud per alert, characters. */
  TTS_MAX_CHARS: z.coerce.number().int().min(20).max(1000).default(200),
  /** Public Socket.IO endpoint given to browsers (GET /api/v1/config). */
  REALTIME_PUBLIC_URL: z.url().default('http://localhost:9094'),

  GATEWAY_PORT: port.default(8080),
  DONATION_GRPC_PORT: port.default(9091),
  PAYMENT_GRPC_PORT: port.default(9092),
  NOTIFICATION_GRPC_PORT: port.default(9093),
  REALTIME_PORT: port.default(9094),
  /**
   * Sockets (overlays and widgets) one overlay token may hold open at once, per notification
   * node [5]. The fan-out benchmark raises it: its one token stands for many streamers' overlays.
   */
  OVERLAY_MAX_SOCKETS_PER_TOKEN: z.coerce.number().int().min(1).max(100_000).default(5),
  /**
   * Prometheus metrics port of each non-gateway process (GET /metrics; the gateway serves
   * /metrics on GATEWAY_PORT). 0 turns the server off. Worker pools get theirs per pm2 app in
   * ecosystem.config.js (one port per instance, pm2 increment_var).
   */
  DONATION_METRICS_PORT: metricsPort.default(9101),
  PAYMENT_METRICS_PORT: metricsPort.default(9102),
  NOTIFICATION_METRICS_PORT: metricsPort.default(9103),
  WORKER_METRICS_PORT: metricsPort.default(9110),
  /**
   * Bearer token a scraper sends to the gateway's public GET /metrics (loopback clients need
   * none). Unset: only loopback clients may scrape the gateway.
   */
  METRICS_TOKEN: optionalSecret,
  /** host:port of each gRPC service as the other processes reach it. */
  DONATION_SERVICE_ADDR: z.string().default('127.0.0.1:9091'),
  PAYMENT_SERVICE_ADDR: z.string().default('127.0.0.1:9092'),
  NOTIFICATION_SERVICE_ADDR: z.string().default('127.0.0.1:9093'),
  /** Deadline of every gRPC call made by a client, in milliseconds. */
  GRPC_DEADLINE_MS: z.coerce.number().int().positive().default(5000),
  /**
   * Mutual TLS of every gRPC call (certificates from the install's own CA; `npm start` creates
   * them on first run). The folder holds `ca.crt` and `<role>.crt` / `<role>.key` for each role
   * (gateway, donation-service, payment-service, notification-service, workers, operator);
   * relative paths are from the working directory.
   */
  GRPC_TLS_DIR: z.string().min(1).default('.certs'),
  /** CA bundle that peers' certificates must chain to [GRPC_TLS_DIR/ca.crt]. */
  GRPC_TLS_CA_FILE: z.string().optional(),
  /**
   * This process's own certificate and key [GRPC_TLS_DIR/<role>.crt and .key]; set them only
   * where one process (container) has its own environment, since every process reads them.
   */
  GRPC_TLS_CERT_FILE: z.string().optional(),
  GRPC_TLS_KEY_FILE: z.string().optional(),

  GATEWAY_DATABASE_URL: postgresUrl.default('postgres://postgres@127.0.0.1:5432/gateway_db'),
  DONATION_DATABASE_URL: postgresUrl.default('postgres://postgres@127.0.0.1:5432/donation_db'),
  PAYMENT_DATABASE_URL: postgresUrl.default('postgres://postgres@127.0.0.1:5432/payment_db'),
  /** Pool size per process and database. */
  DATABASE_POOL_MAX: z.coerce.number().int().positive().default(10),

  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// URL')
    .default('redis://127.0.0.1:6379'),
  /** Prefix of every Redis key, queue and stream (one install, or one test run, per prefix). */
  REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only')
    .default('mediashar'),

  /** HS256 key for access tokens; at least 32 characters. `npm start` generates one into .env. */
  JWT_SECRET: z
    .string({ error: 'is required (at least 32 characters)' })
    .min(32, 'must be at least 32 characters'),
  /**
   * Master secret of stored-secret encryption (overlay tokens, webhook signing secrets), at least
   * 32 characters; keys per purpose are derived from it with HKDF (shared/secret-box.ts). `npm
   * start` generates one into .env. Unset: JWT_SECRET is used (older installs; see docs/runbook.md
   * before rotating JWT_SECRET).
   */
  ENCRYPTION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** Earlier ENCRYPTION_SECRET values (comma-separated) still read during a rotation [none]. */
  ENCRYPTION_SECRET_PREVIOUS: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    ),
  JWT_ISSUER: z.string().default('mediashar'),
  JWT_AUDIENCE: z.string().default('mediashar-api'),
  /** Lifetime of an access token, in seconds [900]; a refresh token (cookie) gets the next one. */
  ACCESS_TOKEN_TTL_S: z.coerce.number().int().positive().default(900),
  /** A session (refresh-token family) ends after this long without a refresh, in seconds [2592000 = 30 days]. */
  REFRESH_TOKEN_TTL_S: z.coerce
    .number()
    .int()
    .positive()
    .default(30 * 24 * 3600),
  /**
   * `Secure` flag of the session cookies: `auto` [default] sets it unless PUBLIC_URL is plain http on a
   * host other than localhost/127.0.0.1/[::1] (browsers accept Secure cookies from http://localhost).
   */
  SESSION_COOKIE_SECURE: z.enum(['auto', 'true', 'false']).default('auto'),
  /**
   * Origins besides PUBLIC_URL's that may call the cookie-authenticated routes (refresh, logout),
   * comma-separated, e.g. the Vite dev server `http://localhost:5173` [none].
   */
  TRUSTED_ORIGINS: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((o) => o.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.url('each must be an origin such as http://localhost:5173'))),

  /** Install secret of the built-in sandbox provider (HMAC-SHA256 of webhook bodies). */
  SANDBOX_WEBHOOK_SECRET: z
    .string({ error: 'is required (at least 32 characters)' })
    .min(32, 'must be at least 32 characters'),
  /**
   * The built-in sandbox provider (fake checkout page, no money moves) [false]. Development and
   * tests only: `npm start` writes `true` into the .env it creates; refused with
   * NODE_ENV=production. Its donations are test donations (marked test, never in stats).
   */
  SANDBOX_ENABLED: bool.default(false),

  /** How long CreateCheckout waits for the checkout worker before answering "pending", in ms. */
  CHECKOUT_WAIT_MS: z.coerce.number().int().positive().default(3000),
  /** How long a checkout stays payable, in seconds. */
  CHECKOUT_TTL_S: z.coerce.number().int().positive().default(900),
  /** Concurrency of each BullMQ worker in a pool process. */
  WORKER_CONCURRENCY: z.coerce.number().int().positive().default(50),
  /**
   * How often the reconcilers (donation and payment-verification pools, gateway) compare Redis
   * with PostgreSQL and repair what Redis lost, in ms [5000]. Each pass is idempotent and costs
   * one indexed query per check when there is nothing to do.
   */
  RECONCILE_INTERVAL_MS: z.coerce.number().int().positive().default(5000),
  /**
   * BullMQ job lock, in ms [30000]: a job whose worker died (SIGKILL) is taken up again by
   * another worker at most about twice this long after (the stalled-job check runs as often).
   */
  WORKER_LOCK_DURATION_MS: z.coerce.number().int().min(1000).default(30_000),
  /**
   * After Redis lost its data, alerts published since the donation pool last saw Redis intact
   * (plus 30 s) are published again, reaching back at most this far, in seconds [120]: an alert
   * may have been on the stream but not yet delivered. Overlays drop a repeat of a donation
   * they already showed.
   */
  RECONCILE_REPUBLISH_WINDOW_S: z.coerce.number().int().positive().default(120),
  /**
   * After Redis lost its data, payments settled this long before are told to the donation side
   * again, and webhooks received this long before are re-verified, in seconds [86400].
   */
  RECONCILE_REBUILD_WINDOW_S: z.coerce.number().int().positive().default(86_400),
  /** Entries kept in the global donation event stream (MAXLEN ~). */
  EVENT_STREAM_MAXLEN: z.coerce.number().int().positive().default(100_000),
  /** Alerts kept per streamer for replay on reconnect (MAXLEN ~). */
  STREAMER_HISTORY_MAXLEN: z.coerce.number().int().positive().default(2_000),

  /** Outgoing webhooks: time a streamer's endpoint gets to answer, in ms. */
  OUTGOING_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().positive().default(5000),
  /** Outgoing webhooks: attempts per delivery before it is logged as failed. */
  OUTGOING_WEBHOOK_ATTEMPTS: z.coerce.number().int().min(1).max(30).default(10),
  /** Outgoing webhooks: first retry delay, doubled on each further attempt, in ms. */
  OUTGOING_WEBHOOK_BACKOFF_MS: z.coerce.number().int().positive().default(2000),
  /**
   * Outgoing webhooks may reach loopback/private addresses (local development and tests only;
   * in production this would let a streamer probe the install's network).
   */
  OUTGOING_WEBHOOK_ALLOW_INTERNAL: bool.default(false),

  /**
   * Media-share metadata (title, channel, thumbnail, duration): the platforms' oEmbed endpoints
   * [https://www.youtube.com/oembed, https://www.tiktok.com/oembed]; tests point them at a fake.
   */
  MEDIA_OEMBED_YOUTUBE_URL: z.url().default('https://www.youtube.com/oembed'),
  MEDIA_OEMBED_TIKTOK_URL: z.url().default('https://www.tiktok.com/oembed'),
  /** YouTube Data API key: with it, YouTube clips also get their duration and channel id [none]. */
  YOUTUBE_API_KEY: optionalSecret,
  /** YouTube Data API v3 base URL [https://www.googleapis.com/youtube/v3]. */
  YOUTUBE_API_URL: z.url().default('https://www.googleapis.com/youtube/v3'),
  /**
   * Time one metadata lookup may take (all its requests), in ms [2000]; a lookup that takes longer
   * is given up and the clip is judged without metadata (a lookup never blocks a donation).
   */
  MEDIA_METADATA_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(2000),
  /** How long a metadata answer is kept in Redis, in seconds [86400]; a failed lookup 5 min. */
  MEDIA_METADATA_CACHE_TTL_S: z.coerce.number().int().positive().default(86_400),

  MIDTRANS_SERVER_KEY: optionalSecret,
  MIDTRANS_CLIENT_KEY: optionalSecret,
  MIDTRANS_IS_PRODUCTION: bool.default(false),
  MIDTRANS_API_URL: optionalUrl,
  MIDTRANS_SNAP_URL: optionalUrl,
  STRIPE_SECRET_KEY: optionalSecret,
  STRIPE_WEBHOOK_SECRET: optionalSecret,
  STRIPE_API_URL: optionalUrl,
  PAYPAL_CLIENT_ID: optionalSecret,
  PAYPAL_CLIENT_SECRET: optionalSecret,
  PAYPAL_WEBHOOK_ID: optionalSecret,
  PAYPAL_API_URL: optionalUrl,
  /** Midtrans checkout: `snap` (Snap page: QRIS, e-wallets, VAs, cards) or `qris` (Core API QR). */
  MIDTRANS_CHECKOUT_MODE: z.enum(['snap', 'qris']).default('snap'),
  /**
   * TESTS ONLY: the clock (Unix seconds) for Stripe's 300 s webhook tolerance check, so events
   * signed at a fixed time (test/fixtures/cases/stripe-webhooks.json) can be replayed. Unset in
   * every real install: the real clock is used.
   */
  STRIPE_WEBHOOK_CLOCK_S: z.coerce.number().int().positive().optional(),
  /** How often the sweeper runs (payment-sweep queue), in ms. */
  PAYMENT_SWEEP_INTERVAL_MS: z.coerce.number().int().positive().default(60_000),
  /** A payment pending longer than this is re-checked through the provider's status API, in seconds. */
  PAYMENT_SWEEP_AFTER_S: z.coerce.number().int().positive().default(600),
  /** A pending payment this long past its checkout expiry, unconfirmed by the provider, expires; in seconds. */
  PAYMENT_EXPIRE_GRACE_S: z.coerce.number().int().min(0).default(3600),
  /** Checkout calls a second to each provider's API, per install (the sandbox is never limited). */
  CHECKOUT_RATE_LIMIT_PER_S: z.coerce.number().int().positive().default(50),
  /** Status API calls a second to each provider, per install (the sandbox is never limited). */
  STATUS_CHECK_RATE_LIMIT_PER_S: z.coerce.number().int().positive().default(100),

  // Request rate limits of the gateway (Redis, shared by every gateway instance; 429 with
  // Retry-After). Client addresses come through TRUSTED_PROXIES.
  /** Donations created per client address, per minute [10]. */
  RATE_LIMIT_DONATIONS_PER_IP: z.coerce.number().int().positive().default(10),
  /** Donations created per streamer, per minute, from all donors together [3000]. */
  RATE_LIMIT_DONATIONS_PER_STREAMER: z.coerce.number().int().positive().default(3000),
  /** Registrations per client address, per hour [10]. */
  RATE_LIMIT_REGISTRATIONS_PER_IP: z.coerce.number().int().positive().default(10),
  /** Log-in attempts per client address, per 15 minutes [30]. */
  RATE_LIMIT_LOGINS_PER_IP: z.coerce.number().int().positive().default(30),
  /**
   * Failed log-ins per account from devices it never signed in from, per 15 minutes [5]; then
   * those are refused for the rest of the window, while a device the account signed in from
   * before (`ms_device` cookie) keeps its own allowance of twice as many.
   */
  RATE_LIMIT_LOGIN_FAILURES_PER_ACCOUNT: z.coerce.number().int().positive().default(5),
  /** Checkout return URL: at most one provider status check per donation this often, in seconds [10]. */
  CHECKOUT_RETURN_CHECK_INTERVAL_S: z.coerce.number().int().positive().default(10),

  // Notifications beyond the overlay (docs/notifications.md); the worker pool `notifications`.
  /** SMTP server of outgoing mail (smtp:// or smtps://, credentials in the URL) [none: mail off]. */
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
    .optional(),
  /** From address of every mail [MediaShar <no-reply@localhost>]. */
  MAIL_FROM: z.string().default('MediaShar <no-reply@localhost>'),
  /** VAPID key pair of browser push (base64url); `npm start` generates one into .env [none: push off]. */
  VAPID_PUBLIC_KEY: optionalSecret,
  VAPID_PRIVATE_KEY: optionalSecret,
  /** VAPID contact (mailto: or https URL) [mailto:admin@localhost]. */
  VAPID_SUBJECT: z.string().default('mailto:admin@localhost'),
  /** Discord API base the webhook URLs are sent to [https://discord.com/api]; tests point it at a fake. */
  DISCORD_API_BASE: z.url().default('https://discord.com/api'),
  /** Telegram Bot API base [https://api.telegram.org]; tests point it at a fake. */
  TELEGRAM_API_BASE: z.url().default('https://api.telegram.org'),
  /** Notifications: attempts per send before it is logged as failed [8]. */
  NOTIFICATION_ATTEMPTS: z.coerce.number().int().min(1).max(30).default(8),
  /** Notifications: first retry delay, doubled on each further attempt, in ms [2000]. */
  NOTIFICATION_BACKOFF_MS: z.coerce.number().int().positive().default(2000),
  /** Notifications: time one send may take, in ms [10000]. */
  NOTIFICATION_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  /** How often the daily digest job runs, in ms [86400000]; each run mails what came since the last. */
  NOTIFICATION_DIGEST_INTERVAL_MS: z.coerce.number().int().positive().default(86_400_000),
  /** How long a password-reset link works, in seconds [3600]. */
  PASSWORD_RESET_TTL_S: z.coerce.number().int().min(60).max(86_400).default(3600),
  /** How long an email-verification link works, in seconds [86400]. */
  EMAIL_VERIFICATION_TTL_S: z.coerce.number().int().min(60).max(604_800).default(86_400),
});

/** The validated configuration. */
export type Config = Readonly<z.infer<typeof envSchema>>;

/** Thrown by {@link loadConfig} with every bad variable named in one message. */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(
      `Invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  - ${p.variable}: ${p.message}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

/**
 * Validates an environment. Empty strings count as unset, so defaults apply.
 * @throws {ConfigError} naming every bad variable.
 */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const problems: { variable: string; message: string }[] = [];
  // A connection URL set to '' is a mistake (an unsubstituted variable), not a request for the
  // default: report it as missing.
  for (const name of MUST_NOT_BE_EMPTY) {
    if (env[name] === '')
      problems.push({
        variable: name,
        message: 'is set but empty: give a URL, or unset it to use the default',
      });
  }
  const known = Object.keys(envSchema.shape);
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([k, v]) => known.includes(k) && v !== undefined && v !== ''),
  );
  const result = envSchema.safeParse(cleaned);
  if (!result.success) {
    problems.push(
      ...result.error.issues.map((i) => ({ variable: String(i.path[0] ?? '?'), message: i.message })),
    );
  }
  if (result.success && result.data.NODE_ENV === 'production' && result.data.SANDBOX_ENABLED) {
    problems.push({
      variable: 'SANDBOX_ENABLED',
      message:
        'must not be true with NODE_ENV=production: the sandbox pays without money (unset it, or set false)',
    });
  }
  if (
    result.success &&
    result.data.NODE_ENV === 'production' &&
    result.data.OUTGOING_WEBHOOK_ALLOW_INTERNAL
  ) {
    problems.push({
      variable: 'OUTGOING_WEBHOOK_ALLOW_INTERNAL',
      message:
        "must not be true with NODE_ENV=production: streamers' webhooks could reach the install's own network (unset it, or set false)",
    });
  }
  if (problems.length || !result.success) throw new ConfigError(problems);
  return Object.freeze(result.data);
}

const MUST_NOT_BE_EMPTY = [
  'GATEWAY_DATABASE_URL',
  'DONATION_DATABASE_URL',
  'PAYMENT_DATABASE_URL',
  'REDIS_URL',
];

/** Reads `.env` (when present and not disabled by MEDIASHAR_NO_DOTENV) into the environment. */
function readDotEnv(): void {
  const file = resolve(process.cwd(), '.env');
  if (process.env.MEDIASHAR_NO_DOTENV !== '1' && existsSync(file)) process.loadEnvFile(file);
}

let cached: Config | undefined;

/** The process configuration; on invalid input prints every problem and exits with status 1. */
export function loadConfigOrExit(): Config {
  if (cached) return cached;
  readDotEnv();
  try {
    cached = loadConfig(process.env);
    return cached;
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
}

/** Which payment providers this install has keys for (the sandbox last, when enabled). */
export function enabledProviders(config: Config): ProviderName[] {
  const out: ProviderName[] = [];
  if (config.MIDTRANS_SERVER_KEY) out.push('midtrans');
  if (config.STRIPE_SECRET_KEY && config.STRIPE_WEBHOOK_SECRET) out.push('stripe');
  if (config.PAYPAL_CLIENT_ID && config.PAYPAL_CLIENT_SECRET) out.push('paypal');
  // Last: a donor page never offers the sandbox ahead of a provider that moves money.
  if (config.SANDBOX_ENABLED) out.push('sandbox');
  return out;
}

/** Payment providers MediaShar knows. */
export const PROVIDERS = ['sandbox', 'midtrans', 'stripe', 'paypal'] as const;
export type ProviderName = (typeof PROVIDERS)[number];
