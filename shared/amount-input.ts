/**
 * What donors type into an amount field, read the way people in their language write money:
 * "50.000", "Rp 50.000", "50rb", "1,5jt" in Indonesian; "5", "5.00", "$5", "1,000.50" in English.
 * Used live by the donor page (which shows the parsed amount back, formatted) and by the gateway
 * when a donation is created, so both accept and refuse the same strings. No Node or package
 * imports: the web app bundles this file. Cases: test/fixtures/cases/amount-input.json.
 */

/** The languages of the web app. */
export type InputLocale = 'id' | 'en';

/** Why a typed amount was refused (a stable code; each language words it in its own messages). */
export type AmountInputRefusal =
  | 'required'
  | 'not_a_number'
  | 'not_positive'
  | 'malformed'
  | 'whole_units'
  | 'too_many_decimals'
  | 'too_large';

export type AmountInputResult = { ok: true; amountMinor: number } | { ok: false; reason: AmountInputRefusal };

/** Largest amount in minor units (the same bound as shared/money.ts MAX_AMOUNT_MINOR). */
export const MAX_INPUT_MINOR = 1_000_000_000_000;

/** Currencies paid in whole units although ISO 4217 gives them minor units (rupiah: no sen). */
const WHOLE_UNIT_CURRENCIES = new Set(['IDR']);

/** Currency words and symbols people put before or after the number, longest first. */
const CURRENCY_WORDS = [
  'us$', 'jp¥', 'usd', 'idr', 'rp', 'eur', 'gbp', 'sgd', 's$', 'myr', 'rm', 'php', 'thb', 'jpy', 'aud', 'a$',
  '$', '€', '£', '₱', '฿', '¥', '￥',
]; // prettier-ignore

/** Indonesian and English shorthands for thousands and millions. */
const MULTIPLIERS: Record<string, bigint> = {
  k: 1_000n,
  rb: 1_000n,
  ribu: 1_000n,
  jt: 1_000_000n,
  juta: 1_000_000n,
};

/**
 * ISO 4217 minor-unit digits of the currencies MediaShar accepts (shared/money.ts reads the full
 * table from `currency-codes`; the browser gets this small copy, since Intl's CLDR digits differ:
 * CLDR gives IDR 0, ISO 4217 gives 2).
 */
const ISO_DIGITS: Record<string, number> = {
  IDR: 2, USD: 2, EUR: 2, GBP: 2, SGD: 2, MYR: 2, PHP: 2, THB: 2, JPY: 0, AUD: 2,
}; // prettier-ignore

/** ISO 4217 minor-unit digits of a currency (Intl's count for one outside the table). */
export function currencyDigits(currency: string): number {
  return (
    ISO_DIGITS[currency] ??
    new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ??
    2
  );
}

function refuse(reason: AmountInputRefusal): AmountInputResult {
  return { ok: false, reason };
}

function stripCurrency(text: string): string {
  let s = text;
  for (let changed = true; changed;) {
    changed = false;
    for (const word of CURRENCY_WORDS) {
      if (s.startsWith(word)) {
        s = s.slice(word.length).trimStart();
        changed = true;
      } else if (s.endsWith(word) && /[\d\s]$/.test(s.slice(0, -word.length))) {
        s = s.slice(0, -word.length).trimEnd();
        changed = true;
      }
    }
  }
  return s;
}

/** Splits "1.234,5" into whole and fraction digits, or null when the grouping is malformed. */
function splitNumber(s: string, decimal: ',' | '.'): { whole: string; fraction: string } | null {
  const group = decimal === ',' ? '.' : ',';
  const groupCount = s.split(group).length - 1;
  const decimalCount = s.split(decimal).length - 1;
  // One group mark not followed by exactly three digits cannot be a thousands group: people who
  // type "5.50" in Indonesian or "5,50" in English mean a decimal mark.
  if (decimalCount === 0 && groupCount === 1 && !new RegExp(`\\${group}\\d{3}$`).test(s)) {
    return splitNumber(s.replace(group, decimal), decimal);
  }
  if (decimalCount > 1) return null;
  const [wholePart = '', fraction = ''] = s.split(decimal);
  if (!/^\d*$/.test(fraction) || (decimalCount === 1 && fraction === '')) return null;
  const grouped = new RegExp(`^\\d{1,3}(\\${group}\\d{3})+$`);
  if (/^\d+$/.test(wholePart)) return { whole: wholePart, fraction };
  if (grouped.test(wholePart)) return { whole: wholePart.split(group).join(''), fraction };
  return null;
}

/**
 * Reads a typed amount in a currency as the donor's language writes it.
 * @param text what the donor typed (currency symbols, spaces, "rb"/"ribu"/"k"/"jt"/"juta" allowed)
 * @param currency ISO 4217 code of the donation
 * @param locale the donor's language: decides which of "." and "," is the decimal mark; rupiah
 *   amounts take either mark as a thousands separator when it is followed by groups of three digits
 * @param digits the currency's minor-unit digits (defaults to {@link currencyDigits})
 * @returns integer minor units, or the reason it is refused
 */
