/**
 * pm2 processes of MediaShar. `npm start` runs them in the foreground with pm2-runtime.
 * TypeScript runs through tsx (esbuild), no build step.
 *
 * kill_timeout (ms) is longer than the longest drain: a process gets SIGINT, stops taking work,
 * finishes in-flight requests, jobs and stream entries (at most 25 s, see shared/lifecycle.ts),
 * and only then would pm2 send SIGKILL.
 */
export const KILL_TIMEOUT_MS = 30_000;

const common = {
  interpreter: 'node',
  node_args: '--import tsx',
  kill_timeout: KILL_TIMEOUT_MS,
  max_restarts: 50,
  exp_backoff_restart_delay: 200,
  merge_logs: true,
  time: false,
};

/** Worker pools and how many processes each runs. */
export const WORKER_POOLS = {
  donation: 1,
  checkout: 1,
  'payment-verification': 1,
};

// A named export: pm2 require()s this file, and Node 20 returns an ES module's namespace.
export const apps = [
  { ...common, name: 'gateway', script: 'gateway/main.ts', instances: 1, exec_mode: 'fork' },
  { ...common, name: 'donation-service', script: 'grpc/donation/main.ts', instances: 1, exec_mode: 'fork' },
  { ...common, name: 'payment-service', script: 'grpc/payment/main.ts', instances: 1, exec_mode: 'fork' },
  // Several instances may share REALTIME_PORT in cluster mode: Socket.IO runs websocket-only
  // with the Redis adapter, so no sticky sessions are needed.
  {
    ...common,
    name: 'notification-service',
    script: 'grpc/notification/main.ts',
    instances: 1,
    exec_mode: 'fork',
  },
  ...Object.entries(WORKER_POOLS).map(([pool, instances]) => ({
    ...common,
    name: `workers-${pool}`,
    script: 'workers/main.ts',
    args: pool,
    instances,
    exec_mode: 'fork',
  })),
];
