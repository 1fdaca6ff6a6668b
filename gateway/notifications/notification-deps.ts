/** The sending side of notifications, wired from the configuration (used by the pool and the gateway's "send a test"). */
import nodemailer from 'nodemailer';
import type { Config } from '../../shared/config.js';
import type { Logger } from '../../shared/logger.js';
import { secretBoxKeys } from '../../shared/secret-box.js';
import type { NotificationStore } from './notifications.store.js';
import { unsubscribeKey, type NotificationDeps } from './notification-delivery.js';

/** The sending side's dependencies from the configuration (mail and push off when unset). */
export function notificationDeps(config: Config, store: NotificationStore, log: Logger): NotificationDeps {
  return {
    store,
    log,
    publicUrl: config.PUBLIC_URL,
    discordApiBase: config.DISCORD_API_BASE,
    telegramApiBase: config.TELEGRAM_API_BASE,
    timeoutMs: config.NOTIFICATION_TIMEOUT_MS,
    allowInternal: config.OUTGOING_WEBHOOK_ALLOW_INTERNAL,
    mailer: config.SMTP_URL ? nodemailer.createTransport(config.SMTP_URL) : undefined,
    mailFrom: config.MAIL_FROM,
    vapid:
      config.VAPID_PUBLIC_KEY && config.VAPID_PRIVATE_KEY
        ? {
            subject: config.VAPID_SUBJECT,
            publicKey: config.VAPID_PUBLIC_KEY,
            privateKey: config.VAPID_PRIVATE_KEY,
          }
        : undefined,
    unsubscribeKey: unsubscribeKey(secretBoxKeys(config).current),
    passwordResetTtlS: config.PASSWORD_RESET_TTL_S,
    emailVerificationTtlS: config.EMAIL_VERIFICATION_TTL_S,
  };
}
