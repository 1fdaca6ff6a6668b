/**
 * The reconciler loop: a process timer (not a BullMQ repeatable job, which would vanish with
 * Redis's data) that runs one idempotent pass at a time, comparing PostgreSQL, the source of
 * truth, with what Redis should hold, and repairing the difference.
 */
import type { Redis } from 'ioredis';
import { KEYS } from './queues.js';
import type { Logger } from './logger.js';

/** What one pass repaired, by kind (all zero when there was nothing to do). */
export type ReconcileReport = Record<string, number>;

/** A running reconciler. */
export interface RunningReconciler {
  /** Runs a pass now (waiting for a running one first). */
  runOnce(): Promise<ReconcileReport>;
  /** Stops the timer and waits for the current pass. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Runs `pass` every `intervalMs` ms, never two at once. A failing pass (Redis or PostgreSQL
 * away) is logged and tried again on the next tick. A pass that repaired something is logged
 * at info with its report.
 */
export function startReconciler(options: {
  name: string;
  intervalMs: number;
  log: Logger;
  pass: () => Promise<ReconcileReport>;
}): RunningReconciler {
  const { name, intervalMs, log, pass } = options;
  let running = true;
  let current: Promise<ReconcileReport> | undefined;
  let timer: NodeJS.Timeout | undefined;
  const runOnce = async (): Promise<ReconcileReport> => {
    while (current) await current.catch(() => undefined);
    current = pass();
    try {
      const report = await current;
      if (Object.values(report).some((n) => n > 0)) log.info({ reconciler: name, ...report }, 'reconciled');
      return report;
    } finally {
      current = undefined;
    }
  };
  const tick = (): void => {
    runOnce()
      .catch((err: unknown) => log.warn({ err, reconciler: name }, 'reconcile pass failed; retrying'))
      .finally(() => {
        if (running) timer = setTimeout(tick, intervalMs);
      });
  };
  timer = setTimeout(tick, Math.min(intervalMs, 1000));
  return {
    runOnce,
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      await current?.catch(() => undefined);
    },
  };
}

/**
 * Tells whether Redis lost its data since this role last rebuilt it: a sentinel key that only a
 * completed rebuild sets. A Redis restart with AOF keeps it; FLUSHALL or a new empty server
 * does not. Checking costs one EXISTS.
 */
export class RedisLossSentinel {
  private readonly key: string;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    role: string,
  ) {
    this.key = KEYS.reconciled(prefix, role);
  }

  /** True when the sentinel is missing: rebuild, then call {@link markRebuilt}. */
  async lost(): Promise<boolean> {
    return (await this.redis.exists(this.key)) === 0;
  }

  /** Records that the rebuild is complete (value: ISO time, for operators). */
  async markRebuilt(): Promise<void> {
    await this.redis.set(this.key, new Date().toISOString());
  }
}
