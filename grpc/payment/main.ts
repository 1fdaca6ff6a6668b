/** payment-service: gRPC mediashar.v1.PaymentService on PAYMENT_GRPC_PORT. */
import { QueueEvents } from 'bullmq';
import { loadConfigOrExit } from '../../shared/config.js';
import { createLogger } from '../../shared/logger.js';
import { createRequestRedis, createWorkerRedis } from '../../shared/redis.js';
import { openDatabase, pendingMigrations } from '../../shared/database.js';
import { SERVICE_NAMES, mediasharPackage, startGrpcServer } from '../../shared/grpc.js';
import { loadGrpcTls } from '../../shared/grpc-tls.js';
import { openQueue, QUEUES } from '../../shared/queues.js';
import { onShutdown, runMain } from '../../shared/lifecycle.js';
import { initMetrics, startMetricsServer } from '../../shared/metrics.js';
import { paymentDatabase } from './payment.db.js';
import { PaymentStore } from './payment.store.js';
import { paymentHandlers } from './payment.grpc.js';
import { WebhookIntake } from './webhook-intake.js';
import { CallerVerifier } from '../../shared/caller-identity.js';
import { createProviders } from './providers/providers.js';

const config = loadConfigOrExit();
const log = createLogger('payment-service', config.LOG_LEVEL);
initMetrics('payment-service');

runMain(log, async () => {
  const orm = await openDatabase(paymentDatabase(config.PAYMENT_DATABASE_URL, config.DATABASE_POOL_MAX));
  const pending = await pendingMigrations(orm);
  if (pending.length)
    throw new Error(`payment_db has pending migrations (${pending.join(', ')}): run npm run db:migrate`);
  const queueRedis = createRequestRedis(config, 'payment-service-queue');
  const checkoutQueue = openQueue('checkout', queueRedis, config.REDIS_PREFIX);
  const verifyQueue = openQueue('payment-verify', queueRedis, config.REDIS_PREFIX);
  const checkoutEvents = new QueueEvents(QUEUES.checkout.name, {
    connection: createWorkerRedis(config, 'payment-service-checkout-events'),
    prefix: config.REDIS_PREFIX,
  });
  await checkoutEvents.waitUntilReady();
  const providers = await createProviders(config);
  const handle = await startGrpcServer({
    serviceName: SERVICE_NAMES.payment,
    host: config.BIND_HOST,
    port: config.PAYMENT_GRPC_PORT,
    tls: loadGrpcTls(config, 'payment-service'),
    log,
    register: (server) =>
      server.addService(
        mediasharPackage().PaymentService.service,
        paymentHandlers({
          store: new PaymentStore(orm),
          providers,
          checkoutQueue,
          checkoutEvents,
          verifyQueue,
          webhooks: new WebhookIntake(orm, verifyQueue),
          checkoutWaitMs: config.CHECKOUT_WAIT_MS,
          callers: new CallerVerifier({ config }),
          log,
        }),
      ),
  });
  const metrics = startMetricsServer({ host: config.BIND_HOST, port: config.PAYMENT_METRICS_PORT, log });
  onShutdown(log, async () => {
    // NOT_SERVING, stop accepting calls, drain in-flight ones (a CreateCheckout may wait for
    // its worker up to CHECKOUT_WAIT_MS); then close what they used.
    await handle.shutdown();
    await metrics.close();
    await checkoutEvents.close();
    await Promise.all([checkoutQueue.close(), verifyQueue.close()]);
    queueRedis.disconnect();
    await orm.close();
  });
});
