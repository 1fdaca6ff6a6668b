/**
 * Money is integer minor units with an ISO 4217 code, everywhere. Exponents come from the
 * `currency-codes` package (ISO 4217 tables); each provider's own unit rules are applied only at
 * its edge through the conversions below.
 */
import currencyCodes from 'currency-codes';
import { ValidationError } from './errors.js';

/** An amount in integer minor units of an ISO 4217 currency. */
export interface Money {
  /** Integer minor units (e.g. cents, sen); always a safe integer. */
  amountMinor: number;
  /** ISO 4217 alphabetic code, upper case. */
  currency: string;
}

/** Currencies a donation may be made in. */
export const SUPPORTED_CURRENCIES = [
  'IDR',
  'USD',
  'EUR',
  'GBP',
  'SGD',
  'MYR',
  'PHP',
  'THB',
  'JPY',
  'AUD',
] as const;

/**
 * Donation bounds per currency in minor units: [smallest, largest]. The smallest applies to a
 * currency other than the streamer's own (whose minimum is the streamer's setting); the largest
 * keeps a typo ("1000000000") from becoming a donation. Roughly Rp1.000 … Rp150 juta.
 */
export const DONATION_LIMITS: Readonly<Record<string, readonly [number, number]>> = {
  IDR: [100_000, 15_000_000_000],
  USD: [100, 1_000_000],
  EUR: [100, 1_000_000],
  GBP: [100, 800_000],
  SGD: [100, 1_300_000],
  MYR: [500, 4_500_000],
  PHP: [5_000, 55_000_000],
  THB: [3_000, 35_000_000],
  JPY: [100, 1_500_000],
  AUD: [100, 1_500_000],
};

/** Largest accepted amount in minor units (keeps arithmetic inside safe integers). */
export const MAX_AMOUNT_MINOR = 1_000_000_000_000;

/**
 * The ISO 4217 exponent (number of minor-unit digits) of a currency.
 * @throws {ValidationError} for an unknown code.
 */
export function currencyExponent(currency: string): number {
  const entry = currencyCodes.code(currency.toUpperCase());
  if (!entry || currency !== currency.toUpperCase()) {
    throw new ValidationError(`Unknown currency "${currency}": use an ISO 4217 code such as IDR or USD`, {
      fields: { currency: 'unknown ISO 4217 code' },
    });
  }
  return entry.digits;
}

/** True when the code is one MediaShar accepts for donations. */
export function isSupportedCurrency(currency: string): boolean {
  return (SUPPORTED_CURRENCIES as readonly string[]).includes(currency);
}

/**
 * Parses a donor's decimal string in major units ("50000", "19.99", "8.2") into minor units.
 * Refuses exponents, signs, NaN, zero, and more decimals than the currency has.
 * @throws {ValidationError} naming the `amount` field.
 */
export function parseAmount(input: string, currency: string): Money {
  const exponent = currencyExponent(currency);
  const fail = (why: string): never => {
    throw new ValidationError(`amount ${why}`, { fields: { amount: why } });
  };
  const text = input.trim();
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) fail('must be a positive decimal number such as "50000" or "19.99"');
  if (match![1]!.replace(/^0+/, '').length > 15) fail('is too large');
  const [, whole = '', fraction = ''] = match!;
  if (fraction.length > exponent) {
    fail(
      exponent === 0
        ? `must be a whole number for ${currency}`
        : `has more than ${exponent} decimal places for ${currency}`,
    );
  }
  const amountMinor = Number(whole) * 10 ** exponent + Number(fraction.padEnd(exponent, '0') || '0');
  if (!Number.isSafeInteger(amountMinor) || amountMinor > MAX_AMOUNT_MINOR) fail('is too large');
  if (amountMinor <= 0) fail('must be greater than zero');
  return { amountMinor, currency };
}

