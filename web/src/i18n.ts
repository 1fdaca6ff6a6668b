/**
 * The app's languages (vue-i18n): Indonesian and English, chosen from the saved choice, then the
 * browser's language; switching is remembered in localStorage. Money and dates go through Intl
 * for the current language only (formatAmount, formatDate).
 */
import { createI18n } from 'petite-vue-i18n';
import { formatAmount, type InputLocale } from '../../shared/amount-input';

export type Lang = InputLocale;
const STORAGE_KEY = 'mediashar.lang';

/** The saved language, else the browser's first language we have, else English. */
export function initialLanguage(): Lang {
  const saved = localStorage.getItem(STORAGE_KEY);
  if (saved === 'id' || saved === 'en') return saved;
  for (const l of navigator.languages ?? [navigator.language]) {
    if (l.toLowerCase().startsWith('id')) return 'id';
    if (l.toLowerCase().startsWith('en')) return 'en';
  }
  return 'en';
}

export const i18n = createI18n({
  legacy: false,
  locale: initialLanguage(),
  messages: {},
  missingWarn: false,
  fallbackWarn: false,
});

/** The current language. */
export function lang(): Lang {
  return i18n.global.locale.value as Lang;
}

/**
 * Message files load on demand: a page carries only its reader's language, and the public pages
 * only the public messages (locales/<lang>.json); the dashboard adds locales/dashboard.<lang>.json.
 */
const LOADERS: Record<Lang, () => Promise<{ default: Record<string, unknown> }>> = {
  id: () => import('./locales/id.json'),
  en: () => import('./locales/en.json'),
};
const DASHBOARD_LOADERS: Record<Lang, () => Promise<{ default: Record<string, unknown> }>> = {
  id: () => import('./locales/dashboard.id.json'),
  en: () => import('./locales/dashboard.en.json'),
};
const loaded = new Set<string>();
let dashboardWanted = false;

async function loadPart(l: Lang, part: 'public' | 'dashboard'): Promise<void> {
  if (loaded.has(`${part}.${l}`)) return;
  // Flat keys ("donate.amount", the only form petite-vue-i18n resolves), compiled at build time
  // (precompiledMessages in web/vite.config.ts).
  const messages = (await (part === 'public' ? LOADERS : DASHBOARD_LOADERS)[l]()).default;
  i18n.global.mergeLocaleMessage(l, messages as never);
  loaded.add(`${part}.${l}`);
}

/** Loads a language's messages once (both files carry every key in both languages). */
export async function loadLanguage(l: Lang): Promise<void> {
  await Promise.all([loadPart(l, 'public'), ...(dashboardWanted ? [loadPart(l, 'dashboard')] : [])]);
}

/** Loads the dashboard's messages (route guard of the dashboard and admin pages). */
export async function loadDashboardMessages(): Promise<void> {
  dashboardWanted = true;
  await loadPart(lang(), 'dashboard');
}

/** True when the current language has a message for `key` (petite-vue-i18n has no te()). */
export function hasMessage(key: string): boolean {
  const messages: Record<string, unknown> = i18n.global.getLocaleMessage(lang());
  return key in messages;
}

/** Switches and remembers the language. */
export async function setLanguage(l: Lang): Promise<void> {
  await loadLanguage(l);
  i18n.global.locale.value = l;
  localStorage.setItem(STORAGE_KEY, l);
  document.documentElement.lang = l;
}
document.documentElement.lang = lang();

// Formatting builds Intl.NumberFormat objects each time, and a page re-renders every amount on
// each keystroke (presets, preview, button): the texts are kept, a few hundred at most.
const moneyTexts = new Map<string, string>();

/** Money in the current language ("Rp50.000" / "IDR 50,000"). */
export function money(minor: number | null | undefined, currency: string | null | undefined): string {
  if (minor === null || minor === undefined || !currency) return '';
  const l = lang();
  const key = `${l}|${currency}|${minor}`;
  let text = moneyTexts.get(key);
  if (text === undefined) {
    if (moneyTexts.size >= 500) moneyTexts.clear();
    text = formatAmount(minor, currency, l);
    moneyTexts.set(key, text);
  }
  return text;
}

/** A date and time in the current language. */
export function formatDate(iso: string | null | undefined, withTime = true): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return new Intl.DateTimeFormat(lang() === 'id' ? 'id-ID' : 'en-US', {
    dateStyle: 'medium',
    ...(withTime ? { timeStyle: 'short' } : {}),
  }).format(d);
}
