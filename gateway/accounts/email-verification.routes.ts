/**
 * Email verification (issue 16): after sign-up, and on demand from the Account page, a
 * transactional mail carries a single-use, expiring link (/verify-email#token=…, the same
 * account_tokens as the password reset). Using it marks the account's email verified; nothing
 * waits on it (login works unverified). Messages in the request's language (id or en).
 */
import type Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { ValidationError } from '../../shared/errors.js';
import type { GatewayDeps } from '../gateway.deps.js';
import { readJson, validate } from '../http/http.js';
import { currentUser, requireUser } from '../http/auth.js';
import { clientIp } from '../http/client-ip.js';
import { rateLimit } from '../http/rate-limit.js';
import { accountMailAvailable, queueAccountMail } from '../notifications/account-mail.js';
import { requestLanguage } from './profile.js';

const WORDS = {
  en: {
    unknown: 'is not a valid verification link: ask for a new one on your Account page',
    used: 'was used already: this email is verified, nothing more to do',
    expired: 'has expired: ask for a new link on your Account page ("Resend the verification mail")',
    verified: 'Your email is verified. Thank you!',
    sent: 'A verification mail is on its way.',
    already: 'Your email is verified already.',
    mailOff: 'mail is off on this install (SMTP_URL unset)',
    tooMany: 'Too many verification mails: try again later',
  },
  id: {
    unknown: 'bukan tautan verifikasi yang berlaku: minta tautan baru di halaman Akun',
    used: 'sudah dipakai: email ini sudah terverifikasi, tidak perlu apa-apa lagi',
    expired: 'sudah kedaluwarsa: minta tautan baru di halaman Akun ("Kirim ulang email verifikasi")',
    verified: 'Email kamu sudah terverifikasi. Terima kasih!',
    sent: 'Email verifikasi sedang dikirim.',
    already: 'Email kamu sudah terverifikasi.',
    mailOff: 'email tidak aktif di instalasi ini (SMTP_URL tidak diatur)',
    tooMany: 'Terlalu banyak email verifikasi: coba lagi nanti',
  },
} as const;

const lang = (ctx: Context) => requestLanguage(ctx) ?? 'en';

/**
 * Queues the verification mail of a user who just signed up (nothing when mail is off).
 * @param ctx the sign-up request: its language is the mail's.
 */
export async function sendSignupVerification(deps: GatewayDeps, ctx: Context, userId: string): Promise<void> {
  await queueAccountMail(deps, 'email-verification', userId, requestLanguage(ctx));
}

/**
 * Adds the verification routes to the `/api/v1` router:
 * - POST /auth/email-verification/confirm `{token}`: 200 verified, or 400 naming `token` (unknown,
 *   used, expired: each said plainly).
 * - POST /me/email-verification: sends a new link (202), or 200 when verified already.
 */
export function emailVerificationRoutes(router: Router, deps: GatewayDeps): void {
  const { config } = deps;
  const perIp = rateLimit(deps.redis, config.REDIS_PREFIX, {
    name: 'email-verification-ip',
    points: 30,
    durationS: 3600,
    message: 'Too many verification attempts from your address: try again later',
  });
  const perUser = rateLimit(deps.redis, config.REDIS_PREFIX, {
    name: 'email-verification-user',
    points: 5,
    durationS: 3600,
    message: WORDS.en.tooMany,
  });

  router.post('/auth/email-verification/confirm', async (ctx) => {
    const w = WORDS[lang(ctx)];
    // Every refusal names `token` in the reader's language.
    const { token } = validate(
      z.object({ token: z.string(w.unknown).regex(/^[A-Za-z0-9_-]{20,100}$/, w.unknown) }),
      await readJson(ctx),
    );
    await perIp.consume(clientIp(ctx));
    const used = await deps.notifications.consumeAccountToken('email-verification', token);
    if (!used.ok) {
      const why = w[used.reason];
      throw new ValidationError(`token: ${why}`, { fields: { token: why }, reason: used.reason });
    }
    await deps.accounts.markEmailVerified(used.userId);
    ctx.body = { status: 'verified', message: w.verified };
  });

  router.post('/me/email-verification', requireUser(config), async (ctx) => {
    const w = WORDS[lang(ctx)];
    const user = currentUser(ctx);
    if ((await deps.accounts.emailStatus(user.id)).verifiedAt) {
      ctx.body = { status: 'verified', message: w.already };
      return;
    }
    if (!accountMailAvailable(deps))
      throw new ValidationError(`email: ${w.mailOff}`, { fields: { email: w.mailOff } });
    await perUser.consume(user.id);
    await queueAccountMail(deps, 'email-verification', user.id, requestLanguage(ctx));
    ctx.status = 202;
    ctx.body = { status: 'sent', message: w.sent };
  });
}
