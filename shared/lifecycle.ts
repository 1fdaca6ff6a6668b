import type { Logger } from './logger.js';

/** Longest a process may take to drain on SIGINT/SIGTERM before it exits anyway, in ms. */
export const DRAIN_LIMIT_MS = 25_000;

/**
 * Runs `stop` once on SIGINT/SIGTERM (pm2 sends SIGINT, then SIGKILL after kill_timeout), then
 * exits 0; a second signal or a stop slower than `hardLimitMs` exits 1.
 */
export function onShutdown(log: Logger, stop: () => Promise<void>, hardLimitMs = DRAIN_LIMIT_MS): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals): void => {
    if (stopping) {
      log.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    log.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      log.error('shutdown took too long: exiting');
      process.exit(1);
    }, hardLimitMs);
    timer.unref();
    stop().then(
      () => {
        log.info('stopped');
        process.exit(0);
      },
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  process.on('unhandledRejection', (err) => log.error({ err }, 'unhandled rejection'));
}

/** Runs an async entry function; a start-up failure is logged and exits 1. */
export function runMain(log: Logger, main: () => Promise<void>): void {
  main().catch((err: unknown) => {
    log.fatal({ err }, 'failed to start');
    process.exit(1);
  });
}