export function parseAmountInput(
  text: string,
  currency: string,
  locale: InputLocale,
  digits: number = currencyDigits(currency),
): AmountInputResult {
  let s = text.normalize('NFKC').trim().toLowerCase().replace(/\s+/g, ' ');
  if (!s) return refuse('required');
  if (/^[-−]/.test(s)) return refuse('not_positive');
  s = stripCurrency(s);
  if (/^[-−]/.test(s)) return refuse('not_positive');
  let multiplier = 1n;
  const suffix = /^(.*?)\s*(ribu|rb|k|juta|jt)$/.exec(s);
  if (suffix) {
    s = suffix[1]!;
    multiplier = MULTIPLIERS[suffix[2]!]!;
  }
  s = s.replace(/ /g, '');
  if (!/^\d[\d.,]*$/.test(s)) return refuse(s === '' ? 'required' : 'not_a_number');
  const wholeUnits = WHOLE_UNIT_CURRENCIES.has(currency) || digits === 0;
  let parts: { whole: string; fraction: string } | null;
  if (WHOLE_UNIT_CURRENCIES.has(currency) && multiplier === 1n && /^\d{1,3}([.,])\d{3}(\1\d{3})*$/.test(s)) {
    // "50.000" and "50,000" are fifty thousand rupiah in either language.
    parts = { whole: s.replace(/[.,]/g, ''), fraction: '' };
  } else {
    parts = splitNumber(s, locale === 'id' ? ',' : '.');
  }
  if (!parts) return refuse('malformed');
  const { whole } = parts;
  const fraction = parts.fraction.replace(/0+$/, '');
  if (whole.replace(/^0+/, '').length > 15) return refuse('too_large');
  // Exact arithmetic: value = whole.fraction × multiplier, in minor units.
  const scale = 10n ** BigInt(fraction.length);
  const numerator =
    (BigInt(whole || '0') * scale + BigInt(fraction || '0')) * multiplier * 10n ** BigInt(digits);
  if (numerator % scale !== 0n)
    return refuse(wholeUnits && multiplier === 1n ? 'whole_units' : 'too_many_decimals');
  const minor = numerator / scale;
  if (WHOLE_UNIT_CURRENCIES.has(currency) && minor % 10n ** BigInt(digits) !== 0n)
    return refuse('whole_units');
  if (minor <= 0n) return refuse('not_positive');
  if (minor > BigInt(MAX_INPUT_MINOR)) return refuse('too_large');
  return { ok: true, amountMinor: Number(minor) };
}

/** English wording of each refusal (the gateway's fallback; the web app has its own messages). */
export const AMOUNT_REFUSAL_MESSAGES: Record<InputLocale, Record<AmountInputRefusal, string>> = {
  en: {
    required: 'Enter an amount',
    not_a_number: 'Enter the amount as a number, e.g. 50000',
    not_positive: 'The amount must be more than zero',
    malformed: 'This number is not written the usual way: check the dots and commas',
    whole_units: 'This currency takes whole amounts only, without cents',
    too_many_decimals: 'Too many decimal places for this currency',
    too_large: 'This amount is above the largest donation accepted',
  },
  id: {
    required: 'Masukkan nominal',
    not_a_number: 'Tulis nominal dengan angka, misalnya 50.000',
    not_positive: 'Nominal harus lebih dari nol',
    malformed: 'Penulisan angka tidak biasa: periksa titik dan komanya',
    whole_units: 'Mata uang ini hanya menerima nominal bulat, tanpa sen',
    too_many_decimals: 'Terlalu banyak angka desimal untuk mata uang ini',
    too_large: 'Nominal melebihi donasi terbesar yang diterima',
  },
};

/**
 * Formats minor units for a reader of `locale`: in English Intl's own rendering ("$5.00",
 * "IDR 50,000"); in Indonesian the currency's Indonesian symbol right before the number and the
 * digits as its home market writes them ("Rp50.000", "US$5.00"). Whole rupiah show no sen.
 */
export function formatAmount(amountMinor: number, currency: string, locale: InputLocale): string {
  const digits = currencyDigits(currency);
  const whole = amountMinor % 10 ** digits === 0;
  const fractionDigits = whole && WHOLE_UNIT_CURRENCIES.has(currency) ? 0 : digits;
  const value = amountMinor / 10 ** digits;
  const options: Intl.NumberFormatOptions = {
    style: 'currency',
    currency,
    minimumFractionDigits: fractionDigits,
    maximumFractionDigits: digits,
  };
  if (locale === 'en') return new Intl.NumberFormat('en-US', options).format(value);
  const symbol =
    new Intl.NumberFormat('id-ID', options).formatToParts(value).find((p) => p.type === 'currency')?.value ??
    currency;
  const home = currency === 'IDR' ? 'id-ID' : 'en-US';
  const number = new Intl.NumberFormat(home, {
    minimumFractionDigits: fractionDigits,
    maximumFractionDigits: digits,
  }).format(value);
  return `${symbol}${number}`;
}
