/**
 * A local Midtrans: the Snap and Core API paths the midtrans-client SDK calls, with Midtrans's
 * response shapes, orders in memory, and HTTP notifications signed as Midtrans signs them
 * (signature_key = SHA-512 of order_id + status_code + gross_amount + server key).
 *
 * Control: POST /__fake__/orders/:orderId/status {status, fraudStatus?, grossAmount?, notify?}
 * sets the transaction_status (creating the order if needed) and, unless notify is false, sends
 * the notification to the webhook URL. GET /__fake__/orders/:orderId shows an order.
 * POST /__fake__/fail {times} makes the next checkout calls (Snap, charge) answer 503.
 */
import { createHash, randomUUID } from 'node:crypto';
import {
  jsonBody,
  postWebhook,
  serve,
  type FakeRequest,
  type RunningFake,
  type SentWebhook,
} from './fake-http.js';

export interface MidtransFakeOptions {
  port?: number;
  serverKey: string;
  /** Where notifications go (e.g. http://127.0.0.1:8080/api/v1/webhooks/midtrans). */
  webhookUrl?: string;
}

export interface MidtransFakeOrder {
  orderId: string;
  transactionId: string;
  grossAmount: string;
  /** null until the donor picks a payment method (Get Status answers 404). */
  status: string | null;
  fraudStatus?: string;
  paymentType: string;
  transactionTime: string;
}

export interface MidtransFake extends RunningFake {
  orders: Map<string, MidtransFakeOrder>;
  sent: SentWebhook[];
  /** Sets an order's status and sends its notification (as the control endpoint does). */
  setStatus(orderId: string, body: Record<string, unknown>): Promise<SentWebhook | null>;
}

/** Midtrans's status_code for a transaction status (docs.midtrans.com "Status Code"). */
function statusCode(status: string, fraud?: string): string {
  if (status === 'capture') return fraud === 'challenge' ? '201' : fraud === 'deny' ? '202' : '200';
  if (status === 'pending') return '201';
  if (status === 'expire') return '407';
  if (status === 'deny' || status === 'cancel' || status === 'failure') return '202';
  return '200';
}

