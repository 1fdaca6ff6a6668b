/**
 * Worker pools: which queues each pool consumes and what it connects to. A worker process runs
 * one or more pools (see workers/main.ts and ecosystem.config.js), one BullMQ Worker per queue. What
 * only one pool uses (gRPC clients, gateway_db, mail and push) is imported by that pool when it
 * starts, so the other pools' processes do not hold it in memory (issue 15).
 */
import { Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../shared/config.js';
import type { Logger } from '../shared/logger.js';
import { createRequestRedis, createWorkerRedis } from '../shared/redis.js';
import { openDatabase, pendingMigrations, type DatabaseDefinition } from '../shared/database.js';
import { openQueue, QUEUES, STREAMS, type QueueName, type QueuePayloads } from '../shared/queues.js';
import { processor } from '../shared/processor.js';
import { donationsTotal } from '../shared/metrics.js';
import { donationDatabase } from '../grpc/donation/donation.db.js';
import { DonationStore } from '../grpc/donation/donation.store.js';
import { DonationStatusBatcher } from '../grpc/donation/donation-status-batcher.js';
import { paymentDatabase } from '../grpc/payment/payment.db.js';
import { PaymentStore } from '../grpc/payment/payment.store.js';
import { createCheckout, type PaymentFlowDeps } from '../grpc/payment/payment.flows.js';
import { VerifyBatcher } from '../grpc/payment/verify-batcher.js';
import { createProviders } from '../grpc/payment/providers/providers.js';
import { providerRateLimit } from '../grpc/payment/provider-rate-limit.js';
import { sweepPendingPayments } from '../grpc/payment/payment-sweep.js';
import { donationReconcilePass } from '../grpc/donation/donation.reconciler.js';
import { OverlayAckStore } from '../grpc/donation/overlay-acks.store.js';
import { MediaShareStore } from '../grpc/donation/media-share.store.js';
import { runMediaShareCommand } from '../grpc/donation/media-share.processor.js';
import { StreamGroupReader } from '../shared/stream-group-reader.js';
import { parseAck } from '../shared/overlay-acks.js';
import { paymentReconcilePass } from '../grpc/payment/payment.reconciler.js';
import { startReconciler } from '../shared/reconcile.js';

export const POOL_NAMES = [
  'donation',
  'checkout',
  'payment-verification',
  'outgoing-webhooks',
  'notifications',
] as const;
export type PoolName = (typeof POOL_NAMES)[number];

/**
 * The process name of a worker process running `pools` (its logs' and metrics' `service`, and
 * its pm2 app): `workers-<pool>` for one pool, `workers` for all of them, else the pools joined
 * with `+`.
 */
export function workerProcessName(pools: readonly string[]): string {
  if (pools.length === 1) return `workers-${pools[0]}`;
  if (pools.length === POOL_NAMES.length && POOL_NAMES.every((p) => pools.includes(p))) return 'workers';
  return `workers-${pools.join('+') || 'unknown'}`;
}

/** A running pool; `close()` stops taking jobs, finishes current ones, then closes connections. */
export interface RunningPool {
  workers: Worker[];
  close(): Promise<void>;
}

type Handler<N extends QueueName> = (data: QueuePayloads[N], job: Job<QueuePayloads[N]>) => Promise<unknown>;

async function openCheckedDatabase(def: DatabaseDefinition, label: string): Promise<MikroORM> {
  const orm = await openDatabase(def);
  const pending = await pendingMigrations(orm);
  if (pending.length)
    throw new Error(`${label} has pending migrations (${pending.join(', ')}): run npm run db:migrate`);
  return orm;
}

/** Starts the workers of one pool. */
export async function startPool(pool: PoolName, config: Config, log: Logger): Promise<RunningPool> {
  const closers: (() => Promise<void> | void)[] = [];
  const workers: Worker[] = [];
  const start = <N extends QueueName>(
    name: N,
    handle: Handler<N>,
    extra: { limiter?: { max: number; duration: number }; concurrency?: number } = {},
  ): void => {
    const worker = new Worker<QueuePayloads[N]>(name, processor(log, handle), {
      connection: createWorkerRedis(config, `worker-${name}`),
      prefix: config.REDIS_PREFIX,
      concurrency: config.WORKER_CONCURRENCY,
      // A job whose worker died (SIGKILL) is picked up again after the lock expires.
      lockDuration: config.WORKER_LOCK_DURATION_MS,
      stalledInterval: config.WORKER_LOCK_DURATION_MS,
      maxStalledCount: 5,
      ...extra,
    });
    worker.on('error', (err) => log.error({ err, queue: name }, 'worker error'));
    workers.push(worker);
  };
  const payments = async (): Promise<PaymentFlowDeps> => {
    const orm = await openCheckedDatabase(
      paymentDatabase(config.PAYMENT_DATABASE_URL, config.DATABASE_POOL_MAX),
      'payment_db',
    );
    const queueRedis = createRequestRedis(config, `pool-${pool}-queue`);
    const donationStatusQueue = openQueue('donation-status', queueRedis, config.REDIS_PREFIX);
    closers.push(
      () => donationStatusQueue.close(),
      () => queueRedis.disconnect(),
      () => orm.close(),
    );
    return {
      rateLimit: providerRateLimit(queueRedis, config.REDIS_PREFIX, {
        checkout: config.CHECKOUT_RATE_LIMIT_PER_S,
        status: config.STATUS_CHECK_RATE_LIMIT_PER_S,
      }),
      store: new PaymentStore(orm),
      providers: await createProviders(config),
      donationStatusQueue,
      checkoutTtlS: config.CHECKOUT_TTL_S,
      log,
    };
  };

  switch (pool) {
    case 'donation': {
      const orm = await openCheckedDatabase(
        donationDatabase(config.DONATION_DATABASE_URL, config.DATABASE_POOL_MAX),
        'donation_db',
      );
      const redis: Redis = createRequestRedis(config, 'pool-donation');
      closers.push(
        () => redis.disconnect(),
        () => orm.close(),
      );
      const limits = {
        globalMaxLen: config.EVENT_STREAM_MAXLEN,
        historyMaxLen: config.STREAMER_HISTORY_MAXLEN,
      };
      const store = new DonationStore(orm, redis, config.REDIS_PREFIX, limits, log);
      // DonationService writes donations itself before answering; this drains create jobs
      // queued by earlier versions (idempotent: the database's unique keys decide).
      start('donation-commands', async (data) => {
        const outcome = await store.create(data);
        if (outcome.created) donationsTotal.inc({ status: 'pending', provider: data.provider });
        log.debug(
          { donationId: outcome.donationId, requestId: data.requestId, created: outcome.created },
          outcome.created ? 'donation written' : 'donation already written',
        );
      });
      // The status jobs running at once share one UPDATE, one publish and one mark (issue 15).
      const statuses = new DonationStatusBatcher(orm, redis, config.REDIS_PREFIX, limits, log, store);
      start('donation-status', (data) => statuses.apply(data));
      // The streamer's media-share commands, one at a time per process: a pause and the resume
      // right after it must not apply in the other order (each is a cheap single UPDATE).
      const media = new MediaShareStore(orm, redis, config.REDIS_PREFIX, limits, log);
      start('media-share-commands', (data) => runMediaShareCommand(media, data), { concurrency: 1 });
      // Clips that played past their time (a dead player) are finished; clips whose creation
      // event was lost are announced.
      const mediaReconciler = startReconciler({
        name: 'media-share',
        intervalMs: config.RECONCILE_INTERVAL_MS,
        log,
        pass: async () => ({
          clipsExpired: await media.finishExpired(),
          clipsAnnounced: await media.announceUnannounced(),
        }),
      });
      closers.unshift(() => mediaReconciler.stop());
      // Overlays' acks of shown alerts: copied from their stream into donation_db, in batches.
      const acks = new OverlayAckStore(orm);
      const ackBlocking = createWorkerRedis(config, 'pool-donation-overlay-acks');
      const ackReader = new StreamGroupReader(
        redis,
        ackBlocking,
        STREAMS.overlayAcks(config.REDIS_PREFIX),
        STREAMS.overlayAcksGroup,
        async (entries) => {
          const parsed = entries.map(([, fields]) => parseAck(fields)).filter((a) => a !== null);
          await acks.write(parsed);
          // In donation_db now: the stream holds only acks in flight.
          await redis.xdel(STREAMS.overlayAcks(config.REDIS_PREFIX), ...entries.map(([id]) => id));
        },
        log,
        { batch: 500 },
      );
      ackReader.start();
      closers.unshift(
        () => ackReader.stop(),
        () => ackBlocking.disconnect(),
      );
      const reconciler = startReconciler({
        name: 'donation',
        intervalMs: config.RECONCILE_INTERVAL_MS,
        log,
        pass: donationReconcilePass(
          store,
          redis,
          config.REDIS_PREFIX,
          config.RECONCILE_REPUBLISH_WINDOW_S * 1000,
          acks,
        ),
      });
      closers.unshift(() => reconciler.stop());
      break;
    }
    case 'checkout': {
      // Loaded by the pool that uses them (gRPC clients for the row check of a re-queued job).
      const [{ createClients }, { loadGrpcTls }, { createApis }, { awaitDonationRow }] = await Promise.all([
        import('../shared/grpc.js'),
        import('../shared/grpc-tls.js'),
        import('../shared/grpc-api.js'),
        import('./await-donation.js'),
      ]);
      const deps = await payments();
      const clients = createClients(
        {
          donation: config.DONATION_SERVICE_ADDR,
          payment: config.PAYMENT_SERVICE_ADDR,
          notification: config.NOTIFICATION_SERVICE_ADDR,
        },
        loadGrpcTls(config, 'workers'),
      );
      closers.push(() => Object.values(clients).forEach((c) => c.close()));
      deps.awaitDonation = awaitDonationRow(createApis(clients, config.GRPC_DEADLINE_MS).donation);
      // Provider API calls are rate-limited per provider inside the flow (sandbox: never).
      start('checkout', (data) => createCheckout(deps, data));
      break;
    }
    case 'payment-verification': {
      const deps = await payments();
      // Status API calls are rate-limited per provider inside the flow (sandbox: never); the
      // jobs running at once share their lookups, commits and addBulks (issue 15).
      const verifier = new VerifyBatcher(deps);
      start('payment-verify', (data) => verifier.verify(data));
      // The sweeper: one repeatable job per install re-checks payments stuck pending.
      const sweepRedis = createRequestRedis(config, 'pool-payment-sweep');
      const sweepQueue = openQueue('payment-sweep', sweepRedis, config.REDIS_PREFIX);
      const sweepVerifyQueue = openQueue('payment-verify', sweepRedis, config.REDIS_PREFIX);
      closers.unshift(
        () => sweepQueue.close(),
        () => sweepVerifyQueue.close(),
        () => sweepRedis.disconnect(),
      );
      const scheduleSweep = () =>
        sweepQueue.upsertJobScheduler(
          QUEUES.paymentSweep.jobs.sweep,
          { every: config.PAYMENT_SWEEP_INTERVAL_MS },
          { name: QUEUES.paymentSweep.jobs.sweep, data: { requestId: 'sweeper' } },
        );
      await scheduleSweep();
      start('payment-sweep', (data) =>
        sweepPendingPayments(
          { store: deps.store, verifyQueue: sweepVerifyQueue, log },
          { afterS: config.PAYMENT_SWEEP_AFTER_S, expireGraceS: config.PAYMENT_EXPIRE_GRACE_S },
          data,
        ),
      );
      const reconcileRedis = createRequestRedis(config, 'pool-payment-reconcile');
      const verifyQueue = openQueue('payment-verify', reconcileRedis, config.REDIS_PREFIX);
      const reconciler = startReconciler({
        name: 'payment',
        intervalMs: config.RECONCILE_INTERVAL_MS,
        log,
        pass: paymentReconcilePass(deps, verifyQueue, reconcileRedis, config.REDIS_PREFIX, {
          rebuildWindowMs: config.RECONCILE_REBUILD_WINDOW_S * 1000,
          // The sweeper's job scheduler lived only in Redis.
          onDataLost: scheduleSweep,
        }),
      });
      closers.unshift(
        () => reconciler.stop(),
        () => verifyQueue.close(),
        () => reconcileRedis.disconnect(),
      );
      break;
    }
    case 'outgoing-webhooks': {
      const [
        { gatewayDatabase },
        { OutgoingWebhookStore },
        { deliverWebhook, WebhookFanout },
        { secretBoxKeys },
      ] = await Promise.all([
        import('../gateway/accounts/gateway.db.js'),
        import('../gateway/outgoing-webhooks/outgoing-webhooks.store.js'),
        import('../gateway/outgoing-webhooks/outgoing-webhook-delivery.js'),
        import('../shared/secret-box.js'),
      ]);
      // A gateway worker: streamers' endpoints and the delivery log live in gateway_db.
      const orm = await openCheckedDatabase(
        gatewayDatabase(config.GATEWAY_DATABASE_URL, config.DATABASE_POOL_MAX),
        'gateway_db',
      );
      const store = new OutgoingWebhookStore(orm, secretBoxKeys(config));
      const redis = createRequestRedis(config, 'pool-outgoing-webhooks');
      const blocking = createWorkerRedis(config, 'pool-outgoing-webhooks-stream-reader');
      const queue = openQueue('outgoing-webhooks', redis, config.REDIS_PREFIX);
      const subscriber = createWorkerRedis(config, 'pool-outgoing-webhooks-endpoint-changes');
      const fanout = new WebhookFanout(redis, blocking, config.REDIS_PREFIX, store, queue, log, {
        attempts: config.OUTGOING_WEBHOOK_ATTEMPTS,
        backoffMs: config.OUTGOING_WEBHOOK_BACKOFF_MS,
        subscriber,
      });
      start('outgoing-webhooks', (data, job) =>
        deliverWebhook(
          {
            store,
            timeoutMs: config.OUTGOING_WEBHOOK_TIMEOUT_MS,
            allowInternal: config.OUTGOING_WEBHOOK_ALLOW_INTERNAL,
            log,
          },
          job.id!,
          data,
          job.attemptsMade + 1,
        ),
      );
      fanout.start();
      closers.push(
        () => fanout.stop(),
        () => queue.close(),
        () => redis.disconnect(),
        () => blocking.disconnect(),
        () => subscriber.disconnect(),
        () => orm.close(),
      );
      break;
    }
    case 'notifications': {
      // Email, browser push, Discord and Telegram (workers/notifications-pool.ts): nodemailer and
      // web-push are loaded only by this pool.
      const { startNotificationsPool } = await import('./notifications-pool.js');
      await startNotificationsPool(config, log, { start, closers, openCheckedDatabase });
      break;
    }
  }
  log.info(
    { pool, queues: workers.map((w) => w.name), concurrency: config.WORKER_CONCURRENCY },
    'worker pool started',
  );
  let closing: Promise<void> | undefined;
  return {
    workers,
    close() {
      closing ??= (async () => {
        await Promise.all(workers.map((w) => w.close()));
        for (const c of closers) await c();
      })();
      return closing;
    },
  };
}
