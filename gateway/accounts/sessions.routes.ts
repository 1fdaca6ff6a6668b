/**
 * Sessions: refresh (rotating), logout, logout everywhere, the list of active sessions, and
 * changing the password (which ends the other sessions).
 */
import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { signAccessToken, type Role } from '../../shared/access-token.js';
import { ValidationError } from '../../shared/errors.js';
import type { GatewayDeps } from '../gateway.deps.js';
import { readJson, validate } from '../http/http.js';
import { currentUser, requireUser } from '../http/auth.js';
import type { IssuedSession } from './sessions.store.js';
import {
  checkCsrf,
  checkOrigin,
  clearSessionCookies,
  refreshTokenOf,
  setSessionCookies,
} from './session-cookies.js';

export const changePasswordSchema = z.strictObject({
  currentPassword: z.string().min(1, 'is required').max(200),
  newPassword: z.string().min(8, 'must be at least 8 characters').max(200, 'must be at most 200 characters'),
});

export const sessionIdParamSchema = z.object({ id: z.uuid('must be a session id') });

/** The part of a sign-in answer that carries the access token. */
export interface AccessGrant {
  accessToken: string;
  /** ISO 8601: refresh before this. */
  accessTokenExpiresAt: string;
  sessionId: string;
}

/** Signs an access token for a session. */
async function grant(
  deps: GatewayDeps,
  session: Omit<IssuedSession, 'refreshToken' | 'csrfToken'>,
): Promise<AccessGrant> {
  const { config } = deps;
  return {
    accessToken: await signAccessToken(config, {
      sub: session.userId,
      role: session.role,
      username: session.username,
      sid: session.sessionId,
    }),
    accessTokenExpiresAt: new Date(Date.now() + config.ACCESS_TOKEN_TTL_S * 1000).toISOString(),
    sessionId: session.sessionId,
  };
}

/**
 * Opens a session for a user who just signed in or registered: sets the refresh and CSRF
 * cookies and returns the access token.
 */
export async function startSession(
  ctx: Context,
  deps: GatewayDeps,
  user: { id: string; role: Role; username?: string },
): Promise<AccessGrant> {
  const session = await deps.sessions.start(user, ctx.get('user-agent'));
  setSessionCookies(ctx, deps.config, session);
  return grant(deps, session);
}

export function sessionsRouter(deps: GatewayDeps): Router {
  const { config, sessions } = deps;
  const router = new Router({ prefix: '/api/v1' });

  router.post('/auth/refresh', async (ctx) => {
    checkOrigin(ctx, config);
    let session: IssuedSession;
    try {
      session = await sessions.rotate(refreshTokenOf(ctx), ctx.get('user-agent'), (sessionId) =>
        checkCsrf(ctx, (token) => sessions.checkCsrf(sessionId, token)),
      );
    } catch (err) {
      // An ended session's cookies are useless: drop them (not on a CSRF refusal, which may be a
      // forged request against a good session).
      if ((err as { code?: string }).code === 'UNAUTHENTICATED') clearSessionCookies(ctx, config);
      throw err;
    }
    setSessionCookies(ctx, config, session);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = {
      ...(await grant(deps, session)),
      user: {
        id: session.userId,
        role: session.role,
        ...(session.username ? { username: session.username } : {}),
      },
    };
  });

  router.post('/auth/logout', async (ctx) => {
    checkOrigin(ctx, config);
    const session = await sessions.sessionOf(refreshTokenOf(ctx));
    if (session) {
      checkCsrf(ctx, (token) => sessions.checkCsrf(session.id, token));
      await sessions.revoke(session.id, 'logout');
    }
    clearSessionCookies(ctx, config);
    ctx.status = 204;
  });

  router.post('/auth/logout-all', requireUser(config), async (ctx) => {
    await sessions.revokeAll(currentUser(ctx).id, 'logout-all');
    clearSessionCookies(ctx, config);
    ctx.status = 204;
  });

  router.get('/me/sessions', requireUser(config), async (ctx) => {
    const user = currentUser(ctx);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = {
      sessions: (await sessions.list(user.id)).map((s) => ({ ...s, current: s.id === user.sid })),
    };
  });

  router.delete('/me/sessions/:id', requireUser(config), async (ctx) => {
    const { id } = validate(sessionIdParamSchema, ctx.params);
    await sessions.revokeOwn(currentUser(ctx).id, id);
    ctx.status = 204;
  });

  router.post('/me/password', requireUser(config), async (ctx) => {
    const body = validate(changePasswordSchema, await readJson(ctx));
    const user = currentUser(ctx);
    if (!(await deps.accounts.checkPassword(user.id, body.currentPassword))) {
      throw new ValidationError('currentPassword is wrong', { fields: { currentPassword: 'is wrong' } });
    }
    await deps.accounts.setPassword(user.id, body.newPassword);
    await sessions.revokeAll(user.id, 'password', user.sid ?? '');
    ctx.status = 204;
  });

  return router;
}
