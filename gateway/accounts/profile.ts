/**
 * The streamer's public profile fields (bio, channel links, preset amounts, overlay language),
 * their validation, and amounts as the API returns them: `{minor, currency, exponent,
 * formatted}` in the reader's language.
 */
import type { Context } from 'koa';
import { z } from 'zod';
import {
  currencyExponent,
  DONATION_LIMITS,
  formatMoney,
  MAX_AMOUNT_MINOR,
  SUPPORTED_CURRENCIES,
} from '../../shared/money.js';
import type { ProviderName } from '../../shared/config.js';
import { AMOUNT_REFUSAL_MESSAGES, formatAmount, parseAmountInput } from '../../shared/amount-input.js';
import { ValidationError } from '../../shared/errors.js';

/** Languages of the web app, the overlay and text-to-speech. */
export const LANGUAGES = ['id', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Channel platforms a streamer can link, with the hosts each link must be on. */
export const LINK_HOSTS = {
  youtube: ['youtube.com', 'www.youtube.com', 'm.youtube.com', 'youtu.be'],
  twitch: ['twitch.tv', 'www.twitch.tv', 'm.twitch.tv'],
  tiktok: ['tiktok.com', 'www.tiktok.com', 'm.tiktok.com', 'vm.tiktok.com'],
  instagram: ['instagram.com', 'www.instagram.com'],
} as const;
export type LinkPlatform = keyof typeof LINK_HOSTS;
export type ChannelLinks = Partial<Record<LinkPlatform, string>>;

const PLATFORM_NAMES: Record<LinkPlatform, string> = {
  youtube: 'YouTube',
  twitch: 'Twitch',
  tiktok: 'TikTok',
  instagram: 'Instagram',
};

/** A link to a channel on `platform`: https, on one of its hosts, with a path; '' clears it. */
function channelLink(platform: LinkPlatform) {
  const name = PLATFORM_NAMES[platform];
  const hosts: readonly string[] = LINK_HOSTS[platform];
  return z.union([
    z.literal(''),
    z
      .string()
      .trim()
      .max(300, 'must be at most 300 characters')
      .refine((v) => {
        try {
          const url = new URL(v);
          return (
            url.protocol === 'https:' &&
            hosts.includes(url.hostname.toLowerCase()) &&
            url.pathname.length > 1 &&
            !url.username &&
            !url.password
          );
        } catch {
          return false;
        }
      }, `must be an https:// link to your ${name} page (${hosts[0]}/…)`),
  ]);
}

export const linksSchema = z.strictObject({
  youtube: channelLink('youtube').optional(),
  twitch: channelLink('twitch').optional(),
  tiktok: channelLink('tiktok').optional(),
  instagram: channelLink('instagram').optional(),
});

/**
 * Preset amounts per currency as sent: integer minor units, or text as the streamer typed it
 * ("50.000", "Rp 50.000", "5.00"), read in the request's language by {@link readSettingsAmounts},
 * which also applies the count and range rules (worded in that language).
 */
export const presetsSchema = z.partialRecord(
  z.enum(SUPPORTED_CURRENCIES, `keys must be currency codes: ${SUPPORTED_CURRENCIES.join(', ')}`),
  z.array(z.union([z.number(), z.string().max(1000)], 'must be amounts')).max(50),
);

/** The amount fields of PATCH /me/settings, as sent (typed text; presets may be minor units). */
export interface SettingsAmountsInput {
  minDonation?: string;
  ttsMin?: string;
  goal?: string;
  presets?: Partial<Record<string, (number | string)[]>>;
}

/** The amount fields read: minor units; presets sorted without repeats. */
export interface SettingsAmounts {
  minDonationMinor?: number;
  /** 0 = text-to-speech off. */
  ttsMinMinor?: number;
  /** 0 = no goal. */
  goalMinor?: number;
  presets?: Record<string, number[]>;
}

/** Words of the settings' amount rules, per language (amount refusals: shared/amount-input.ts). */
const AMOUNT_RULE_WORDS: Record<
  Language,
  { between: (lo: string, hi: string) => string; atMost: (hi: string) => string; six: string; whole: string }
> = {
  en: {
    between: (lo, hi) => `Must be between ${lo} and ${hi}`,
    atMost: (hi) => `Must be at most ${hi}, the largest donation`,
    six: 'At most six quick amounts per currency',
    whole: 'Must be a whole number of minor units',
  },
  id: {
    between: (lo, hi) => `Harus antara ${lo} dan ${hi}`,
    atMost: (hi) => `Paling banyak ${hi}, donasi terbesar`,
    six: 'Paling banyak enam nominal cepat per mata uang',
    whole: 'Harus bilangan bulat dalam satuan terkecil',
  },
};

/** "", "0", "0.00": the threshold or goal is off. */
const OFF = /^\s*(?:0+(?:[.,]0*)?)?\s*$/;

/**
 * Reads the amount fields of PATCH /me/settings in the request's language, the way the donor
 * page reads what donors type ("50.000" in Indonesian is fifty thousand): `minDonation` between
 * the currency's floor and cap; `ttsMin` 0 (off, also "") up to the cap; `goal` 0 (none, also "")
 * or any amount; each currency's `presets` at most six, each within that currency's limits.
 * Every refusal is worded in `lang`, so the dashboard shows the API's own words.
 * @param currency the streamer's currency after this change (minDonation, ttsMin and goal are in it)
 * @throws {ValidationError} with `details.fields` naming every bad field (`presets.IDR.3`).
 */
export function readSettingsAmounts(
  input: SettingsAmountsInput,
  currency: string,
  lang: Language,
): SettingsAmounts {
  const words = AMOUNT_RULE_WORDS[lang];
  const fields: Record<string, string> = {};
  const limits = (c: string) => DONATION_LIMITS[c] ?? [1, MAX_AMOUNT_MINOR];
  const show = (minor: number, c: string) => formatAmount(minor, c, lang);
  /** Minor units of typed text, or undefined after naming the field. */
  const read = (text: string, c: string, field: string): number | undefined => {
    const result = parseAmountInput(text, c, lang, currencyExponent(c));
    if (result.ok) return result.amountMinor;
    fields[field] = AMOUNT_REFUSAL_MESSAGES[lang][result.reason];
    return undefined;
  };
  const out: SettingsAmounts = {};
  if (input.minDonation !== undefined) {
    const minor = read(input.minDonation, currency, 'minDonation');
    const [lo, hi] = limits(currency);
    if (minor !== undefined && (minor < lo || minor > hi))
      fields.minDonation = words.between(show(lo, currency), show(hi, currency));
    else out.minDonationMinor = minor;
  }
  if (input.ttsMin !== undefined) {
    const minor = OFF.test(input.ttsMin) ? 0 : read(input.ttsMin, currency, 'ttsMin');
    const hi = limits(currency)[1];
    if (minor !== undefined && minor > hi) fields.ttsMin = words.atMost(show(hi, currency));
    else out.ttsMinMinor = minor;
  }
  if (input.goal !== undefined) out.goalMinor = OFF.test(input.goal) ? 0 : read(input.goal, currency, 'goal');
  if (input.presets) {
    out.presets = {};
    for (const [c, list = []] of Object.entries(input.presets)) {
      if (list.length > 6) {
        fields[`presets.${c}`] = words.six;
        continue;
      }
      const [lo, hi] = limits(c);
      const amounts: number[] = [];
      list.forEach((value, i) => {
        const field = `presets.${c}.${i}`;
        let minor: number | undefined;
        if (typeof value === 'string') minor = read(value, c, field);
        else if (Number.isSafeInteger(value)) minor = value;
        else fields[field] = words.whole;
        if (minor === undefined) return;
        if (minor < lo || minor > hi) fields[field] = words.between(show(lo, c), show(hi, c));
        else amounts.push(minor);
      });
      out.presets[c] = [...new Set(amounts)].sort((a, b) => a - b);
    }
  }
  if (Object.keys(fields).length)
    throw new ValidationError(
      Object.entries(fields)
        .map(([f, m]) => `${f}: ${m}`)
        .join('; '),
      { fields },
    );
  return out;
}

/** Bio: plain text, at most 300 characters (counted as the user sees them). */
export const bioSchema = z
  .string()
  .refine((v) => [...v].length <= 300, 'must be at most 300 characters')
  .refine(
    (v) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(v),
    'must not contain control characters',
  );

/** An amount as the API returns it. */
export interface MoneyView {
  /** Integer minor units. */
  minor: number;
  /** ISO 4217. */
  currency: string;
  /** Digits after the decimal point (IDR 0, USD 2). */
  exponent: number;
  /** Formatted for the reader's language (Accept-Language id or en; the currency's home style otherwise). */
  formatted: string;
}

/** The reader's language from Accept-Language (id or en), or undefined when they named neither. */
export function requestLanguage(ctx: Context): Language | undefined {
  if (!ctx.get('accept-language')) return undefined;
  const lang = ctx.acceptsLanguages(...LANGUAGES);
  return lang === 'id' || lang === 'en' ? lang : undefined;
}

const LOCALES: Record<Language, string> = { id: 'id-ID', en: 'en-US' };

/** Builds `{minor, currency, exponent, formatted}` for the request's language. */
export function moneyViewer(ctx: Context): (minor: number, currency: string) => MoneyView {
  const lang = requestLanguage(ctx);
  const locale = lang ? LOCALES[lang] : undefined;
  return (minor, currency) => ({
    minor,
    currency,
    exponent: currencyExponent(currency),
    formatted: formatMoney(minor, currency, locale),
  });
}

const PROVIDER_NAMES: Record<ProviderName, Record<Language, string>> = {
  midtrans: { en: 'QRIS, e-wallets & bank transfer', id: 'QRIS, e-wallet & transfer bank' },
  stripe: { en: 'Card', id: 'Kartu' },
  paypal: { en: 'PayPal', id: 'PayPal' },
  sandbox: { en: 'Test payment — no real money', id: 'Pembayaran uji — bukan uang sungguhan' },
};

/** Friendly names of providers in the reader's language (English by default). */
export function providerOptions(providers: readonly ProviderName[], lang: Language | undefined) {
  return providers.map((id) => ({ id, name: PROVIDER_NAMES[id][lang ?? 'en'], test: id === 'sandbox' }));
}

/** The links that are set (a cleared one is stored as ''). */
export function visibleLinks(links: ChannelLinks | undefined): ChannelLinks {
  return Object.fromEntries(Object.entries(links ?? {}).filter(([, url]) => Boolean(url)));
}
