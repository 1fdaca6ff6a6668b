import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import { AppError, RateLimitedError } from './errors.js';
import type { Logger } from './logger.js';
import { jobDuration } from './metrics.js';
import { redactJobData } from './queues.js';

/** App error codes that no retry can fix. */
const PERMANENT = new Set([
  'VALIDATION_FAILED',
  'PROVIDER_REJECTED',
  'INVALID_SIGNATURE',
  'FORBIDDEN',
  'CONFLICT',
]);

/**
 * Wraps a job processor: permanent errors become BullMQ's UnrecoverableError (no retry); a
 * RateLimitedError with a retry time delays the job (no attempt used); every other error is
 * rethrown so the job retries with backoff. Failures are logged here once.
 */
export function processor<T, R>(
  log: Logger,
  handle: (data: T, job: Job<T, R>) => Promise<R>,
): (job: Job<T, R>, token?: string) => Promise<R> {
  return async (job, token) => {
    const timer = jobDuration.startTimer({ queue: job.queueName, job: job.name });
    try {
      const result = await handle(job.data, job);
      timer({ outcome: 'completed' });
      return result;
    } catch (err) {
      if (err instanceof RateLimitedError && err.retryAfterMs !== undefined && token) {
        // Over a provider's rate limit: this job alone waits its turn, without using an attempt.
        timer({ outcome: 'delayed' });
        await job.moveToDelayed(Date.now() + err.retryAfterMs, token);
        throw new DelayedError();
      }
      const requestId = (job.data as { requestId?: string }).requestId;
      const permanent =
        err instanceof UnrecoverableError || (err instanceof AppError && PERMANENT.has(err.code));
      log[permanent ? 'error' : 'warn'](
        { err, queue: job.queueName, job: job.name, jobId: job.id, attempt: job.attemptsMade + 1, requestId },
        permanent ? 'job failed permanently' : 'job failed, will retry',
      );
      const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      timer({ outcome: permanent || lastAttempt ? 'failed' : 'retry' });
      // A failed job stays in Redis for an operator: with ids and amounts, not donor text.
      if (permanent || lastAttempt)
        await job.updateData(redactJobData(job.data) as T).catch((e: unknown) => {
          log.warn({ err: e, jobId: job.id }, 'could not strip donor text from a failed job');
        });
      if (permanent && !(err instanceof UnrecoverableError))
        throw new UnrecoverableError((err as Error).message);
      throw err;
    }
  };
}
