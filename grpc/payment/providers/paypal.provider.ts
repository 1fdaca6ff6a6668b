/**
 * PayPal Orders v2 over its REST API (developer.paypal.com/docs/api/orders/v2). PayPal's server
 * SDK (@paypal/paypal-server-sdk) knows only its two fixed hosts and has no webhook
 * verification, so this plugin calls the same endpoints with fetch: OAuth client credentials,
 * create order, capture on the donor's return (or on CHECKOUT.ORDER.APPROVED), refund the
 * capture, and verify webhooks with POST /v1/notifications/verify-webhook-signature.
 */
import {
  ProviderRejectedError,
  ProviderUnavailableError,
  WebhookSignatureError,
} from '../../../shared/errors.js';
import { fromPayPalValue, toPayPalValue, type Money } from '../../../shared/money.js';
import type { PaymentStatus } from '../../../shared/queues.js';
import type {
  CheckoutInput,
  CheckoutResult,
  PaymentProvider,
  ProviderStatus,
  VerifiedWebhook,
} from './payment-provider.js';

export interface PayPalOptions {
  clientId: string;
  clientSecret: string;
  webhookId?: string;
  /** REST base URL (default: api-m.sandbox.paypal.com, or api-m.paypal.com in production). */
  apiUrl: string;
  publicUrl: string;
}

type Json = Record<string, unknown>;

interface PayPalCapture {
  id?: string;
  status?: string;
  custom_id?: string;
  amount?: { currency_code?: string; value?: string };
  supplementary_data?: { related_ids?: { order_id?: string } };
}

/** Our status for a PayPal capture status (COMPLETED, DECLINED, FAILED, REFUNDED, PENDING…). */
export function paypalCaptureStatus(status: string): PaymentStatus | null {
  switch (status) {
    case 'COMPLETED':
      return 'paid';
    case 'DECLINED':
    case 'FAILED':
      return 'failed';
    case 'REFUNDED':
      return 'refunded';
    case 'PENDING':
      return 'pending';
    default:
      return null;
  }
}

export class PayPalProvider implements PaymentProvider {
  readonly name = 'paypal' as const;
  readonly confirmsWithStatusApi = false;
  private token: { value: string; expiresAt: number } | null = null;

  constructor(private readonly options: PayPalOptions) {}

