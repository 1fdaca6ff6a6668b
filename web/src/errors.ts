/** Turns an API error into words for the reader: field messages by field, and a general one. */
import { ApiError } from './api';
import { hasMessage, i18n, lang } from './i18n';

/**
 * Field → message. The API's own words where they are in the reader's language: every field in
 * English, and in Indonesian the fields `apiWordsIn` names (the API words those in the request's
 * language, e.g. the amounts of PATCH /me/settings); other Indonesian messages are the app's
 * words for the field (`errors.fields.<field>`, else for its first part: `links` for
 * `links.instagram`) when it has some.
 */
export function fieldErrors(
  err: unknown,
  apiWordsIn: (field: string) => boolean = () => false,
): Record<string, string> {
  if (!(err instanceof ApiError)) return {};
  const out: Record<string, string> = {};
  const t = i18n.global.t;
  for (const [field, why] of Object.entries(err.fields)) {
    // "links.instagram" falls back to the words for "links".
    const key = [`errors.fields.${field}`, `errors.fields.${field.split('.')[0]}`].find(hasMessage);
    out[field] = lang() === 'en' || apiWordsIn(field) || !key ? why : t(key);
  }
  return out;
}

/** One sentence for the whole error. */
export function generalError(err: unknown): string {
  const t = i18n.global.t;
  if (!(err instanceof ApiError)) return t('errors.network');
  if (err.status === 429) return t('errors.rateLimited');
  if (err.status === 403) return t('errors.forbidden');
  if (err.status >= 500) return t('errors.server');
  if (Object.keys(err.fields).length) return t('errors.checkFields');
  return lang() === 'en' ? err.message : t('errors.generic');
}
