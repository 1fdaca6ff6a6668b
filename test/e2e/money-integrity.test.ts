/**
 * Money integrity (issue 10) against one running system: a payment's amount and currency come
 * from the donation row (a checkout for less is refused), a settlement of another amount or
 * currency never alerts (the payment ends `amount_mismatch` and a metric counts it, for the
 * sandbox, Midtrans and Stripe edges with the handed case files), refunds and alerts need the
 * owner streamer's verified identity even with the gateway's certificate, and a streamer takes
 * donations only in the currencies it accepts.
 */
import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { TestSystem, waitFor } from '../support/system.js';
import {
  OverlayClient,
  createDonation,
  http,
  paymentIdOf,
  registerStreamer,
  sandboxComplete,
  waitForDonationStatus,
  type TestStreamer,
} from '../support/clients.js';
import { loadCase, type MoneyCases } from '../support/fixtures.js';
import { query } from '../support/db.js';
import { sample } from '../support/prometheus.js';
import { tlsOf } from '../support/grpc-certs.js';
import { startMidtransFake, type MidtransFake } from '../fakes/midtrans.fake.js';
import { startStripeFake, type StripeFake } from '../fakes/stripe.fake.js';
import { createClients } from '../../shared/grpc.js';
import { createApis, type MediaSharApis } from '../../shared/grpc-api.js';
import { STREAMS } from '../../shared/queues.js';
import { signSandboxBody } from '../../grpc/payment/providers/sandbox.provider.js';
import { midtransSignature } from '../../grpc/payment/providers/midtrans.provider.js';
import {
  currencyExponent,
  toDecimalString,
  toPayPalValue,
  toStripeAmount,
  toMidtransGrossAmount,
} from '../../shared/money.js';

interface MidtransCases {
  server_key: string;
  gross_amount_rupiah: number;
  notifications: {
    name: string;
    raw_body: string;
    signature_valid: boolean;
    expected_payment_status: string;
  }[];
}
interface StripeCases {
  webhook_secret: string;
  received_at: number;
  events: {
    name: string;
    raw_body: string;
    stripe_signature: string;
    signature_valid: boolean;
    expected_payment_status: string;
    expected_amount_minor?: number;
    currency?: string;
  }[];
}

const midtransCases = loadCase<MidtransCases>('midtrans-notifications.json');
const stripeCases = loadCase<StripeCases>('stripe-webhooks.json');
const moneyCases = loadCase<MoneyCases>('money.json');

/** The gRPC error code an API call failed with ('' when it did not fail). */
async function failureCode(call: Promise<unknown>): Promise<string> {
  return call.then(
    () => '',
    (err: unknown) => String((err as { code?: string }).code),
  );
}