  private async accessToken(): Promise<string> {
    if (this.token && this.token.expiresAt > Date.now() + 60_000) return this.token.value;
    const basic = Buffer.from(`${this.options.clientId}:${this.options.clientSecret}`).toString('base64');
    const res = await this.send('POST', '/v1/oauth2/token', 'the OAuth token', {
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    const value = typeof res.access_token === 'string' ? res.access_token : '';
    if (!value) throw new ProviderUnavailableError('PayPal returned no access token');
    this.token = { value, expiresAt: Date.now() + Number(res.expires_in ?? 300) * 1000 };
    return value;
  }

  /** One REST call; errors carry PayPal's `name` and `debug_id`, never a credential. */
  private async send(
    method: string,
    path: string,
    what: string,
    init: { headers?: Record<string, string>; body?: string } = {},
  ): Promise<Json> {
    let res: Response;
    try {
      res = await fetch(new URL(path, this.options.apiUrl), {
        method,
        headers: { accept: 'application/json', ...init.headers },
        body: init.body,
        signal: AbortSignal.timeout(10_000),
      });
    } catch (err) {
      throw new ProviderUnavailableError(`PayPal ${what} failed: ${(err as Error).name}`);
    }
    const text = await res.text();
    let body: Json = {};
    try {
      body = text ? (JSON.parse(text) as Json) : {};
    } catch {
      body = {};
    }
    if (res.ok) return body;
    const detail = [body.name, body.debug_id].filter((v) => typeof v === 'string').join(', ');
    if (res.status >= 400 && res.status < 500 && res.status !== 429 && res.status !== 409)
      throw new ProviderRejectedError(
        `PayPal refused ${what} (HTTP ${res.status}${detail ? `: ${detail}` : ''})`,
      );
    throw new ProviderUnavailableError(
      `PayPal ${what} failed (HTTP ${res.status}${detail ? `: ${detail}` : ''})`,
    );
  }

  private async api(
    method: string,
    path: string,
    what: string,
    body?: Json,
    requestId?: string,
  ): Promise<Json> {
    const token = await this.accessToken();
    return this.send(method, path, what, {
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        ...(requestId ? { 'paypal-request-id': requestId } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
  }

  /** Orders v2 create (intent CAPTURE), idempotent per payment (PayPal-Request-Id). */
  async createCheckout(input: CheckoutInput): Promise<CheckoutResult> {
    const back = new URL(`/donations/${input.donationId}`, this.options.publicUrl).toString();
    const order = await this.api(
      'POST',
      '/v2/checkout/orders',
      'the order',
      {
        intent: 'CAPTURE',
        purchase_units: [
          {
            reference_id: input.orderId,
            custom_id: input.orderId,
            description: input.description.slice(0, 127),
            amount: { currency_code: input.amount.currency, value: toPayPalValue(input.amount) },
          },
        ],
        payment_source: {
          paypal: {
            experience_context: {
              user_action: 'PAY_NOW',
              shipping_preference: 'NO_SHIPPING',
              return_url: new URL(
                `/api/v1/checkout/paypal/return?donation=${input.donationId}`,
                this.options.publicUrl,
              ).toString(),
              cancel_url: back,
            },
          },
        },
      },
      `order-${input.paymentId}`,
    );
    const links = Array.isArray(order.links) ? (order.links as { rel?: string; href?: string }[]) : [];
    const url = links.find((l) => l.rel === 'payer-action' || l.rel === 'approve')?.href;
    if (!url || typeof order.id !== 'string')
      throw new ProviderUnavailableError('PayPal returned an order without an approval link');
    return { url, providerRef: order.id, expiresAt: input.expiresAt };
  }

  /**
   * Verifies through PayPal's verify-webhook-signature API with our webhook id, then maps
   * PAYMENT.CAPTURE.COMPLETED / DENIED / REFUNDED; CHECKOUT.ORDER.APPROVED asks the worker to
   * capture (claimed status null: it checks the order).
   * @throws {WebhookSignatureError}
   */
  async verifyWebhook(rawBody: Buffer, headers: Record<string, string>): Promise<VerifiedWebhook> {
    let event: Json;
    try {
      event = JSON.parse(rawBody.toString('utf8')) as Json;
    } catch {
      throw new WebhookSignatureError('PayPal webhook is not JSON');
    }
    const h = (name: string) => headers[`paypal-${name}`] ?? '';
    if (!this.options.webhookId || !h('transmission-sig') || !h('transmission-id'))
      throw new WebhookSignatureError();
    const answer = await this.api(
      'POST',
      '/v1/notifications/verify-webhook-signature',
      'the webhook verification',
      {
        auth_algo: h('auth-algo'),
        cert_url: h('cert-url'),
        transmission_id: h('transmission-id'),
        transmission_sig: h('transmission-sig'),
        transmission_time: h('transmission-time'),
        webhook_id: this.options.webhookId,
        webhook_event: event,
      },
    ).catch((err: unknown) => {
      if (err instanceof ProviderRejectedError) throw new WebhookSignatureError();
      throw err;
    });
    if (answer.verification_status !== 'SUCCESS') throw new WebhookSignatureError();
    const eventId = typeof event.id === 'string' ? event.id : '';
    if (!eventId) throw new WebhookSignatureError('PayPal webhook has no event id');
    const type = typeof event.event_type === 'string' ? event.event_type : '';
    const resource = (event.resource ?? {}) as PayPalCapture & Json;
    const fields: Record<string, string> = { type };
    if (type === 'CHECKOUT.ORDER.APPROVED') {
      const orderRef = typeof resource.id === 'string' ? resource.id : '';
      return { eventId, orderId: orderRef, byProviderRef: true, claimedStatus: null, fields };
    }
    const status =
      type === 'PAYMENT.CAPTURE.COMPLETED'
        ? 'paid'
        : type === 'PAYMENT.CAPTURE.DENIED' || type === 'PAYMENT.CAPTURE.DECLINED'
          ? 'failed'
          : type === 'PAYMENT.CAPTURE.REFUNDED'
            ? 'refunded'
            : null;
    if (!status) return { eventId, orderId: '', claimedStatus: null, fields, ignore: true };
    if (status !== 'refunded' && resource.amount?.currency_code && resource.amount.value) {
      const m = fromPayPalValue(resource.amount.value, resource.amount.currency_code);
      fields.amountMinor = String(m.amountMinor);
      fields.currency = m.currency;
    }
    if (resource.custom_id) return { eventId, orderId: resource.custom_id, claimedStatus: status, fields };
    const orderRef = resource.supplementary_data?.related_ids?.order_id;
    if (orderRef) return { eventId, orderId: orderRef, byProviderRef: true, claimedStatus: status, fields };
    return { eventId, orderId: '', claimedStatus: null, fields, ignore: true };
  }

  private static captureOf(order: Json): PayPalCapture | undefined {
    const units = (order.purchase_units ?? []) as { payments?: { captures?: PayPalCapture[] } }[];
    return units[0]?.payments?.captures?.[0];
  }

  /**
   * The order's status; an APPROVED order is captured here (the donor came back, or PayPal said
   * so), idempotently per order (PayPal-Request-Id).
   */
  async fetchStatus(payment: {
    orderId: string;
    providerRef: string | null;
  }): Promise<ProviderStatus | null> {
    if (!payment.providerRef) return null;
    const path = `/v2/checkout/orders/${encodeURIComponent(payment.providerRef)}`;
    let order = await this.api('GET', path, 'the status check');
    if (order.status === 'APPROVED') {
      order = await this.api('POST', `${path}/capture`, 'the capture', {}, `capture-${payment.orderId}`);
    }
    const capture = PayPalProvider.captureOf(order);
    const amount =
      capture?.amount?.currency_code && capture.amount.value
        ? fromPayPalValue(capture.amount.value, capture.amount.currency_code)
        : undefined;
    if (order.status === 'VOIDED') return { status: 'failed' };
    const status = paypalCaptureStatus(capture?.status ?? '') ?? 'pending';
    return { status, amount };
  }

  /** Refunds the order's capture in full (idempotent per order). */
  async refund(payment: { orderId: string; providerRef: string | null; amount: Money }): Promise<void> {
    if (!payment.providerRef) throw new ProviderRejectedError('PayPal payment has no order to refund');
    const order = await this.api(
      'GET',
      `/v2/checkout/orders/${encodeURIComponent(payment.providerRef)}`,
      'the refund lookup',
    );
    const captureId = PayPalProvider.captureOf(order)?.id;
    if (!captureId) throw new ProviderRejectedError('PayPal order has no capture to refund');
    await this.api(
      'POST',
      `/v2/payments/captures/${encodeURIComponent(captureId)}/refund`,
      'the refund',
      { custom_id: payment.orderId, note_to_payer: 'Refunded by the streamer' },
      `refund-${payment.orderId}`,
    );
  }
}
