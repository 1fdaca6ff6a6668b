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
 * caller gets an error in bounded time instead of a hang.
 */
export function createRequestRedis(config: Config, name: string, extra: RedisOptions = {}): Redis {
  return new Redis(config.REDIS_URL, {
    connectionName: `${config.REDIS_PREFIX}:${name}`,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: true,
    connectTimeout: 2000,
    commandTimeout: 5000,
    ...extra,
  });
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
