/**
 * Notification settings and the account mails' routes:
 * - /api/v1/me/notifications: a streamer's email, push, Discord and Telegram settings, "send a
 *   test", push subscriptions and the attempt log.
 * - /api/v1/notifications/unsubscribe: the signed link in every non-transactional mail.
 * - /api/v1/auth/password-reset(/confirm): the reset flow. A request always answers 202, mail
 *   or not (no account enumeration, OWASP Forgot Password cheat sheet); the token is single-use,
 *   expires after PASSWORD_RESET_TTL_S and is stored hashed.
 * Bad input is a 400 naming the field, in the request's language (Accept-Language id or en).
 */
import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { ValidationError } from '../../shared/errors.js';
import type { GatewayDeps } from '../gateway.deps.js';
import { readJson, readRawBody, validate } from '../http/http.js';
import { currentUser, requireUser } from '../http/auth.js';
import { clientIp } from '../http/client-ip.js';
import { rateLimit } from '../http/rate-limit.js';
import { escapeHtml, page } from '../web/html.js';
import { requestLanguage } from '../accounts/profile.js';
import { secretBoxKeys } from '../../shared/secret-box.js';
import { DISCORD_WEBHOOK_URL, TELEGRAM_BOT_TOKEN, TELEGRAM_CHAT_ID } from './chat-channels.js';
import {
  STREAMER_EMAIL_MODES,
  type NotificationSettings,
  type NotificationStore,
} from './notifications.store.js';
import { sendTestNotification, unsubscribeKey, verifyUnsubscribeToken } from './notification-delivery.js';
import { notificationDeps } from './notification-deps.js';
import { queueAccountMail } from './account-mail.js';

type Lang = 'id' | 'en';

const MESSAGES = {
  en: {
    bool: 'must be true or false',
    minMinor:
      'the threshold must be a whole number of minor units of your currency, 0 or more (0: every donation)',
    language: 'must be "id" or "en"',
    mode: `must be one of ${STREAMER_EMAIL_MODES.join(', ')}`,
    discordUrl: 'must be a Discord webhook URL (https://discord.com/api/webhooks/…), or empty to remove it',
    botToken: 'must be a Telegram bot token from @BotFather (123456:ABC…), or empty to remove it',
    chatId: 'must be a chat id (a number, e.g. -1001234567890) or @channelname',
    channel: 'must be one of email, push, discord, telegram',
    email: 'must be an email address',
    password: 'must be 8–200 characters',
    token: 'is not a valid reset token: it may be used or expired, ask for a new link',
    endpoint: 'must be an https URL of a push service',
    keys: 'must be the subscription keys (base64url)',
    unknown: 'is not a known field',
    mailOff: 'mail is off on this install (SMTP_URL unset)',
    pushOff: 'browser push is off on this install (no VAPID keys)',
  },
  id: {
    bool: 'harus true atau false',
    minMinor: 'ambang harus bilangan bulat dalam satuan terkecil mata uangmu, 0 atau lebih (0: semua donasi)',
    language: 'harus "id" atau "en"',
    mode: `harus salah satu dari ${STREAMER_EMAIL_MODES.join(', ')}`,
    discordUrl:
      'harus URL webhook Discord (https://discord.com/api/webhooks/…), atau kosong untuk menghapusnya',
    botToken: 'harus token bot Telegram dari @BotFather (123456:ABC…), atau kosong untuk menghapusnya',
    chatId: 'harus ID chat (angka, mis. -1001234567890) atau @namakanal',
    channel: 'harus salah satu dari email, push, discord, telegram',
    email: 'harus alamat email',
    password: 'harus 8–200 karakter',
    token:
      'bukan token pengaturan ulang yang berlaku: mungkin sudah dipakai atau kedaluwarsa, minta tautan baru',
    endpoint: 'harus URL https layanan push',
    keys: 'harus kunci langganan (base64url)',
    unknown: 'bukan kolom yang dikenal',
    mailOff: 'email tidak aktif di instalasi ini (SMTP_URL tidak diatur)',
    pushOff: 'notifikasi browser tidak aktif di instalasi ini (tanpa kunci VAPID)',
  },
} as const;

/** Indonesian when the reader prefers it; English otherwise (also for `*` or no header). */
function lang(ctx: Context): Lang {
  return ctx.get('accept-language') && ctx.acceptsLanguages('en', 'id') === 'id' ? 'id' : 'en';
}

