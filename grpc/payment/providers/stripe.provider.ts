/**
 * Stripe through the official `stripe` SDK: a Checkout Session per payment carrying our order id
 * and donation id in metadata (also on the PaymentIntent), webhooks verified with
 * `stripe.webhooks.constructEvent` over the raw bytes (tolerance 300 s, in both directions:
 * the SDK bounds the age only), and refunds on the PaymentIntent. Amounts follow Stripe's own currency table (shared/money.ts toStripeAmount).
 */
import Stripe from 'stripe';
import {
  ProviderRejectedError,
  ProviderUnavailableError,
  WebhookSignatureError,
} from '../../../shared/errors.js';
import { fromStripeAmount, toStripeAmount } from '../../../shared/money.js';
import type { Money } from '../../../shared/money.js';
import type { PaymentStatus } from '../../../shared/queues.js';
import type {
  CheckoutInput,
  CheckoutResult,
  PaymentProvider,
  ProviderStatus,
  VerifiedWebhook,
} from './payment-provider.js';

/** Stripe's default webhook timestamp tolerance, in seconds (docs.stripe.com/webhooks/signature). */
export const STRIPE_TOLERANCE_S = 300;

/** The `t=` of a Stripe-Signature header, read as the SDK reads it (the last one wins), in s. */
function signatureTimestampS(header: string): number {
  let t = -1;
  for (const item of header.split(',')) {
    const [k, v] = item.split('=');
    if (k === 't') t = parseInt(v ?? '', 10);
  }
  return Number.isFinite(t) ? t : -1;
}

/** Checkout Sessions live between 30 minutes and 24 hours (Stripe API: `expires_at`). */
const MIN_SESSION_S = 30 * 60 + 60;

export interface StripeOptions {
  secretKey: string;
  webhookSecret: string;
  /** API base URL override (a fake); default api.stripe.com. */
  apiUrl?: string;
  publicUrl: string;
  /**
   * Clock used for the tolerance check, in ms since the epoch; only tests that replay events
   * signed at a fixed time set it (STRIPE_WEBHOOK_CLOCK_S). Undefined: the real clock.
   */
  webhookClockMs?: number;
}

/** Maps SDK errors to ours; the message never carries the key (Stripe's messages do not). */
function providerError(err: unknown, what: string): Error {
  if (err instanceof Stripe.errors.StripeError) {
    const code = err.statusCode ?? 0;
    if (
      err.type === 'StripeInvalidRequestError' ||
      err.type === 'StripeCardError' ||
      (code >= 400 && code < 500 && code !== 429 && code !== 409)
    )
      return new ProviderRejectedError(`Stripe refused ${what} (HTTP ${code}: ${err.message.slice(0, 200)})`);
    return new ProviderUnavailableError(`Stripe ${what} failed (HTTP ${code || 'none'})`);
  }
  return new ProviderUnavailableError(`Stripe ${what} failed`);
}

function idOf(v: string | { id: string } | null | undefined): string {
  if (!v) return '';
  return typeof v === 'string' ? v : v.id;
}

export class StripeProvider implements PaymentProvider {
  readonly name = 'stripe' as const;
  readonly confirmsWithStatusApi = false;
  private readonly stripe: Stripe;

  constructor(private readonly options: StripeOptions) {
    const url = options.apiUrl ? new URL(options.apiUrl) : undefined;
    this.stripe = new Stripe(options.secretKey, {
      maxNetworkRetries: 1,
      timeout: 10_000,
      ...(url
        ? {
            host: url.hostname,
            port: url.port || (url.protocol === 'https:' ? 443 : 80),
            protocol: url.protocol === 'https:' ? 'https' : 'http',
          }
        : {}),
    });
  }

