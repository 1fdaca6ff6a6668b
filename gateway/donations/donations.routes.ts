/**
 * The donor-facing and streamer-facing donation routes: public profile, create a donation
 * (validated against the streamer's settings, idempotent by Idempotency-Key), its public status,
 * the streamer's list and stats, and the public client configuration.
 */
import { createHash } from 'node:crypto';
import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { enabledProviders, PROVIDERS, type Config, type ProviderName } from '../../shared/config.js';
import { NotFoundError, ValidationError } from '../../shared/errors.js';
import { DONATION_LIMITS, formatMoney, MAX_AMOUNT_MINOR, SUPPORTED_CURRENCIES } from '../../shared/money.js';
import { mediaShareFromWire } from '../../shared/media-share.js';
import { publicMediaShareRules } from '../../shared/media-share-quote.js';
import { checkText, normalizeWordFilterSettings } from '../../shared/word-filter.js';
import { defangLinks } from '../../shared/display-text.js';
import { messageText, nameText } from '../../shared/text.js';
import type { Checkout } from '../../proto/generated/mediashar/v1/Checkout.js';
import type { Donation } from '../../proto/generated/mediashar/v1/Donation.js';
import type { GatewayDeps } from '../gateway.deps.js';
import { clientIp } from '../http/client-ip.js';
import { rateLimit } from '../http/rate-limit.js';
import { readJson, validate, type GatewayState } from '../http/http.js';
import { bearerToken, currentUser, optionalUser, requireUser } from '../http/auth.js';
import type { StreamerRow } from '../accounts/gateway.db.js';
import { parseTypedAmount, requestLanguage as donorLanguage } from './typed-amount.js';
import {
  claimMediaShareCooldown,
  decideMediaShare,
  mediaShareRefusalError,
} from '../media-share/media-share-decision.js';
import { acceptedCurrencies, acceptedCurrency, publicCurrencies } from './accepted-currencies.js';
import { ANONYMOUS_DONOR_NAME } from '../../shared/queues.js';
import { moneyViewer, providerOptions, requestLanguage, visibleLinks } from '../accounts/profile.js';
import {
  createdBounds,
  csvBody,
  historyFilterShape,
  STATS_RANGES,
  statsRangeStart,
  timeZoneSchema,
} from './donation-history.js';

/** Body of POST /streamers/:username/donations. */
export const createDonationSchema = z.object({
  donorName: nameText(64),
  anonymous: z.boolean().default(false),
  amount: z.string({ error: 'must be a decimal string in major units, e.g. "50000" or "19.99"' }).max(32),
  currency: z.enum(SUPPORTED_CURRENCIES, `must be one of ${SUPPORTED_CURRENCIES.join(', ')}`).optional(),
  message: messageText(255).default(''),
  provider: z.enum(PROVIDERS, `must be one of ${PROVIDERS.join(', ')}`).default('sandbox'),
  mediaUrl: z.string().max(500).optional(),
  /**
   * Where to send the donor's receipt (and a refund notice). Kept encrypted in gateway_db apart
   * from the donation, never on the stream, a queue or a streamer's screen.
   */
  email: z.email('must be an email address').max(254, 'must be at most 254 characters').optional(),
  /** The donor agrees that the streamer may see the address (never shown otherwise). */
  shareEmail: z.boolean().default(false),
});

/** A page cursor as DonationService makes them; anything else would reach the SQL as a bad id. */
function isPageCursor(cursor: string): boolean {
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) return false;
  const [createdAt, id, ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  return (
    rest.length === 0 &&
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/.test(createdAt ?? '') &&
    !Number.isNaN(Date.parse(createdAt!)) &&
    z.uuid().safeParse(id).success
  );
}

/** Query of GET /me/donations. */
export const listDonationsQuerySchema = z.object({
  ...historyFilterShape,
  limit: z.coerce.number().int().min(1).max(100).default(20),
  /** `nextCursor` of the previous page: base64url of "<created ISO time>|<donation id>". */
  cursor: z
    .string()
    .max(200)
    .default('')
    .refine((v) => v === '' || isPageCursor(v), 'must be the nextCursor of a previous page'),
  status: z.enum(['pending', 'paid', 'failed', 'expired', 'refunded']).optional(),
  /** Word filter hold mode: `held` lists the messages waiting for the streamer's review. */
  messageReview: z.enum(['held', 'approved', 'rejected']).optional(),
});

/** Body of POST /me/donations/{id}/message-review: the streamer's decision on a held message. */
export const messageReviewSchema = z.object({
  decision: z.enum(['approve', 'reject'], 'must be "approve" or "reject"'),
});

