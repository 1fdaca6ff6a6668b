/** GET /metrics: the gateway's Prometheus metrics (queue depth of every queue included). */
import Router from '@koa/router';
import { metricsText } from '../../shared/metrics.js';

export function metricsRouter(): Router {
  const router = new Router();
  router.get('/metrics', async (ctx) => {
    const { contentType, body } = await metricsText();
    ctx.set('Cache-Control', 'no-store');
    ctx.type = contentType;
    ctx.body = body;
  });
  return router;
}
