/**
 * The donation API's amount field: the string the donor typed, read in the request's language
 * (Accept-Language: "id" reads "50.000" as fifty thousand; no header reads English) through the
 * same parser as the donor page, so the page and the API accept and refuse the same strings.
 */
import type { Context } from 'koa';
import { parseAmountInput, AMOUNT_REFUSAL_MESSAGES, type InputLocale } from '../../shared/amount-input.js';
import { ValidationError } from '../../shared/errors.js';
import { currencyExponent, type Money } from '../../shared/money.js';

/** The request's language among the web app's: Accept-Language, English when absent. */
export function requestLanguage(ctx: Context): InputLocale {
  return ctx.acceptsLanguages('en', 'id') === 'id' ? 'id' : 'en';
}

/**
 * Minor units of a typed amount ("50.000", "Rp 50.000", "50rb", "5.00", "$5").
 * @throws {ValidationError} naming `amount`, worded in the request's language.
 */
export function parseTypedAmount(ctx: Context, text: string, currency: string): Money {
  const locale = requestLanguage(ctx);
  const result = parseAmountInput(text, currency, locale, currencyExponent(currency));
  if (!result.ok) {
    const why = AMOUNT_REFUSAL_MESSAGES[locale][result.reason];
    throw new ValidationError(why, { fields: { amount: why }, reason: result.reason });
  }
  return { amountMinor: result.amountMinor, currency };
}
