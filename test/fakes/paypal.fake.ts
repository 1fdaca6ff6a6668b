/**
 * A local PayPal REST API: OAuth client credentials, Orders v2 (create, get, capture), capture
 * refunds, and webhooks signed as PayPal signs them: PAYPAL-TRANSMISSION-SIG = base64
 * SHA256withRSA over "<transmission id>|<transmission time>|<webhook id>|<CRC32 of the body>"
 * (developer.paypal.com/api/rest/webhooks/rest), checked by its own
 * POST /v1/notifications/verify-webhook-signature. The key is the fake's own; the cert URL points
 * at the fake (GET /__fake__/cert.pem serves the public key).
 *
 * Control: POST /__fake__/orders/:orderId/status {status: APPROVED|COMPLETED|DENIED|REFUNDED,
 * notify?} where orderId is the PayPal order id or our custom_id.
 */
import { createSign, createVerify, generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { crc32 } from 'node:zlib';
import {
  jsonBody,
  postWebhook,
  serve,
  type FakeRequest,
  type RunningFake,
  type SentWebhook,
} from './fake-http.js';

export interface PayPalFakeOptions {
  port?: number;
  clientId: string;
  clientSecret: string;
  webhookId: string;
  webhookUrl?: string;
}

type Obj = Record<string, unknown>;

interface FakeOrder {
  id: string;
  status: string;
  customId: string;
  amount: { currency_code: string; value: string };
  capture?: { id: string; status: string };
  requestIds: Set<string>;
}

export interface PayPalFake extends RunningFake {
  orders: Map<string, FakeOrder>;
  sent: SentWebhook[];
  /** Sets an order's state; `notify: false` (APPROVED only) sends no webhook, as when the donor just returns. */
  setStatus(ref: string, status: string, notify?: boolean): Promise<SentWebhook | null>;
}

const pid = () => randomBytes(9).toString('hex').toUpperCase();

export async function startPayPalFake(options: PayPalFakeOptions): Promise<PayPalFake> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const orders = new Map<string, FakeOrder>();
  const tokens = new Set<string>();
  const sent: SentWebhook[] = [];
  const basic = `Basic ${Buffer.from(`${options.clientId}:${options.clientSecret}`).toString('base64')}`;
  const authed = (req: FakeRequest) =>
    tokens.has(String(req.headers.authorization ?? '').replace(/^Bearer /, ''));
  const unauthorized = {
    status: 401,
    body: { error: 'invalid_token', error_description: 'Token signature verification failed' },
  };
  const notFound = {
    status: 404,
    body: { name: 'RESOURCE_NOT_FOUND', message: 'The specified resource does not exist.', debug_id: pid() },
  };
  let base = '';

  const orderView = (o: FakeOrder) => ({
    id: o.id,
    intent: 'CAPTURE',
    status: o.status,
    purchase_units: [
      {
        reference_id: o.customId,
        custom_id: o.customId,
        amount: o.amount,
        ...(o.capture
          ? {
              payments: {
                captures: [
                  { id: o.capture.id, status: o.capture.status, amount: o.amount, custom_id: o.customId },
                ],
              },
            }
          : {}),
      },
    ],
    links: [
      { href: `${base}/v2/checkout/orders/${o.id}`, rel: 'self', method: 'GET' },
      ...(o.status === 'PAYER_ACTION_REQUIRED'
        ? [{ href: `${base}/checkoutnow?token=${o.id}`, rel: 'payer-action', method: 'GET' }]
        : []),
    ],
  });
  const captureResource = (o: FakeOrder) => ({
    id: o.capture!.id,
    status: o.capture!.status,
    amount: o.amount,
    custom_id: o.customId,
    supplementary_data: { related_ids: { order_id: o.id } },
  });
  const signedHeaders = (body: string) => {
    const transmissionId = randomUUID();
    const time = new Date().toISOString();
    const signer = createSign('RSA-SHA256');
    signer.update(`${transmissionId}|${time}|${options.webhookId}|${crc32(body)}`);
    return {
      'paypal-transmission-id': transmissionId,
      'paypal-transmission-time': time,
      'paypal-transmission-sig': signer.sign(privateKey, 'base64'),
      'paypal-cert-url': `${base}/__fake__/cert.pem`,
      'paypal-auth-algo': 'SHA256withRSA',
    };
  };
  const send = (eventType: string, resource: Obj) => {
    const body = JSON.stringify({
      id: `WH-${pid()}`,
      create_time: new Date().toISOString(),
      resource_type: eventType.startsWith('CHECKOUT')
        ? 'checkout-order'
        : eventType.endsWith('REFUNDED')
          ? 'refund'
          : 'capture',
      event_type: eventType,
      summary: eventType,
      resource,
    });
    return postWebhook(options.webhookUrl, body, signedHeaders(body), sent);
  };
  const capture = (o: FakeOrder, status = 'COMPLETED') => {
    o.status = 'COMPLETED';
    o.capture = { id: pid(), status };
  };
  const find = (ref: string) => orders.get(ref) ?? [...orders.values()].find((o) => o.customId === ref);
  const refund = (o: FakeOrder, customId?: string) => {
    o.capture!.status = 'REFUNDED';
    return {
      id: pid(),
      status: 'COMPLETED',
      amount: o.amount,
      ...(customId ? { custom_id: customId } : {}),
      links: [{ href: `${base}/v2/payments/captures/${o.capture!.id}`, rel: 'up', method: 'GET' }],
    };
  };
  const setStatus = async (ref: string, status: string, notify = true) => {
    const o = find(ref);
    if (!o) throw new Error(`no PayPal order ${ref}`);
    switch (status) {
      case 'APPROVED':
        o.status = 'APPROVED';
        if (!notify) return null;
        return send('CHECKOUT.ORDER.APPROVED', orderView(o));
      case 'COMPLETED':
        capture(o);
        return send('PAYMENT.CAPTURE.COMPLETED', captureResource(o));
      case 'DENIED':
        capture(o, 'DECLINED');
        return send('PAYMENT.CAPTURE.DENIED', captureResource(o));
      case 'REFUNDED':
        if (!o.capture) throw new Error('order has no capture');
        return send('PAYMENT.CAPTURE.REFUNDED', refund(o, o.customId));
      default:
        throw new Error(`unknown status ${status}`);
    }
  };

  const running = await serve(options.port ?? 0, [
    [
      'POST',
      /^\/v1\/oauth2\/token$/,
      (req) => {
        if (req.headers.authorization !== basic)
          return {
            status: 401,
            body: { error: 'invalid_client', error_description: 'Client Authentication failed' },
          };
        const token = `A21AA${randomBytes(24).toString('hex')}`;
        tokens.add(token);
        return {
          status: 200,
          body: {
            scope: 'https://uri.paypal.com/services/payments',
            access_token: token,
            token_type: 'Bearer',
            app_id: 'APP-FAKE',
            expires_in: 32400,
            nonce: pid(),
          },
        };
      },
    ],
    [
      'POST',
      /^\/v2\/checkout\/orders$/,
      (req) => {
        if (!authed(req)) return unauthorized;
        const requestId = String(req.headers['paypal-request-id'] ?? '');
        const existing = requestId
          ? [...orders.values()].find((o) => o.requestIds.has(requestId))
          : undefined;
        if (existing) return { status: 200, body: orderView(existing) };
        const unit = (
          (jsonBody(req).purchase_units ?? []) as {
            custom_id?: string;
            amount?: { currency_code?: string; value?: string };
          }[]
        )[0];
        if (!unit?.amount?.currency_code || !/^\d+(\.\d{1,2})?$/.test(unit.amount.value ?? ''))
          return {
            status: 422,
            body: {
              name: 'UNPROCESSABLE_ENTITY',
              details: [
                { field: '/purchase_units/@reference_id==default/amount/value', issue: 'DECIMAL_PRECISION' },
              ],
              debug_id: pid(),
            },
          };
        const o: FakeOrder = {
          id: pid(),
          status: 'PAYER_ACTION_REQUIRED',
          customId: unit.custom_id ?? '',
          amount: { currency_code: unit.amount.currency_code, value: unit.amount.value! },
          requestIds: new Set(requestId ? [requestId] : []),
        };
        orders.set(o.id, o);
        return { status: 200, body: orderView(o) };
      },
    ],
    [
      'GET',
      /^\/v2\/checkout\/orders\/([^/]+)$/,
      (req, [id]) => {
        if (!authed(req)) return unauthorized;
        const o = orders.get(id!);
        return o ? { status: 200, body: orderView(o) } : notFound;
      },
    ],
    [
      'POST',
      /^\/v2\/checkout\/orders\/([^/]+)\/capture$/,
      (req, [id]) => {
        if (!authed(req)) return unauthorized;
        const o = orders.get(id!);
        if (!o) return notFound;
        const requestId = String(req.headers['paypal-request-id'] ?? '');
        if (o.status === 'COMPLETED' && requestId && o.requestIds.has(requestId))
          return { status: 201, body: orderView(o) };
        if (o.status !== 'APPROVED')
          return {
            status: 422,
            body: {
              name: 'UNPROCESSABLE_ENTITY',
              details: [
                { issue: o.status === 'COMPLETED' ? 'ORDER_ALREADY_CAPTURED' : 'ORDER_NOT_APPROVED' },
              ],
              debug_id: pid(),
            },
          };
        capture(o);
        if (requestId) o.requestIds.add(requestId);
        setImmediate(() => void send('PAYMENT.CAPTURE.COMPLETED', captureResource(o)).catch(() => undefined));
        return { status: 201, body: orderView(o) };
      },
    ],
    [
      'POST',
      /^\/v2\/payments\/captures\/([^/]+)\/refund$/,
      (req, [captureId]) => {
        if (!authed(req)) return unauthorized;
        const o = [...orders.values()].find((x) => x.capture?.id === captureId);
        if (!o) return notFound;
        if (o.capture!.status === 'REFUNDED')
          return {
            status: 422,
            body: {
              name: 'UNPROCESSABLE_ENTITY',
              details: [{ issue: 'CAPTURE_FULLY_REFUNDED' }],
              debug_id: pid(),
            },
          };
        const customId = jsonBody(req).custom_id;
        const r = refund(o, typeof customId === 'string' ? customId : undefined);
        setImmediate(() => void send('PAYMENT.CAPTURE.REFUNDED', r).catch(() => undefined));
        return { status: 201, body: r };
      },
    ],
    [
      'POST',
      /^\/v1\/notifications\/verify-webhook-signature$/,
      (req) => {
        if (!authed(req)) return unauthorized;
        const b = jsonBody(req) as Record<string, string> & { webhook_event?: unknown };
        let ok = false;
        try {
          ok =
            new URL(b.cert_url ?? '').origin === new URL(base).origin &&
            b.auth_algo === 'SHA256withRSA' &&
            createVerify('RSA-SHA256')
              .update(
                `${b.transmission_id}|${b.transmission_time}|${b.webhook_id}|${crc32(JSON.stringify(b.webhook_event))}`,
              )
              .verify(publicKey, b.transmission_sig ?? '', 'base64');
        } catch {
          ok = false;
        }
        return { status: 200, body: { verification_status: ok ? 'SUCCESS' : 'FAILURE' } };
      },
    ],
    [
      'GET',
      /^\/__fake__\/cert\.pem$/,
      () => ({ status: 200, body: publicKey.export({ type: 'spki', format: 'pem' }) }),
    ],
    [
      'POST',
      /^\/__fake__\/orders\/([^/]+)\/status$/,
      async (req, [ref]) => {
        const b = jsonBody(req);
        if (typeof b.status !== 'string') return { status: 400, body: { error: 'status is required' } };
        const webhook = await setStatus(ref!, b.status.toUpperCase(), b.notify !== false);
        return {
          status: 200,
          body: { order: orderView(find(ref!)!), webhook: webhook && { status: webhook.status } },
        };
      },
    ],
  ]);
  base = running.url;
  return { ...running, orders, sent, setStatus };
}
