/** /api/v1/auth/* and the streamer's own profile, settings and overlay token. */
import Router from '@koa/router';
import { z } from 'zod';
import { ValidationError } from '../../shared/errors.js';
import { SUPPORTED_CURRENCIES } from '../../shared/money.js';
import { enabledProviders, PROVIDERS } from '../../shared/config.js';
import { messageText, nameText } from '../../shared/text.js';
import type { GatewayDeps } from '../gateway.deps.js';
import { readJson, validate, type GatewayState } from '../http/http.js';
import { bearerToken, currentUser, requireUser } from '../http/auth.js';
import type { StreamerRow } from './gateway.db.js';
import { startSession } from './sessions.routes.js';
import {
  bioSchema,
  LANGUAGES,
  linksSchema,
  moneyViewer,
  presetsSchema,
  readSettingsAmounts,
  requestLanguage,
  visibleLinks,
  type MoneyView,
} from './profile.js';
import { clientIp } from '../http/client-ip.js';
import { rateLimit } from '../http/rate-limit.js';
import { loginThrottle } from './login-throttle.js';
import { registerQuietly, REGISTRATION_ACCEPTED } from './registration.js';
import { emailVerificationRoutes, sendSignupVerification } from './email-verification.routes.js';
import { acceptedCurrencies, checkCurrencies, currenciesSchema } from '../donations/accepted-currencies.js';
import { ttsVoiceSchema } from '../tts/tts.routes.js';
import { wordFilterSettingsSchema } from '../../shared/word-filter.js';
import { alertSettingsSchema, referencedUploads } from '../../shared/alert-design.js';
import { mediaShareRulesPatchSchema, normalizeMediaShareRules } from '../../shared/media-share-quote.js';

export const registerSchema = z
  .object({
    email: z.email('must be an email address').max(254),
    password: z.string().min(8, 'must be at least 8 characters').max(200, 'must be at most 200 characters'),
    username: z
      .string()
      .regex(/^[A-Za-z0-9_]{3,30}$/, 'must be 3–30 letters, digits or _')
      .optional(),
    displayName: nameText(64).optional(),
    role: z.enum(['streamer', 'donor'], 'must be "streamer" or "donor"'),
    /** Needed when the install's sign-up is by invitation (GET /auth/signup). */
    inviteCode: z.string().trim().max(100).optional(),
  })
  .refine((v) => v.role !== 'streamer' || Boolean(v.username), {
    message: 'is required for streamers',
    path: ['username'],
  });

export const loginSchema = z.object({
  email: z.email('must be an email address'),
  password: z.string().min(1, 'is required').max(200),
});

// Strict: a field this API does not know is refused by name, never silently dropped.
export const settingsSchema = z.strictObject({
  displayName: nameText(64).optional(),
  avatarUrl: z
    .union([z.url({ protocol: /^https$/, error: 'must be an https:// URL (or empty)' }), z.literal('')])
    .optional(),
  currency: z.enum(SUPPORTED_CURRENCIES).optional(),
  /** Amount as typed, read in the request's language ("50.000" in id), major units. */
  // Long input is refused by the amount reader, in the request's language.
  minDonation: z.string().max(1000).optional(),
  /** Accepted currencies with their minima in minor units; must include the own currency. */
  currencies: currenciesSchema.optional(),
  alertDurationMs: z.number().int().min(2000).max(60_000).optional(),
  // Long input is refused by the amount reader, in the request's language.
  ttsMin: z.string().max(1000).optional(),
  soundUrl: z
    .union([z.url({ protocol: /^https$/, error: 'must be an https:// URL (or empty)' }), z.literal('')])
    .optional(),
  /** The word filter: a list of words, or {mode, lists: {en, id}, words} (shared/word-filter.ts). */
  wordFilter: wordFilterSettingsSchema.optional(),
  providers: z.array(z.enum(PROVIDERS)).min(1).optional(),
  mediaShareEnabled: z.boolean().optional(),
  /** Media-share rules (minor units per currency); fields left out keep their value. */
  mediaShare: mediaShareRulesPatchSchema.optional(),
  // Long input is refused by the amount reader, in the request's language.
  goal: z.string().max(1000).optional(),
  goalTitle: messageText(100).optional(),
  bio: bioSchema.optional(),
  links: linksSchema.optional(),
  presets: presetsSchema.optional(),
  language: z.enum(LANGUAGES, 'must be "id" or "en"').optional(),
  /** Text-to-speech voice: language, rate (words per minute), gender; fields left out keep their value. */
  tts: ttsVoiceSchema.optional(),
  /** Alert designs, tiers, delay and message minimum (shared/alert-design.ts); replaced whole. */
  alerts: alertSettingsSchema.optional(),
});

