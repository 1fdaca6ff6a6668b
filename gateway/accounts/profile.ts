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
      }, `must be an https:// link to a ${name} channel (${hosts[0]}/…)`),
  ]);
}

export const linksSchema = z.strictObject({
  youtube: channelLink('youtube').optional(),
  twitch: channelLink('twitch').optional(),
  tiktok: channelLink('tiktok').optional(),
  instagram: channelLink('instagram').optional(),
});

/** Preset amounts per currency, integer minor units; at most six each. */
export const presetsSchema = z
  .partialRecord(
    z.enum(SUPPORTED_CURRENCIES, `keys must be currency codes: ${SUPPORTED_CURRENCIES.join(', ')}`),
    z
      .array(z.number().int('must be whole minor units').positive('must be greater than zero'))
      .max(6, 'at most six preset amounts per currency'),
  )
  .superRefine((presets, ctx) => {
    for (const [currency, amounts] of Object.entries(presets)) {
      const [floor, cap] = DONATION_LIMITS[currency] ?? [1, MAX_AMOUNT_MINOR];
      amounts?.forEach((minor, i) => {
        if (minor < floor || minor > cap)
          ctx.addIssue({
            code: 'custom',
            path: [currency, i],
            message: `must be between ${formatMoney(floor, currency)} and ${formatMoney(cap, currency)}`,
          });
      });
    }
  })
  .transform((presets) =>
    Object.fromEntries(
      Object.entries(presets).map(([c, amounts]) => [c, [...new Set(amounts)].sort((a, b) => a - b)]),
    ),
  );

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
