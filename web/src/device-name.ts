/**
 * A readable name for a session's device from its User-Agent header ("Chrome 131 · Windows 10"),
 * read with detect-browser; '' when the header says nothing it knows.
 */
import { parseUserAgent } from 'detect-browser';

/** detect-browser's browser ids → the names people know. */
const BROWSER_NAMES: Record<string, string> = {
  chrome: 'Chrome',
  crios: 'Chrome',
  'chromium-webview': 'Chrome WebView',
  firefox: 'Firefox',
  fxios: 'Firefox',
  safari: 'Safari',
  ios: 'Safari',
  'ios-webview': 'Safari WebView',
  edge: 'Edge',
  'edge-chromium': 'Edge',
  'edge-ios': 'Edge',
  opera: 'Opera',
  'opera-mini': 'Opera Mini',
  samsung: 'Samsung Internet',
  yandexbrowser: 'Yandex',
  android: 'Android Browser',
  instagram: 'Instagram',
  facebook: 'Facebook',
  miui: 'Mi Browser',
  node: 'Node.js',
};

/**
 * @param userAgent the session's User-Agent header as stored.
 * @returns `{browser, os}` with the browser's major version ("Chrome 131") and its system
 *   ("Windows 10", "Android OS"), either '' when unknown; null when nothing is recognised.
 */
export function deviceName(userAgent: string): { browser: string; os: string } | null {
  if (!userAgent) return null;
  const info = parseUserAgent(userAgent);
  if (!info || info.type === 'bot' || info.type === 'bot-device') return null;
  const name = info.name ? (BROWSER_NAMES[info.name] ?? info.name) : '';
  const major = info.version?.split('.')[0] ?? '';
  const browser = name && major ? `${name} ${major}` : name;
  const os = info.os ?? '';
  return browser || os ? { browser, os } : null;
}