function jakartaTime(d = new Date()): string {
  return new Date(d.getTime() + 7 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}

export async function startMidtransFake(options: MidtransFakeOptions): Promise<MidtransFake> {
  const orders = new Map<string, MidtransFakeOrder>();
  const sent: SentWebhook[] = [];
  const expectedAuth = `Basic ${Buffer.from(`${options.serverKey}:`).toString('base64')}`;
  const unauthorized = {
    status: 401,
    body: {
      status_code: '401',
      status_message: 'Access denied due to unauthorized transaction, please check client or server key',
    },
  };
  let failures = 0;
  const authed = (req: FakeRequest) => req.headers.authorization === expectedAuth;
  /** Answers 503 to the next `failures` checkout calls (POST /__fake__/fail {times}). */
  const failing = () => (failures > 0 ? (failures--, true) : false);
  const unavailable = { status: 503, body: { status_code: '503', status_message: 'Service unavailable' } };
  const sign = (o: MidtransFakeOrder, code: string) =>
    createHash('sha512').update(`${o.orderId}${code}${o.grossAmount}${options.serverKey}`).digest('hex');
  const view = (o: MidtransFakeOrder) => {
    const code = statusCode(o.status ?? 'pending', o.fraudStatus);
    return {
      transaction_time: o.transactionTime,
      transaction_status: o.status,
      transaction_id: o.transactionId,
      status_message: 'midtrans payment notification',
      status_code: code,
      signature_key: sign(o, code),
      payment_type: o.paymentType,
      order_id: o.orderId,
      merchant_id: 'M000000',
      gross_amount: o.grossAmount,
      ...(o.fraudStatus ? { fraud_status: o.fraudStatus } : {}),
      currency: 'IDR',
    };
  };
  const notify = (o: MidtransFakeOrder) => postWebhook(options.webhookUrl, JSON.stringify(view(o)), {}, sent);
  const create = (orderId: string, grossAmount: number, paymentType: string, status: string | null) => {
    const order: MidtransFakeOrder = {
      orderId,
      transactionId: randomUUID(),
      grossAmount: `${grossAmount}.00`,
      status,
      paymentType,
      transactionTime: jakartaTime(),
    };
    orders.set(orderId, order);
    return order;
  };
  const details = (req: FakeRequest) => {
    const b = jsonBody(req);
    const d = (b.transaction_details ?? {}) as { order_id?: string; gross_amount?: number };
    return { b, orderId: String(d.order_id ?? ''), gross: Number(d.gross_amount) };
  };
  const setStatus = async (orderId: string, b: Record<string, unknown>) => {
    const order = orders.get(orderId) ?? create(orderId, 50000, 'qris', null);
    if (typeof b.grossAmount === 'string') order.grossAmount = b.grossAmount;
    if (typeof b.paymentType === 'string') order.paymentType = b.paymentType;
    order.status = String(b.status);
    order.fraudStatus = typeof b.fraudStatus === 'string' ? b.fraudStatus : undefined;
    order.transactionTime = jakartaTime();
    return b.notify === false ? null : notify(order);
  };

  let base = '';
  const running = await serve(options.port ?? 0, [
    [
      'POST',
      /^\/snap\/v1\/transactions$/,
      (req) => {
        if (!authed(req)) return unauthorized;
        if (failing()) return unavailable;
        const { orderId, gross } = details(req);
        if (!orderId || !Number.isInteger(gross) || gross <= 0)
          return {
            status: 400,
            body: { error_messages: ['transaction_details.gross_amount must be an integer'] },
          };
        if (orders.has(orderId))
          return {
            status: 400,
            body: { error_messages: ['transaction_details.order_id has already been taken'] },
          };
        create(orderId, gross, 'snap', null);
        const token = randomUUID();
        return { status: 201, body: { token, redirect_url: `${base}/snap/v4/redirection/${token}` } };
      },
    ],
    [
      'POST',
      /^\/v2\/charge$/,
      (req) => {
        if (!authed(req)) return unauthorized;
        if (failing()) return unavailable;
        const { b, orderId, gross } = details(req);
        if (b.payment_type !== 'qris')
          return { status: 400, body: { status_code: '400', status_message: 'fake supports qris only' } };
        if (!orderId || !Number.isInteger(gross) || gross <= 0)
          return {
            status: 200,
            body: { status_code: '400', status_message: 'gross_amount must be an integer' },
          };
        if (orders.has(orderId))
          return {
            status: 200,
            body: { status_code: '406', status_message: 'order_id has already been utilized' },
          };
        const o = create(orderId, gross, 'qris', 'pending');
        const expiry = (b.custom_expiry ?? {}) as { expiry_duration?: number };
        return {
          status: 200,
          body: {
            status_code: '201',
            status_message: 'QRIS transaction is created',
            transaction_id: o.transactionId,
            order_id: o.orderId,
            merchant_id: 'M000000',
            gross_amount: o.grossAmount,
            currency: 'IDR',
            payment_type: 'qris',
            transaction_time: o.transactionTime,
            transaction_status: 'pending',
            fraud_status: 'accept',
            actions: [
              { name: 'generate-qr-code', method: 'GET', url: `${base}/v2/qris/${o.transactionId}/qr-code` },
            ],
            qr_string: `00020101021226620014COM.GO-JEK.WWW011893600914${o.transactionId.replace(/-/g, '').slice(0, 20)}5204549953033605405${gross}5802ID6304ABCD`,
            acquirer: 'gopay',
            expiry_time: jakartaTime(new Date(Date.now() + (expiry.expiry_duration ?? 15) * 60_000)),
          },
        };
      },
    ],
    [
      'GET',
      /^\/v2\/([^/]+)\/status$/,
      (req, [orderId]) => {
        if (!authed(req)) return unauthorized;

        const o = orders.get(orderId!);
        if (!o || o.status === null)
          return { status: 404, body: { status_code: '404', status_message: "Transaction doesn't exist." } };
        return { status: 200, body: { ...view(o), status_message: 'Success, transaction is found' } };
      },
    ],
    [
      'POST',
      /^\/v2\/([^/]+)\/refund$/,
      async (req, [orderId]) => {
        if (!authed(req)) return unauthorized;
        const o = orders.get(orderId!);
        if (!o || o.status === null)
          return { status: 404, body: { status_code: '404', status_message: "Transaction doesn't exist." } };
        if (o.status !== 'settlement' && o.status !== 'capture')
          return {
            status: 200,
            body: { status_code: '412', status_message: 'Transaction status cannot be updated.' },
          };
        o.status = 'refund';
        o.transactionTime = jakartaTime();
        // Midtrans notifies the refund as well; after answering, as Midtrans does.
        setImmediate(() => void notify(o).catch(() => undefined));
        await Promise.resolve();
        return {
          status: 200,
          body: {
            status_code: '200',
            status_message: 'Success, refund request is approved',
            transaction_id: o.transactionId,
            order_id: o.orderId,
            gross_amount: o.grossAmount,
            currency: 'IDR',
            payment_type: o.paymentType,
            transaction_time: o.transactionTime,
            transaction_status: 'refund',
            refund_amount: o.grossAmount,
            refund_key: jsonBody(req).refund_key ?? null,
          },
        };
      },
    ],
    [
      'POST',
      /^\/__fake__\/orders\/([^/]+)\/status$/,
      async (req, [orderId]) => {
        const b = jsonBody(req);
        if (typeof b.status !== 'string') return { status: 400, body: { error: 'status is required' } };
        const webhook = await setStatus(orderId!, b);
        return {
          status: 200,
          body: { order: orders.get(orderId!), webhook: webhook && { status: webhook.status } },
        };
      },
    ],
    [
      'POST',
      /^\/__fake__\/fail$/,
      (req) => {
        failures = Number(jsonBody(req).times ?? 1);
        return { status: 200, body: { failing: failures } };
      },
    ],
    [
      'GET',
      /^\/__fake__\/orders\/([^/]+)$/,
      (_req, [orderId]) => {
        const o = orders.get(orderId!);
        return o ? { status: 200, body: o } : { status: 404, body: { error: 'no such order' } };
      },
    ],
  ]);
  base = running.url;
  return { ...running, orders, sent, setStatus };
}
