/**
 * /api/v1/me/webhooks: a streamer's outgoing webhook endpoints (for a Discord bot or a stream
 * tool) and their delivery log. Deliveries are made by the outgoing-webhooks worker pool.
 */
import Router from '@koa/router';
import { z } from 'zod';
import { ValidationError } from '../../shared/errors.js';
import { KEYS } from '../../shared/queues.js';
import type { GatewayDeps } from '../gateway.deps.js';
import { readJson, validate } from '../http/http.js';
import { currentUser, requireUser } from '../http/auth.js';
import { DEFAULT_WEBHOOK_EVENTS, WEBHOOK_EVENT_TYPES } from './outgoing-webhooks.store.js';

/** Body of POST /me/webhooks; production installs accept https URLs only. */
export function endpointSchema(production: boolean) {
  return z.object({
    url: z
      .url({
        protocol: production ? /^https$/ : /^https?$/,
        error: `must be an ${production ? 'https' : 'http(s)'} URL`,
      })
      .max(2000, 'must be at most 2000 characters'),
    events: z
      .array(z.enum(WEBHOOK_EVENT_TYPES, `must be among ${WEBHOOK_EVENT_TYPES.join(', ')}`))
      .min(1, 'must name at least one event type')
      .optional(),
  });
}

export function outgoingWebhooksRouter(deps: GatewayDeps): Router {
  const { config, outgoingWebhooks: store } = deps;
  const router = new Router({ prefix: '/api/v1/me/webhooks' });
  const streamerOnly = requireUser(config, 'streamer');
  const schema = endpointSchema(config.NODE_ENV === 'production');
  // Tells the outgoing-webhooks reader to reload its set of streamers with endpoints. A lost
  // message costs at most its periodic reload (WebhookFanout), never a wrong delivery.
  const changed = (streamerId: string) =>
    deps.redis
      .publish(KEYS.webhookEndpointsChannel(config.REDIS_PREFIX), streamerId)
      .catch((err: unknown) => deps.log.warn({ err }, 'webhook endpoint change not announced'));
  const endpointId = (id: string) => {
    if (!z.uuid().safeParse(id).success)
      throw new ValidationError('id must be a UUID', { fields: { id: 'must be a UUID' } });
    return id;
  };

  // The secret is shown here once; receivers verify X-MediaShar-Signature with it.
  router.post('/', streamerOnly, async (ctx) => {
    const body = validate(schema, await readJson(ctx));
    const endpoint = await store.create(currentUser(ctx).id, body.url, body.events ?? DEFAULT_WEBHOOK_EVENTS);
    await changed(endpoint.streamerId);
    ctx.status = 201;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = endpoint;
  });

  router.get('/', streamerOnly, async (ctx) => {
    ctx.body = { endpoints: await store.list(currentUser(ctx).id) };
  });

  router.delete('/:id', streamerOnly, async (ctx) => {
    await store.remove(currentUser(ctx).id, endpointId(ctx.params.id!));
    await changed(currentUser(ctx).id);
    ctx.status = 204;
  });

  router.get('/:id/deliveries', streamerOnly, async (ctx) => {
    ctx.body = { deliveries: await store.attempts(currentUser(ctx).id, endpointId(ctx.params.id!)) };
  });

  return router;
}
