/**
 * A worker process: `node dist/workers/main.js <pool>[,<pool>…]` runs one or more worker pools
 * (donation | checkout | payment-verification | outgoing-webhooks | notifications) in one Node
 * process. `npm start` runs every pool in one process (about 130 MiB less per pool than a
 * process each, issue 15); a pool that needs more instances gets its own (ecosystem.config.js).
 */
import { loadConfigOrExit } from '../shared/config.js';
import { createLogger } from '../shared/logger.js';
import { assertNoEviction, createRequestRedis } from '../shared/redis.js';
import { onShutdown, runMain } from '../shared/lifecycle.js';
import { initMetrics, startMetricsServer } from '../shared/metrics.js';
import { POOL_NAMES, startPool, workerProcessName, type PoolName, type RunningPool } from './pools.js';

const config = loadConfigOrExit();
const pools = (process.argv[2] ?? '').split(',').filter(Boolean) as PoolName[];
const name = workerProcessName(pools);
const log = createLogger(name, config.LOG_LEVEL);
initMetrics(name);

runMain(log, async () => {
  const unknown = pools.filter((p) => !POOL_NAMES.includes(p));
  if (!pools.length || unknown.length)
    throw new Error(
      `Unknown worker pool "${unknown.join(',') || process.argv[2] || ''}": use one or more of ${POOL_NAMES.join(', ')}, separated by commas`,
    );
  const probe = createRequestRedis(config, `${name}-probe`);
  try {
    await assertNoEviction(probe);
  } finally {
    probe.disconnect();
  }
  const running: RunningPool[] = [];
  for (const pool of pools) running.push(await startPool(pool, config, log.child({ pool })));
  if (pools.length > 1) log.info({ pools }, 'worker pools started');
  const metrics = startMetricsServer({ host: config.BIND_HOST, port: config.WORKER_METRICS_PORT, log });
  // Stop taking jobs, finish the active ones (BullMQ Worker.close), then close connections.
  onShutdown(log, async () => {
    await Promise.all(running.map((r) => r.close()));
    log.info('active jobs finished');
    await metrics.close();
  });
});