/** Query of GET /me/donations.csv: the same filters, no paging. */
export const exportDonationsQuerySchema = z.object(historyFilterShape);

/** Query of GET /me/stats: a range (in the time zone tz), or the older `days` of the per-day series. */
export const statsQuerySchema = z.object({
  range: z.enum(STATS_RANGES, `must be one of ${STATS_RANGES.join(', ')}`).optional(),
  tz: timeZoneSchema.default('UTC'),
  days: z.coerce.number().int().min(1).max(366).default(30),
});

/**
 * A donation as the streamer's own history shows it (GET /me/donations and the message review).
 * `messageReview` is null, `held`, `approved` or `rejected`; `heldMessage` is the held text
 * while it waits (the streamer's eyes only; `message` is then empty).
 */
function streamerDonationView(d: Donation, money: ReturnType<typeof moneyViewer>) {
  return {
    id: d.id,
    donorName: d.donorName,
    anonymous: d.anonymous,
    amount: d.amount?.amountMinor,
    currency: d.amount?.currency,
    money: d.amount ? money(Number(d.amount.amountMinor), d.amount.currency) : null,
    message: d.message,
    messageReview: d.messageReview || null,
    heldMessage: d.messageReview === 'held' ? d.heldMessage || '' : null,
    status: d.status,
    provider: d.provider,
    test: d.provider === 'sandbox',
    // Proto defaults ('' / 0) are not values: fields the lookup did not learn are left out.
    mediaShare: mediaShareFromWire(d.mediaShare),
    createdAt: d.createdAt,
    paidAt: d.paidAt || null,
  };
}

/** The filters of a history query as DonationService takes them. */
function historyRequest(q: z.infer<typeof exportDonationsQuerySchema>) {
  return {
    status: q.status ?? '',
    search: q.q ?? '',
    provider: q.provider ?? '',
    currency: q.currency ?? '',
    ...createdBounds(q),
  };
}

export const idempotencyKeySchema = z
  .string()
  .regex(/^[\x21-\x7e]{1,255}$/, 'must be 1–255 visible ASCII characters');

/** Providers the page offers: the install's enabled ones that the streamer allows. */
export function offeredProviders(deps: GatewayDeps, streamer: StreamerRow): ProviderName[] {
  return enabledProviders(deps.config).filter((p) => streamer.settings.providers.includes(p));
}

/** The public view of a streamer. */
export function publicStreamer(deps: GatewayDeps, s: StreamerRow, ctx: Context) {
  const money = moneyViewer(ctx);
  const accepted = publicCurrencies(s);
  const acceptedCodes = new Set(acceptedCurrencies(s).map((c) => c.currency));
  return {
    id: s.userId,
    username: s.username,
    displayName: s.displayName,
    avatarUrl: s.avatarUrl,
    bio: s.settings.bio ?? '',
    links: visibleLinks(s.settings.links),
    currency: s.currency,
    minDonation: {
      amount: s.minDonationMinor,
      ...money(s.minDonationMinor, s.currency),
    },
    /** Preset amount buttons per accepted currency (minor units), ascending. */
    presets: Object.fromEntries(
      Object.entries(s.settings.presets ?? {})
        .filter(([c, list]) => acceptedCodes.has(c) && list.length)
        .map(([c, list]) => [c, list.map((m) => money(m, c))]),
    ),
    /** The offered providers with names for the reader's language (Accept-Language). */
    providerOptions: providerOptions(offeredProviders(deps, s), requestLanguage(ctx)),
    language: s.settings.language ?? 'id',
    /** Every currency the streamer accepts, with its minimum (the own currency first). */
    currencies: accepted,
    // Normalized (older rows get the defaults), without the hidden blocklists.
    mediaShare: publicMediaShareRules(s.settings.mediaShare),
    providers: offeredProviders(deps, s),
    goal: s.settings.goalMinor
      ? { amount: s.settings.goalMinor, currency: s.currency, title: s.settings.goalTitle }
      : null,
  };
}

/** Body of GET /config: what a client needs to know about this install (also embedded in the donor page). */
export function publicClientConfig(config: Config) {
  return {
    apiUrl: new URL('/api/v1', config.PUBLIC_URL).toString(),
    realtimeUrl: config.REALTIME_PUBLIC_URL,
    realtimeTransports: ['websocket'],
    providers: enabledProviders(config),
    currencies: SUPPORTED_CURRENCIES,
    midtransClientKey: config.MIDTRANS_CLIENT_KEY ?? null,
    limits: { messageMaxLength: 255, donorNameMaxLength: 64 },
    // Mail is on (SMTP_URL set): the donor page offers an email receipt.
    receipts: Boolean(config.SMTP_URL),
  };
}

