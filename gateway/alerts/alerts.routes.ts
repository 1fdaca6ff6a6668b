/**
 * The streamer's alert controls and overlay status: test alert, replay of a past donation,
 * skip, pause, resume, panic, and which overlays are connected. Everything goes through
 * NotificationService (the gateway never writes the alert streams itself), which reaches every
 * overlay of the streamer on every notification node.
 */
import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { uuidv7 } from 'uuidv7';
import { ConflictError, NotFoundError, ValidationError } from '../../shared/errors.js';
import { parseAmount } from '../../shared/money.js';
import type { ControlAction } from '../../shared/queues.js';
import type { GatewayDeps } from '../gateway.deps.js';
import { readJson, validate, type GatewayState } from '../http/http.js';
import { messageText, nameText } from '../../shared/text.js';
import { bearerToken, currentUser, requireUser } from '../http/auth.js';

export const testAlertSchema = z.object({
  // The same text rules as a real donation's (no NUL, BEL or other controls, no bidi overrides).
  donorName: nameText(64).optional(),
  /** Decimal string in major units of the streamer's currency (default: the minimum donation). */
  amount: z.string().max(20).optional(),
  message: messageText(255).optional(),
});

export function alertsRouter(deps: GatewayDeps): Router {
  const { config, api, accounts } = deps;
  const router = new Router({ prefix: '/api/v1/me' });
  // The user's access token goes along: the services check the streamer a call acts for.
  const opts = (ctx: Context) => ({
    requestId: (ctx.state as GatewayState).requestId,
    accessToken: bearerToken(ctx),
  });
  const streamerOnly = requireUser(config, 'streamer');

  // A test alert: marked test, never written to donation_db, so never in stats.
  router.post('/alerts/test', streamerOnly, async (ctx) => {
    const body = validate(testAlertSchema, await readJson(ctx));
    const streamer = await accounts.streamerById(currentUser(ctx).id);
    let amountMinor = streamer.minDonationMinor;
    if (body.amount !== undefined) {
      try {
        amountMinor = parseAmount(body.amount, streamer.currency).amountMinor;
      } catch {
        validate(z.never({ error: `amount must be a positive amount in ${streamer.currency}` }), body.amount);
      }
    }
    const { eventId } = await api.notification.publishAlert(
      {
        event: {
          type: 'alert.test',
          donationId: uuidv7(),
          streamerId: streamer.userId,
          donorName: body.donorName ?? 'MediaShar',
          amount: { amountMinor, currency: streamer.currency },
          message:
            body.message ??
            (streamer.settings.language === 'en' ? 'This is a test alert' : 'Ini alert percobaan'),
          createdAt: new Date().toISOString(),
          test: true,
        },
      },
      opts(ctx),
    );
    ctx.status = 202;
    ctx.body = { eventId, test: true };
  });

  // Shows one of the streamer's own paid donations again (not a new donation: no stats change).
  router.post('/alerts/:donationId/replay', streamerOnly, async (ctx) => {
    const donationId = ctx.params.donationId!;
    if (!z.uuid().safeParse(donationId).success)
      throw new ValidationError('donationId must be a UUID', { fields: { donationId: 'must be a UUID' } });
    const user = currentUser(ctx);
    const donation = await api.donation.getDonation({ donationId }, opts(ctx)).catch((err: unknown) => {
      if ((err as { code?: string }).code === 'NOT_FOUND') return null;
      throw err;
    });
    // Someone else's donation looks exactly like a missing one.
    if (!donation || donation.streamerId !== user.id) throw new NotFoundError('Donation not found');
    if (donation.status !== 'paid')
      throw new ConflictError(`Only a paid donation can be replayed; this one is ${donation.status}`);
    const { eventId } = await api.notification.publishAlert(
      {
        event: {
          type: 'alert.replay',
          donationId: donation.id,
          streamerId: user.id,
          donorName: donation.anonymous ? 'Anonymous' : donation.donorName,
          amount: donation.amount,
          message: donation.message,
          mediaShare: donation.mediaShare,
          createdAt: donation.createdAt,
          // A sandbox donation's replay stays a test alert: it never moved money.
          test: donation.provider === 'sandbox',
        },
      },
      opts(ctx),
    );
    ctx.status = 202;
    ctx.body = { eventId, donationId: donation.id };
  });

  const control =
    (action: ControlAction) =>
    async (ctx: Context): Promise<void> => {
      const { deliveredTo } = await api.notification.sendControl(
        { streamerId: currentUser(ctx).id, action },
        opts(ctx),
      );
      ctx.body = { action, deliveredTo };
    };
  router.post('/alerts/skip', streamerOnly, control('skip'));
  router.post('/alerts/pause', streamerOnly, control('pause'));
  router.post('/alerts/resume', streamerOnly, control('resume'));
  // Stops text-to-speech and media on every overlay and pauses the queue.
  router.post('/panic', streamerOnly, control('panic'));

  router.get('/overlay/status', streamerOnly, async (ctx) => {
    const status = await api.notification.getOverlayStatus({ streamerId: currentUser(ctx).id }, opts(ctx));
    ctx.set('Cache-Control', 'no-store');
    ctx.body = {
      connected: status.connected,
      overlays: (status.overlays ?? []).map((o) => ({
        id: o.socketId,
        connectedAt: o.connectedAt,
        lastSeen: o.lastSeenAt,
        kind: o.kind || 'overlay',
      })),
    };
  });

  return router;
}
