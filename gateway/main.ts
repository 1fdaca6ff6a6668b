/** gateway: Koa REST API, webhooks, pages and Bull Board on GATEWAY_PORT. */
import { createServer } from 'node:http';
import pg from 'pg';
import { loadConfigOrExit } from '../shared/config.js';
import { createLogger } from '../shared/logger.js';
import { createRequestRedis } from '../shared/redis.js';
import { openDatabase, pendingMigrations } from '../shared/database.js';
import { createClients } from '../shared/grpc.js';
import { loadGrpcTls } from '../shared/grpc-tls.js';
import { createApis } from '../shared/grpc-api.js';
import { ALL_QUEUE_NAMES, openQueue } from '../shared/queues.js';
import { onShutdown, runMain } from '../shared/lifecycle.js';
import { collectQueueDepth, initMetrics } from '../shared/metrics.js';
import { gatewayDatabase } from './accounts/gateway.db.js';
import { AccountsStore } from './accounts/accounts.store.js';
import { SessionStore } from './accounts/sessions.store.js';
import { FolderBlobStore, PostgresBlobStore, UploadStore } from './uploads/upload.store.js';
import { AdminStore } from './admin/admin.store.js';
import { OutgoingWebhookStore } from './outgoing-webhooks/outgoing-webhooks.store.js';
import { NotificationStore } from './notifications/notifications.store.js';
import { createGatewayApp } from './app.js';
import { overlayTokensReconcilePass } from './accounts/overlay-tokens.reconciler.js';
import { startReconciler } from '../shared/reconcile.js';
import { secretBoxKeys } from '../shared/secret-box.js';
import { MediaMetadataClient } from '../shared/media-metadata.js';

const config = loadConfigOrExit();
const log = createLogger('gateway', config.LOG_LEVEL);
initMetrics('gateway');

/** A SELECT 1 probe on a database URL (one connection, short timeouts). */
function databaseProbe(url: string) {
  const pool = new pg.Pool({
    connectionString: url,
    max: 1,
    connectionTimeoutMillis: 1000,
    idleTimeoutMillis: 10_000,
    statement_timeout: 1000,
  });
  pool.on('error', () => undefined);
  return {
    probe: async () => {
      await pool.query('select 1');
    },
    close: () => pool.end(),
  };
}

runMain(log, async () => {
  const orm = await openDatabase(gatewayDatabase(config.GATEWAY_DATABASE_URL, config.DATABASE_POOL_MAX));
  const pending = await pendingMigrations(orm);
  if (pending.length)
    throw new Error(`gateway_db has pending migrations (${pending.join(', ')}): run npm run db:migrate`);
  const redis = createRequestRedis(config, 'gateway');
  const accounts = new AccountsStore(orm, redis, config.REDIS_PREFIX, secretBoxKeys(config));
  const seeded = await accounts.seedOverlayTokens();
  log.info({ seeded }, 'overlay tokens mirrored to Redis');
  // Mirrors them again whenever Redis lost its data (FLUSHALL, a new empty server).
  const reconciler = startReconciler({
    name: 'gateway',
    intervalMs: config.RECONCILE_INTERVAL_MS,
    log,
    pass: overlayTokensReconcilePass(accounts, redis, config.REDIS_PREFIX),
  });
  const queues = ALL_QUEUE_NAMES.map((name) => openQueue(name, redis, config.REDIS_PREFIX));
  // Queue depth of every queue is read here, in one place, so sums over processes don't double.
  collectQueueDepth(queues);
  const probes = {
    gateway_db: databaseProbe(config.GATEWAY_DATABASE_URL),
    donation_db: databaseProbe(config.DONATION_DATABASE_URL),
    payment_db: databaseProbe(config.PAYMENT_DATABASE_URL),
  };
  const clients = createClients(
    {
      donation: config.DONATION_SERVICE_ADDR,
      payment: config.PAYMENT_SERVICE_ADDR,
      notification: config.NOTIFICATION_SERVICE_ADDR,
    },
    loadGrpcTls(config, 'gateway'),
  );
  const app = await createGatewayApp({
    config,
    log,
    accounts,
    sessions: new SessionStore(orm, config.JWT_SECRET, config.REFRESH_TOKEN_TTL_S),
    admin: new AdminStore(orm),
    outgoingWebhooks: new OutgoingWebhookStore(orm, secretBoxKeys(config)),
    notifications: new NotificationStore(orm, secretBoxKeys(config)),
    uploads: new UploadStore(
      orm,
      config.UPLOAD_DIR ? new FolderBlobStore(config.UPLOAD_DIR) : new PostgresBlobStore(orm),
    ),
    api: createApis(clients, config.GRPC_DEADLINE_MS),
    redis,
    mediaMetadata: new MediaMetadataClient({
      youtubeOEmbedUrl: config.MEDIA_OEMBED_YOUTUBE_URL,
      tiktokOEmbedUrl: config.MEDIA_OEMBED_TIKTOK_URL,
      youtubeApiUrl: config.YOUTUBE_API_URL,
      youtubeApiKey: config.YOUTUBE_API_KEY,
      timeoutMs: config.MEDIA_METADATA_TIMEOUT_MS,
      ttlS: config.MEDIA_METADATA_CACHE_TTL_S,
      cache: redis,
      prefix: config.REDIS_PREFIX,
    }),
    queues,
    databaseProbes: Object.fromEntries(Object.entries(probes).map(([k, v]) => [k, v.probe])),
  });
  const callback = app.callback();
  let draining = false;
  // While draining, every answer closes its connection, so keep-alive clients reconnect to
  // the instance that replaces this one instead of sending to a closing socket.
  const server = createServer((req, res) => {
    if (draining) res.setHeader('Connection', 'close');
    void callback(req, res);
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.GATEWAY_PORT, config.BIND_HOST, resolve);
  });
  log.info({ port: config.GATEWAY_PORT, url: config.PUBLIC_URL }, 'gateway listening');
  onShutdown(log, async () => {
    // Stop accepting, finish in-flight requests (server.close waits for them), then close.
    draining = true;
    await new Promise<void>((resolve) => {
      // Keep-alive connections that turn idle after this point are closed as they do; a client
      // that still holds one after 10 s is cut off, so the drain stays inside pm2's kill_timeout.
      const sweep = setInterval(() => server.closeIdleConnections(), 100);
      const force = setTimeout(() => server.closeAllConnections(), 10_000);
      server.close(() => {
        clearInterval(sweep);
        clearTimeout(force);
        resolve();
      });
      server.closeIdleConnections();
    });
    log.info('in-flight requests drained');
    for (const c of Object.values(clients)) c.close();
    await Promise.all(queues.map((q) => q.close()));
    await Promise.all(Object.values(probes).map((p) => p.close()));
    await reconciler.stop();
    redis.disconnect();
    await orm.close();
  });
});
