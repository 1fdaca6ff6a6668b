/**
 * The streamer's word filter preview: what a donor's text would become under the streamer's
 * current settings, computed by the same checkText() the donation path uses.
 */
import Router from '@koa/router';
import { z } from 'zod';
import { checkText } from '../../shared/word-filter.js';
import { messageText } from '../../shared/text.js';
import type { GatewayDeps } from '../gateway.deps.js';
import { readJson, validate } from '../http/http.js';
import { currentUser, requireUser } from '../http/auth.js';

/** Body of POST /me/word-filter/check. */
export const wordFilterCheckSchema = z.object({
  text: messageText(1000).refine((v) => v.length > 0, 'is required'),
});

export function wordFilterRouter(deps: GatewayDeps): Router {
  const { config, accounts } = deps;
  const router = new Router({ prefix: '/api/v1/me' });

  router.post('/word-filter/check', requireUser(config, 'streamer'), async (ctx) => {
    const body = validate(wordFilterCheckSchema, await readJson(ctx));
    const streamer = await accounts.streamerById(currentUser(ctx).id);
    const { flagged, masked, matches } = checkText(body.text, streamer.settings.wordFilter);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { flagged, masked, matches };
  });

  return router;
}
