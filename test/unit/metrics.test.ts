/**
 * shared/metrics.ts: scrape-time collectors (stream lag from XINFO GROUPS on a real Redis, queue
 * depth), a failing or hanging collector never breaks a scrape, and a metrics server whose port
 * is still held by the process it replaces starts serving once the port is free.
 */
import { createServer } from 'node:http';
import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { Redis } from 'ioredis';
import {
  addCollector,
  collectQueueDepth,
  initMetrics,
  collectStreamLag,
  metricsText,
  startMetricsServer,
} from '../../shared/metrics.js';
import { createLogger } from '../../shared/logger.js';
import { freePort, waitFor } from '../support/system.js';
import { sample } from '../support/prometheus.js';

describe('shared/metrics', function () {
  this.timeout(20_000);
  const log = createLogger('test', 'silent');
  const redis = new Redis('redis://127.0.0.1:6379');
  const stream = `ms-unit-${randomBytes(4).toString('hex')}:stream`;

  before(() => initMetrics('unit-test'));

  after(async () => {
    await redis.unlink(stream);
    redis.disconnect();
  });

  it('reports lag and pending of each consumer group of a stream', async () => {
    await redis.xgroup('CREATE', stream, 'g1', '0', 'MKSTREAM');
    for (let i = 0; i < 3; i++) await redis.xadd(stream, '*', 'n', String(i));
    // One entry delivered and not acknowledged: lag 2 (never delivered), pending 1.
    await redis.xreadgroup('GROUP', 'g1', 'c1', 'COUNT', 1, 'STREAMS', stream, '>');
    collectStreamLag(redis, stream);
    const { body } = await metricsText();
    expect(sample(body, 'mediashar_stream_group_entries', { stream, group: 'g1', kind: 'lag' })).to.equal(2);
    expect(sample(body, 'mediashar_stream_group_entries', { stream, group: 'g1', kind: 'pending' })).to.equal(
      1,
    );
  });

  it('reports the job counts of each queue by state', async () => {
    collectQueueDepth([
      {
        name: 'unit-queue',
        getJobCounts: () => Promise.resolve({ waiting: 4, active: 1, delayed: 0, prioritized: 0, failed: 2 }),
      },
    ]);
    const { body } = await metricsText();
    expect(sample(body, 'mediashar_queue_jobs', { queue: 'unit-queue', state: 'waiting' })).to.equal(4);
    expect(sample(body, 'mediashar_queue_jobs', { queue: 'unit-queue', state: 'failed' })).to.equal(2);
  });

  it('still answers a scrape when a collector throws or never settles', async () => {
    addCollector(() => Promise.reject(new Error('redis away')));
    addCollector(() => new Promise<void>(() => undefined));
    const { body } = await metricsText();
    expect(sample(body, 'mediashar_queue_jobs', { queue: 'unit-queue', state: 'waiting' })).to.equal(4);
  });

  it('serves /metrics once a port held by a draining predecessor is released', async () => {
    const port = await freePort();
    const holder = createServer((_req, res) => res.writeHead(503).end());
    await new Promise<void>((resolve) => holder.listen(port, '127.0.0.1', resolve));
    const server = startMetricsServer({ host: '127.0.0.1', port, log });
    try {
      const first = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(first.status, 'the predecessor still answers').to.equal(503);
      holder.closeAllConnections();
      await new Promise<void>((resolve) => holder.close(() => resolve()));
      const res = await waitFor(
        async () => {
          const r = await fetch(`http://127.0.0.1:${port}/metrics`);
          return r.status === 200 ? r : null;
        },
        10_000,
        'the metrics server to take the port',
      );
      expect(await res.text()).to.include('mediashar_process_cpu_seconds_total');
    } finally {
      await server.close();
    }
  });
});