/** Minor units as a plain decimal string in major units ("19.99", "50000.00", "500"). */
export function toDecimalString(amountMinor: number, currency: string): string {
  assertMinor(amountMinor);
  const exponent = currencyExponent(currency);
  if (exponent === 0) return String(amountMinor);
  const digits = String(Math.abs(amountMinor)).padStart(exponent + 1, '0');
  const sign = amountMinor < 0 ? '-' : '';
  return `${sign}${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

/**
 * How each currency is shown by default: the locale of its home market (grouping and decimal
 * marks), the symbol viewers there know ("S$", "RM", "¥" rather than "SGD" or "￥"), and whether
 * a whole amount hides its zero fraction (rupiah amounts are shown without sen).
 */
const DISPLAY: Record<string, { locale: string; symbol?: string; hideZeroFraction?: boolean }> = {
  IDR: { locale: 'id-ID', symbol: 'Rp', hideZeroFraction: true },
  USD: { locale: 'en-US', symbol: '$' },
  EUR: { locale: 'de-DE' },
  GBP: { locale: 'en-GB', symbol: '£' },
  SGD: { locale: 'en-SG', symbol: 'S$' },
  MYR: { locale: 'ms-MY', symbol: 'RM' },
  PHP: { locale: 'en-PH', symbol: '₱' },
  THB: { locale: 'th-TH', symbol: '฿' },
  JPY: { locale: 'ja-JP', symbol: '¥' },
  AUD: { locale: 'en-AU', symbol: 'A$' },
};

/**
 * Formats minor units for display: "Rp50.000", "Rp10.000,50", "$19.99", "S$5.00", "RM12.30",
 * "¥500" (see test/fixtures/cases/money.json). Without a locale the currency's home locale and
 * symbol are used; with one, Intl's own rendering for that locale.
 */
export function formatMoney(amountMinor: number, currency: string, locale?: string): string {
  const exponent = currencyExponent(currency);
  const display = locale ? { locale } : (DISPLAY[currency] ?? { locale: 'en-US' });
  const whole = amountMinor % 10 ** exponent === 0;
  const fraction = whole && (display.hideZeroFraction ?? Boolean(locale)) ? 0 : exponent;
  // Building an Intl.NumberFormat costs far more than formatting with it (it was ~10% of the
  // notification service's CPU in the burst benchmark), so each shape is built once.
  const key = `${display.locale}|${currency}|${fraction}`;
  let format = moneyFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(display.locale, {
      style: 'currency',
      currency,
      minimumFractionDigits: fraction,
      maximumFractionDigits: exponent,
    });
    moneyFormats.set(key, format);
  }
  const parts = format.formatToParts(Number(toDecimalString(amountMinor, currency)));
  if (!('symbol' in display) || !display.symbol) return parts.map((p) => p.value).join('');
  const symbol = display.symbol;
  return parts
    .filter(
      (p, i) =>
        !(
          p.type === 'literal' &&
          /^\s+$/.test(p.value) &&
          (parts[i - 1]?.type === 'currency' || parts[i + 1]?.type === 'currency')
        ),
    )
    .map((p) => (p.type === 'currency' ? symbol : p.value))
    .join('');
}

/** Cached formatters by locale, currency and fraction digits (bounded by locales × currencies × 2). */
const moneyFormats = new Map<string, Intl.NumberFormat>();

function assertMinor(amountMinor: number): void {
  if (!Number.isSafeInteger(amountMinor)) throw new ValidationError('amount must be integer minor units');
}

/**
 * Midtrans `gross_amount`: whole rupiah only (Midtrans accepts IDR without decimals; see
 * docs.midtrans.com, "Transaction Details Object"). Never rounds.
 * @throws {ValidationError} for another currency or an amount with sen.
 */
export function toMidtransGrossAmount(money: Money): number {
  assertMinor(money.amountMinor);
  if (money.currency !== 'IDR') throw new ValidationError(`Midtrans takes IDR only, not ${money.currency}`);
  if (money.amountMinor % 100 !== 0) {
    throw new ValidationError('Midtrans takes whole rupiah only: this amount has sen', {
      fields: { amount: 'must be a whole number of rupiah for Midtrans' },
    });
  }
  return money.amountMinor / 100;
}

/** Midtrans `gross_amount` string as sent in notifications ("50000.00") back to minor units. */
export function fromMidtransGrossAmount(grossAmount: string): Money {
  return parseAmount(grossAmount, 'IDR');
}

/**
 * Stripe's zero-decimal currencies (stripe.com/docs/currencies#zero-decimal): amounts are whole
 * units. Every other currency is sent in its two-decimal smallest unit, except the three-decimal
 * ones (#three-decimal). ISK is zero-decimal in ISO 4217 but two-decimal for Stripe's API.
 */
const STRIPE_ZERO_DECIMAL = new Set([
  'BIF', 'CLP', 'DJF', 'GNF', 'JPY', 'KMF', 'KRW', 'MGA', 'PYG', 'RWF', 'UGX', 'VND', 'VUV', 'XAF', 'XOF', 'XPF',
]); // prettier-ignore
const STRIPE_THREE_DECIMAL = new Set(['BHD', 'JOD', 'KWD', 'OMR', 'TND']);

/** Number of decimals Stripe's API uses for a currency's `amount`. */
export function stripeExponent(currency: string): number {
  if (STRIPE_ZERO_DECIMAL.has(currency)) return 0;
  if (STRIPE_THREE_DECIMAL.has(currency)) return 3;
  return 2;
}

/**
 * Stripe `amount` (integer, in Stripe's unit for the currency) from minor units.
 * @throws {ValidationError} when the amount cannot be expressed exactly.
 */
export function toStripeAmount(money: Money): number {
  assertMinor(money.amountMinor);
  const shift = stripeExponent(money.currency) - currencyExponent(money.currency);
  if (shift >= 0) return money.amountMinor * 10 ** shift;
  const factor = 10 ** -shift;
  if (money.amountMinor % factor !== 0) {
    throw new ValidationError(`amount cannot be expressed exactly in Stripe's unit for ${money.currency}`);
  }
  return money.amountMinor / factor;
}

/** Minor units from a Stripe `amount` and (lower-case or upper-case) currency. */
export function fromStripeAmount(amount: number, currency: string): Money {
  const code = currency.toUpperCase();
  const shift = stripeExponent(code) - currencyExponent(code);
  const amountMinor = shift >= 0 ? amount / 10 ** shift : amount * 10 ** -shift;
  if (!Number.isSafeInteger(amountMinor)) throw new ValidationError('Stripe amount is not whole minor units');
  return { amountMinor, currency: code };
}

/**
 * PayPal currencies without decimals (developer.paypal.com/reference/currency-codes: HUF, JPY,
 * TWD "does not support decimals").
 */
const PAYPAL_NO_DECIMALS = new Set(['HUF', 'JPY', 'TWD']);

/**
 * PayPal `amount.value`: a decimal string ("19.99").
 * @throws {ValidationError} when a no-decimal currency would need decimals.
 */
export function toPayPalValue(money: Money): string {
  const value = toDecimalString(money.amountMinor, money.currency);
  if (PAYPAL_NO_DECIMALS.has(money.currency)) {
    const [whole, fraction = ''] = value.split('.');
    if (/[1-9]/.test(fraction)) throw new ValidationError(`PayPal takes whole ${money.currency} only`);
    return whole!;
  }
  return value;
}

/** Minor units from a PayPal `{currency_code, value}`. */
export function fromPayPalValue(value: string, currency: string): Money {
  return parseAmount(value, currency);
}
