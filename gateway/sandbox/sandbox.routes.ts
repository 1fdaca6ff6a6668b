/**
 * The sandbox provider's checkout page: /sandbox/checkout/:paymentId with Pay and Decline.
 * Each button sends a webhook signed with the install secret to our own public webhook endpoint,
 * so it travels the same verification path as a real provider's.
 */
import Router, { type RouterContext } from '@koa/router';
import { uuidv7 } from 'uuidv7';
import { z } from 'zod';
import { ConflictError, NotFoundError } from '../../shared/errors.js';
import {
  signSandboxBody,
  SANDBOX_SIGNATURE_HEADER,
  type SandboxWebhook,
} from '../../grpc/payment/providers/sandbox.provider.js';
import type { GatewayDeps } from '../gateway.deps.js';
import type { GatewayState } from '../http/http.js';
import { escapeHtml, page } from '../web/html.js';
import { requestLanguage } from '../donations/typed-amount.js';
import { formatAmount } from '../../shared/amount-input.js';
import { contentSecurityPolicy } from '../web/pages.routes.js';

/** The sandbox checkout's words (plain text, no markup), per language. */
const SANDBOX_WORDS = {
  en: {
    title: 'Sandbox checkout',
    badge: 'Sandbox — no real money moves',
    pay: 'Pay',
    decline: 'Decline',
    order: 'Order',
    status: 'status',
    back: 'Back to the donation',
  },
  id: {
    title: 'Pembayaran uji coba',
    badge: 'Uji coba — tidak ada uang sungguhan yang berpindah',
    pay: 'Bayar',
    decline: 'Tolak',
    order: 'Pesanan',
    status: 'status',
    back: 'Kembali ke donasi',
  },
} as const;

export function sandboxRouter(deps: GatewayDeps): Router {
  const { config } = deps;
  const router = new Router({ prefix: '/sandbox' });
  /**
   * A sandbox payment. Another provider's payment is "not found" here: the sandbox's Pay button
   * sends a sandbox-signed webhook, which must never settle money that a real provider owes.
   */
  const getPayment = async (paymentId: string, requestId: string) => {
    if (!z.uuid().safeParse(paymentId).success) throw new NotFoundError('Checkout not found');
    const payment = await deps.api.payment.getPayment({ paymentId }, { requestId });
    if (payment.provider !== 'sandbox') throw new NotFoundError('Checkout not found');
    return payment;
  };

  router.use(async (ctx, next) => {
    if (!config.SANDBOX_ENABLED) throw new NotFoundError('The sandbox provider is disabled on this install');
    await next();
  });

  router.get('/checkout/:paymentId', async (ctx) => {
    const payment = await getPayment(ctx.params.paymentId!, (ctx.state as GatewayState).requestId);
    // In the donor's language (the app sends its donors here from a page in theirs).
    const lang = requestLanguage(ctx);
    const w = SANDBOX_WORDS[lang];
    const amount = formatAmount(payment.amount!.amountMinor, payment.amount!.currency, lang);
    const id = escapeHtml(payment.id);
    const pending = payment.status === 'pending';
    ctx.type = 'html';
    ctx.set('Content-Security-Policy', contentSecurityPolicy([]));
    ctx.body = page(
      w.title,
      `<main class="card">
        <p class="badge">${w.badge}</p>
        <h1>${w.pay} ${escapeHtml(amount)}</h1>
        <p>${w.order} <code>${escapeHtml(payment.orderId)}</code> · ${w.status} <strong data-testid="status">${escapeHtml(payment.status)}</strong></p>
        ${
          pending
            ? `<div class="actions">
                 <form method="post" action="/sandbox/checkout/${id}/pay"><button type="submit" class="primary" data-testid="pay">${w.pay}</button></form>
                 <form method="post" action="/sandbox/checkout/${id}/decline"><button type="submit" data-testid="decline">${w.decline}</button></form>
               </div>`
            : ''
        }
        <p><a href="/donations/${escapeHtml(payment.donationId)}">${w.back}</a></p>
      </main>`,
      { lang },
    );
  });

  const complete = (outcome: 'paid' | 'failed') => async (ctx: RouterContext) => {
    const state = ctx.state as GatewayState;
    const payment = await getPayment(ctx.params.paymentId!, state.requestId);
    if (payment.status !== 'pending') throw new ConflictError(`This checkout is already ${payment.status}`);
    const event: SandboxWebhook = {
      eventId: uuidv7(),
      orderId: payment.orderId,
      status: outcome,
      amountMinor: payment.amount!.amountMinor,
      currency: payment.amount!.currency,
      sentAt: new Date().toISOString(),
    };
    const body = JSON.stringify(event);
    const host = ['0.0.0.0', '::', ''].includes(config.BIND_HOST) ? '127.0.0.1' : config.BIND_HOST;
    const res = await fetch(
      `http://${host.includes(':') ? `[${host}]` : host}:${config.GATEWAY_PORT}/api/v1/webhooks/sandbox`,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [SANDBOX_SIGNATURE_HEADER]: signSandboxBody(body, config.SANDBOX_WEBHOOK_SECRET),
          'x-request-id': state.requestId,
        },
        body,
        signal: AbortSignal.timeout(5000),
      },
    );
    if (!res.ok) throw new Error(`sandbox webhook answered ${res.status}`);
    if (ctx.accepts('html', 'json') === 'html') {
      ctx.redirect(`/donations/${payment.donationId}`);
      return;
    }
    ctx.body = {
      paymentId: payment.id,
      donationId: payment.donationId,
      sent: outcome,
      eventId: event.eventId,
    };
  };
  router.post('/checkout/:paymentId/pay', complete('paid'));
  router.post('/checkout/:paymentId/decline', complete('failed'));
  return router;
}