  /** A Checkout Session in payment mode; idempotent per payment (Idempotency-Key). */
  async createCheckout(input: CheckoutInput): Promise<CheckoutResult> {
    const amount = toStripeAmount(input.amount);
    const metadata = { order_id: input.orderId, donation_id: input.donationId };
    const expiresAtS = Math.max(
      Math.floor(input.expiresAt.getTime() / 1000),
      Math.floor(Date.now() / 1000) + MIN_SESSION_S,
    );
    const back = new URL(`/donations/${input.donationId}`, this.options.publicUrl).toString();
    let session: Stripe.Checkout.Session;
    try {
      session = await this.stripe.checkout.sessions.create(
        {
          mode: 'payment',
          line_items: [
            {
              quantity: 1,
              price_data: {
                currency: input.amount.currency.toLowerCase(),
                unit_amount: amount,
                product_data: { name: input.description.slice(0, 120) || 'Donation' },
              },
            },
          ],
          client_reference_id: input.orderId,
          metadata,
          payment_intent_data: { metadata },
          expires_at: expiresAtS,
          // Back through our return route: an early status check, then the donation status page.
          success_url: new URL(
            `/api/v1/checkout/stripe/return?donation=${input.donationId}`,
            this.options.publicUrl,
          ).toString(),
          cancel_url: back,
        },
        { idempotencyKey: `checkout-${input.paymentId}` },
      );
    } catch (err) {
      throw providerError(err, 'the Checkout Session');
    }
    if (!session.url) throw new ProviderUnavailableError('Stripe returned a Checkout Session without a URL');
    return {
      url: session.url,
      providerRef: session.id,
      expiresAt: new Date((session.expires_at ?? expiresAtS) * 1000),
    };
  }

  /**
   * `stripe.webhooks.constructEvent` over the raw bytes with a 300 s tolerance, then the event
   * types we act on: checkout.session.completed / expired, payment_intent.succeeded /
   * payment_failed, charge.refunded. Other verified types are acknowledged and ignored.
   * @throws {WebhookSignatureError}
   */
  verifyWebhook(rawBody: Buffer, headers: Record<string, string>): Promise<VerifiedWebhook> {
    let event: Stripe.Event;
    try {
      event = this.stripe.webhooks.constructEvent(
        rawBody,
        headers['stripe-signature'] ?? '',
        this.options.webhookSecret,
        STRIPE_TOLERANCE_S,
        undefined,
        this.options.webhookClockMs,
      );
    } catch {
      return Promise.reject(new WebhookSignatureError());
    }
    // The SDK only bounds the age of a signature; one dated ahead of our clock by more than the
    // tolerance is as suspect (a pre-signed event, a wrong clock) and is refused the same way.
    const signedAtS = signatureTimestampS(headers['stripe-signature'] ?? '');
    const nowS = Math.floor((this.options.webhookClockMs ?? Date.now()) / 1000);
    if (signedAtS - nowS > STRIPE_TOLERANCE_S)
      return Promise.reject(new WebhookSignatureError('Webhook signature is dated in the future'));
    return Promise.resolve(this.toWebhook(event));
  }

