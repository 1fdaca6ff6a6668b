/**
 * The currencies a streamer accepts, each with its own minimum. Kept in the streamer's settings
 * (`settings.currencies`, minor units); the streamer's own currency is always accepted, with the
 * streamer's minimum (`min_donation_minor`), so the two never disagree. A donation in any other
 * currency is refused, naming the accepted ones: a Rp500.000 minimum cannot be bypassed with
 * US$1.00 or ¥100.
 */
import { Migration } from '@mikro-orm/migrations';
import { z } from 'zod';
import { ValidationError } from '../../shared/errors.js';
import {
  DONATION_LIMITS,
  MAX_AMOUNT_MINOR,
  SUPPORTED_CURRENCIES,
  currencyExponent,
  formatMoney,
  isSupportedCurrency,
} from '../../shared/money.js';

/** One accepted currency and its minimum donation in minor units. */
export interface CurrencyMinimum {
  /** ISO 4217 code, one of SUPPORTED_CURRENCIES. */
  currency: string;
  /** Smallest donation in this currency, in its minor units (never below the currency's floor). */
  minMinor: number;
}

/** The currency fields of a streamer that decide what it accepts. */
export interface CurrencyOwner {
  currency: string;
  minDonationMinor: number;
  settings: { currencies?: CurrencyMinimum[] };
}

/** The smallest minimum a currency may have, in minor units (shared/money.ts DONATION_LIMITS). */
export function currencyFloor(currency: string): number {
  return DONATION_LIMITS[currency]?.[0] ?? 1;
}

/**
 * What a streamer accepts: its own currency with its minimum first, then the other currencies of
 * its settings (an entry for its own currency there is superseded by the column).
 */
export function acceptedCurrencies(s: CurrencyOwner): CurrencyMinimum[] {
  // The own currency keeps the streamer's minimum as it always had (at least one minor unit).
  const own = { currency: s.currency, minMinor: Math.max(s.minDonationMinor, 1) };
  const others = (s.settings.currencies ?? []).filter(
    (c) => c.currency !== s.currency && isSupportedCurrency(c.currency),
  );
  return [
    own,
    ...others.map((c) => ({
      currency: c.currency,
      minMinor: Math.max(c.minMinor, currencyFloor(c.currency)),
    })),
  ];
}

/**
 * The accepted entry for a donation's currency.
 * @throws {ValidationError} naming `currency` and listing the accepted ones.
 */
export function acceptedCurrency(s: CurrencyOwner, currency: string): CurrencyMinimum {
  const accepted = acceptedCurrencies(s);
  const entry = accepted.find((c) => c.currency === currency);
  if (entry) return entry;
  const list = accepted.map((c) => c.currency).join(', ');
  throw new ValidationError(`currency ${currency} is not accepted by this streamer; accepted: ${list}`, {
    fields: { currency: `must be one of: ${list}` },
  });
}

/** The public view of what a streamer accepts (for the donor page). */
export function publicCurrencies(s: CurrencyOwner) {
  return acceptedCurrencies(s).map((c) => ({
    currency: c.currency,
    minimum: { amount: c.minMinor, formatted: formatMoney(c.minMinor, c.currency) },
  }));
}

/** `currencies` of PATCH /me/settings: 1–10 entries, codes from the money module, integer minima. */
export const currenciesSchema = z
  .array(
    z.object({
      currency: z.enum(SUPPORTED_CURRENCIES, `must be one of ${SUPPORTED_CURRENCIES.join(', ')}`),
      minMinor: z
        .number({ error: 'must be an integer amount in minor units' })
        .int('must be an integer amount in minor units')
        .positive('must be greater than zero')
        .max(MAX_AMOUNT_MINOR, 'is too large'),
    }),
  )
  .min(1, 'must list at least one currency')
  .max(SUPPORTED_CURRENCIES.length);

/**
 * Checks a new currency list against the streamer's own currency (`primary`): each code known to
 * ISO 4217 and listed once, each minimum at least the currency's floor and at most its cap, and
 * the streamer's own currency in the list (its minimum becomes the streamer's minimum).
 * @throws {ValidationError} naming `currencies` (or `currencies.<i>.minMinor`).
 */
export function checkCurrencies(entries: CurrencyMinimum[], primary: string): CurrencyMinimum[] {
  const seen = new Set<string>();
  entries.forEach((c, i) => {
    currencyExponent(c.currency);
    if (seen.has(c.currency))
      throw new ValidationError(`currencies lists ${c.currency} twice`, {
        fields: { currencies: `${c.currency} is listed twice` },
      });
    seen.add(c.currency);
    const floor = currencyFloor(c.currency);
    const cap = DONATION_LIMITS[c.currency]?.[1] ?? MAX_AMOUNT_MINOR;
    if (c.minMinor < floor || c.minMinor > cap) {
      const why = `must be between ${formatMoney(floor, c.currency)} and ${formatMoney(cap, c.currency)}`;
      throw new ValidationError(`currencies.${i}.minMinor ${why}`, {
        fields: { [`currencies.${i}.minMinor`]: `${why} (minor units: ${floor}–${cap})` },
      });
    }
  });
  if (!seen.has(primary))
    throw new ValidationError(`currencies must include your own currency ${primary}`, {
      fields: { currencies: `must include ${primary}` },
    });
  return entries;
}

/**
 * Existing streamers accept exactly what they did: their own currency with their minimum.
 * (Other currencies were accepted at the install-wide floor before; that was the bypass.)
 */
export class Migration20261202160000StreamerCurrencies extends Migration {
  override up(): void {
    this.addSql(`
      update streamers set settings = settings || jsonb_build_object(
        'currencies', jsonb_build_array(jsonb_build_object('currency', currency, 'minMinor', min_donation_minor)))
      where not (settings ? 'currencies')`);
  }
  override down(): void {
    this.addSql(`update streamers set settings = settings - 'currencies'`);
  }
}
