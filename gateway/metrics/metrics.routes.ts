/**
 * GET /metrics: the gateway's Prometheus metrics (queue depth of every queue included). The
 * gateway's port is public, and the series hold business figures (donations by provider), so
 * only a scraper presenting METRICS_TOKEN, or an admin's access token, as a bearer token gets
 * them. Where the request comes from earns nothing (no loopback trust: a reverse proxy on the
 * same host would make every viewer local).
 */
import { timingSafeEqual } from 'node:crypto';
import Router from '@koa/router';
import type { Context, Next } from 'koa';
import type { Config } from '../../shared/config.js';
import { verifyAccessToken } from '../../shared/access-token.js';
import { ForbiddenError, UnauthenticatedError } from '../../shared/errors.js';
import { metricsText } from '../../shared/metrics.js';
import { bearerToken } from '../http/auth.js';

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Lets through `Authorization: Bearer <METRICS_TOKEN>` (the scraper's credential) and
 * `Authorization: Bearer <admin access token>`.
 * @throws {UnauthenticatedError} 401 without a bearer token, {ForbiddenError} 403 with another
 *   one, each saying how to get access.
 */
export function metricsGuard(config: Config) {
  return async (ctx: Context, next: Next): Promise<void> => {
    const token = bearerToken(ctx);
    if (!token)
      throw new UnauthenticatedError(
        'Metrics are for the operator: send Authorization: Bearer <METRICS_TOKEN> (or an admin access token)',
      );
    const allowed =
      (Boolean(config.METRICS_TOKEN) && sameSecret(token, config.METRICS_TOKEN ?? '')) ||
      (await verifyAccessToken(config, token).then(
        (claims) => claims.role === 'admin',
        () => false,
      ));
    if (!allowed)
      throw new ForbiddenError(
        'Metrics are for the operator: send Authorization: Bearer <METRICS_TOKEN> (or an admin access token)',
      );
    await next();
  };
}

export function metricsRouter(config: Config): Router {
  const router = new Router();
  router.get('/metrics', metricsGuard(config), async (ctx) => {
    const { contentType, body } = await metricsText();
    ctx.set('Cache-Control', 'no-store');
    ctx.type = contentType;
    ctx.body = body;
  });
  return router;
}
