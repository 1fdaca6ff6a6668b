/** The streamer's goal: "reset the goal from today" (the goal counts paid donations from now on). */
import Router from '@koa/router';
import { ConflictError } from '../../shared/errors.js';
import type { GatewayDeps } from '../gateway.deps.js';
import { currentUser, requireUser } from '../http/auth.js';
import { moneyViewer } from './profile.js';

export function profileRouter(deps: GatewayDeps): Router {
  const { config, accounts } = deps;
  const router = new Router({ prefix: '/api/v1' });

  router.post('/me/goal/reset', requireUser(config, 'streamer'), async (ctx) => {
    const current = await accounts.streamerById(currentUser(ctx).id);
    if (!current.settings.goalMinor)
      throw new ConflictError('There is no goal to reset: set one first (PATCH /me/settings goal)');
    const updated = await accounts.updateStreamer(current.userId, {
      settings: { goalStartedAt: new Date().toISOString() },
    });
    const money = moneyViewer(ctx);
    ctx.body = {
      goal: {
        target: money(updated.settings.goalMinor, updated.currency),
        title: updated.settings.goalTitle,
        startedAt: updated.settings.goalStartedAt,
      },
    };
  });

  return router;
}