/** Validates and names the fields in the request's language (unknown keys too). */
function check<S extends z.ZodType>(ctx: Context, schema: S, input: unknown): z.infer<S> {
  try {
    return validate(schema, input);
  } catch (err) {
    const fields = (err as ValidationError).details?.fields as Record<string, string> | undefined;
    if (fields && lang(ctx) === 'id') {
      for (const k of Object.keys(fields))
        if (fields[k] === 'is not a known field') fields[k] = MESSAGES.id.unknown;
      throw new ValidationError(
        Object.entries(fields)
          .map(([f, m]) => `${f}: ${m}`)
          .join('; '),
        { fields },
      );
    }
    throw err;
  }
}

const channelSwitch = (m: (typeof MESSAGES)[Lang]) => ({
  enabled: z.boolean(m.bool).optional(),
  minMinor: z.number(m.minMinor).int(m.minMinor).min(0, m.minMinor).max(1e12, m.minMinor).optional(),
});

/** Body of PATCH /me/notifications, with messages in `l`. */
export function notificationSettingsPatchSchema(l: Lang) {
  const m = MESSAGES[l];
  return z.strictObject({
    language: z.enum(['id', 'en'], m.language).optional(),
    email: z
      .strictObject({
        mode: z.enum(STREAMER_EMAIL_MODES, m.mode).optional(),
        refunds: z.boolean(m.bool).optional(),
      })
      .optional(),
    push: z.strictObject(channelSwitch(m)).optional(),
    discord: z
      .strictObject({
        ...channelSwitch(m),
        webhookUrl: z
          .string(m.discordUrl)
          .max(300, m.discordUrl)
          .refine((v) => v === '' || DISCORD_WEBHOOK_URL.test(v), m.discordUrl)
          .optional(),
      })
      .optional(),
    telegram: z
      .strictObject({
        ...channelSwitch(m),
        botToken: z
          .string(m.botToken)
          .refine((v) => v === '' || TELEGRAM_BOT_TOKEN.test(v), m.botToken)
          .optional(),
        chatId: z
          .string(m.chatId)
          .refine((v) => v === '' || TELEGRAM_CHAT_ID.test(v), m.chatId)
          .optional(),
      })
      .optional(),
  });
}

function pushSubscriptionSchema(l: Lang, production: boolean) {
  const m = MESSAGES[l];
  const key = z.string(m.keys).regex(/^[A-Za-z0-9_-]{16,200}={0,2}$/, m.keys);
  return z.object({
    endpoint: z
      .url({ protocol: production ? /^https$/ : /^https?$/, error: m.endpoint })
      .max(1000, m.endpoint),
    keys: z.object({ p256dh: key, auth: key }, m.keys),
  });
}

/** The settings view the API answers (secrets only as "set"). */
async function settingsView(deps: GatewayDeps, store: NotificationStore, streamerId: string) {
  const { settings, discordUrlSet, telegramTokenSet } = await store.settings(streamerId);
  const subs = await store.pushSubscriptions(streamerId);
  return {
    ...settings,
    // The thresholds' currency (minMinor is in it).
    currency: (await deps.accounts.streamerById(streamerId)).currency,
    discord: { ...settings.discord, webhookUrlSet: discordUrlSet },
    telegram: { ...settings.telegram, botTokenSet: telegramTokenSet },
    available: {
      email: Boolean(deps.config.SMTP_URL),
      push: Boolean(deps.config.VAPID_PUBLIC_KEY && deps.config.VAPID_PRIVATE_KEY),
      discord: true,
      telegram: true,
    },
    vapidPublicKey: deps.config.VAPID_PUBLIC_KEY ?? '',
    pushSubscriptions: subs.map((s) => ({
      id: s.id,
      endpointHost: new URL(s.endpoint).host,
      createdAt: s.createdAt,
    })),
  };
}

