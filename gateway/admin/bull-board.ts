/**
 * Bull Board at /admin/queues, showing every queue of the registry, for authenticated admins
 * only: an admin access token as `Authorization: Bearer`, or the `ms_admin` cookie a browser gets
 * from the admin sign-in page (/admin/login). Where the request comes from earns nothing: no
 * loopback trust, since a reverse proxy on the same host makes every viewer "local".
 *
 * Bull Board can retry, promote, add and clean jobs, so its state-changing requests are guarded
 * against cross-site use (OWASP CSRF cheat sheet): the Host must be PUBLIC_URL's (DNS
 * rebinding), an Origin / Referer / Sec-Fetch-Site that names another site is refused, and a
 * cookie-authenticated request must echo the `XSRF-TOKEN` cookie in `X-XSRF-TOKEN` (what Bull
 * Board's axios client does by itself), a token bound to the admin cookie by an HMAC.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import Router from '@koa/router';
import { z } from 'zod';
import type { Context, Next } from 'koa';
import type { Queue } from 'bullmq';
import type { Config } from '../../shared/config.js';
import { signAccessToken, verifyAccessToken } from '../../shared/access-token.js';
import { ForbiddenError, UnauthenticatedError } from '../../shared/errors.js';
import { bearerToken } from '../http/auth.js';
import { readRawBody } from '../http/http.js';
import { clientIp } from '../http/client-ip.js';
import { rateLimit } from '../http/rate-limit.js';
import type { GatewayDeps } from '../gateway.deps.js';
import { escapeHtml, page } from '../web/html.js';

export const BULL_BOARD_PATH = '/admin/queues';
/** httpOnly cookie holding the admin's access token (Path=/admin). */
export const ADMIN_COOKIE = 'ms_admin';
/** Cookie and header names axios (inside Bull Board's UI) uses for double-submit CSRF. */
export const ADMIN_CSRF_COOKIE = 'XSRF-TOKEN';
export const ADMIN_CSRF_HEADER = 'x-xsrf-token';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The CSRF token of an admin cookie: HMAC-SHA256 under JWT_SECRET with its own label. */
export function adminCsrfToken(config: Pick<Config, 'JWT_SECRET'>, adminCookie: string): string {
  return createHmac('sha256', config.JWT_SECRET)
    .update(`mediashar:bull-board-csrf:${adminCookie}`)
    .digest('base64url');
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Refuses a request not addressed to PUBLIC_URL's host, or one the browser says comes from
 * another origin or site (Origin, else Referer; Sec-Fetch-Site `cross-site`/`same-site`).
 * @throws {ForbiddenError}
 */
export function checkSameOrigin(ctx: Context, config: Pick<Config, 'PUBLIC_URL'>): void {
  const publicUrl = new URL(config.PUBLIC_URL);
  if (ctx.get('host').toLowerCase() !== publicUrl.host.toLowerCase())
    throw new ForbiddenError(`Admin pages answer only on ${publicUrl.host} (PUBLIC_URL)`);
  const site = ctx.get('sec-fetch-site');
  if (site === 'cross-site' || site === 'same-site')
    throw new ForbiddenError('Cross-site requests to admin pages are refused');
  let origin = ctx.get('origin');
  if (!origin && ctx.get('referer')) {
    try {
      origin = new URL(ctx.get('referer')).origin;
    } catch {
      origin = 'null';
    }
  }
  if (origin && origin !== publicUrl.origin)
    throw new ForbiddenError(`Requests from ${origin} to admin pages are refused`);
}

/**
 * Guard of /admin/queues: an admin (bearer token or `ms_admin` cookie), and for POST, PUT, PATCH
 * and DELETE the same-origin check plus, with the cookie, the CSRF token. A browser with no
 * credential asking for a page is sent to /admin/login.
 * @throws {UnauthenticatedError} 401 without a valid token, {ForbiddenError} 403 for a non-admin
 *   token or a failed origin / CSRF check.
 */
export function adminOnly(config: Config) {
  return async (ctx: Context, next: Next): Promise<void> => {
    if (ctx.path !== BULL_BOARD_PATH && !ctx.path.startsWith(`${BULL_BOARD_PATH}/`)) return next();
    const bearer = bearerToken(ctx);
    const cookie = bearer ? '' : (ctx.cookies.get(ADMIN_COOKIE) ?? '');
    if (!bearer && !cookie) {
      if (ctx.method === 'GET' && ctx.accepts('json', 'html') === 'html' && ctx.get('accept')) {
        ctx.redirect(`/admin/login?next=${encodeURIComponent(ctx.path)}`);
        return;
      }
      throw new UnauthenticatedError(
        'Bull Board is for admins: send an admin access token as Authorization: Bearer, or sign in at /admin/login',
      );
    }
    const claims = await verifyAccessToken(config, bearer || cookie);
    if (claims.role !== 'admin') throw new ForbiddenError('Bull Board is for admin accounts only');
    checkSameOrigin(ctx, config);
    // A cross-site page cannot set Authorization, so a bearer request needs no CSRF token; the
    // cookie rides along with any request, so it does.
    if (cookie && !SAFE_METHODS.has(ctx.method)) {
      const header = ctx.get(ADMIN_CSRF_HEADER);
      const csrfCookie = ctx.cookies.get(ADMIN_CSRF_COOKIE) ?? '';
      if (!header || !sameText(header, csrfCookie) || !sameText(header, adminCsrfToken(config, cookie)))
        throw new ForbiddenError(
          'CSRF check failed: send the XSRF-TOKEN cookie value in the X-XSRF-TOKEN header',
        );
    }
    await next();
  };
}

/**
 * The Bull Board Koa middleware for the given queues. Bull Board's modules (~13 MiB of memory)
 * are loaded on the first request under BULL_BOARD_PATH, not in every gateway at start.
 */
export function bullBoard(queues: Queue[]): (ctx: Context, next: Next) => Promise<unknown> {
  let plugin: Promise<(ctx: Context, next: Next) => Promise<unknown>> | undefined;
  const load = async () => {
    const [{ createBullBoard }, { BullMQAdapter }, { KoaAdapter }] = await Promise.all([
      import('@bull-board/api'),
      import('@bull-board/api/bullMQAdapter'),
      import('@bull-board/koa'),
    ]);
    const serverAdapter = new KoaAdapter();
    createBullBoard({ queues: queues.map((q) => new BullMQAdapter(q)), serverAdapter });
    serverAdapter.setBasePath(BULL_BOARD_PATH);
    return serverAdapter.registerPlugin() as unknown as (ctx: Context, next: Next) => Promise<unknown>;
  };
  return async (ctx, next) => {
    if (ctx.path !== BULL_BOARD_PATH && !ctx.path.startsWith(`${BULL_BOARD_PATH}/`)) return next();
    plugin ??= load().catch((err: unknown) => {
      plugin = undefined;
      throw err;
    });
    return (await plugin)(ctx, next);
  };
}

const LOGIN_CSP = "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'";

function loginPage(next: string, error = ''): string {
  return page(
    'Admin sign-in',
    `<main class="card">
      <h1>Admin sign-in</h1>
      ${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
      <form method="post" action="/admin/login">
        <input type="hidden" name="next" value="${escapeHtml(next)}">
        <label>Email <input type="email" name="email" autocomplete="username" required></label>
        <label>Password <input type="password" name="password" autocomplete="current-password" required></label>
        <button type="submit" class="primary">Sign in</button>
      </form>
    </main>`,
  );
}

/**
 * POST /admin/session (the web app's admin bearer token → the same cookies, 204),
 * /admin/login (a form: email and password of an admin account → the `ms_admin` and
 * `XSRF-TOKEN` cookies, then Bull Board) and POST /admin/logout.
 */
export function adminSessionRouter(deps: GatewayDeps): Router {
  const { config } = deps;
  const router = new Router({ prefix: '/admin' });
  const secure = new URL(config.PUBLIC_URL).protocol === 'https:';
  const loginLimit = rateLimit(deps.redis, config.REDIS_PREFIX, {
    name: 'admin-login-ip',
    points: 10,
    durationS: 300,
    message: 'Too many admin sign-in attempts from your address: wait a few minutes',
  });
  const safeNext = (v: unknown) =>
    typeof v === 'string' && (v === BULL_BOARD_PATH || v.startsWith(`${BULL_BOARD_PATH}/`))
      ? v
      : BULL_BOARD_PATH;

  /** Sets the `ms_admin` cookie (the admin's access token) and its CSRF cookie. */
  const setAdminCookies = (ctx: Context, token: string) => {
    const expires = new Date(Date.now() + config.ACCESS_TOKEN_TTL_S * 1000);
    ctx.cookies.secure = secure;
    const common = { secure, sameSite: 'strict' as const, expires, overwrite: true };
    ctx.cookies.set(ADMIN_COOKIE, token, { ...common, httpOnly: true, path: '/admin' });
    ctx.cookies.set(ADMIN_CSRF_COOKIE, adminCsrfToken(config, token), {
      ...common,
      httpOnly: false,
      path: BULL_BOARD_PATH,
    });
  };

  // The web app's "Open Bull Board": trades the admin's bearer access token (kept in memory by
  // the app, never in a readable cookie) for the httpOnly cookie Bull Board's own page needs.
  // A cross-site page cannot set Authorization, so no CSRF token is needed here.
  router.post('/session', async (ctx) => {
    checkSameOrigin(ctx, config);
    const bearer = bearerToken(ctx);
    if (!bearer) throw new UnauthenticatedError('Send the admin access token as Authorization: Bearer');
    const claims = await verifyAccessToken(config, bearer);
    if (claims.role !== 'admin') throw new ForbiddenError('Bull Board is for admin accounts only');
    setAdminCookies(ctx, bearer);
    ctx.set('Cache-Control', 'no-store');
    ctx.status = 204;
  });

  router.get('/login', (ctx) => {
    ctx.type = 'html';
    ctx.set('Content-Security-Policy', LOGIN_CSP);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = loginPage(safeNext(ctx.query.next));
  });

  router.post('/login', async (ctx) => {
    // Login CSRF: a foreign page must not sign a browser in as the attacker's admin.
    checkSameOrigin(ctx, config);
    await loginLimit.consume(clientIp(ctx));
    const form = new URLSearchParams((await readRawBody(ctx, '8kb')).toString('utf8'));
    const next = safeNext(form.get('next'));
    const refuse = (status: number, message: string) => {
      ctx.status = status;
      ctx.type = 'html';
      ctx.set('Content-Security-Policy', LOGIN_CSP);
      ctx.body = loginPage(next, message);
    };
    const email = form.get('email') ?? '';
    // Not an email (a NUL would even reach PostgreSQL as an error): the same refusal as a wrong one.
    if (!z.email().max(254).safeParse(email).success)
      return refuse(401, 'Email or password is wrong, or the account is not an admin');
    let user;
    try {
      ({ user } = await deps.accounts.login(email, (form.get('password') ?? '').slice(0, 200)));
    } catch (err) {
      if (err instanceof UnauthenticatedError || err instanceof ForbiddenError)
        return refuse(401, 'Email or password is wrong, or the account is not an admin');
      throw err;
    }
    if (user.role !== 'admin')
      return refuse(401, 'Email or password is wrong, or the account is not an admin');
    setAdminCookies(ctx, await signAccessToken(config, { sub: user.id, role: 'admin' }));
    ctx.status = 303;
    ctx.redirect(next);
  });

  router.post('/logout', (ctx) => {
    checkSameOrigin(ctx, config);
    ctx.cookies.secure = secure;
    const gone = { secure, sameSite: 'strict' as const, expires: new Date(0), overwrite: true };
    ctx.cookies.set(ADMIN_COOKIE, '', { ...gone, httpOnly: true, path: '/admin' });
    ctx.cookies.set(ADMIN_CSRF_COOKIE, '', { ...gone, httpOnly: false, path: BULL_BOARD_PATH });
    ctx.status = 303;
    ctx.redirect('/admin/login');
  });

  return router;
}