/** The streamer's own view of the profile. */
export function privateStreamer(s: StreamerRow, money: (minor: number, currency: string) => MoneyView) {
  return {
    id: s.userId,
    username: s.username,
    displayName: s.displayName,
    avatarUrl: s.avatarUrl,
    bio: s.settings.bio ?? '',
    links: visibleLinks(s.settings.links),
    currency: s.currency,
    minDonation: s.minDonationMinor,
    minDonationMoney: money(s.minDonationMinor, s.currency),
    currencies: acceptedCurrencies(s).map((c) => ({ ...c, min: money(c.minMinor, c.currency) })),
    presets: Object.fromEntries(
      Object.entries(s.settings.presets ?? {}).map(([c, list]) => [c, list.map((m) => money(m, c))]),
    ),
    language: s.settings.language ?? 'id',
    alert: {
      durationMs: s.settings.alertDurationMs,
      soundUrl: s.settings.soundUrl,
      ttsMin: money(s.settings.ttsMinMinor, s.currency),
    },
    goal: s.settings.goalMinor
      ? {
          target: money(s.settings.goalMinor, s.currency),
          title: s.settings.goalTitle,
          startedAt: s.settings.goalStartedAt ?? null,
        }
      : null,
    settings: s.settings,
  };
}

export function accountsRouter(deps: GatewayDeps): Router {
  const { config, accounts, uploads } = deps;
  const router = new Router({ prefix: '/api/v1' });
  const logins = loginThrottle(config, deps.redis);
  const registrations = rateLimit(deps.redis, config.REDIS_PREFIX, {
    name: 'register-ip',
    points: config.RATE_LIMIT_REGISTRATIONS_PER_IP,
    durationS: 3600,
    message: 'Too many accounts registered from your address: try again in an hour',
  });
  const overlayUrl = (token: string) =>
    new URL(`/overlay#token=${encodeURIComponent(token)}`, config.PUBLIC_URL).toString();
  /** The overlay URL and the widget URLs (each its own OBS browser source). */
  const overlayUrls = (token: string) => ({
    overlayUrl: overlayUrl(token),
    widgetUrls: Object.fromEntries(
      (['goal', 'latest', 'top'] as const).map((w) => [
        w,
        new URL(`/widgets/${w}#token=${encodeURIComponent(token)}`, config.PUBLIC_URL).toString(),
      ]),
    ),
  });

  // The same 202 whether the email was free or taken (no account discovery); log in next.
  router.post('/auth/register', async (ctx) => {
    const body = validate(registerSchema, await readJson(ctx));
    await registrations.consume(clientIp(ctx));
    await deps.admin.admitSignup(body.inviteCode);
    const userId = await registerQuietly(accounts, body);
    if (userId) await sendSignupVerification(deps, ctx, userId);
    ctx.status = 202;
    ctx.body = REGISTRATION_ACCEPTED;
  });

  emailVerificationRoutes(router, deps);

  router.post('/auth/login', async (ctx) => {
    const body = validate(loginSchema, await readJson(ctx));
    const { user, streamer } = await logins.attempt(ctx, body.email, () =>
      accounts.login(body.email, body.password),
    );
    ctx.body = {
      ...(await startSession(ctx, deps, { id: user.id, role: user.role, username: streamer?.username })),
      user: {
        id: user.id,
        email: user.email,
        role: user.role,
        ...(streamer ? { username: streamer.username } : {}),
      },
    };
  });

  router.get('/me', requireUser(config), async (ctx) => {
    const user = currentUser(ctx);
    const email = await accounts.emailStatus(user.id);
    ctx.body = {
      id: user.id,
      role: user.role,
      email: email.email,
      emailVerified: email.verifiedAt !== null,
      ...(user.role === 'streamer'
        ? { streamer: privateStreamer(await accounts.streamerById(user.id), moneyViewer(ctx)) }
        : {}),
    };
  });

  router.patch('/me/settings', requireUser(config, 'streamer'), async (ctx) => {
    const body = validate(settingsSchema, await readJson(ctx));
    const current = await accounts.streamerById(currentUser(ctx).id);
    const enabled = enabledProviders(config);
    const unavailable = (body.providers ?? []).filter((p) => !enabled.includes(p));
    if (unavailable.length) {
      throw new ValidationError(`providers ${unavailable.join(', ')} are not enabled on this install`, {
        fields: { providers: `choose from the enabled providers: ${enabled.join(', ')}` },
      });
    }
    const currency = body.currency ?? current.currency;
    // A goal or TTS threshold in minor units of the old currency would mean another amount in
    // the new one: the request that changes the currency must state them again.
    if (currency !== current.currency) {
      const restate: Record<string, string> = {};
      if (current.settings.goalMinor && body.goal === undefined)
        restate.goal = `state it again in ${currency}`;
      if (current.settings.ttsMinMinor && body.ttsMin === undefined)
        restate.ttsMin = `state it again in ${currency}`;
      if (Object.keys(restate).length)
        throw new ValidationError(
          `The currency changes from ${current.currency} to ${currency}: send ${Object.keys(restate).join(' and ')} in ${currency} too`,
          { fields: restate },
        );
    }
    // Amounts as the streamer typed them, read and refused in the request's language.
    const amounts = readSettingsAmounts(body, currency, requestLanguage(ctx) ?? 'en');
    // The own currency's entry in `currencies` is the streamer's minimum; both given must agree.
    const currencies = body.currencies ? checkCurrencies(body.currencies, currency) : undefined;
    const ownMinimum = currencies?.find((c) => c.currency === currency)?.minMinor;
    const { minDonationMinor } = amounts;
    // Designs may only use the streamer's own uploads, each of the kind its place needs.
    if (body.alerts) {
      const refs = referencedUploads(body.alerts);
      const foreign = [
        ...(await uploads.notOwned(current.userId, refs.image, 'image')),
        ...(await uploads.notOwned(current.userId, refs.sound, 'sound')),
      ];
      if (foreign.length)
        throw new ValidationError(`alerts refers to uploads that are not yours or not of that kind`, {
          fields: {
            alerts: `unknown upload ${foreign.join(', ')}: upload it first (POST /api/v1/me/uploads)`,
          },
        });
    }
    if (ownMinimum !== undefined && minDonationMinor !== undefined && ownMinimum !== minDonationMinor)
      throw new ValidationError(`minDonation and the ${currency} entry of currencies differ`, {
        fields: { currencies: `the ${currency} minimum must equal minDonation` },
      });
    const updated = await accounts.updateStreamer(current.userId, {
      displayName: body.displayName,
      avatarUrl: body.avatarUrl,
      currency: body.currency,
      minDonationMinor: minDonationMinor ?? ownMinimum,
      settings: {
        ...(currencies ? { currencies } : {}),
        ...(body.alertDurationMs !== undefined ? { alertDurationMs: body.alertDurationMs } : {}),
        ...(amounts.ttsMinMinor !== undefined ? { ttsMinMinor: amounts.ttsMinMinor } : {}),
        ...(body.soundUrl !== undefined ? { soundUrl: body.soundUrl } : {}),
        ...(body.wordFilter ? { wordFilter: body.wordFilter } : {}),
        ...(body.providers ? { providers: body.providers } : {}),
        ...(body.mediaShareEnabled !== undefined || body.mediaShare
          ? {
              mediaShare: {
                ...normalizeMediaShareRules(current.settings.mediaShare),
                ...body.mediaShare,
                ...(body.mediaShareEnabled !== undefined ? { enabled: body.mediaShareEnabled } : {}),
              },
            }
          : {}),
        ...(amounts.goalMinor !== undefined ? { goalMinor: amounts.goalMinor } : {}),
        ...(body.goalTitle !== undefined ? { goalTitle: body.goalTitle } : {}),
        ...(body.bio !== undefined ? { bio: body.bio } : {}),
        ...(body.links ? { links: { ...current.settings.links, ...body.links } } : {}),
        ...(amounts.presets ? { presets: { ...current.settings.presets, ...amounts.presets } } : {}),
        ...(body.language ? { language: body.language } : {}),
        ...(body.tts ? { tts: { ...current.settings.tts, ...body.tts } } : {}),
        ...(body.alerts ? { alerts: body.alerts } : {}),
      },
    });
    ctx.body = privateStreamer(updated, moneyViewer(ctx));
  });

  router.get('/me/overlay', requireUser(config, 'streamer'), async (ctx) => {
    const streamer = await accounts.streamerById(currentUser(ctx).id);
    const { token, replacedHash } = await accounts.readableOverlayToken(streamer);
    if (replacedHash) {
      (ctx.state as GatewayState).log.warn(
        { streamerId: streamer.userId },
        'overlay token was encrypted under another JWT_SECRET: issued a new one',
      );
    }
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { ...overlayUrls(token), token };
  });

  router.post('/me/overlay/rotate', requireUser(config, 'streamer'), async (ctx) => {
    const user = currentUser(ctx);
    const { token, oldHash } = await accounts.rotateOverlayToken(user.id);
    // Overlays holding the old token are cut off now, wherever they are connected.
    await deps.api.notification
      .disconnectOverlays(
        { streamerId: user.id, tokenHash: oldHash },
        { requestId: (ctx.state as GatewayState).requestId, accessToken: bearerToken(ctx) },
      )
      .catch((err: unknown) =>
        (ctx.state as GatewayState).log.warn({ err }, 'could not disconnect old overlays'),
      );
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { ...overlayUrls(token), token };
  });

  return router;
}
