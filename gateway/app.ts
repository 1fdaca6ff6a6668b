/**
 * The Koa gateway: REST under /api/v1, webhooks, web pages, Bull Board and health. Built from
 * plain dependencies so tests can run it without binding a port.
 */
import Koa from 'koa';
import helmet from 'koa-helmet';
import cors from '@koa/cors';
import type Router from '@koa/router';
import { NotFoundError } from '../shared/errors.js';
import type { GatewayDeps } from './gateway.deps.js';
import { errorMiddleware } from './http/http.js';
import { clientIpMiddleware } from './http/client-ip.js';
import { accountsRouter } from './accounts/accounts.routes.js';
import { sessionsRouter } from './accounts/sessions.routes.js';
import { adminRouter } from './admin/admin.routes.js';
import { profileRouter } from './accounts/profile.routes.js';
import { alertsRouter } from './alerts/alerts.routes.js';
import { outgoingWebhooksRouter } from './outgoing-webhooks/outgoing-webhooks.routes.js';
import { notificationsRouter } from './notifications/notifications.routes.js';
import { donationsRouter } from './donations/donations.routes.js';
import { wordFilterRouter } from './word-filter/word-filter.routes.js';
import { uploadsRouter } from './uploads/uploads.routes.js';
import { ttsRouter } from './tts/tts.routes.js';
import { createTtsEngine } from './tts/tts-engine.js';
import { mediaShareRouter } from './media-share/media-share.routes.js';
import { mediaQueueRouter } from './media-share/media-queue.routes.js';
import { webhooksRouter } from './webhooks/webhooks.routes.js';
import { paymentsRouter } from './payments/payments.routes.js';
import { sandboxRouter } from './sandbox/sandbox.routes.js';
import { healthRouter } from './health/health.routes.js';
import { adminOnly, adminSessionRouter, bullBoard, BULL_BOARD_PATH } from './admin/bull-board.js';
import { pagesRouter } from './web/pages.routes.js';
import { appRouter } from './web/app.routes.js';
import { docsRouter } from './docs/docs.routes.js';
import { metricsRouter } from './metrics/metrics.routes.js';

/** Every router of the gateway, in mount order (the donor page's /:username comes last). */
export async function gatewayRouters(deps: GatewayDeps): Promise<Router[]> {
  return [
    healthRouter(deps),
    metricsRouter(deps.config),
    adminSessionRouter(deps),
    docsRouter(deps),
    accountsRouter(deps),
    sessionsRouter(deps),
    adminRouter(deps),
    profileRouter(deps),
    mediaQueueRouter(deps),
    alertsRouter(deps),
    outgoingWebhooksRouter(deps),
    notificationsRouter(deps),
    donationsRouter(deps),
    wordFilterRouter(deps),
    uploadsRouter(deps),
    ttsRouter(deps, createTtsEngine(deps.config)),
    mediaShareRouter(deps),
    webhooksRouter(deps),
    paymentsRouter(deps),
    sandboxRouter(deps),
    await pagesRouter(deps),
    appRouter(deps),
  ];
}

export async function createGatewayApp(deps: GatewayDeps): Promise<Koa> {
  const app = new Koa({ proxy: false });
  app.use(errorMiddleware(deps.log));
  app.use(clientIpMiddleware(deps.config));
  app.use(helmet({ contentSecurityPolicy: false, crossOriginEmbedderPolicy: false }));
  app.use(async (ctx, next) => {
    await next();
    if (!ctx.response.get('Content-Security-Policy') && !ctx.path.startsWith(BULL_BOARD_PATH)) {
      ctx.set('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
    }
  });
  app.use(
    cors({
      origin: (ctx) => (ctx.path.startsWith('/api/v1/') ? ctx.get('origin') || '*' : ''),
      exposeHeaders: ['X-Request-Id', 'Location'],
    }),
  );
  app.use(adminOnly(deps.config));
  app.use(bullBoard(deps.queues));
  for (const router of await gatewayRouters(deps)) app.use(router.routes()).use(router.allowedMethods());
  app.use((ctx) => {
    throw new NotFoundError(`No route for ${ctx.method} ${ctx.path}`);
  });
  app.on('error', (err: unknown) => deps.log.debug({ err }, 'koa error'));
  return app;
}
