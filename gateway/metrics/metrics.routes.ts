/**
 * GET /metrics: the gateway's Prometheus metrics (queue depth of every queue included). The
 * gateway's port is public, and the series hold business figures (donations by provider), so
 * only loopback clients and scrapers presenting METRICS_TOKEN as a bearer token get them.
 */
import { timingSafeEqual } from 'node:crypto';
import Router from '@koa/router';
import type { Context, Next } from 'koa';
import type { Config } from '../../shared/config.js';
import { ForbiddenError } from '../../shared/errors.js';
import { metricsText } from '../../shared/metrics.js';
import { isLoopback } from '../admin/bull-board.js';
import { bearerToken } from '../http/auth.js';

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Lets loopback clients through, and others with `Authorization: Bearer <METRICS_TOKEN>`.
 * @throws {ForbiddenError} 403 otherwise, saying how to get access.
 */
export function metricsGuard(config: Pick<Config, 'METRICS_TOKEN'>) {
  return async (ctx: Context, next: Next): Promise<void> => {
    const token = bearerToken(ctx);
    const allowed =
      isLoopback(ctx.request.socket.remoteAddress ?? '') ||
      (Boolean(config.METRICS_TOKEN) && sameSecret(token, config.METRICS_TOKEN ?? ''));
    if (!allowed)
      throw new ForbiddenError(
        'Metrics are for the operator: scrape from the server itself, or send Authorization: Bearer <METRICS_TOKEN>',
      );
    await next();
  };
}

export function metricsRouter(config: Pick<Config, 'METRICS_TOKEN'>): Router {
  const router = new Router();
  router.get('/metrics', metricsGuard(config), async (ctx) => {
    const { contentType, body } = await metricsText();
    ctx.set('Cache-Control', 'no-store');
    ctx.type = contentType;
    ctx.body = body;
  });
  return router;
}
