/**
 * POST /api/v1/webhooks/:provider: the raw bytes and headers go to PaymentService.HandleWebhook,
 * which verifies the signature and queues the event. No body parser touches this route, so the
 * signature is checked over exactly what the provider sent.
 */
import Router from '@koa/router';
import { PROVIDERS } from '../../shared/config.js';
import { NotFoundError } from '../../shared/errors.js';
import type { GatewayDeps } from '../gateway.deps.js';
import { readRawBody, type GatewayState } from '../http/http.js';

/** Headers passed on to signature verification (the rest is dropped). */
const FORWARDED_HEADERS =
  /^(stripe-signature|x-sandbox-signature|paypal-[a-z-]+|content-type|x-callback-token)$/;

export function webhooksRouter(deps: GatewayDeps): Router {
  const router = new Router({ prefix: '/api/v1' });
  router.post('/webhooks/:provider', async (ctx) => {
    const provider = ctx.params.provider!;
    if (!(PROVIDERS as readonly string[]).includes(provider))
      throw new NotFoundError(`Unknown provider "${provider}"`);
    const rawBody = await readRawBody(ctx, '256kb');
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(ctx.headers)) {
      if (FORWARDED_HEADERS.test(name) && typeof value === 'string') headers[name] = value;
    }
    const result = await deps.api.payment.handleWebhook(
      { provider, rawBody, headers },
      { deadlineMs: 4000, requestId: (ctx.state as GatewayState).requestId },
    );
    ctx.body = { received: true, eventId: result.eventId };
  });
  return router;
}
