/**
 * The `notifications` worker pool: email, browser push, Discord and Telegram for paid and
 * refunded donations (gateway/notifications). A gateway worker: settings, subscriptions and the
 * attempt log live in gateway_db. It reads the donation stream through its own consumer group,
 * so nothing it does can delay the overlay's alerts.
 */
import type { Job } from 'bullmq';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../shared/config.js';
import type { Logger } from '../shared/logger.js';
import { createRequestRedis, createWorkerRedis } from '../shared/redis.js';
import { openQueue, QUEUES, type NotificationJob } from '../shared/queues.js';
import { secretBoxKeys } from '../shared/secret-box.js';
import { gatewayDatabase } from '../gateway/accounts/gateway.db.js';
import type { DatabaseDefinition } from '../shared/database.js';
import { NotificationStore } from '../gateway/notifications/notifications.store.js';
import {
  deliverNotification,
  NotificationFanout,
  scheduleDigests,
} from '../gateway/notifications/notification-delivery.js';
import { notificationDeps } from '../gateway/notifications/notification-deps.js';

/** What workers/pools.ts lends a pool's start code. */
export interface PoolKit {
  start(
    name: 'notifications',
    handle: (data: NotificationJob, job: Job<NotificationJob>) => Promise<unknown>,
  ): void;
  /** Run at close, in order, after the workers stopped. */
  closers: (() => Promise<void> | void)[];
  openCheckedDatabase(def: DatabaseDefinition, label: string): Promise<MikroORM>;
}

/** Starts the pool's stream reader, digest scheduler and worker. */
export async function startNotificationsPool(config: Config, log: Logger, kit: PoolKit): Promise<void> {
  const orm = await kit.openCheckedDatabase(
    gatewayDatabase(config.GATEWAY_DATABASE_URL, config.DATABASE_POOL_MAX),
    'gateway_db',
  );
  const store = new NotificationStore(orm, secretBoxKeys(config));
  const deps = notificationDeps(config, store, log);
  const redis = createRequestRedis(config, 'pool-notifications');
  const blocking = createWorkerRedis(config, 'pool-notifications-stream-reader');
  const queue = openQueue('notifications', redis, config.REDIS_PREFIX);
  const retry = { attempts: config.NOTIFICATION_ATTEMPTS, backoffMs: config.NOTIFICATION_BACKOFF_MS };
  const fanout = new NotificationFanout(redis, blocking, config.REDIS_PREFIX, store, queue, log, {
    ...retry,
    mail: Boolean(deps.mailer),
    push: Boolean(deps.vapid),
  });
  if (deps.mailer)
    await queue.upsertJobScheduler(
      QUEUES.notifications.jobs.digest,
      { every: config.NOTIFICATION_DIGEST_INTERVAL_MS },
      {
        name: QUEUES.notifications.jobs.digest,
        data: { channel: 'email-digest', streamerId: '', target: '', eventKey: 'digest-run' },
      },
    );
  kit.start('notifications', (data, job) =>
    job.name === QUEUES.notifications.jobs.digest
      ? scheduleDigests(store, queue, { intervalMs: config.NOTIFICATION_DIGEST_INTERVAL_MS, ...retry })
      : deliverNotification(deps, job.id!, data, job.attemptsMade + 1),
  );
  fanout.start();
  log.info({ mail: Boolean(deps.mailer), push: Boolean(deps.vapid) }, 'notification channels');
  kit.closers.push(
    () => fanout.stop(),
    () => queue.close(),
    () => deps.mailer?.close(),
    () => redis.disconnect(),
    () => blocking.disconnect(),
    () => orm.close(),
  );
}
