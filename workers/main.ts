/** A worker-pool process: `tsx workers/main.ts <pool>` (donation | checkout | payment-verification | outgoing-webhooks). */
import { loadConfigOrExit } from '../shared/config.js';
import { createLogger } from '../shared/logger.js';
import { assertNoEviction, createRequestRedis } from '../shared/redis.js';
import { onShutdown, runMain } from '../shared/lifecycle.js';
import { initMetrics, startMetricsServer } from '../shared/metrics.js';
import { POOL_NAMES, startPool, type PoolName } from './pools.js';

const config = loadConfigOrExit();
const pool = (process.argv[2] ?? '') as PoolName;
const log = createLogger(`workers-${pool || 'unknown'}`, config.LOG_LEVEL);
initMetrics(`workers-${pool || 'unknown'}`);

runMain(log, async () => {
  if (!POOL_NAMES.includes(pool))
    throw new Error(`Unknown worker pool "${pool}": use one of ${POOL_NAMES.join(', ')}`);
  const probe = createRequestRedis(config, `pool-${pool}-probe`);
  try {
    await assertNoEviction(probe);
  } finally {
    probe.disconnect();
  }
  const running = await startPool(pool, config, log);
  const metrics = startMetricsServer({ host: config.BIND_HOST, port: config.WORKER_METRICS_PORT, log });
  // Stop taking jobs, finish the active ones (BullMQ Worker.close), then close connections.
  onShutdown(log, async () => {
    await running.close();
    log.info('active jobs finished');
    await metrics.close();
  });
});
