/**
 * Payment routes of the gateway: the donor's return from a provider's hosted page (PayPal
 * captures here; every provider gets an early status check) and the streamer's refund of a
 * paid donation through the provider's API. Both go through PaymentService.
 */
import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { PROVIDERS } from '../../shared/config.js';
import { NotFoundError } from '../../shared/errors.js';
import type { GatewayDeps } from '../gateway.deps.js';
import { clientIp } from '../http/client-ip.js';
import { rateLimit } from '../http/rate-limit.js';
import type { GatewayState } from '../http/http.js';
import { bearerToken, currentUser, requireUser } from '../http/auth.js';

export function paymentsRouter(deps: GatewayDeps): Router {
  const { config, api } = deps;
  const router = new Router({ prefix: '/api/v1' });
  // The user's access token goes along: the services check the streamer a call acts for.
  const opts = (ctx: Context) => ({
    requestId: (ctx.state as GatewayState).requestId,
    accessToken: bearerToken(ctx),
  });

  /**
   * GET /api/v1/checkout/:provider/return?donation=<id>: where a provider sends the donor back.
   * Asks PaymentService to confirm now (once per donation per CHECKOUT_RETURN_CHECK_INTERVAL_S),
   * then redirects to the donation's status page; a failed or skipped confirmation still
   * redirects (the webhook and the sweeper finish the job).
   */
  const returnsPerIp = rateLimit(deps.redis, config.REDIS_PREFIX, {
    name: 'checkout-return-ip',
    points: 60,
    durationS: 60,
    message: 'Too many checkout returns from your address: wait a minute',
  });
  router.get('/checkout/:provider/return', async (ctx) => {
    const donationId = String(ctx.query.donation ?? '');
    if (
      !(PROVIDERS as readonly string[]).includes(ctx.params.provider!) ||
      !z.uuid().safeParse(donationId).success
    )
      throw new NotFoundError('Unknown checkout');
    await returnsPerIp.consume(clientIp(ctx));
    // At most one provider status check per donation per interval: a reload, or a flood of hits
    // on the (unauthenticated) URL, is answered by the status page from the database.
    const first = await deps.redis.set(
      `${config.REDIS_PREFIX}:checkout-return:${donationId}`,
      '1',
      'EX',
      config.CHECKOUT_RETURN_CHECK_INTERVAL_S,
      'NX',
    );
    try {
      if (first) await api.payment.confirmCheckout({ donationId }, opts(ctx));
    } catch (err) {
      deps.log.warn(
        { err, donationId, requestId: (ctx.state as GatewayState).requestId },
        'checkout confirmation failed',
      );
    }
    ctx.redirect(new URL(`/donations/${donationId}`, config.PUBLIC_URL).toString());
  });

  /**
   * POST /api/v1/me/donations/:id/refund: refunds a paid donation of the signed-in streamer in
   * full through its provider. Answers 202; the donation becomes `refunded` (and leaves the
   * totals) once the provider's refund is applied. 404 for another streamer's donation; 400 when
   * it is not paid.
   */
  router.post('/me/donations/:id/refund', requireUser(config, 'streamer'), async (ctx) => {
    const id = ctx.params.id!;
    if (!z.uuid().safeParse(id).success) throw new NotFoundError(`Donation ${id} not found`);
    const donation = await api.donation.getDonation({ donationId: id }, opts(ctx));
    if (donation.streamerId !== currentUser(ctx).id) throw new NotFoundError(`Donation ${id} not found`);
    const payment = await api.payment.refundPayment({ donationId: id }, opts(ctx));
    ctx.status = 202;
    ctx.body = { id, status: 'refunding', provider: payment.provider, statusUrl: `/api/v1/donations/${id}` };
  });

  return router;
}
