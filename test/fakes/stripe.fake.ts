/**
 * A local Stripe: the API paths the `stripe` SDK calls for Checkout Sessions, PaymentIntents and
 * refunds (form-encoded requests, Stripe's object shapes, Idempotency-Key honoured), with events
 * signed as Stripe signs them: header `Stripe-Signature: t=<unix s>,v1=<hex HMAC-SHA256 of
 * "<t>.<raw body>" with the endpoint secret>` (docs.stripe.com/webhooks/signature).
 *
 * Control: POST /__fake__/orders/:orderId/status {status: paid|failed|expired|refunded} where
 * orderId is our order id (metadata.order_id) or the session id; sends the events Stripe would.
 */
import { createHmac, randomBytes } from 'node:crypto';
import {
  jsonBody,
  postWebhook,
  serve,
  type FakeRequest,
  type RunningFake,
  type SentWebhook,
} from './fake-http.js';

export interface StripeFakeOptions {
  port?: number;
  secretKey: string;
  webhookSecret: string;
  webhookUrl?: string;
}

type Obj = Record<string, unknown>;

export interface StripeFake extends RunningFake {
  sessions: Map<string, Obj>;
  intents: Map<string, Obj>;
  sent: SentWebhook[];
  setStatus(orderId: string, status: string): Promise<SentWebhook[]>;
}

const id = (prefix: string) => `${prefix}_fake_${randomBytes(10).toString('hex')}`;

/** `Stripe-Signature` for a payload at a time (Unix seconds). */
export function stripeSignatureHeader(
  payload: string,
  secret: string,
  t = Math.floor(Date.now() / 1000),
): string {
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${payload}`).digest('hex')}`;
}

