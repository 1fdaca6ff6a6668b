import { Redis, type RedisOptions } from 'ioredis';
import type { Config } from './config.js';

/**
 * Connection for BullMQ workers, QueueEvents and blocking stream reads: never gives up on a
 * command (`maxRetriesPerRequest: null`), as BullMQ requires for blocking connections.
 */
export function createWorkerRedis(config: Config, name: string): Redis {
  return new Redis(config.REDIS_URL, {
    connectionName: `${config.REDIS_PREFIX}:${name}`,
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
  });
}

/**
 * Connection for request paths (HTTP, gRPC, Queue.add): fails fast when Redis is away, so a
 * caller gets an error (503) in bounded time, and nothing is sent after its request ended. The
 * offline queue serves only the first connect (start-up commands wait for Redis); once ready,
 * a command while disconnected fails at once, and commands in flight when the connection drops
 * are failed, not re-sent on reconnect. Reconnects keep being tried (every 50 ms … 1 s), so the
 * client is back as soon as Redis is.
 */
export function createRequestRedis(config: Config, name: string, extra: RedisOptions = {}): Redis {
  const redis = new Redis(config.REDIS_URL, {
    connectionName: `${config.REDIS_PREFIX}:${name}`,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: true,
    autoResendUnfulfilledCommands: false,
    retryStrategy: (attempt) => Math.min(attempt * 50, 1000),
    connectTimeout: 2000,
    commandTimeout: 5000,
    ...extra,
  });
  if (extra.enableOfflineQueue === undefined)
    redis.once('ready', () => {
      redis.options.enableOfflineQueue = false;
    });
  return redis;
}

/**
 * Refuses to run on a Redis that may evict keys: queues and streams must never lose entries.
 * @throws Error with the fix when `maxmemory-policy` is not `noeviction`.
 */
export async function assertNoEviction(redis: Redis): Promise<void> {
  const reply = await redis.config('GET', 'maxmemory-policy');
  const policy = reply[1];
  if (policy !== 'noeviction') {
    throw new Error(
      `Redis maxmemory-policy is "${policy}", but MediaShar needs "noeviction" so that no job or ` +
        `stream entry is ever evicted. Fix: redis-cli CONFIG SET maxmemory-policy noeviction ` +
        `(and set "maxmemory-policy noeviction" in redis.conf).`,
    );
  }
}
