/**
 * The install admin's API: streamers (search, disable, enable), install settings (sign-up open,
 * by invite, closed) and invite codes. Admin role only; everyone else gets 403. Also the public
 * GET /auth/signup the sign-up page reads.
 */
import Router from '@koa/router';
import { z } from 'zod';
import type { GatewayDeps } from '../gateway.deps.js';
import { readJson, validate } from '../http/http.js';
import { currentUser, requireUser } from '../http/auth.js';
import { SIGNUP_MODES } from './admin.store.js';
import { isCleanText } from '../../shared/text.js';

export const adminStreamersQuerySchema = z.object({
  q: z
    .string()
    .trim()
    .max(100, 'must be at most 100 characters')
    .refine(isCleanText, 'must not contain control characters')
    .default(''),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

export const installSettingsSchema = z.strictObject({
  signup: z.enum(SIGNUP_MODES, `must be one of ${SIGNUP_MODES.join(', ')}`).optional(),
});

export const createInviteSchema = z.strictObject({
  expiresInDays: z.number().int().min(1).max(90).default(14),
});

export const streamerIdParamSchema = z.object({ id: z.uuid('must be a streamer id') });

export function adminRouter(deps: GatewayDeps): Router {
  const { config, admin } = deps;
  const router = new Router({ prefix: '/api/v1' });
  const adminOnly = requireUser(config, 'admin');

  router.get('/auth/signup', async (ctx) => {
    ctx.body = { signup: (await admin.settings()).signup };
  });

  router.get('/admin/streamers', adminOnly, async (ctx) => {
    const query = validate(adminStreamersQuerySchema, ctx.query);
    const { streamers, total } = await admin.streamers(query.q, query.page, query.pageSize);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { streamers, total, page: query.page, pageSize: query.pageSize };
  });

  for (const action of ['disable', 'enable'] as const) {
    router.post(`/admin/streamers/:id/${action}`, adminOnly, async (ctx) => {
      const { id } = validate(streamerIdParamSchema, ctx.params);
      await admin.setStreamerDisabled(id, action === 'disable');
      // Their browsers lose their sessions now; an access token already out runs out on its own.
      if (action === 'disable') await deps.sessions.revokeAll(id, 'disabled');
      deps.accounts.forgetCached();
      ctx.body = { id, disabled: action === 'disable' };
    });
  }

  router.get('/admin/settings', adminOnly, async (ctx) => {
    ctx.body = await admin.settings();
  });

  router.patch('/admin/settings', adminOnly, async (ctx) => {
    const body = validate(installSettingsSchema, await readJson(ctx));
    ctx.body = await admin.updateSettings(body);
  });

  router.post('/admin/invites', adminOnly, async (ctx) => {
    const body = validate(createInviteSchema, await readJson(ctx));
    ctx.set('Cache-Control', 'no-store');
    ctx.status = 201;
    ctx.body = await admin.createInvite(currentUser(ctx).id, body.expiresInDays);
  });

  return router;
}