export async function startStripeFake(options: StripeFakeOptions): Promise<StripeFake> {
  const sessions = new Map<string, Obj>();
  const intents = new Map<string, Obj>();
  const charges = new Map<string, Obj>();
  const idempotent = new Map<string, Obj>();
  const sent: SentWebhook[] = [];
  const authed = (req: FakeRequest) => req.headers.authorization === `Bearer ${options.secretKey}`;
  const unauthorized = {
    status: 401,
    body: { error: { type: 'invalid_request_error', message: 'Invalid API Key provided' } },
  };
  const notFound = (what: string) => ({
    status: 404,
    body: { error: { type: 'invalid_request_error', code: 'resource_missing', message: `No such ${what}` } },
  });
  const send = async (type: string, object: Obj) => {
    const payload = JSON.stringify(
      {
        id: id('evt'),
        object: 'event',
        api_version: '2025-10-29',
        created: Math.floor(Date.now() / 1000),
        type,
        livemode: false,
        data: { object },
      },
      null,
      2,
    );
    return postWebhook(
      options.webhookUrl,
      payload,
      { 'stripe-signature': stripeSignatureHeader(payload, options.webhookSecret) },
      sent,
    );
  };
  const intentView = (pi: Obj, expandCharge: boolean) => {
    const charge = pi.latest_charge ? charges.get(pi.latest_charge as string) : undefined;
    return { ...pi, latest_charge: expandCharge && charge ? charge : (pi.latest_charge ?? null) };
  };
  const findSession = (ref: string) =>
    sessions.get(ref) ?? [...sessions.values()].find((s) => (s.metadata as Obj).order_id === ref);

  const setStatus = async (ref: string, status: string): Promise<SentWebhook[]> => {
    const s = findSession(ref);
    if (!s) throw new Error(`no session for ${ref}`);
    const out: (SentWebhook | null)[] = [];
    let pi = s.payment_intent ? intents.get(s.payment_intent as string) : undefined;
    if (!pi && (status === 'paid' || status === 'failed')) {
      pi = {
        id: id('pi'),
        object: 'payment_intent',
        amount: s.amount_total,
        amount_received: 0,
        currency: s.currency,
        status: 'requires_payment_method',
        metadata: s.metadata,
        latest_charge: null,
      };
      intents.set(pi.id as string, pi);
      s.payment_intent = pi.id;
    }
    if (status === 'paid' && pi) {
      const charge = {
        id: id('ch'),
        object: 'charge',
        amount: pi.amount,
        amount_refunded: 0,
        currency: pi.currency,
        payment_intent: pi.id,
        refunded: false,
        metadata: {},
      };
      charges.set(charge.id, charge);
      Object.assign(pi, { status: 'succeeded', amount_received: pi.amount, latest_charge: charge.id });
      Object.assign(s, { status: 'complete', payment_status: 'paid' });
      out.push(await send('checkout.session.completed', s));
      out.push(await send('payment_intent.succeeded', intentView(pi, false)));
    } else if (status === 'failed' && pi) {
      out.push(await send('payment_intent.payment_failed', intentView(pi, false)));
    } else if (status === 'expired') {
      Object.assign(s, { status: 'expired' });
      out.push(await send('checkout.session.expired', s));
    } else if (status === 'refunded') {
      const charge = pi?.latest_charge ? charges.get(pi.latest_charge as string) : undefined;
      if (!charge) throw new Error(`session ${ref} has no charge to refund`);
      Object.assign(charge, { refunded: true, amount_refunded: charge.amount });
      out.push(await send('charge.refunded', charge));
    } else {
      throw new Error(`unknown status ${status}`);
    }
    return out.filter((w): w is SentWebhook => w !== null);
  };

  let base = '';
  const running = await serve(options.port ?? 0, [
    [
      'POST',
      /^\/v1\/checkout\/sessions$/,
      (req) => {
        if (!authed(req)) return unauthorized;
        const key = String(req.headers['idempotency-key'] ?? '');
        if (key && idempotent.has(key)) return { status: 200, body: idempotent.get(key) };
        const p = new URLSearchParams(req.body);
        const unit = Number(p.get('line_items[0][price_data][unit_amount]'));
        const currency = p.get('line_items[0][price_data][currency]') ?? '';
        if (!Number.isInteger(unit) || unit <= 0 || !currency)
          return {
            status: 400,
            body: {
              error: {
                type: 'invalid_request_error',
                param: 'line_items[0][price_data][unit_amount]',
                message: 'Invalid integer',
              },
            },
          };
        const sid = `cs_test_${randomBytes(12).toString('hex')}`;
        const session: Obj = {
          id: sid,
          object: 'checkout.session',
          mode: 'payment',
          status: 'open',
          payment_status: 'unpaid',
          amount_total: unit * Number(p.get('line_items[0][quantity]') ?? 1),
          currency,
          client_reference_id: p.get('client_reference_id'),
          metadata: {
            order_id: p.get('metadata[order_id]') ?? undefined,
            donation_id: p.get('metadata[donation_id]') ?? undefined,
          },
          payment_intent: null,
          expires_at: Number(p.get('expires_at')) || Math.floor(Date.now() / 1000) + 86_400,
          success_url: p.get('success_url'),
          url: `${base}/c/pay/${sid}`,
        };
        sessions.set(sid, session);
        if (key) idempotent.set(key, session);
        return { status: 200, body: session };
      },
    ],
    [
      'GET',
      /^\/v1\/checkout\/sessions\/([^/]+)$/,
      (req, [sid]) => {
        if (!authed(req)) return unauthorized;
        const s = sessions.get(sid!);
        return s ? { status: 200, body: s } : notFound('checkout.session');
      },
    ],
    [
      'GET',
      /^\/v1\/payment_intents\/([^/]+)$/,
      (req, [pid]) => {
        if (!authed(req)) return unauthorized;
        const pi = intents.get(pid!);
        const expand = [...req.query.entries()].some(
          ([k, v]) => k.startsWith('expand') && v === 'latest_charge',
        );
        return pi ? { status: 200, body: intentView(pi, expand) } : notFound('payment_intent');
      },
    ],
    [
      'POST',
      /^\/v1\/refunds$/,
      (req) => {
        if (!authed(req)) return unauthorized;
        const key = String(req.headers['idempotency-key'] ?? '');
        if (key && idempotent.has(key)) return { status: 200, body: idempotent.get(key) };
        const p = new URLSearchParams(req.body);
        const pi = intents.get(p.get('payment_intent') ?? '');
        const charge = pi?.latest_charge ? charges.get(pi.latest_charge as string) : undefined;
        if (!pi || !charge) return notFound('payment_intent');
        if (charge.refunded)
          return {
            status: 400,
            body: {
              error: {
                type: 'invalid_request_error',
                code: 'charge_already_refunded',
                message: 'Charge has already been refunded.',
              },
            },
          };
        Object.assign(charge, { refunded: true, amount_refunded: charge.amount });
        const refund = {
          id: id('re'),
          object: 'refund',
          amount: charge.amount,
          currency: charge.currency,
          charge: charge.id,
          payment_intent: pi.id,
          status: 'succeeded',
        };
        if (key) idempotent.set(key, refund);
        setImmediate(() => void send('charge.refunded', charge).catch(() => undefined));
        return { status: 200, body: refund };
      },
    ],
    [
      'POST',
      /^\/__fake__\/orders\/([^/]+)\/status$/,
      async (req, [ref]) => {
        const b = jsonBody(req);
        if (typeof b.status !== 'string') return { status: 400, body: { error: 'status is required' } };
        const webhooks = await setStatus(ref!, b.status);
        return {
          status: 200,
          body: { session: findSession(ref!), webhooks: webhooks.map((w) => ({ status: w.status })) },
        };
      },
    ],
  ]);
  base = running.url;
  return { ...running, sessions, intents, sent, setStatus };
}
