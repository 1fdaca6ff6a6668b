import type { Context, Next } from 'koa';
import type { Config } from '../../shared/config.js';
import { verifyAccessToken, type Role } from '../../shared/access-token.js';
import { ForbiddenError, UnauthenticatedError } from '../../shared/errors.js';
import type { GatewayState } from './http.js';

/** The bearer token of a request, or ''. */
export function bearerToken(ctx: Context): string {
  const header = ctx.get('authorization');
  return header.startsWith('Bearer ') ? header.slice(7).trim() : '';
}

/**
 * Requires a valid access token (and one of `roles` when given); sets ctx.state.user.
 * @throws {UnauthenticatedError} 401, {ForbiddenError} 403.
 */
export function requireUser(config: Config, ...roles: Role[]) {
  return async (ctx: Context, next: Next): Promise<void> => {
    const claims = await verifyAccessToken(config, bearerToken(ctx));
    if (roles.length && !roles.includes(claims.role))
      throw new ForbiddenError(`This needs a ${roles.join(' or ')} account`);
    (ctx.state as GatewayState).user = {
      id: claims.sub,
      role: claims.role,
      username: claims.username,
      sid: claims.sid,
    };
    await next();
  };
}

/** Sets ctx.state.user when a valid token is present; anonymous otherwise (never fails). */
export function optionalUser(config: Config) {
  return async (ctx: Context, next: Next): Promise<void> => {
    const token = bearerToken(ctx);
    if (token) {
      try {
        const claims = await verifyAccessToken(config, token);
        (ctx.state as GatewayState).user = { id: claims.sub, role: claims.role, username: claims.username };
      } catch {
        throw new UnauthenticatedError('Access token is invalid or expired; send none to donate as a guest');
      }
    }
    await next();
  };
}

/** The signed-in user (after requireUser). */
export function currentUser(ctx: Context): NonNullable<GatewayState['user']> {
  const user = (ctx.state as GatewayState).user;
  if (!user) throw new UnauthenticatedError();
  return user;
}