  private toWebhook(event: Stripe.Event): VerifiedWebhook {
    const base = { eventId: event.id, fields: { type: event.type } as Record<string, string> };
    const money = (amount: number, currency: string): Record<string, string> => {
      const m = fromStripeAmount(amount, currency);
      return { amountMinor: String(m.amountMinor), currency: m.currency };
    };
    if (
      event.type === 'checkout.session.completed' ||
      event.type === 'checkout.session.async_payment_succeeded' ||
      event.type === 'checkout.session.expired' ||
      event.type === 'checkout.session.async_payment_failed'
    ) {
      const s = event.data.object;
      const orderId = s.metadata?.order_id ?? s.client_reference_id ?? '';
      let status: PaymentStatus | null = null;
      if (event.type === 'checkout.session.expired') status = 'expired';
      else if (event.type === 'checkout.session.async_payment_failed') status = 'failed';
      else status = s.payment_status === 'paid' ? 'paid' : 'pending';
      const fields = {
        ...base.fields,
        ...(s.amount_total != null && s.currency ? money(s.amount_total, s.currency) : {}),
      };
      const pi = idOf(s.payment_intent);
      if (pi) fields.providerRef = pi;
      return orderId
        ? { ...base, orderId, claimedStatus: status, fields }
        : { ...base, orderId: s.id, byProviderRef: true, claimedStatus: status, fields };
    }
    if (
      event.type === 'payment_intent.succeeded' ||
      event.type === 'payment_intent.payment_failed' ||
      event.type === 'payment_intent.canceled'
    ) {
      const pi = event.data.object;
      const status: PaymentStatus = event.type === 'payment_intent.succeeded' ? 'paid' : 'failed';
      const fields = { ...base.fields, ...money(pi.amount, pi.currency), providerRef: pi.id };
      const orderId = pi.metadata?.order_id;
      return orderId
        ? { ...base, orderId, claimedStatus: status, fields }
        : { ...base, orderId: pi.id, byProviderRef: true, claimedStatus: status, fields };
    }
    if (event.type === 'charge.refunded') {
      const ch = event.data.object;
      // A partial refund leaves the donation paid.
      const status: PaymentStatus | null = ch.refunded ? 'refunded' : null;
      const pi = idOf(ch.payment_intent);
      const fields = { ...base.fields, ...money(ch.amount, ch.currency) };
      const orderId = ch.metadata?.order_id;
      if (orderId) return { ...base, orderId, claimedStatus: status, fields };
      if (!pi) return { ...base, orderId: '', claimedStatus: null, fields, ignore: true };
      return { ...base, orderId: pi, byProviderRef: true, claimedStatus: status, fields };
    }
    return { ...base, orderId: '', claimedStatus: null, ignore: true };
  }

  /** The session's (cs_…) or PaymentIntent's (pi_…) status; null when there is no reference. */
  async fetchStatus(payment: { providerRef: string | null }): Promise<ProviderStatus | null> {
    const ref = payment.providerRef ?? '';
    try {
      if (ref.startsWith('cs_')) {
        const s = await this.stripe.checkout.sessions.retrieve(ref);
        const amount =
          s.amount_total != null && s.currency ? fromStripeAmount(s.amount_total, s.currency) : undefined;
        if (s.payment_status === 'paid') {
          const pi = idOf(s.payment_intent);
          if (pi) return this.intentStatus(pi);
          return { status: 'paid', amount };
        }
        if (s.status === 'expired') return { status: 'expired', amount };
        return { status: 'pending', amount };
      }
      if (ref.startsWith('pi_')) return await this.intentStatus(ref);
    } catch (err) {
      throw providerError(err, 'the status check');
    }
    return null;
  }

  private async intentStatus(id: string): Promise<ProviderStatus> {
    const pi = await this.stripe.paymentIntents.retrieve(id, { expand: ['latest_charge'] });
    const amount = fromStripeAmount(pi.amount, pi.currency);
    const charge = typeof pi.latest_charge === 'object' ? pi.latest_charge : null;
    if (pi.status === 'succeeded')
      return { status: charge?.refunded ? 'refunded' : 'paid', providerRef: pi.id, amount };
    if (pi.status === 'canceled') return { status: 'failed', providerRef: pi.id, amount };
    return { status: 'pending', providerRef: pi.id, amount };
  }

  /** Full refund of the PaymentIntent (idempotent per order). */
  async refund(payment: { orderId: string; providerRef: string | null; amount: Money }): Promise<void> {
    try {
      let pi = payment.providerRef ?? '';
      if (pi.startsWith('cs_')) pi = idOf((await this.stripe.checkout.sessions.retrieve(pi)).payment_intent);
      if (!pi.startsWith('pi_'))
        throw new ProviderRejectedError('Stripe payment has no PaymentIntent to refund');
      await this.stripe.refunds.create(
        { payment_intent: pi, metadata: { order_id: payment.orderId } },
        { idempotencyKey: `refund-${payment.orderId}` },
      );
    } catch (err) {
      if (err instanceof ProviderRejectedError) throw err;
      throw providerError(err, 'the refund');
    }
  }
}