describe('money integrity (amount from the donation, no alert for another amount, owner checks, currencies)', function () {
  this.timeout(600_000);
  let system: TestSystem;
  let midtrans: MidtransFake;
  let stripe: StripeFake;
  /** The gateway's certificate: what someone holding it could call, without a user's token. */
  let api: MediaSharApis;
  let closeClients: () => void;
  let owner: TestStreamer;
  let other: TestStreamer;
  let overlay: OverlayClient;

  before(async () => {
    midtrans = await startMidtransFake({ serverKey: midtransCases.server_key });
    const stripeKey = `sk_test_${randomBytes(12).toString('hex')}`;
    stripe = await startStripeFake({ secretKey: stripeKey, webhookSecret: stripeCases.webhook_secret });
    system = await TestSystem.start({
      env: {
        MIDTRANS_SERVER_KEY: midtransCases.server_key,
        MIDTRANS_API_URL: midtrans.url,
        MIDTRANS_SNAP_URL: `${midtrans.url}/snap/v1`,
        STRIPE_SECRET_KEY: stripeKey,
        STRIPE_WEBHOOK_SECRET: stripeCases.webhook_secret,
        STRIPE_API_URL: stripe.url,
        STRIPE_WEBHOOK_CLOCK_S: String(stripeCases.received_at),
      },
    });
    const clients = createClients(
      {
        donation: system.env.DONATION_SERVICE_ADDR!,
        payment: system.env.PAYMENT_SERVICE_ADDR!,
        notification: system.env.NOTIFICATION_SERVICE_ADDR!,
      },
      tlsOf(system.config.GRPC_TLS_DIR, 'gateway'),
    );
    closeClients = () => Object.values(clients).forEach((c) => c.close());
    api = createApis(clients, 10_000);
    owner = await registerStreamer(system, '10000');
    other = await registerStreamer(system, '10000');
    overlay = new OverlayClient(system.realtimeUrl, owner.overlayToken);
    await overlay.waitConnected();
  });

  after(async () => {
    overlay?.close();
    closeClients?.();
    await system?.stop();
    await midtrans?.close();
    await stripe?.close();
  });

  async function paymentRow(donationId: string) {
    return waitFor(
      async () =>
        (
          await query<{ id: string; status: string; amount_minor: string; currency: string }>(
            system.config.PAYMENT_DATABASE_URL,
            "select id, status, amount_minor, currency from payments where donation_id = $1 and checkout_state = 'ready'",
            [donationId],
          )
        )[0],
      20_000,
      `checkout of ${donationId}`,
    );
  }

  async function waitPaymentStatus(paymentId: string, status: string): Promise<void> {
    await waitFor(
      async () =>
        (
          await query<{ status: string }>(
            system.config.PAYMENT_DATABASE_URL,
            'select status from payments where id = $1',
            [paymentId],
          )
        )[0]?.status === status || undefined,
      20_000,
      `payment ${paymentId} to be ${status}`,
    );
  }

  async function mismatchCount(provider: string): Promise<number> {
    const text = await (await fetch(system.metricsUrl('workers'))).text();
    const value = sample(text, 'mediashar_payment_amount_mismatch_total', { provider });
    return Number.isNaN(value) ? 0 : value;
  }

  /** No alert for the donation: no once-only marker, nothing in the streamer's alert history. */
  async function expectNeverAlerted(streamerId: string, donationId: string): Promise<void> {
    const prefix = system.config.REDIS_PREFIX;
    const { Redis } = await import('ioredis');
    const redis = new Redis(system.config.REDIS_URL);
    try {
      expect(await redis.exists(STREAMS.alertPublished(prefix, streamerId, donationId))).to.equal(0);
      const history = await redis.xrange(STREAMS.streamerAlerts(prefix, streamerId), '-', '+');
      expect(history.map(([, fields]) => fields.join(' ')).join('\n')).not.to.include(donationId);
    } finally {
      redis.disconnect();
    }
    const [row] = await query<{ status: string; alert_published_at: Date | null }>(
      system.config.DONATION_DATABASE_URL,
      'select status, alert_published_at from donations where id = $1',
      [donationId],
    );
    expect(row).to.deep.equal({ status: 'failed', alert_published_at: null });
    expect(overlay.shown.map((a) => a.donationId)).not.to.include(donationId);
  }

  describe('checkout amount', () => {
    it('refuses CreateCheckout for less than the donation, before and after its payment exists', async () => {
      const created = await api.donation.createDonation({
        streamerId: owner.id,
        donorName: 'Budi',
        donorUserId: '',
        anonymous: false,
        amount: { amountMinor: 1_000_000_00, currency: 'IDR' },
        message: 'Rp1.000.000',
        provider: 'sandbox',
        idempotencyKey: '',
        requestHash: randomBytes(16).toString('hex'),
      });
      const donationId = created.donationId;
      const underpay = {
        donationId,
        provider: 'sandbox',
        amount: { amountMinor: 10_000_00, currency: 'IDR' },
        donorName: 'Budi',
        description: 'underpay',
        waitMs: 8000,
      };
      // No payment yet: the checkout worker compares with the donation row and refuses.
      expect(await failureCode(api.payment.createCheckout(underpay, { deadlineMs: 12_000 }))).to.equal(
        'VALIDATION_FAILED',
      );
      expect(
        await failureCode(
          api.payment.createCheckout(
            { ...underpay, amount: { amountMinor: 1_000_000_00, currency: 'USD' } },
            { deadlineMs: 12_000 },
          ),
        ),
        'another currency',
      ).to.equal('VALIDATION_FAILED');
      const none = await query(
        system.config.PAYMENT_DATABASE_URL,
        'select 1 from payments where donation_id = $1',
        [donationId],
      );
      expect(none).to.have.length(0);
      // The donation's own amount still gets its checkout (the refused job does not stand in).
      const ok = await api.payment.createCheckout(
        { ...underpay, amount: { amountMinor: 1_000_000_00, currency: 'IDR' } },
        { deadlineMs: 12_000 },
      );
      expect(ok.donationId).to.equal(donationId);
      const row = await paymentRow(donationId);
      expect(row).to.include({ amount_minor: String(1_000_000_00), currency: 'IDR', status: 'pending' });
      // With the payment there, a smaller amount is refused at once.
      expect(await failureCode(api.payment.createCheckout(underpay))).to.equal('VALIDATION_FAILED');
    });

    it('refuses CreateCheckout for less than the checkout DonationService queued with the row', async () => {
      const created = await api.donation.createDonation({
        streamerId: owner.id,
        donorName: 'Sari',
        donorUserId: '',
        anonymous: false,
        amount: { amountMinor: 750_000_00, currency: 'IDR' },
        message: 'Rp750.000',
        provider: 'sandbox',
        idempotencyKey: '',
        requestHash: randomBytes(16).toString('hex'),
        // As the gateway asks: the checkout is queued with the row, from the row.
        startCheckout: true,
        checkoutDescription: 'Donation to owner',
      });
      const donationId = created.donationId;
      const underpay = {
        donationId,
        provider: 'sandbox',
        amount: { amountMinor: 7_500_00, currency: 'IDR' },
        donorName: 'Sari',
        description: 'underpay',
        waitMs: 8000,
      };
      expect(await failureCode(api.payment.createCheckout(underpay, { deadlineMs: 12_000 }))).to.equal(
        'VALIDATION_FAILED',
      );
      expect(
        await failureCode(
          api.payment.createCheckout(
            { ...underpay, amount: { amountMinor: 750_000_00, currency: 'USD' } },
            { deadlineMs: 12_000 },
          ),
        ),
        'another currency',
      ).to.equal('VALIDATION_FAILED');
      const ok = await api.payment.createCheckout(
        { ...underpay, amount: { amountMinor: 750_000_00, currency: 'IDR' } },
        { deadlineMs: 12_000 },
      );
      expect(ok.donationId).to.equal(donationId);
      const row = await paymentRow(donationId);
      expect(row).to.include({ amount_minor: String(750_000_00), currency: 'IDR', status: 'pending' });
      // The job is done and gone: the payment row refuses a smaller amount now.
      expect(await failureCode(api.payment.createCheckout(underpay))).to.equal('VALIDATION_FAILED');
      const payments = await query(
        system.config.PAYMENT_DATABASE_URL,
        'select 1 from payments where donation_id = $1',
        [donationId],
      );
      expect(payments).to.have.length(1);
    });
  });

  describe('a settlement of another amount', () => {
    it('sandbox: a signed paid event for less ends amount_mismatch, no alert, metric up', async () => {
      const before = await mismatchCount('sandbox');
      const created = await createDonation(system, owner.username, {
        donorName: 'Sari',
        amount: '60000',
        provider: 'sandbox',
      });
      expect(created.status, JSON.stringify(created.body)).to.be.oneOf([201, 202]);
      const donationId = created.body.id as string;
      const paymentId = await paymentIdOf(system, created);
      const paidEvent = (amountMinor: number) => {
        const raw = JSON.stringify({
          eventId: `sbx-${randomBytes(6).toString('hex')}`,
          orderId: paymentId,
          status: 'paid',
          amountMinor,
          currency: 'IDR',
          sentAt: new Date().toISOString(),
        });
        return http(system, 'POST', '/api/v1/webhooks/sandbox', {
          raw,
          headers: {
            'content-type': 'application/json',
            'x-sandbox-signature': signSandboxBody(raw, system.env.SANDBOX_WEBHOOK_SECRET!),
          },
        });
      };
      const res = await paidEvent(10_000_00);
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      await waitPaymentStatus(paymentId, 'amount_mismatch');
      await waitForDonationStatus(system, donationId, 'failed');
      await waitFor(
        async () => (await mismatchCount('sandbox')) === before + 1 || undefined,
        10_000,
        'metric',
      );
      // The right amount arriving afterwards does not turn it into paid (terminal).
      expect((await paidEvent(60_000_00)).status).to.equal(200);
      await waitFor(
        async () =>
          (
            await query(
              system.config.PAYMENT_DATABASE_URL,
              'select 1 from provider_events where payment_id = $1',
              [paymentId],
            )
          ).length >= 2 || undefined,
        20_000,
        'second sandbox event verified',
      );
      await waitPaymentStatus(paymentId, 'amount_mismatch');
      await expectNeverAlerted(owner.id, donationId);
    });

    it('midtrans: the handed settlement (gross_amount) applied to a larger payment ends amount_mismatch', async () => {
      const n = midtransCases.notifications.find(
        (c) =>
          c.signature_valid && c.expected_payment_status === 'paid' && c.raw_body.includes('"settlement"'),
      )!;
      const body = JSON.parse(n.raw_body) as Record<string, string>;
      // The case is what the file says it is: signed, for the file's gross amount.
      expect(
        midtransSignature(body.order_id!, body.status_code!, body.gross_amount!, midtransCases.server_key),
      ).to.equal(body.signature_key);
      expect(Number(body.gross_amount)).to.equal(midtransCases.gross_amount_rupiah);
      const before = await mismatchCount('midtrans');
      const donated = midtransCases.gross_amount_rupiah + 10_000;
      const created = await createDonation(system, owner.username, {
        donorName: 'Case',
        amount: String(donated),
        currency: 'IDR',
        provider: 'midtrans',
      });
      expect(created.status, JSON.stringify(created.body)).to.be.oneOf([201, 202]);
      const donationId = created.body.id as string;
      const payment = await paymentRow(donationId);
      expect(payment.amount_minor).to.equal(String(donated * 100));
      await query(system.config.PAYMENT_DATABASE_URL, 'update payments set order_id = $1 where id = $2', [
        body.order_id,
        payment.id,
      ]);
      // The status API (the authority) says settled, for the case's gross amount.
      await midtrans.setStatus(body.order_id!, {
        status: body.transaction_status,
        grossAmount: body.gross_amount,
        notify: false,
      });
      const res = await http(system, 'POST', '/api/v1/webhooks/midtrans', {
        raw: n.raw_body,
        headers: { 'content-type': 'application/json' },
      });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      await waitPaymentStatus(payment.id, 'amount_mismatch');
      await waitForDonationStatus(system, donationId, 'failed');
      expect(await mismatchCount('midtrans')).to.equal(before + 1);
      await expectNeverAlerted(owner.id, donationId);
    });

    it('stripe: the handed payment_intent.succeeded (amount, currency) for another amount ends amount_mismatch', async () => {
      const c = stripeCases.events.find(
        (e) => e.signature_valid && e.expected_payment_status === 'paid' && e.expected_amount_minor,
      )!;
      const event = JSON.parse(c.raw_body) as {
        id: string;
        data: { object: { id: string; amount: number; currency: string } };
      };
      expect(event.data.object.currency.toUpperCase()).to.equal(c.currency);
      const before = await mismatchCount('stripe');
      // The donation is Rp10.000 more than the event's expected_amount_minor.
      const donatedMinor = c.expected_amount_minor! + 10_000_00;
      const created = await createDonation(system, owner.username, {
        donorName: 'Case',
        amount: toDecimalString(donatedMinor, c.currency!),
        currency: c.currency,
        provider: 'stripe',
      });
      expect(created.status, JSON.stringify(created.body)).to.be.oneOf([201, 202]);
      const donationId = created.body.id as string;
      const payment = await paymentRow(donationId);
      await query(system.config.PAYMENT_DATABASE_URL, 'update payments set provider_ref = $1 where id = $2', [
        event.data.object.id,
        payment.id,
      ]);
      const res = await http(system, 'POST', '/api/v1/webhooks/stripe', {
        raw: c.raw_body,
        headers: { 'content-type': 'application/json', 'stripe-signature': c.stripe_signature },
      });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      await waitPaymentStatus(payment.id, 'amount_mismatch');
      await waitForDonationStatus(system, donationId, 'failed');
      expect(await mismatchCount('stripe')).to.equal(before + 1);
      await expectNeverAlerted(owner.id, donationId);
    });
  });

  describe('owner checks behind the gateway certificate', () => {
    let paidDonationId: string;

    before(async () => {
      const created = await createDonation(system, owner.username, {
        donorName: 'Rina',
        amount: '25000',
        provider: 'sandbox',
      });
      paidDonationId = created.body.id as string;
      await sandboxComplete(system, await paymentIdOf(system, created));
      await waitForDonationStatus(system, paidDonationId, 'paid');
    });

    it('refuses RefundPayment without a user token and for another streamer; the owner refunds', async () => {
      const request = { donationId: paidDonationId };
      expect(await failureCode(api.payment.refundPayment(request))).to.equal('UNAUTHENTICATED');
      expect(
        await failureCode(api.payment.refundPayment(request, { accessToken: other.accessToken })),
      ).to.equal('FORBIDDEN');
      const viaApi = await http(system, 'POST', `/api/v1/me/donations/${paidDonationId}/refund`, {
        token: other.accessToken,
      });
      expect(viaApi.status).to.equal(404);
      const [still] = await query<{ status: string }>(
        system.config.PAYMENT_DATABASE_URL,
        'select status from payments where donation_id = $1',
        [paidDonationId],
      );
      expect(still!.status).to.equal('paid');
      const own = await http(system, 'POST', `/api/v1/me/donations/${paidDonationId}/refund`, {
        token: owner.accessToken,
      });
      expect(own.status, JSON.stringify(own.body)).to.equal(202);
      await waitForDonationStatus(system, paidDonationId, 'refunded');
    });

    it('refuses PublishAlert from another streamer and a made-up unmarked alert from the owner', async () => {
      const forged = {
        type: 'alert.replay',
        donationId: '01900000-0000-7000-8000-000000000001',
        streamerId: owner.id,
        donorName: 'Big Spender',
        amount: { amountMinor: 999_999_900, currency: 'USD' },
        message: 'totally paid',
        createdAt: new Date().toISOString(),
        test: false,
      };
      expect(await failureCode(api.notification.publishAlert({ event: forged }))).to.equal('UNAUTHENTICATED');
      expect(
        await failureCode(
          api.notification.publishAlert({ event: forged }, { accessToken: other.accessToken }),
        ),
      ).to.equal('FORBIDDEN');
      expect(
        await failureCode(
          api.notification.publishAlert(
            { event: { ...forged, type: 'alert.test', test: true } },
            { accessToken: other.accessToken },
          ),
        ),
        'a test alert on someone else’s overlay',
      ).to.equal('FORBIDDEN');
      expect(
        await failureCode(
          api.notification.publishAlert({ event: forged }, { accessToken: owner.accessToken }),
        ),
        'an unmarked alert with no paid donation behind it',
      ).to.equal('FORBIDDEN');
      expect(overlay.shown.map((a) => a.donationId)).not.to.include(forged.donationId);
      // The owner's test alert goes through, marked test.
      const before = overlay.shown.length;
      await api.notification.publishAlert(
        { event: { ...forged, type: 'alert.test', test: true } },
        { accessToken: owner.accessToken },
      );
      await overlay.waitForAlerts(before + 1);
      expect(overlay.shown[before]).to.include({ donationId: forged.donationId, test: true });
    });

    it('refuses controls, disconnects and donor reads for another streamer', async () => {
      const as = { accessToken: other.accessToken };
      expect(
        await failureCode(api.notification.sendControl({ streamerId: owner.id, action: 'pause' }, as)),
      ).to.equal('FORBIDDEN');
      expect(await failureCode(api.notification.disconnectOverlays({ streamerId: owner.id }, as))).to.equal(
        'FORBIDDEN',
      );
      expect(await failureCode(api.donation.listDonations({ streamerId: owner.id }, as))).to.equal(
        'FORBIDDEN',
      );
      expect(await failureCode(api.donation.listDonations({ streamerId: owner.id }))).to.equal(
        'UNAUTHENTICATED',
      );
      expect(await failureCode(api.donation.getStats({ streamerId: owner.id }, as))).to.equal('FORBIDDEN');
      // The owner reads their own.
      const page = await api.donation.listDonations(
        { streamerId: owner.id, pageSize: 5 },
        { accessToken: owner.accessToken },
      );
      expect((page.donations ?? []).length).to.be.greaterThan(0);
    });
  });

  describe('anonymous donors', () => {
    it('never stores or queues the real name of an anonymous donation', async () => {
      const secret = `Secret Name ${randomBytes(4).toString('hex')}`;
      const created = await createDonation(system, owner.username, {
        donorName: secret,
        anonymous: true,
        amount: '20000',
        message: 'from nobody',
        provider: 'sandbox',
      });
      expect(created.status, JSON.stringify(created.body)).to.be.oneOf([201, 202]);
      const donationId = created.body.id as string;
      await sandboxComplete(system, await paymentIdOf(system, created));
      await waitForDonationStatus(system, donationId, 'paid');
      await overlay.waitUntil(() => overlay.shown.some((a) => a.donationId === donationId), 20_000, 'alert');
      expect(overlay.shown.find((a) => a.donationId === donationId)!.donorName).to.equal('Anonymous');
      const rows = await query(system.config.DONATION_DATABASE_URL, 'select * from donations where id = $1', [
        donationId,
      ]);
      expect(rows[0]).to.include({ donor_name: 'Anonymous', anonymous: true });
      expect(JSON.stringify(rows)).not.to.include(secret);
      const payments = await query(
        system.config.PAYMENT_DATABASE_URL,
        'select * from payments where donation_id = $1',
        [donationId],
      );
      expect(JSON.stringify(payments)).not.to.include(secret);
      // Every queue job, stream entry and key of this install in Redis.
      const { Redis } = await import('ioredis');
      const redis = new Redis(system.config.REDIS_URL);
      try {
        const keys = await redis.keys(`${system.config.REDIS_PREFIX}:*`);
        for (const key of keys) {
          const type = await redis.type(key);
          const value =
            type === 'hash'
              ? await redis.hgetall(key)
              : type === 'stream'
                ? await redis.xrange(key, '-', '+')
                : type === 'string'
                  ? await redis.get(key)
                  : type === 'list'
                    ? await redis.lrange(key, 0, -1)
                    : null;
          expect(JSON.stringify(value), key).not.to.include(secret);
        }
      } finally {
        redis.disconnect();
      }
    });
  });

  describe('currencies', () => {
    it('refuses US$1.00, ¥100 and the handed non-rupiah amounts under an IDR-only streamer, naming currency', async () => {
      const attempts: { amount: string; currency: string }[] = [
        { amount: '1.00', currency: 'USD' },
        { amount: '100', currency: 'JPY' },
      ];
      for (const c of moneyCases.cases) {
        // The case's fields are what the money module says they are.
        expect(currencyExponent(c.currency), c.display).to.equal(c.iso_exponent);
        if (c.stripe_amount !== undefined)
          expect(toStripeAmount({ amountMinor: c.amount_minor, currency: c.currency })).to.equal(
            c.stripe_amount,
          );
        if (c.paypal_value !== undefined)
          expect(toPayPalValue({ amountMinor: c.amount_minor, currency: c.currency })).to.equal(
            c.paypal_value,
          );
        if (typeof c.midtrans_gross_amount === 'number')
          expect(toMidtransGrossAmount({ amountMinor: c.amount_minor, currency: c.currency })).to.equal(
            c.midtrans_gross_amount,
          );
        if (c.currency !== 'IDR')
          attempts.push({ amount: toDecimalString(c.amount_minor, c.currency), currency: c.currency });
      }
      for (const a of attempts) {
        const res = await createDonation(system, owner.username, {
          donorName: 'Tourist',
          amount: a.amount,
          currency: a.currency,
          provider: 'sandbox',
        });
        expect(res.status, `${a.amount} ${a.currency}: ${JSON.stringify(res.body)}`).to.equal(400);
        const fields = (res.body.error.details as { fields: Record<string, string> }).fields;
        expect(fields).to.have.property('currency');
        expect(fields.currency).to.include('IDR');
        expect(res.body.error.message).to.include('IDR');
      }
    });

    it('takes a set of currencies with a minimum each, validated, and holds donations to them', async () => {
      const patch = (currencies: unknown) =>
        http(system, 'PATCH', '/api/v1/me/settings', { token: other.accessToken, body: { currencies } });
      const belowFloor = await patch([
        { currency: 'IDR', minMinor: 1_000_000 },
        { currency: 'USD', minMinor: 1 },
      ]);
      expect(belowFloor.status).to.equal(400);
      expect(belowFloor.body.error.details.fields).to.have.property('currencies.1.minMinor');
      const unknown = await patch([{ currency: 'XXX', minMinor: 100 }]);
      expect(unknown.status).to.equal(400);
      expect(JSON.stringify(unknown.body.error.details.fields)).to.include('currencies');
      const withoutOwn = await patch([{ currency: 'USD', minMinor: 500 }]);
      expect(withoutOwn.status).to.equal(400);
      expect(withoutOwn.body.error.details.fields).to.have.property('currencies');
      const ok = await patch([
        { currency: 'IDR', minMinor: 1_000_000 },
        { currency: 'USD', minMinor: 500 },
      ]);
      expect(ok.status, JSON.stringify(ok.body)).to.equal(200);
      expect(
        (ok.body.currencies as { currency: string; minMinor: number }[]).map(({ currency, minMinor }) => ({
          currency,
          minMinor,
        })),
      ).to.deep.equal([
        { currency: 'IDR', minMinor: 1_000_000 },
        { currency: 'USD', minMinor: 500 },
      ]);
      const donate = (amount: string, currency: string) =>
        createDonation(system, other.username, {
          donorName: 'Tourist',
          amount,
          currency,
          provider: 'sandbox',
        });
      const tooSmall = await donate('1.00', 'USD');
      expect(tooSmall.status).to.equal(400);
      expect(tooSmall.body.error.details.fields).to.have.property('amount');
      expect(tooSmall.body.error.details.fields.amount).to.include('$5.00');
      expect((await donate('5.00', 'USD')).status).to.be.oneOf([201, 202]);
      const yen = await donate('100', 'JPY');
      expect(yen.status).to.equal(400);
      expect(yen.body.error.details.fields.currency).to.include('IDR, USD');
      const profile = await http(system, 'GET', `/api/v1/streamers/${other.username}`);
      expect(profile.body.currencies.map((c: { currency: string }) => c.currency)).to.deep.equal([
        'IDR',
        'USD',
      ]);
    });
  });
});
