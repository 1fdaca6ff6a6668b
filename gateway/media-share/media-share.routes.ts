/**
 * The donor's media-share quote: before paying, what a link and an amount buy under the
 * streamer's rules (seconds of play, or why the clip is refused, in the donor's language).
 */
import Router from '@koa/router';
import { z } from 'zod';
import { SUPPORTED_CURRENCIES } from '../../shared/money.js';
import type { GatewayDeps } from '../gateway.deps.js';
import { readJson, validate, type GatewayState } from '../http/http.js';
import { optionalUser } from '../http/auth.js';
import { clientIp } from '../http/client-ip.js';
import { rateLimit } from '../http/rate-limit.js';
import { parseTypedAmount, requestLanguage } from '../donations/typed-amount.js';
import { decideMediaShare } from './media-share-decision.js';

/** Body of POST /streamers/:username/media-share/quote. */
export const mediaShareQuoteSchema = z.object({
  mediaUrl: z.string({ error: 'is required' }).min(1, 'is required').max(500),
  amount: z.string({ error: 'must be a decimal string in major units, e.g. "50000" or "19.99"' }).max(32),
  currency: z.enum(SUPPORTED_CURRENCIES, `must be one of ${SUPPORTED_CURRENCIES.join(', ')}`).optional(),
});

/** Options of the quote router. */
export interface MediaShareRouterOptions {
  /** fetch used to follow short TikTok links (default: the global fetch). */
  fetch?: typeof fetch;
}

export function mediaShareRouter(deps: GatewayDeps, options: MediaShareRouterOptions = {}): Router {
  const { config, accounts } = deps;
  const router = new Router({ prefix: '/api/v1' });
  // The page asks as the donor types; a short link costs an outgoing request.
  const quotesPerIp = rateLimit(deps.redis, config.REDIS_PREFIX, {
    name: 'media-quote-ip',
    points: 120,
    durationS: 60,
    message: 'Too many media-share quotes from your address: wait a minute and try again',
  });

  // A signed-in donor's token counts toward the cooldown as donation creation does.
  router.post('/streamers/:username/media-share/quote', optionalUser(config), async (ctx) => {
    const streamer = await accounts.streamerByUsername(ctx.params.username!);
    const body = validate(mediaShareQuoteSchema, await readJson(ctx));
    await quotesPerIp.consume(clientIp(ctx));
    const currency = body.currency ?? streamer.currency;
    const amount = parseTypedAmount(ctx, body.amount, currency);
    const { quote, metadata } = await decideMediaShare(deps, {
      streamer,
      mediaUrl: body.mediaUrl,
      amount,
      language: requestLanguage(ctx),
      donor: { ip: clientIp(ctx), userId: (ctx.state as GatewayState).user?.id },
      fetch: options.fetch,
    });
    const { platform, videoId, startSeconds, seconds, allowed, reason, review } = quote;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = {
      platform,
      videoId,
      startSeconds,
      seconds,
      allowed,
      reason,
      review,
      title: metadata.title ?? null,
      channel: metadata.channel ?? null,
      thumbnailUrl: metadata.thumbnailUrl ?? null,
    };
  });

  return router;
}
