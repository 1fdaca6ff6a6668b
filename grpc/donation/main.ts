/** donation-service: gRPC mediashar.v1.DonationService on DONATION_GRPC_PORT. */
import { loadConfigOrExit } from '../../shared/config.js';
import { createLogger } from '../../shared/logger.js';
import { createRequestRedis, createWorkerRedis } from '../../shared/redis.js';
import { openDatabase, pendingMigrations } from '../../shared/database.js';
import { SERVICE_NAMES, mediasharPackage, startGrpcServer } from '../../shared/grpc.js';
import { loadGrpcTls } from '../../shared/grpc-tls.js';
import { onShutdown, runMain } from '../../shared/lifecycle.js';
import { initMetrics, startMetricsServer } from '../../shared/metrics.js';
import { donationDatabase } from './donation.db.js';
import { DonationStore } from './donation.store.js';
import { CallerVerifier } from '../../shared/caller-identity.js';
import { KEYS, openQueue } from '../../shared/queues.js';
import { donationHandlers } from './donation.grpc.js';
import { mediaShareHandlers } from './media-share.grpc.js';
import { MediaShareStore } from './media-share.store.js';
import { checkoutHandoff } from './checkout-handoff.js';

const config = loadConfigOrExit();
const log = createLogger('donation-service', config.LOG_LEVEL);
initMetrics('donation-service');

runMain(log, async () => {
  const orm = await openDatabase(donationDatabase(config.DONATION_DATABASE_URL, config.DATABASE_POOL_MAX));
  const pending = await pendingMigrations(orm);
  if (pending.length)
    throw new Error(`donation_db has pending migrations (${pending.join(', ')}): run npm run db:migrate`);
  const redis = createRequestRedis(config, 'donation-service');
  const limits = { globalMaxLen: config.EVENT_STREAM_MAXLEN, historyMaxLen: config.STREAMER_HISTORY_MAXLEN };
  // A donation's checkout is queued with the group commit that writes its row.
  const checkoutQueue = openQueue('checkout', redis, config.REDIS_PREFIX);
  const store = new DonationStore(
    orm,
    redis,
    config.REDIS_PREFIX,
    limits,
    log,
    checkoutHandoff(checkoutQueue, log),
  );
  const mediaCommands = openQueue('media-share-commands', redis, config.REDIS_PREFIX);
  // Widgets read stats and paid donations with their overlay token (its hash in Redis).
  const callers = new CallerVerifier({
    config,
    overlayStreamer: (hash) => redis.get(KEYS.overlayToken(config.REDIS_PREFIX, hash)),
  });
  const handle = await startGrpcServer({
    serviceName: SERVICE_NAMES.donation,
    host: config.BIND_HOST,
    port: config.DONATION_GRPC_PORT,
    tls: loadGrpcTls(config, 'donation-service'),
    log,
    register: (server) =>
      server.addService(mediasharPackage().DonationService.service, {
        ...donationHandlers({
          store,
          redis,
          blockingRedis: () => createWorkerRedis(config, 'donation-service-stream'),
          prefix: config.REDIS_PREFIX,
          callers,
          log,
        }),
        ...mediaShareHandlers({
          store: new MediaShareStore(orm, redis, config.REDIS_PREFIX, limits, log),
          commands: mediaCommands,
          callers,
          log,
        }),
      }),
  });
  const metrics = startMetricsServer({ host: config.BIND_HOST, port: config.DONATION_METRICS_PORT, log });
  onShutdown(log, async () => {
    // NOT_SERVING, stop accepting calls, drain in-flight ones; then close what they used.
    await handle.shutdown();
    await metrics.close();
    await Promise.all([mediaCommands.close(), checkoutQueue.close()]);
    redis.disconnect();
    await orm.close();
  });
});
