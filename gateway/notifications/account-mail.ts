/**
 * The account mails' sending side in the gateway: a single-use token (account_tokens, stored
 * hashed) and one job on the notifications queue, for the password reset and the email
 * verification alike. The pool renders and sends the mail (notification-delivery.ts).
 */
import { QUEUES, type NotificationJob, type TypedQueue } from '../../shared/queues.js';
import type { GatewayDeps } from '../gateway.deps.js';
import type { AccountTokenPurpose } from './notifications.store.js';

const CHANNELS = {
  'password-reset': 'email-password-reset',
  'email-verification': 'email-verification',
} as const;

/** True when this install can send account mails (SMTP_URL set and the queue open). */
export function accountMailAvailable(deps: GatewayDeps): boolean {
  return Boolean(deps.config.SMTP_URL) && deps.queues.some((q) => q.name === QUEUES.notifications.name);
}

/**
 * Makes a token of `purpose` for the user and queues its mail.
 * @param language the mail's language; undefined: the user's own (streamer settings, else id).
 * @returns false (and makes no token) when mail is off on this install.
 */
export async function queueAccountMail(
  deps: GatewayDeps,
  purpose: AccountTokenPurpose,
  userId: string,
  language?: 'id' | 'en',
): Promise<boolean> {
  const { config } = deps;
  const queue = deps.queues.find((q) => q.name === QUEUES.notifications.name) as
    TypedQueue<'notifications'> | undefined;
  if (!queue || !config.SMTP_URL) return false;
  const ttlS = purpose === 'password-reset' ? config.PASSWORD_RESET_TTL_S : config.EMAIL_VERIFICATION_TTL_S;
  const token = await deps.notifications.createAccountToken(purpose, userId, ttlS);
  const job: NotificationJob = {
    channel: CHANNELS[purpose],
    streamerId: '',
    target: userId,
    eventKey: token.slice(0, 16),
    token,
    language,
  };
  await queue.add(QUEUES.notifications.jobs.send, job, {
    jobId: `${job.channel}-${userId}_${job.eventKey}`,
    attempts: config.NOTIFICATION_ATTEMPTS,
    backoff: { type: 'exponential', delay: config.NOTIFICATION_BACKOFF_MS },
  });
  return true;
}
