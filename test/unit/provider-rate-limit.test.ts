import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { Redis } from 'ioredis';
import { Queue, QueueEvents, Worker } from 'bullmq';
import { providerRateLimit } from '../../grpc/payment/provider-rate-limit.js';
import { RateLimitedError } from '../../shared/errors.js';
import { processor } from '../../shared/processor.js';
import { createLogger } from '../../shared/logger.js';
import { deleteRedisPrefix } from '../support/system.js';

describe('per-provider rate limits', () => {
  const prefix = `ms-rl-${randomBytes(4).toString('hex')}`;
  const redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
  after(async () => {
    await deleteRedisPrefix(prefix);
    redis.disconnect();
  });

  it('limits each provider on its own and never the sandbox', async () => {
    const limit = providerRateLimit(redis, prefix, { checkout: 2, status: 5 });
    await limit('midtrans', 'checkout');
    await limit('midtrans', 'checkout');
    try {
      await limit('midtrans', 'checkout');
      expect.fail('third call in the second should be refused');
    } catch (err) {
      expect(err).to.be.instanceOf(RateLimitedError);
      expect((err as RateLimitedError).retryAfterMs).to.be.within(1, 1000);
    }
    await limit('stripe', 'checkout');
    await limit('midtrans', 'status');
    for (let i = 0; i < 50; i++) await limit('sandbox', 'checkout');
  });

  it('delays a rate-limited job without using an attempt, then completes it', async () => {
    const connection = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
    const queue = new Queue('rl-test', { connection, prefix });
    const events = new QueueEvents('rl-test', { connection: connection.duplicate(), prefix });
    await events.waitUntilReady();
    let calls = 0;
    const worker = new Worker(
      'rl-test',
      processor(createLogger('test', 'silent'), () => {
        calls += 1;
        if (calls === 1) return Promise.reject(new RateLimitedError('over the limit', 50));
        return Promise.resolve('done');
      }),
      { connection: connection.duplicate(), prefix },
    );
    const job = await queue.add('x', {}, { attempts: 1 });
    expect(await job.waitUntilFinished(events, 10_000)).to.equal('done');
    expect(calls).to.equal(2);
    await worker.close();
    await events.close();
    await queue.close();
    connection.disconnect();
  });
});
