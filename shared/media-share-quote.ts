/**
 * The streamer's media-share rules and the quote a donor sees before paying: how many seconds
 * of the clip an amount buys, or why the clip is refused. Pure: the quote endpoint and the
 * donation path are meant to call the same {@link quoteMediaShare}.
 */
import { z } from 'zod';
import { formatMoney, type Money } from './money.js';
import type { MediaShare } from './queues.js';

/**
 * Media-share rules, kept in the streamer's settings (`settings.mediaShare`). Only `enabled`
 * and `minMinor` exist in older rows; every other field has a default.
 * - `enabled`: media share on or off.
 * - `minMinor`: minimum amount for a clip in the streamer's own currency, minor units (0 = none).
 * - `minByCurrency`: minimum per accepted currency, minor units; overrides `minMinor`.
 * - `platforms`: platforms allowed (default both).
 * - `pricePerSecondMinor`: what one second costs per currency, minor units; a currency without a
 *   price buys `maxSeconds` whatever the amount (today's behaviour).
 * - `maxSeconds`: longest play of one clip, seconds (default 30).
 */
export interface MediaShareRules {
  enabled: boolean;
  minMinor: number;
  minByCurrency: Record<string, number>;
  platforms: MediaShare['platform'][];
  pricePerSecondMinor: Record<string, number>;
  maxSeconds: number;
}

const minor = z.number().int().min(0);
const rulesSchema = z.object({
  enabled: z.boolean().catch(true),
  minMinor: minor.catch(0),
  minByCurrency: z.record(z.string().length(3), minor).catch({}),
  platforms: z.array(z.enum(['youtube', 'tiktok'])).catch(['youtube', 'tiktok']),
  pricePerSecondMinor: z.record(z.string().length(3), z.number().int().min(1)).catch({}),
  maxSeconds: z.number().int().min(1).max(3600).catch(30),
});

const currencyCode = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as "IDR"');

/**
 * A change of the rules through PATCH /me/settings (`mediaShare`): every field optional, unknown
 * fields refused; amounts are integer minor units per ISO 4217 currency.
 */
export const mediaShareRulesPatchSchema = z.strictObject({
  enabled: z.boolean().optional(),
  minByCurrency: z
    .record(currencyCode, z.number().int('must be whole minor units').min(0).max(1e12))
    .optional(),
  platforms: z
    .array(z.enum(['youtube', 'tiktok'], 'must be "youtube" or "tiktok"'))
    .max(2)
    .optional(),
  pricePerSecondMinor: z
    .record(currencyCode, z.number().int('must be whole minor units').min(1).max(1e12))
    .optional(),
  maxSeconds: z.number().int().min(1, 'must be at least 1').max(3600, 'must be at most 3600').optional(),
});

/** Reads stored rules of any age; missing or unreadable fields take their defaults. */
export function normalizeMediaShareRules(value: unknown): MediaShareRules {
  const v = value && typeof value === 'object' ? value : {};
  return rulesSchema.parse(v);
}

/** Why a clip is refused, as a stable code. */
export type MediaShareRefusal = 'disabled' | 'platform' | 'below_minimum' | 'too_little';

/** The quote: what the amount buys, or why not. */
export interface MediaShareQuote {
  platform: MediaShare['platform'];
  videoId: string;
  startSeconds: number;
  /** Seconds of play the amount buys, capped at the streamer's maximum (0 when refused). */
  seconds: number;
  allowed: boolean;
  /** Why not, in the donor's language; null when allowed. */
  reason: string | null;
  /** The refusal as a code; null when allowed. */
  refusal: MediaShareRefusal | null;
}

type Language = 'en' | 'id';

const REASONS: Record<
  Language,
  Record<MediaShareRefusal, (p: { min: string; platform: string }) => string>
> = {
  en: {
    disabled: () => 'This streamer does not take media shares',
    platform: ({ platform }) => `This streamer does not take ${platform} clips`,
    below_minimum: ({ min }) => `A clip needs at least ${min}`,
    too_little: ({ min }) => `This amount buys less than one second of play; a second costs ${min}`,
  },
  id: {
    disabled: () => 'Streamer ini tidak menerima media share',
    platform: ({ platform }) => `Streamer ini tidak menerima klip ${platform}`,
    below_minimum: ({ min }) => `Klip butuh minimal ${min}`,
    too_little: ({ min }) => `Jumlah ini kurang dari satu detik tayang; satu detik seharga ${min}`,
  },
};

const PLATFORM_NAMES: Record<MediaShare['platform'], string> = { youtube: 'YouTube', tiktok: 'TikTok' };

/**
 * Quotes a clip: seconds = floor(amount / price per second) in the donation's currency, capped at
 * `maxSeconds` (the whole `maxSeconds` when that currency has no price); refused when media share
 * is off, the platform is not allowed, the amount is under the minimum for its currency, or it
 * buys less than one second. `streamerCurrency` is the currency `minMinor` is in.
 */
export function quoteMediaShare(
  media: MediaShare,
  amount: Money,
  rulesValue: unknown,
  streamerCurrency: string,
  language: Language = 'en',
): MediaShareQuote {
  const rules = normalizeMediaShareRules(rulesValue);
  const base = { platform: media.platform, videoId: media.videoId, startSeconds: media.startS };
  const min =
    rules.minByCurrency[amount.currency] ?? (amount.currency === streamerCurrency ? rules.minMinor : 0);
  const price = rules.pricePerSecondMinor[amount.currency];
  const refuse = (refusal: MediaShareRefusal, money = min): MediaShareQuote => ({
    ...base,
    seconds: 0,
    allowed: false,
    refusal,
    reason: REASONS[language][refusal]({
      min: formatMoney(money, amount.currency),
      platform: PLATFORM_NAMES[media.platform],
    }),
  });
  if (!rules.enabled) return refuse('disabled');
  if (!rules.platforms.includes(media.platform)) return refuse('platform');
  if (amount.amountMinor < min) return refuse('below_minimum');
  const bought = price ? Math.floor(amount.amountMinor / price) : rules.maxSeconds;
  if (bought < 1) return refuse('too_little', price);
  return { ...base, seconds: Math.min(bought, rules.maxSeconds), allowed: true, reason: null, refusal: null };
}
