/**
 * Saving one section of the dashboard settings through PATCH /me/settings: the API is the one
 * judge of the values and the source of their messages. Its field errors appear next to the
 * section's fields (amounts in the API's own words, which it gives in the reader's language),
 * and the outcome next to the section's Save button.
 */
import { ref } from 'vue';
import { useI18n } from 'petite-vue-i18n';
import { useQueryClient } from '@tanstack/vue-query';
import {
  currencyDigits,
  parseAmountInput,
  AMOUNT_REFUSAL_MESSAGES,
} from '../../../../../shared/amount-input';
import { api } from '../../../api';
import { fieldErrors, generalError } from '../../../errors';
import { lang } from '../../../i18n';
import { useAction } from '../../../components/use-action';
import type { Me, PrivateStreamer } from '../../../types';

/** Fields PATCH /me/settings words in the request's language (its amounts). */
export const API_WORDED_FIELDS = /^(minDonation|ttsMin|goal|presets(\.\w+)*)$/;

/**
 * State and save of one settings section.
 * @param section the section's name as the reader sees it ("Donation page")
 * @param ownField maps an API field ("presets.IDR.2") to this form's key ("presets.2"), or
 *   undefined when the field is not in this section (its message then goes beside the button)
 */
export function useSettingsSave(section: () => string, ownField: (apiField: string) => string | undefined) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const action = useAction();
  const errors = ref<Record<string, string>>({});

  /** Shows errors found before sending (same words as the API would give). */
  function refuse(local: Record<string, string>): void {
    errors.value = local;
    action.failed(`${t('settings.notSaved', { section: section() })} ${t('errors.checkFields')}`);
  }

  /** Sends `body`; the updated streamer on success, undefined when refused (errors shown). */
  async function save(body: Record<string, unknown>): Promise<PrivateStreamer | undefined> {
    action.start();
    errors.value = {};
    try {
      const updated = await api<PrivateStreamer>('/me/settings', { method: 'PATCH', body });
      queryClient.setQueryData<Me>(['me'], (me) => (me ? { ...me, streamer: updated } : me));
      action.done(t('settings.saved', { section: section() }));
      return updated;
    } catch (err) {
      const mine: Record<string, string> = {};
      const elsewhere: string[] = [];
      for (const [field, why] of Object.entries(fieldErrors(err, (f) => API_WORDED_FIELDS.test(f)))) {
        const key = ownField(field);
        if (key) mine[key] ??= why;
        else elsewhere.push(`${field}: ${why}`);
      }
      errors.value = mine;
      // "Check the highlighted fields" only when this section has some; other fields' words beside it.
      const general = Object.keys(mine).length || !elsewhere.length ? [generalError(err)] : [];
      action.failed([t('settings.notSaved', { section: section() }), ...general, ...elsewhere].join(' '));
      return undefined;
    }
  }
  return { action, errors, save, refuse };
}

/** Minor units → what a person types ("50.000" / "5.00") in the current language; '' for 0. */
export function typedAmount(minor: number | undefined, currency: string): string {
  if (!minor) return '';
  const digits = currencyDigits(currency);
  return new Intl.NumberFormat(lang() === 'id' ? 'id-ID' : 'en-US', {
    maximumFractionDigits: digits,
    minimumFractionDigits: minor % 10 ** digits ? digits : 0,
  }).format(minor / 10 ** digits);
}

/**
 * Typed text → minor units, read like the API reads settings amounts (shared/amount-input.ts,
 * the current language) and refused with the same words the API uses.
 */
export function minorFromTyped(
  text: string,
  currency: string,
): { ok: true; minor: number } | { ok: false; message: string } {
  const p = parseAmountInput(text, currency, lang());
  return p.ok
    ? { ok: true, minor: p.amountMinor }
    : { ok: false, message: AMOUNT_REFUSAL_MESSAGES[lang()][p.reason] };
}

/**
 * Reads a form's typed amounts into minor units (minorFromTyped), keeping each refusal under
 * the form's own key so they can all be shown at once with `refuse(refusals)`.
 */
export function typedAmountReader() {
  const refusals: Record<string, string> = {};
  /** `text` in `currency` → minor units; undefined when refused (its words kept under `key`). */
  function read(text: string, currency: string, key: string): number | undefined {
    const p = minorFromTyped(text, currency);
    if (p.ok) return p.minor;
    refusals[key] = p.message;
    return undefined;
  }
  return { read, refusals };
}
