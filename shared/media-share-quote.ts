/**
 * The streamer's media-share rules and the quote a donor sees before paying: how many seconds
 * of the clip an amount buys, or why the clip is refused. Pure: the quote endpoint and the
 * donation path call the same {@link quoteMediaShare} with the same inputs (the clip, its
 * metadata when the lookup answered, and the donor's cooldown), so they cannot disagree.
 */
import { z } from 'zod';
import { formatMoney, type Money } from './money.js';
import type { MediaMetadata } from './media-metadata.js';
import type { MediaShare } from './queues.js';
import { checkText } from './word-filter.js';

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
 * - `holdForApproval`: every clip waits for the streamer's approval (`review: true` on the
 *   donation's media share) [false].
 * - `refundOnReject`: the default choice offered when the streamer rejects a held clip [true].
 * - `blockedChannels`: channels whose clips are refused: YouTube channel ids (`UC…`), `@handles`,
 *   TikTok usernames (with or without `@`) or those channels' page links; compared
 *   case-insensitively (see {@link channelKey}) [none].
 * - `onlyAllowedChannels` + `allowedChannels`: when on, only clips of the listed channels are
 *   taken (same forms as `blockedChannels`) [off, none].
 * - `blockedWords`: words or phrases refused in a clip's title, matched by the word filter
 *   (whole words, seeing through spacing, leetspeak, accents and look-alike letters) [none].
 * - `cooldownS`: seconds a donor waits after a donation with a clip before the next clip, per
 *   streamer (0 = none) [0]. Who counts as one donor is the caller's choice (the gateway: the
 *   client address and the signed-in account).
 */
export interface MediaShareRules {
  enabled: boolean;
  minMinor: number;
  minByCurrency: Record<string, number>;
  platforms: MediaShare['platform'][];
  pricePerSecondMinor: Record<string, number>;
  maxSeconds: number;
  holdForApproval: boolean;
  refundOnReject: boolean;
  blockedChannels: string[];
  onlyAllowedChannels: boolean;
  allowedChannels: string[];
  blockedWords: string[];
  cooldownS: number;
}

/** Most entries of `blockedChannels` and of `allowedChannels`. */
export const MAX_CHANNEL_ENTRIES = 200;
/** Most entries of `blockedWords` (as many as the word filter takes). */
export const MAX_BLOCKED_WORDS = 500;
/** Longest `cooldownS`: one day. */
export const MAX_COOLDOWN_S = 86_400;

const minor = z.number().int().min(0);
const storedList = z.array(z.string()).catch([]);
const rulesSchema = z.object({
  enabled: z.boolean().catch(true),
  minMinor: minor.catch(0),
  minByCurrency: z.record(z.string().length(3), minor).catch({}),
  platforms: z.array(z.enum(['youtube', 'tiktok'])).catch(['youtube', 'tiktok']),
  pricePerSecondMinor: z.record(z.string().length(3), z.number().int().min(1)).catch({}),
  maxSeconds: z.number().int().min(1).max(3600).catch(30),
  holdForApproval: z.boolean().catch(false),
  refundOnReject: z.boolean().catch(true),
  blockedChannels: storedList,
  onlyAllowedChannels: z.boolean().catch(false),
  allowedChannels: storedList,
  blockedWords: storedList,
  cooldownS: z.number().int().min(0).max(MAX_COOLDOWN_S).catch(0),
});

/**
 * The comparable form of a channel entry or of a clip's channel id: trimmed, a pasted channel
 * page link (`youtube.com/@name`, `youtube.com/channel/UC…`, `/c/name`, `/user/name`,
 * `tiktok.com/@user`) reduced to its id or handle, percent-escapes decoded, the leading `@`
 * dropped (a TikTok username is typed both ways) and lower-cased. '' when nothing is left.
 */
export function channelKey(entry: string): string {
  let v = entry.trim();
  if (/^(?:https?:\/\/)?(?:[a-z0-9-]+\.)*(?:youtube\.com|tiktok\.com)\//i.test(v)) {
    try {
      const parts = new URL(/^https?:/i.test(v) ? v : `https://${v}`).pathname.split('/').filter(Boolean);
      const [first, second] = parts;
      v = first?.startsWith('@')
        ? first
        : ['channel', 'c', 'user'].includes(first ?? '')
          ? (second ?? '')
          : '';
    } catch {
      v = '';
    }
  }
  try {
    v = decodeURIComponent(v);
  } catch {
    /* keep it as typed */
  }
  return v.replace(/^@+/, '').normalize('NFC').toLowerCase();
}

