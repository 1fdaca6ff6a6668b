/**
 * The handed provider cases, end to end: every Midtrans notification and Stripe event of
 * test/fixtures/cases is POSTed as raw bytes to the real webhook endpoint of a running system,
 * whose payment workers confirm through the provider fakes (Midtrans: Get Status API). Each case
 * ends in its stated status; each sequence in its final status with its number of alerts.
 *
 * The case files name orders DON-HANDED-… and PaymentIntents pi_handed_…: each case gets a real
 * donation created through the API (its checkout made at the fake), whose payment is then
 * re-labelled in payment_db with the case's order id / PaymentIntent id.
 * Stripe events are signed at a fixed time, so this system runs with STRIPE_WEBHOOK_CLOCK_S set
 * to the file's received_at (the test-only clock of the tolerance check).
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
import { loadCase } from '../support/fixtures.js';
import { query } from '../support/db.js';
import { startMidtransFake, type MidtransFake } from '../fakes/midtrans.fake.js';
import { startStripeFake, stripeSignatureHeader, type StripeFake } from '../fakes/stripe.fake.js';
import { midtransEventId, midtransSignature } from '../../grpc/payment/providers/midtrans.provider.js';

interface MidtransCases {
  server_key: string;
  notifications: {
    name: string;
    raw_body: string;
    signature_valid: boolean;
    expected_payment_status: string;
    note?: string;
  }[];
  sequences: {
    name: string;
    order_id: string;
    raw_bodies: string[];
    expected_final_status: string;
    expected_alerts: number;
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

describe('provider cases through the real webhook endpoints and workers', function () {
  this.timeout(180_000);
  let system: TestSystem;
  let midtrans: MidtransFake;
  let stripe: StripeFake;
  const midtransOptions = {
    serverKey: midtransCases.server_key,
    webhookUrl: undefined as string | undefined,
  };

  before(async () => {
    midtrans = await startMidtransFake(midtransOptions);
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
    midtransOptions.webhookUrl = `${system.gatewayUrl}/api/v1/webhooks/midtrans`;
  });

  after(async () => {
    await system?.stop();
    await midtrans?.close();
    await stripe?.close();
  });

  /** The payment of a donation once its checkout is made. */
  async function paymentOf(donationId: string) {
    return waitFor(
      async () =>
        (
          await query<{ id: string; status: string; order_id: string }>(
            system.config.PAYMENT_DATABASE_URL,
            "select id, status, order_id from payments where donation_id = $1 and checkout_state = 'ready'",
            [donationId],
          )
        )[0],
      20_000,
      `checkout of ${donationId}`,
    );
  }

  /** A donation through the API, its payment re-labelled as the case's order / PaymentIntent. */
  async function seed(
    streamer: TestStreamer,
    provider: 'midtrans' | 'stripe',
    amount: string,
    currency: string,
    label: { orderId?: string; providerRef?: string },
  ): Promise<{ donationId: string; paymentId: string }> {
    const created = await createDonation(system, streamer.username, {
      donorName: 'Case',
      amount,
      currency,
      provider,
    });
    expect(created.status, JSON.stringify(created.body)).to.be.oneOf([201, 202]);
    const donationId = created.body.id as string;
    const payment = await paymentOf(donationId);
    if (label.orderId)
      await query(system.config.PAYMENT_DATABASE_URL, 'update payments set order_id = $1 where id = $2', [
        label.orderId,
        payment.id,
      ]);
    if (label.providerRef)
      await query(system.config.PAYMENT_DATABASE_URL, 'update payments set provider_ref = $1 where id = $2', [
        label.providerRef,
        payment.id,
      ]);
    return { donationId, paymentId: payment.id };
  }

  async function eventRecorded(provider: string, eventId: string): Promise<void> {
    await waitFor(
      async () =>
        (
          await query(
            system.config.PAYMENT_DATABASE_URL,
            'select 1 from provider_events where provider = $1 and event_id = $2',
            [provider, eventId],
          )
        ).length > 0,
      20_000,
      `${provider} event ${eventId} to be verified`,
    );
  }

  async function paymentStatus(paymentId: string): Promise<string> {
    const [row] = await query<{ status: string }>(
      system.config.PAYMENT_DATABASE_URL,
      'select status from payments where id = $1',
      [paymentId],
    );
    return row!.status;
  }

  async function eventCount(paymentId: string): Promise<number> {
    const [row] = await query<{ n: string }>(
      system.config.PAYMENT_DATABASE_URL,
      'select count(*) as n from provider_events where payment_id = $1',
      [paymentId],
    );
    return Number(row!.n);
  }

  /** Moves the fake's order to what a notification says (only forward in transaction_time). */
  async function fakeFollows(n: Record<string, string>, overrideStatus?: string): Promise<void> {
    const current = midtrans.orders.get(n.order_id!);
    if (current?.status && current.transactionTime > n.transaction_time! && !overrideStatus) return;
    await midtrans.setStatus(n.order_id!, {
      status: overrideStatus ?? n.transaction_status,
      fraudStatus: overrideStatus ? undefined : n.fraud_status,
      grossAmount: n.gross_amount,
      notify: false,
    });
    midtrans.orders.get(n.order_id!)!.transactionTime = n.transaction_time!;
  }

  const postMidtrans = (raw: string) =>
    http(system, 'POST', '/api/v1/webhooks/midtrans', {
      raw,
      headers: { 'content-type': 'application/json' },
    });

  describe('midtrans notifications', () => {
    let streamer: TestStreamer;
    before(async () => {
      streamer = await registerStreamer(system);
    });

    for (const c of midtransCases.notifications) {
      it(`${c.name}: ends ${c.expected_payment_status}`, async () => {
        const n = JSON.parse(c.raw_body) as Record<string, string>;
        const { donationId, paymentId } = await seed(streamer, 'midtrans', '50000', 'IDR', {
          orderId: n.order_id,
        });
        if (!c.signature_valid) {
          const res = await postMidtrans(c.raw_body);
          expect(res.status).to.be.oneOf([400, 401]);
          expect(JSON.stringify(res.body)).not.to.include(midtransCases.server_key);
          expect(await eventCount(paymentId)).to.equal(0);
          expect(await paymentStatus(paymentId)).to.equal('pending');
          return;
        }
        if (c.expected_payment_status === 'refunded') {
          // A refund needs money first: the settlement Midtrans sent before it.
          await fakeFollows({
            ...n,
            transaction_status: 'settlement',
            transaction_time: '2026-11-20 19:00:00',
          });
          const settled = {
            ...n,
            transaction_status: 'settlement',
            transaction_time: '2026-11-20 19:00:00',
            signature_key: midtransSignature(
              n.order_id!,
              n.status_code!,
              n.gross_amount!,
              midtransCases.server_key,
            ),
          };
          expect((await postMidtrans(JSON.stringify(settled))).status).to.equal(200);
          await waitForDonationStatus(system, donationId, 'paid');
        }
        // The status API answers what Midtrans holds; for the altered notification that is pending.
        await fakeFollows(n, c.note ? 'pending' : undefined);
        const res = await postMidtrans(c.raw_body);
        expect(res.status, JSON.stringify(res.body)).to.equal(200);
        await eventRecorded('midtrans', midtransEventId(n));
        if (c.expected_payment_status === 'pending') {
          expect(await paymentStatus(paymentId)).to.equal('pending');
          const status = await http(system, 'GET', `/api/v1/donations/${donationId}`);
          expect(status.body.status).to.equal('pending');
        } else {
          await waitForDonationStatus(system, donationId, c.expected_payment_status);
          expect(await paymentStatus(paymentId)).to.equal(c.expected_payment_status);
        }
      });
    }

    for (const s of midtransCases.sequences) {
      it(`sequence "${s.name}": ends ${s.expected_final_status} with ${s.expected_alerts} alert(s)`, async () => {
        const own = await registerStreamer(system);
        const overlay = new OverlayClient(system.realtimeUrl, own.overlayToken);
        try {
          await overlay.waitConnected();
          // Counting is done on what the overlay received (before the page's sequencer).
          const { donationId } = await seed(own, 'midtrans', '50000', 'IDR', { orderId: s.order_id });
          for (const raw of s.raw_bodies) {
            const n = JSON.parse(raw) as Record<string, string>;
            await fakeFollows(n);
            const res = await postMidtrans(raw);
            expect(res.status, JSON.stringify(res.body)).to.equal(200);
            await eventRecorded('midtrans', midtransEventId(n));
          }
          await waitForDonationStatus(system, donationId, s.expected_final_status);
          // A sandbox donation paid afterwards is a sentinel: any duplicate alert of the case
          // would have reached the overlay before it (one ordered stream per streamer).
          const sentinel = await createDonation(system, own.username, {
            donorName: 'Sentinel',
            amount: '10000',
          });
          await sandboxComplete(system, await paymentIdOf(system, sentinel));
          await waitFor(
            () => Promise.resolve(overlay.received.some((a) => a.donationId === sentinel.body.id)),
            20_000,
            'the sentinel alert',
          );
          expect(overlay.received.filter((a) => a.donationId === donationId)).to.have.length(
            s.expected_alerts,
          );
        } finally {
          overlay.close();
        }
      });
    }
  });

  describe('stripe webhooks', () => {
    let streamer: TestStreamer;
    before(async () => {
      // The Stripe cases are in IDR, USD and JPY: the streamer accepts each of them.
      streamer = await registerStreamer(system, undefined, ['USD', 'JPY']);
    });
    const postStripe = (raw: string, signature: string) =>
      http(system, 'POST', '/api/v1/webhooks/stripe', {
        raw,
        headers: { 'content-type': 'application/json', 'stripe-signature': signature },
      });
    const majorUnits: Record<string, string> = { IDR: '50000', USD: '5.00', JPY: '500' };

    for (const c of stripeCases.events) {
      it(`${c.name}: ends ${c.expected_payment_status}`, async () => {
        const event = JSON.parse(c.raw_body) as { id: string; data: { object: Record<string, unknown> } };
        const obj = event.data.object;
        const pi = String(obj.object === 'charge' ? obj.payment_intent : obj.id);
        if (!c.signature_valid) {
          const before = await query(system.config.PAYMENT_DATABASE_URL, 'select 1 from provider_events');
          const res = await postStripe(c.raw_body, c.stripe_signature);
          expect(res.status).to.be.oneOf([400, 401]);
          expect(JSON.stringify(res.body)).not.to.include(stripeCases.webhook_secret);
          const after = await query(system.config.PAYMENT_DATABASE_URL, 'select 1 from provider_events');
          expect(after.length).to.equal(before.length);
          return;
        }
        const currency = String(obj.currency).toUpperCase();
        // Each valid case gets a fresh PaymentIntent label so the file's repeats stay independent.
        const { donationId, paymentId } = await seed(streamer, 'stripe', majorUnits[currency]!, currency, {
          providerRef: pi,
        });
        if (c.expected_payment_status === 'refunded') {
          // Paid first, by a succeeded event for the same PaymentIntent signed at the same clock.
          const paid = JSON.stringify({
            id: `evt_paid_${randomBytes(6).toString('hex')}`,
            object: 'event',
            type: 'payment_intent.succeeded',
            created: stripeCases.received_at,
            data: {
              object: {
                id: pi,
                object: 'payment_intent',
                amount: obj.amount,
                currency: obj.currency,
                status: 'succeeded',
                metadata: {},
              },
            },
          });
          const res = await postStripe(
            paid,
            stripeSignatureHeader(paid, stripeCases.webhook_secret, stripeCases.received_at),
          );
          expect(res.status, JSON.stringify(res.body)).to.equal(200);
          await waitForDonationStatus(system, donationId, 'paid');
        }
        const res = await postStripe(c.raw_body, c.stripe_signature);
        expect(res.status, JSON.stringify(res.body)).to.equal(200);
        await eventRecorded('stripe', event.id);
        await waitForDonationStatus(system, donationId, c.expected_payment_status);
        expect(await paymentStatus(paymentId)).to.equal(c.expected_payment_status);
        if (c.expected_amount_minor) {
          const [row] = await query<{ amount_minor: string; currency: string }>(
            system.config.PAYMENT_DATABASE_URL,
            'select amount_minor, currency from payments where id = $1',
            [paymentId],
          );
          expect(row).to.deep.equal({ amount_minor: String(c.expected_amount_minor), currency: c.currency });
        }
        // The label is freed so a later case with the same PaymentIntent id finds its own payment.
        await query(
          system.config.PAYMENT_DATABASE_URL,
          "update payments set provider_ref = provider_ref || '-done' where id = $1",
          [paymentId],
        );
      });
    }
  });
});
