/**
 * The session cookies and the CSRF checks of the cookie-authenticated routes.
 *
 * - `ms_refresh`: the refresh token. httpOnly, SameSite=Strict, Path=/api/v1/auth, Secure.
 * - `ms_csrf`: the session's CSRF token, readable by the page (not httpOnly), Path=/; the page
 *   echoes it in `X-CSRF-Token` (double submit, bound to the session by an HMAC).
 * A cookie-authenticated request must also come from a trusted Origin (PUBLIC_URL's, or one of
 * TRUSTED_ORIGINS) when the browser names one (OWASP CSRF cheat sheet: "verifying origin with
 * standard headers" plus "signed double-submit cookie").
 */
import type { Context } from 'koa';
import type { Config } from '../../shared/config.js';
import { ForbiddenError } from '../../shared/errors.js';

export const REFRESH_COOKIE = 'ms_refresh';
export const CSRF_COOKIE = 'ms_csrf';
export const CSRF_HEADER = 'x-csrf-token';
const REFRESH_PATH = '/api/v1/auth';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Whether the session cookies carry `Secure`: always over https; over plain http only on a
 * loopback host, where browsers treat the origin as secure and still store them (Chrome ≥ 89,
 * Firefox ≥ 75); elsewhere on http a Secure cookie would be dropped and no one could sign in.
 */
export function cookiesSecure(config: Config): boolean {
  if (config.SESSION_COOKIE_SECURE !== 'auto') return config.SESSION_COOKIE_SECURE === 'true';
  const url = new URL(config.PUBLIC_URL);
  return url.protocol === 'https:' || LOOPBACK.has(url.hostname);
}

/** Sets both cookies for a session. */
export function setSessionCookies(
  ctx: Context,
  config: Config,
  session: { refreshToken: string; csrfToken: string; expiresAt: Date },
): void {
  const secure = cookiesSecure(config);
  // TLS may end at a proxy in front of us (or not exist on localhost): the `cookies` library
  // would refuse a Secure cookie on what it sees as plain http.
  ctx.cookies.secure = secure;
  const common = { secure, sameSite: 'strict' as const, expires: session.expiresAt, overwrite: true };
  ctx.cookies.set(REFRESH_COOKIE, session.refreshToken, { ...common, httpOnly: true, path: REFRESH_PATH });
  ctx.cookies.set(CSRF_COOKIE, session.csrfToken, { ...common, httpOnly: false, path: '/' });
}

/** Expires both cookies. */
export function clearSessionCookies(ctx: Context, config: Config): void {
  const secure = cookiesSecure(config);
  ctx.cookies.secure = secure;
  const common = { secure, sameSite: 'strict' as const, expires: new Date(0), overwrite: true };
  ctx.cookies.set(REFRESH_COOKIE, '', { ...common, httpOnly: true, path: REFRESH_PATH });
  ctx.cookies.set(CSRF_COOKIE, '', { ...common, httpOnly: false, path: '/' });
}

/** The refresh token of the request's cookie, or ''. */
export function refreshTokenOf(ctx: Context): string {
  return ctx.cookies.get(REFRESH_COOKIE) ?? '';
}

/**
 * Refuses a cookie-authenticated request from another origin: the Origin header (or, without
 * one, the Referer's origin) must be PUBLIC_URL's or one of TRUSTED_ORIGINS. Requests that name
 * no origin at all (curl, server-side clients) rely on the CSRF header alone.
 * @throws {ForbiddenError}
 */
export function checkOrigin(ctx: Context, config: Config): void {
  let origin = ctx.get('origin');
  if (!origin && ctx.get('referer')) {
    try {
      origin = new URL(ctx.get('referer')).origin;
    } catch {
      origin = 'null';
    }
  }
  if (!origin) return;
  const trusted = [config.PUBLIC_URL, ...config.TRUSTED_ORIGINS].map((u) => new URL(u).origin);
  if (!trusted.includes(origin))
    throw new ForbiddenError(`Requests from ${origin} may not use the session cookie`);
}

/**
 * The double-submit check: `X-CSRF-Token` must equal the `ms_csrf` cookie, and `matches` (the
 * session's own token) must accept it.
 * @throws {ForbiddenError}
 */
export function checkCsrf(ctx: Context, matches: (token: string) => boolean): void {
  const header = ctx.get(CSRF_HEADER);
  const cookie = ctx.cookies.get(CSRF_COOKIE) ?? '';
  if (!header || header !== cookie || !matches(header))
    throw new ForbiddenError('CSRF check failed: send the ms_csrf cookie value in the X-CSRF-Token header');
}