const channelEntry = z
  .string()
  .trim()
  .max(200, 'must be at most 200 characters')
  .refine((v) => {
    const key = channelKey(v);
    return key !== '' && !/[\s/?#]/.test(key);
  }, 'must be a channel id (UC…), an @handle, a TikTok username or a channel link');
const channelList = z
  .array(channelEntry)
  .max(MAX_CHANNEL_ENTRIES, `must have at most ${MAX_CHANNEL_ENTRIES} channels`);

const currencyCode = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as "IDR"');

/**
 * A change of the rules through PATCH /me/settings (`mediaShare`): every field optional, unknown
 * fields refused; amounts are integer minor units per ISO 4217 currency, `cooldownS` seconds.
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
  holdForApproval: z.boolean().optional(),
  refundOnReject: z.boolean().optional(),
  blockedChannels: channelList.optional(),
  onlyAllowedChannels: z.boolean().optional(),
  allowedChannels: channelList.optional(),
  blockedWords: z
    .array(z.string().trim().min(1, 'must not be empty').max(50, 'must be at most 50 characters'))
    .max(MAX_BLOCKED_WORDS, `must have at most ${MAX_BLOCKED_WORDS} words`)
    .optional(),
  cooldownS: z
    .number()
    .int('must be whole seconds')
    .min(0, 'must be 0 (none) or more')
    .max(MAX_COOLDOWN_S, `must be at most ${MAX_COOLDOWN_S} (one day)`)
    .optional(),
});

/** Reads stored rules of any age; missing or unreadable fields take their defaults. */
export function normalizeMediaShareRules(value: unknown): MediaShareRules {
  const v = value && typeof value === 'object' ? value : {};
  return rulesSchema.parse(v);
}

/**
 * The rules as a donor page may see them (GET /streamers/:username): everything that tells the
 * donor what a clip needs, but not the blocked channels and words (a published blocklist is a
 * list of what to disguise) nor the streamer's refund default.
 */
export function publicMediaShareRules(
  value: unknown,
): Omit<MediaShareRules, 'blockedChannels' | 'blockedWords' | 'refundOnReject'> {
  const rules: Partial<MediaShareRules> = normalizeMediaShareRules(value);
  delete rules.blockedChannels;
  delete rules.blockedWords;
  delete rules.refundOnReject;
  return rules as Omit<MediaShareRules, 'blockedChannels' | 'blockedWords' | 'refundOnReject'>;
}

/** Why a clip is refused, as a stable code. */
export type MediaShareRefusal =
  | 'disabled'
  | 'platform'
  | 'channel_blocked'
  | 'channel_not_allowed'
  | 'word_blocked'
  | 'below_minimum'
  | 'too_little'
  | 'cooldown';

/** What the quote knows besides the link, the amount and the rules. */
export interface MediaShareQuoteContext {
  /**
   * The clip's metadata when the lookup answered; `{}` or absent when it did not. Without a
   * title the blocked words cannot match; without a channel id a blocked channel cannot match,
   * but "only these channels" refuses (an unchecked channel is not one of the chosen).
   */
  metadata?: MediaMetadata;
  /** Seconds left of this donor's cooldown with this streamer; 0 or absent = none. */
  cooldownLeftS?: number;
}

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
  /** true: the streamer approves each clip before it plays (`holdForApproval`). */
  review: boolean;
}

type Language = 'en' | 'id';

interface ReasonParams {
  min: string;
  platform: string;
  /** The wait left, worded ("45 s", "3 min"). */
  wait: string;
  /** false: the clip's channel could not be looked up. */
  channelKnown: boolean;
}

const REASONS: Record<Language, Record<MediaShareRefusal, (p: ReasonParams) => string>> = {
  en: {
    disabled: () => 'This streamer does not take media shares',
    platform: ({ platform }) => `This streamer does not take ${platform} clips`,
    channel_blocked: () => 'This streamer does not take clips from this channel',
    channel_not_allowed: ({ channelKnown }) =>
      channelKnown
        ? 'This streamer only takes clips from chosen channels'
        : "This streamer only takes clips from chosen channels, and this clip's channel could not be checked right now",
    word_blocked: () => "This clip's title has a word this streamer does not allow",
    below_minimum: ({ min }) => `A clip needs at least ${min}`,
    too_little: ({ min }) => `This amount buys less than one second of play; a second costs ${min}`,
    cooldown: ({ wait }) => `You sent a clip a moment ago: you can send another in ${wait}`,
  },
  id: {
    disabled: () => 'Streamer ini tidak menerima media share',
    platform: ({ platform }) => `Streamer ini tidak menerima klip ${platform}`,
    channel_blocked: () => 'Streamer ini tidak menerima klip dari channel ini',
    channel_not_allowed: ({ channelKnown }) =>
      channelKnown
        ? 'Streamer ini hanya menerima klip dari channel pilihan'
        : 'Streamer ini hanya menerima klip dari channel pilihan, dan channel klip ini belum bisa diperiksa saat ini',
    word_blocked: () => 'Judul klip ini memuat kata yang tidak diizinkan streamer ini',
    below_minimum: ({ min }) => `Klip butuh minimal ${min}`,
    too_little: ({ min }) => `Jumlah ini kurang dari satu detik tayang; satu detik seharga ${min}`,
    cooldown: ({ wait }) => `Kamu baru saja mengirim klip: kamu bisa mengirim lagi dalam ${wait}`,
  },
};

