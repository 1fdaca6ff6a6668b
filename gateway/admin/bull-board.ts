/**
 * Bull Board at /admin/queues, showing every queue of the registry. Only admins (a bearer token
 * or `access_token` cookie with role admin) and loopback clients (the operator on the machine)
 * get in.
 */
import type { Context, Next } from 'koa';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { KoaAdapter } from '@bull-board/koa';
import type { Queue } from 'bullmq';
import type { Config } from '../../shared/config.js';
import { verifyAccessToken } from '../../shared/access-token.js';
import { ForbiddenError } from '../../shared/errors.js';
import { bearerToken } from '../http/auth.js';

export const BULL_BOARD_PATH = '/admin/queues';

/** True for 127.0.0.0/8 and ::1 (also IPv4-mapped). */
export function isLoopback(ip: string): boolean {
  const v4 = ip.replace(/^::ffff:/, '');
  return v4.startsWith('127.') || ip === '::1';
}

/** Guard: loopback client or admin token. */
export function adminOnly(config: Config) {
  return async (ctx: Context, next: Next): Promise<void> => {
    if (!ctx.path.startsWith(BULL_BOARD_PATH)) return next();
    const token = bearerToken(ctx) || ctx.cookies.get('access_token') || '';
    const admin = token
      ? await verifyAccessToken(config, token).then(
          (c) => c.role === 'admin',
          () => false,
        )
      : false;
    if (!admin && !isLoopback(ctx.request.socket.remoteAddress ?? '')) {
      throw new ForbiddenError(
        'Bull Board is for admins: sign in as an admin or open it from the server itself',
      );
    }
    await next();
  };
}

/** The Bull Board Koa middleware for the given queues. */
export function bullBoard(queues: Queue[]) {
  const serverAdapter = new KoaAdapter();
  createBullBoard({ queues: queues.map((q) => new BullMQAdapter(q)), serverAdapter });
  serverAdapter.setBasePath(BULL_BOARD_PATH);
  return serverAdapter.registerPlugin();
}
