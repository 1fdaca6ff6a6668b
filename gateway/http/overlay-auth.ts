/**
 * The overlay token as a credential: OBS browser sources (the overlay, the widgets) send it in
 * `X-Overlay-Token`, never in a URL that gets logged.
 */
import type { Context } from 'koa';
import { KEYS } from '../../shared/queues.js';
import { UnauthenticatedError } from '../../shared/errors.js';
import { overlayTokenHash } from '../accounts/accounts.store.js';
import type { StreamerRow } from '../accounts/gateway.db.js';
import type { GatewayDeps } from '../gateway.deps.js';

/**
 * The streamer whose overlay token the request carries in X-Overlay-Token.
 * @throws {UnauthenticatedError} 401 when it is missing, unknown or was rotated.
 */
export async function overlayStreamer(
  deps: Pick<GatewayDeps, 'config' | 'redis' | 'accounts'>,
  ctx: Context,
): Promise<StreamerRow> {
  const token = ctx.get('x-overlay-token');
  const streamerId = token
    ? await deps.redis.get(KEYS.overlayToken(deps.config.REDIS_PREFIX, overlayTokenHash(token)))
    : null;
  if (!streamerId) throw new UnauthenticatedError('Overlay token is invalid or was rotated');
  return deps.accounts.streamerById(streamerId);
}
