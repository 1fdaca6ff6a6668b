/**
 * pm2 processes of MediaShar. `npm start` runs them in the foreground with pm2-runtime.
 * Every process runs compiled JavaScript from dist/ (`npm run build`, which `npm start` runs when
 * the sources changed) with plain node: no TypeScript loader in production (issue 15).
 *
 * kill_timeout (ms) is longer than the longest drain: a process gets SIGINT, stops taking work,
 * finishes in-flight requests, jobs and stream entries (at most 25 s, see shared/lifecycle.ts),
 * and only then would pm2 send SIGKILL.
 */
export const KILL_TIMEOUT_MS = 30_000;

const common = {
  interpreter: 'node',
  kill_timeout: KILL_TIMEOUT_MS,
  max_restarts: 50,
  exp_backoff_restart_delay: 200,
  merge_logs: true,
  time: false,
};

/**
 * Metrics ports (GET /metrics, scraped by Prometheus, see prometheus.yml): the gateway serves
 * /metrics on GATEWAY_PORT (8080); donation-service, payment-service and notification-service
 * on DONATION_METRICS_PORT (9101), PAYMENT_METRICS_PORT (9102) and NOTIFICATION_METRICS_PORT
 * (9103) from .env; worker pools from this base, 10 ports per pool (at most 10 instances).
 */
// pm2 reads this file with the caller's environment; WORKER_METRICS_PORT there moves the base,
// and 0 turns the worker metrics servers off (tests that run pm2 on a shared machine).
export const WORKER_METRICS_PORT_BASE = Number(process.env.WORKER_METRICS_PORT || 9110);

/** Worker pools and how many processes each runs when each pool has its own processes. */
export const WORKER_POOLS = {
  donation: 1,
  checkout: 1,
  'payment-verification': 1,
  // Reads the donation stream through its own consumer group and POSTs to streamers' endpoints.
  'outgoing-webhooks': 1,
  // Email, browser push, Discord and Telegram, through its own consumer group on the same stream.
  notifications: 1,
};

/**
 * The worker processes. `shared` (the default): one process, `workers`, runs every pool. A Node
 * process holds about 130 MiB before it does any work, so on a small server five processes cost
 * some 500 MiB more than one (issue 15), and the pools together use well under a core in the
 * biggest burst the bench runs. `per-pool` (MEDIASHAR_WORKER_PROCESSES=per-pool in the
 * environment pm2 starts from): `workers-<pool>` processes with WORKER_POOLS' instance counts,
 * for an install that needs more than one process for a pool.
 *
 * @param {'shared' | 'per-pool'} layout
 */
export function workerApps(layout) {
  const groups =
    layout === 'per-pool'
      ? Object.entries(WORKER_POOLS).map(([pool, instances]) => ({
          name: `workers-${pool}`,
          args: pool,
          instances,
        }))
      : [{ name: 'workers', args: Object.keys(WORKER_POOLS).join(','), instances: 1 }];
  return groups.map(({ name, args, instances }, index) => ({
    ...common,
    name,
    script: 'dist/workers/main.js',
    args,
    instances,
    exec_mode: 'fork',
    // Prometheus GET /metrics: worker process group n gets WORKER_METRICS_PORT_BASE + 10·n, and
    // pm2 adds the instance number (increment_var), so every worker process has its own port.
    ...(WORKER_METRICS_PORT_BASE
      ? {
          env: { WORKER_METRICS_PORT: String(WORKER_METRICS_PORT_BASE + 10 * index) },
          increment_var: 'WORKER_METRICS_PORT',
        }
      : {}),
  }));
}

// A named export: pm2 require()s this file, and Node 20 returns an ES module's namespace.
export const apps = [
  { ...common, name: 'gateway', script: 'dist/gateway/main.js', instances: 1, exec_mode: 'fork' },
  {
    ...common,
    name: 'donation-service',
    script: 'dist/grpc/donation/main.js',
    instances: 1,
    exec_mode: 'fork',
  },
  {
    ...common,
    name: 'payment-service',
    script: 'dist/grpc/payment/main.js',
    instances: 1,
    exec_mode: 'fork',
  },
  // Several instances may share REALTIME_PORT in cluster mode: Socket.IO runs websocket-only
  // with the Redis adapter, so no sticky sessions are needed.
  {
    ...common,
    name: 'notification-service',
    script: 'dist/grpc/notification/main.js',
    instances: 1,
    exec_mode: 'fork',
  },
  ...workerApps(process.env.MEDIASHAR_WORKER_PROCESSES === 'per-pool' ? 'per-pool' : 'shared'),
];
