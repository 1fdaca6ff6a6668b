/**
 * notification-service: gRPC mediashar.v1.NotificationService on NOTIFICATION_GRPC_PORT and the
 * Socket.IO server on REALTIME_PORT, fed by the donation event stream.
 */
import { loadConfigOrExit } from '../../shared/config.js';
import { createLogger } from '../../shared/logger.js';
import { assertNoEviction, createWorkerRedis } from '../../shared/redis.js';
import { SERVICE_NAMES, mediasharPackage, startGrpcServer } from '../../shared/grpc.js';
import { loadGrpcTls } from '../../shared/grpc-tls.js';
import { onShutdown, runMain } from '../../shared/lifecycle.js';
import { STREAMS } from '../../shared/queues.js';
import { streamTailId } from '../../shared/stream-tail-reader.js';
import {
  addCollector,
  collectReaderLag,
  collectStreamLag,
  connectedSockets,
  initMetrics,
  startMetricsServer,
} from '../../shared/metrics.js';
import { startRealtimeServer } from './realtime.server.js';
import { AlertFanout } from './alert-fanout.js';
import { CallerVerifier } from '../../shared/caller-identity.js';
import { notificationHandlers } from './notification.grpc.js';

const config = loadConfigOrExit();
const log = createLogger('notification-service', config.LOG_LEVEL);
initMetrics('notification-service');

runMain(log, async () => {
  const redis = createWorkerRedis(config, 'notification');
  await assertNoEviction(redis);
  const blocking = createWorkerRedis(config, 'notification-stream-reader');
  // The adapter publishes and re-subscribes on its own, with no request to fail fast for: its
  // clients keep retrying (a fail-fast client left unhandled rejections and a dead subscription).
  const pubClient = createWorkerRedis(config, 'notification-adapter-pub');
  const subClient = pubClient.duplicate({
    connectionName: `${config.REDIS_PREFIX}:notification-adapter-sub`,
  });
  // Where this node starts reading the donation stream, taken before it accepts sockets: an
  // overlay that connects later gets older alerts by replay and newer ones from the reader.
  const startId = await streamTailId(redis, STREAMS.donationEvents(config.REDIS_PREFIX));
  const realtime = await startRealtimeServer({ config, redis, pubClient, subClient, log });
  const fanout = new AlertFanout(
    blocking,
    config.REDIS_PREFIX,
    startId,
    realtime.overlay,
    realtime.dashboard,
    log,
  );
  fanout.start();
  const handle = await startGrpcServer({
    serviceName: SERVICE_NAMES.notification,
    host: config.BIND_HOST,
    port: config.NOTIFICATION_GRPC_PORT,
    tls: loadGrpcTls(config, 'notification-service'),
    log,
    register: (server) =>
      server.addService(
        mediasharPackage().NotificationService.service,
        notificationHandlers({
          realtime,
          redis,
          blockingRedis: () => createWorkerRedis(config, 'notification-subscriber'),
          prefix: config.REDIS_PREFIX,
          limits: {
            globalMaxLen: config.EVENT_STREAM_MAXLEN,
            historyMaxLen: config.STREAMER_HISTORY_MAXLEN,
          },
          callers: new CallerVerifier({ config }),
          log,
        }),
      ),
  });
  // The other readers' groups (outgoing-webhooks), and this node's own position as 'notification'.
  collectStreamLag(redis, STREAMS.donationEvents(config.REDIS_PREFIX));
  collectReaderLag(redis, STREAMS.donationEvents(config.REDIS_PREFIX), 'notification', () => fanout.lastId);
  addCollector(() => {
    for (const ns of ['/overlay', '/dashboard'])
      connectedSockets.set({ namespace: ns }, realtime.io.of(ns).sockets.size);
    return Promise.resolve();
  });
  const metrics = startMetricsServer({
    host: config.BIND_HOST,
    port: config.NOTIFICATION_METRICS_PORT,
    log,
  });
  onShutdown(log, async () => {
    // NOT_SERVING and drain gRPC calls; stop reading the stream and finish (emit + ack) the
    // batch in hand, so nothing read is left pending; then close sockets and connections.
    await handle.shutdown(5000);
    await fanout.stop();
    log.info('stream reading stopped, batch in hand emitted');
    await realtime.close();
    await metrics.close();
    for (const c of [redis, blocking, pubClient, subClient]) c.disconnect();
  });
});