/** The notifications routers (mounted by gateway/app.ts). */
export function notificationsRouter(deps: GatewayDeps): Router {
  const { config } = deps;
  const sender = notificationDeps(config, deps.notifications, deps.log);
  const store = deps.notifications;
  const production = config.NODE_ENV === 'production';
  const router = new Router();
  const streamerOnly = requireUser(config, 'streamer');
  const resetsPerIp = rateLimit(deps.redis, config.REDIS_PREFIX, {
    name: 'password-reset-ip',
    points: 20,
    durationS: 3600,
    message: 'Too many reset requests from your address: try again later',
  });
  const resetsPerEmail = rateLimit(deps.redis, config.REDIS_PREFIX, {
    name: 'password-reset-email',
    points: 5,
    durationS: 3600,
    message: 'Too many reset requests: try again later',
  });

  router.get('/api/v1/me/notifications', streamerOnly, async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await settingsView(deps, store, currentUser(ctx).id);
  });

  router.patch('/api/v1/me/notifications', streamerOnly, async (ctx) => {
    const body = check(ctx, notificationSettingsPatchSchema(lang(ctx)), await readJson(ctx));
    const id = currentUser(ctx).id;
    const { settings } = await store.settings(id);
    const next: NotificationSettings = {
      language: body.language ?? settings.language,
      email: { ...settings.email, ...body.email },
      push: { ...settings.push, ...body.push },
      discord: {
        enabled: body.discord?.enabled ?? settings.discord.enabled,
        minMinor: body.discord?.minMinor ?? settings.discord.minMinor,
      },
      telegram: {
        enabled: body.telegram?.enabled ?? settings.telegram.enabled,
        minMinor: body.telegram?.minMinor ?? settings.telegram.minMinor,
        chatId: body.telegram?.chatId ?? settings.telegram.chatId,
      },
    };
    await store.saveSettings(id, next, {
      discordUrl: body.discord?.webhookUrl,
      telegramToken: body.telegram?.botToken,
    });
    ctx.body = await settingsView(deps, store, id);
  });

  router.post('/api/v1/me/notifications/test', streamerOnly, async (ctx) => {
    const m = MESSAGES[lang(ctx)];
    const body = check(
      ctx,
      z.object({ channel: z.enum(['email', 'push', 'discord', 'telegram'], m.channel) }),
      await readJson(ctx),
    );
    if (body.channel === 'email' && !sender.mailer)
      throw new ValidationError(`channel: ${m.mailOff}`, { fields: { channel: m.mailOff } });
    if (body.channel === 'push' && !sender.vapid)
      throw new ValidationError(`channel: ${m.pushOff}`, { fields: { channel: m.pushOff } });
    const target = (await store.targets([currentUser(ctx).id])).get(currentUser(ctx).id)!;
    ctx.body = await sendTestNotification(sender, target, body.channel);
  });

  router.get('/api/v1/me/notifications/attempts', streamerOnly, async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { attempts: await store.attempts(currentUser(ctx).id) };
  });

  router.post('/api/v1/me/notifications/push-subscriptions', streamerOnly, async (ctx) => {
    const m = MESSAGES[lang(ctx)];
    if (!sender.vapid)
      throw new ValidationError(`endpoint: ${m.pushOff}`, { fields: { endpoint: m.pushOff } });
    const body = check(ctx, pushSubscriptionSchema(lang(ctx), production), await readJson(ctx));
    const id = await store.addPushSubscription(currentUser(ctx).id, {
      endpoint: body.endpoint,
      p256dh: body.keys.p256dh,
      auth: body.keys.auth,
    });
    ctx.status = 201;
    ctx.body = { id };
  });

  router.delete('/api/v1/me/notifications/push-subscriptions/:id', streamerOnly, async (ctx) => {
    const id = ctx.params.id!;
    if (z.uuid().safeParse(id).success) await store.removePushSubscription(id, currentUser(ctx).id);
    ctx.status = 204;
  });

  // A GET only shows a button (mail scanners open links); the POST turns the mails off.
  const unsubscribePage = (ctx: Context, done: boolean, ok: boolean) => {
    const id = lang(ctx) === 'id';
    const title = id ? 'Berhenti berlangganan' : 'Unsubscribe';
    const text = !ok
      ? id
        ? 'Tautan ini tidak berlaku.'
        : 'This link is not valid.'
      : done
        ? id
          ? 'Selesai: email donasi dimatikan. Kamu bisa menyalakannya lagi di dasbor.'
          : 'Done: donation mails are off. You can turn them on again in the dashboard.'
        : id
          ? 'Matikan email donasi dan ringkasan dari MediaShar?'
          : 'Turn off donation mails and digests from MediaShar?';
    const form =
      ok && !done
        ? `<form method="post"><input type="hidden" name="token" value="${escapeHtml(String(ctx.query.token ?? ''))}"><button type="submit">${escapeHtml(title)}</button></form>`
        : '';
    ctx.status = ok ? 200 : 400;
    ctx.type = 'html';
    ctx.set(
      'Content-Security-Policy',
      "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'",
    );
    ctx.body = page(
      title,
      `<main class="card"><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p>${form}</main>`,
    );
  };
  const key = unsubscribeKey(secretBoxKeys(config).current);
  router.get('/api/v1/notifications/unsubscribe', (ctx) => {
    unsubscribePage(ctx, false, verifyUnsubscribeToken(key, String(ctx.query.token ?? '')) !== null);
  });
  router.post('/api/v1/notifications/unsubscribe', async (ctx) => {
    // One-click (RFC 8058) posts `List-Unsubscribe=One-Click` with the token in the URL; the page's form posts it in the body.
    const form = new URLSearchParams((await readRawBody(ctx, '4kb')).toString('utf8'));
    const token = String(ctx.query.token ?? form.get('token') ?? '');
    const streamerId = verifyUnsubscribeToken(key, token);
    if (streamerId) await store.unsubscribeEmail(streamerId);
    unsubscribePage(ctx, true, streamerId !== null);
  });

  router.post('/api/v1/auth/password-reset', async (ctx) => {
    const m = MESSAGES[lang(ctx)];
    const body = check(ctx, z.object({ email: z.email(m.email).max(254, m.email) }), await readJson(ctx));
    await resetsPerIp.consume(clientIp(ctx));
    await resetsPerEmail.consume(body.email.toLowerCase());
    const user = await deps.accounts.userByEmail(body.email);
    if (user)
      await queueAccountMail(deps, 'password-reset', user.id, requestLanguage(ctx) ? lang(ctx) : undefined);
    // The same answer whether the address has an account or not.
    ctx.status = 202;
    ctx.body = {
      status: 'accepted',
      message:
        lang(ctx) === 'id'
          ? 'Jika alamat ini punya akun, kami mengirim tautan untuk mengatur ulang kata sandi.'
          : 'If this address has an account, we sent it a link to reset the password.',
    };
  });

  router.post('/api/v1/auth/password-reset/confirm', async (ctx) => {
    const m = MESSAGES[lang(ctx)];
    const body = check(
      ctx,
      z.object({
        token: z.string(m.token).regex(/^[A-Za-z0-9_-]{20,100}$/, m.token),
        password: z.string(m.password).min(8, m.password).max(200, m.password),
      }),
      await readJson(ctx),
    );
    await resetsPerIp.consume(clientIp(ctx));
    const used = await store.consumeAccountToken('password-reset', body.token);
    if (!used.ok) throw new ValidationError(`token: ${m.token}`, { fields: { token: m.token } });
    const userId = used.userId;
    await deps.accounts.setPassword(userId, body.password);
    // Whoever knew the old password is signed out everywhere.
    await deps.sessions.revokeAll(userId, 'password');
    ctx.status = 204;
  });

  // The dashboard's service worker (scope /dashboard): shows each push as a notification and
  // opens the dashboard on a click. Donor text is shown by the browser as plain text.
  router.get('/notify-sw.js', (ctx) => {
    ctx.type = 'text/javascript; charset=utf-8';
    ctx.set('Cache-Control', 'no-cache');
    ctx.set('Service-Worker-Allowed', '/dashboard');
    ctx.body = SERVICE_WORKER;
  });

  return router;
}

const SERVICE_WORKER = `'use strict';
self.addEventListener('push', (event) => {
  let data = {};
  try { data = event.data ? event.data.json() : {}; } catch (e) { data = { title: 'MediaShar', body: event.data ? event.data.text() : '' }; }
  event.waitUntil(self.registration.showNotification(String(data.title || 'MediaShar'), {
    body: String(data.body || ''),
    data: { url: String(data.url || '/dashboard') },
    tag: data.donationId ? String(data.donationId) : undefined,
  }));
});
self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const url = new URL(event.notification.data && event.notification.data.url || '/dashboard', self.location.origin);
  if (url.origin !== self.location.origin) return;
  event.waitUntil(self.clients.openWindow(url.href));
});
`;