const PLATFORM_NAMES: Record<MediaShare['platform'], string> = { youtube: 'YouTube', tiktok: 'TikTok' };

/** A wait in seconds as words: seconds under two minutes, else whole minutes rounded up. */
function waitWords(seconds: number, language: Language): string {
  const s = Math.max(1, Math.ceil(seconds));
  if (s < 120) return language === 'id' ? `${s} detik` : `${s} s`;
  const min = Math.ceil(s / 60);
  return language === 'id' ? `${min} menit` : `${min} min`;
}

/** The comparable forms of a clip's channel (its id and its handle, when known). */
function clipChannelKeys(metadata: MediaMetadata): Set<string> {
  return new Set(
    [metadata.channelId, metadata.channelHandle].flatMap((v) => (v ? [channelKey(v)] : [])).filter(Boolean),
  );
}

const listHas = (list: readonly string[], keys: Set<string>) => list.some((e) => keys.has(channelKey(e)));

/**
 * Quotes a clip: seconds = floor(amount / price per second) in the donation's currency, capped at
 * `maxSeconds` (the whole `maxSeconds` when that currency has no price). Refused, in this order,
 * when media share is off, the platform is not allowed, the channel is blocked or (in "only these
 * channels" mode) not listed or unknown, the title has a blocked word, the amount is under the
 * minimum for its currency or buys less than one second, or the donor is in a cooldown.
 * `streamerCurrency` is the currency `minMinor` is in; `context` carries the clip's metadata and
 * the donor's cooldown (see {@link MediaShareQuoteContext}).
 */
export function quoteMediaShare(
  media: MediaShare,
  amount: Money,
  rulesValue: unknown,
  streamerCurrency: string,
  language: Language = 'en',
  context: MediaShareQuoteContext = {},
): MediaShareQuote {
  const rules = normalizeMediaShareRules(rulesValue);
  const metadata = context.metadata ?? {};
  const base = {
    platform: media.platform,
    videoId: media.videoId,
    startSeconds: media.startS,
    review: rules.holdForApproval,
  };
  const min =
    rules.minByCurrency[amount.currency] ?? (amount.currency === streamerCurrency ? rules.minMinor : 0);
  const price = rules.pricePerSecondMinor[amount.currency];
  const channels = clipChannelKeys(metadata);
  const refuse = (refusal: MediaShareRefusal, money = min): MediaShareQuote => ({
    ...base,
    seconds: 0,
    allowed: false,
    refusal,
    reason: REASONS[language][refusal]({
      min: formatMoney(money, amount.currency),
      platform: PLATFORM_NAMES[media.platform],
      wait: waitWords(context.cooldownLeftS ?? 0, language),
      channelKnown: channels.size > 0,
    }),
  });
  if (!rules.enabled) return refuse('disabled');
  if (!rules.platforms.includes(media.platform)) return refuse('platform');
  // An unknown channel passes a blocklist (a failed lookup never blocks a clip) but not an
  // allowlist: "only these channels" must not let through a clip nobody could check.
  if (listHas(rules.blockedChannels, channels)) return refuse('channel_blocked');
  if (rules.onlyAllowedChannels && !listHas(rules.allowedChannels, channels))
    return refuse('channel_not_allowed');
  if (
    metadata.title &&
    rules.blockedWords.length > 0 &&
    checkText(metadata.title, { mode: 'mask', lists: { en: false, id: false }, words: rules.blockedWords })
      .flagged
  )
    return refuse('word_blocked');
  if (amount.amountMinor < min) return refuse('below_minimum');
  const bought = price ? Math.floor(amount.amountMinor / price) : rules.maxSeconds;
  if (bought < 1) return refuse('too_little', price);
  if (rules.cooldownS > 0 && (context.cooldownLeftS ?? 0) > 0) return refuse('cooldown');
  return { ...base, seconds: Math.min(bought, rules.maxSeconds), allowed: true, reason: null, refusal: null };
}
