import type { Logger } from './logger.js';

/** Longest a process may take to drain on SIGINT/SIGTERM before it exits anyway, in ms. */
export const DRAIN_LIMIT_MS = 25_000;

/**
 * A second signal within this many ms of the first is the same request delivered twice (Ctrl-C
 * reaches every process of the terminal's group, and pm2 forwards it once more).
 */
export const DUPLICATE_SIGNAL_MS = 2000;

/**
 * Runs `stop` once on SIGINT/SIGTERM (pm2 sends SIGINT, then SIGKILL after kill_timeout), then
 * exits 0. A later second signal (an operator insisting) or a stop slower than `hardLimitMs`
 * exits 1.
 */
export function onShutdown(log: Logger, stop: () => Promise<void>, hardLimitMs = DRAIN_LIMIT_MS): void {
  let stoppingSince = 0;
  const handler = (signal: NodeJS.Signals): void => {
    if (stoppingSince) {
      if (Date.now() - stoppingSince < DUPLICATE_SIGNAL_MS) return;
      log.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stoppingSince = Date.now();
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