function checkoutBody(c: Checkout) {
  return {
    url: c.url,
    expiresAt: c.expiresAt,
    provider: c.provider,
    orderId: c.orderId,
    extras: c.extras ?? {},
  };
}

export function donationsRouter(deps: GatewayDeps): Router {
  const { config, accounts, api } = deps;
  const router = new Router({ prefix: '/api/v1' });
  // The user's access token goes along: the services check the streamer a call acts for.
  const opts = (ctx: Context) => ({
    requestId: (ctx.state as GatewayState).requestId,
    accessToken: bearerToken(ctx),
  });

  router.get('/config', (ctx) => {
    ctx.body = publicClientConfig(config);
  });

  router.get('/streamers/:username', async (ctx) => {
    ctx.body = publicStreamer(deps, await accounts.streamerByUsername(ctx.params.username!), ctx);
  });

  const donationsPerIp = rateLimit(deps.redis, config.REDIS_PREFIX, {
    name: 'donations-ip',
    points: config.RATE_LIMIT_DONATIONS_PER_IP,
    durationS: 60,
    message: 'Too many donations from your address: wait a minute and try again',
  });
  const donationsPerStreamer = rateLimit(deps.redis, config.REDIS_PREFIX, {
    name: 'donations-streamer',
    points: config.RATE_LIMIT_DONATIONS_PER_STREAMER,
    durationS: 60,
    message: 'This streamer is receiving too many donations right now: try again in a minute',
  });
  router.post('/streamers/:username/donations', optionalUser(config), async (ctx) => {
    const state = ctx.state as GatewayState;
    const streamer = await accounts.streamerByUsername(ctx.params.username!);
    const body = validate(createDonationSchema, await readJson(ctx));
    // Each donation may start a real provider checkout: bounded per donor address and per streamer.
    await donationsPerIp.consume(clientIp(ctx));
    await donationsPerStreamer.consume(streamer.userId);
    const idempotencyKey = ctx.get('idempotency-key')
      ? validate(z.object({ 'Idempotency-Key': idempotencyKeySchema }), {
          'Idempotency-Key': ctx.get('idempotency-key'),
        })['Idempotency-Key']
      : '';
    const currency = body.currency ?? streamer.currency;
    // Only the currencies the streamer accepts, each with its own minimum (a minimum in rupiah
    // cannot be bypassed by donating US$1.00 or ¥100).
    const minimum = acceptedCurrency(streamer, currency).minMinor;
    const money = parseTypedAmount(ctx, body.amount, currency);
    const cap = DONATION_LIMITS[currency]?.[1] ?? MAX_AMOUNT_MINOR;
    if (money.amountMinor < minimum) {
      const min = formatMoney(minimum, currency);
      throw new ValidationError(`amount is below this streamer's minimum of ${min}`, {
        fields: { amount: `must be at least ${min}` },
      });
    }
    if (money.amountMinor > cap) {
      const max = formatMoney(cap, currency);
      throw new ValidationError(`amount is above the largest donation of ${max}`, {
        fields: { amount: `must be at most ${max}` },
      });
    }
    if (!offeredProviders(deps, streamer).includes(body.provider)) {
      throw new ValidationError(`provider "${body.provider}" is not offered by this streamer`, {
        fields: { provider: `must be one of: ${offeredProviders(deps, streamer).join(', ')}` },
      });
    }
    // The very decision of POST /streamers/:username/media-share/quote (media share off, platform,
    // channels, title words, minimum, price, cooldown): what the donor was quoted is what the
    // donation gets (seconds of play, metadata), or the same refusal in the same words.
    let mediaShare = null;
    let cooldown = { release: () => Promise.resolve() };
    if (body.mediaUrl) {
      const input = {
        streamer,
        mediaUrl: body.mediaUrl,
        amount: money,
        // The quote's reading of Accept-Language, so both answer in the same words.
        language: donorLanguage(ctx),
        donor: { ip: clientIp(ctx), userId: state.user?.id },
        claimsCooldown: true,
      };
      const decision = await decideMediaShare(deps, input);
      if (!decision.quote.allowed) throw mediaShareRefusalError(decision.quote);
      mediaShare = decision.media;
      // Last of the checks: a donation refused for another reason starts no cooldown.
      cooldown = await claimMediaShareCooldown(deps, input, decision, idempotencyKey);
    }
    // The same function as POST /me/word-filter/check: a listed word never reaches the stream.
    // In `hold` mode a flagged message is kept for the streamer's review and the donation goes
    // through without it; a name cannot wait (the alert needs one), so it is masked in both
    // modes. An anonymous donor's real name goes nowhere: not to donation_db, a queue, the
    // event stream, the checkout or the idempotency hash.
    // Links are stored defanged ("judi[.]online", "hxxps://…"), so no place that shows the
    // text (overlay, widgets, dashboard, webhooks) can make them clickable.
    const filter = normalizeWordFilterSettings(streamer.settings.wordFilter);
    const donorName = body.anonymous
      ? ANONYMOUS_DONOR_NAME
      : defangLinks(checkText(body.donorName, filter).masked);
    const checked = checkText(body.message, filter);
    const held = filter.mode === 'hold' && checked.flagged;
    const message = held ? '' : defangLinks(checked.masked);
    const requestHash = createHash('sha256')
      .update(
        JSON.stringify([
          streamer.userId,
          body.anonymous ? ANONYMOUS_DONOR_NAME : body.donorName,
          body.anonymous,
          money.amountMinor,
          currency,
          body.message,
          body.provider,
          body.mediaUrl ?? '',
        ]),
      )
      .digest('hex');
    const checkoutDescription = `Donation to ${streamer.displayName}`;
    const created = await api.donation
      .createDonation(
        {
          streamerId: streamer.userId,
          donorName,
          donorUserId: state.user?.id ?? '',
          anonymous: body.anonymous,
          amount: money,
          message,
          heldMessage: held ? defangLinks(body.message) : '',
          provider: body.provider,
          idempotencyKey,
          requestHash,
          mediaShare,
          requestId: state.requestId,
          // DonationService queues the checkout with the row it writes (amount from the row).
          startCheckout: true,
          checkoutDescription,
        },
        opts(ctx),
      )
      .catch(async (err: unknown) => {
        // Not accepted: the donor's next clip must not wait for this one.
        await cooldown.release().catch(() => undefined);
        throw err;
      });
    if (body.email && created.created)
      await deps.notifications.saveDonorContact({
        donationId: created.donationId,
        streamerId: streamer.userId,
        email: body.email,
        language: donorLanguage(ctx) === 'id' ? 'id' : 'en',
        shareWithStreamer: body.shareEmail,
      });
    const checkout = await api.payment.createCheckout(
      {
        donationId: created.donationId,
        provider: body.provider,
        amount: money,
        donorName,
        description: checkoutDescription,
        waitMs: config.CHECKOUT_WAIT_MS,
      },
      { ...opts(ctx), deadlineMs: config.CHECKOUT_WAIT_MS + 2000 },
    );
    const statusUrl = new URL(`/api/v1/donations/${created.donationId}`, config.PUBLIC_URL).toString();
    if (!created.created) ctx.set('Idempotent-Replayed', 'true');
    ctx.set('Location', statusUrl);
    if (checkout.state === 'creating') {
      ctx.status = 202;
      ctx.body = { id: created.donationId, status: 'pending', statusUrl };
      return;
    }
    ctx.status = 201;
    ctx.body = {
      id: created.donationId,
      status: checkout.state === 'failed' ? 'failed' : checkout.paymentStatus,
      amount: money.amountMinor,
      currency,
      checkout: checkoutBody(checkout),
      statusUrl,
    };
  });

  router.get('/donations/:id', async (ctx) => {
    const id = ctx.params.id!;
    if (!z.uuid().safeParse(id).success) throw new NotFoundError(`Donation ${id} not found`);
    const [donation, checkout] = await Promise.all([
      api.donation.getDonation({ donationId: id }, opts(ctx)).catch((err: unknown) => {
        if ((err as { code?: string }).code === 'NOT_FOUND') return null;
        throw err;
      }),
      api.payment.getCheckout({ donationId: id }, opts(ctx)).catch((err: unknown) => {
        if ((err as { code?: string }).code === 'NOT_FOUND') return null;
        throw err;
      }),
    ]);
    if (!donation && !checkout) throw new NotFoundError(`Donation ${id} not found`);
    // `?streamer=1`: whom the donation is for (the status page of a donation not made on this
    // browser asks once); public profile fields only.
    const streamer =
      ctx.query.streamer === '1' && donation?.streamerId
        ? await deps.accounts.streamerById(donation.streamerId).catch(() => null)
        : undefined;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = {
      id,
      ...(streamer !== undefined
        ? { streamer: streamer && { username: streamer.username, displayName: streamer.displayName } }
        : {}),
      status: donation?.status ?? (checkout?.state === 'failed' ? 'failed' : 'pending'),
      amount: donation?.amount?.amountMinor ?? null,
      currency: donation?.amount?.currency ?? null,
      formattedAmount: donation?.amount
        ? formatMoney(donation.amount.amountMinor, donation.amount.currency)
        : null,
      createdAt: donation?.createdAt ?? null,
      paidAt: donation?.paidAt || null,
      // When the alert went onto the stream to the overlay ("on its way to the stream").
      alertedAt: donation?.alertPublishedAt || null,
      payment: checkout
        ? { provider: checkout.provider, orderId: checkout.orderId, status: checkout.paymentStatus }
        : null,
      checkout:
        checkout && checkout.state === 'ready' && checkout.paymentStatus === 'pending'
          ? checkoutBody(checkout)
          : null,
    };
  });

  router.get('/me/donations', requireUser(config, 'streamer'), async (ctx) => {
    const query = validate(listDonationsQuerySchema, ctx.query);
    const page = await api.donation.listDonations(
      {
        streamerId: currentUser(ctx).id,
        pageSize: query.limit,
        cursor: query.cursor,
        ...historyRequest(query),
        messageReview: query.messageReview ?? '',
      },
      opts(ctx),
    );
    const money = moneyViewer(ctx);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = {
      donations: (page.donations ?? []).map((d) => streamerDonationView(d, money)),
      nextCursor: page.nextCursor || null,
    };
  });

  // Word filter hold mode: the streamer approves (the text goes through) or rejects (the text
  // is dropped) a held message. Answers the donation as the history lists it.
  router.post('/me/donations/:id/message-review', requireUser(config, 'streamer'), async (ctx) => {
    const id = ctx.params.id ?? '';
    if (!z.uuid().safeParse(id).success) throw new NotFoundError(`Donation ${id} not found`);
    const body = validate(messageReviewSchema, await readJson(ctx));
    const donation = await api.donation.reviewDonationMessage(
      { streamerId: currentUser(ctx).id, donationId: id, decision: body.decision },
      opts(ctx),
    );
    ctx.set('Cache-Control', 'no-store');
    ctx.body = streamerDonationView(donation, moneyViewer(ctx));
  });

  // The filtered history as CSV, streamed from DonationService (bounded memory at any size).
  router.get('/me/donations.csv', requireUser(config, 'streamer'), async (ctx) => {
    const query = validate(exportDonationsQuerySchema, ctx.query);
    const user = currentUser(ctx);
    const stream = api.donation.exportDonations({ streamerId: user.id, ...historyRequest(query) }, opts(ctx));
    const body = await csvBody(stream);
    ctx.set('Cache-Control', 'no-store');
    ctx.set(
      'Content-Disposition',
      `attachment; filename="donations-${user.username ?? 'export'}-${new Date().toISOString().slice(0, 10)}.csv"`,
    );
    ctx.type = 'text/csv; charset=utf-8';
    ctx.body = body;
  });

  router.get('/me/stats', requireUser(config, 'streamer'), async (ctx) => {
    const query = validate(statsQuerySchema, ctx.query);
    const range = query.range ? statsRangeStart(query.range, query.tz) : { paidFrom: '', days: query.days };
    const stats = await api.donation.getStats(
      { streamerId: currentUser(ctx).id, days: range.days, paidFrom: range.paidFrom, timeZone: query.tz },
      opts(ctx),
    );
    const money = moneyViewer(ctx);
    const sum = (t: { currency: string; totalMinor: number | string; count: number | string }) => ({
      currency: t.currency,
      total: Number(t.totalMinor),
      count: Number(t.count),
      totalMoney: money(Number(t.totalMinor), t.currency),
    });
    const lang = requestLanguage(ctx);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = {
      range: query.range ?? null,
      timeZone: query.tz,
      from: range.paidFrom || null,
      count: Number(stats.count),
      totals: (stats.totals ?? []).map((t) => ({
        ...sum(t),
        average: Number(t.averageMinor),
        averageMoney: money(Number(t.averageMinor), t.currency),
      })),
      perProvider: (stats.perProvider ?? []).map((p) => ({
        provider: p.provider,
        name: providerOptions([p.provider as ProviderName], lang)[0]?.name ?? p.provider,
        ...sum(p),
      })),
      topDonors: (stats.topDonors ?? []).map((t) => ({ donorName: t.donorName, ...sum(t) })),
      perDay: (stats.perDay ?? []).map((d) => ({ day: d.day, ...sum(d) })),
      test: { count: Number(stats.testCount ?? 0) },
    };
  });

  return router;
}
