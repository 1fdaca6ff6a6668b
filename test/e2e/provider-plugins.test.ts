/**
 * Each provider plugin against its fake, without the rest of the system: the Midtrans QRIS
 * charge through the Core API (QR string and image URL for the donor page), status answers and
 * refunds, Stripe's tolerance with the real clock, and PayPal's verification API refusing a
 * tampered body. The system-level paths are in provider-flows.test.ts.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { MidtransProvider } from '../../grpc/payment/providers/midtrans.provider.js';
import { StripeProvider } from '../../grpc/payment/providers/stripe.provider.js';
import { PayPalProvider } from '../../grpc/payment/providers/paypal.provider.js';
import { ProviderRejectedError, ValidationError, WebhookSignatureError } from '../../shared/errors.js';
import { startMidtransFake, type MidtransFake } from '../fakes/midtrans.fake.js';
import { startStripeFake, stripeSignatureHeader, type StripeFake } from '../fakes/stripe.fake.js';
import { startPayPalFake, type PayPalFake } from '../fakes/paypal.fake.js';
import { serve } from '../fakes/fake-http.js';
import type { CheckoutInput } from '../../grpc/payment/providers/payment-provider.js';

const checkoutInput = (amountMinor: number, currency: string): CheckoutInput => {
  const id = randomUUID();
  return {
    paymentId: id,
    donationId: randomUUID(),
    orderId: id,
    amount: { amountMinor, currency },
    donorName: 'Budi',
    description: 'Donation to Streamer',
    expiresAt: new Date(Date.now() + 15 * 60_000),
  };
};

describe('provider plugins against their fakes', function () {
  this.timeout(30_000);

  describe('Midtrans', () => {
    const serverKey = `SB-Mid-server-${randomBytes(8).toString('hex')}`;
    let fake: MidtransFake;
    let qris: MidtransProvider;
    before(async () => {
      fake = await startMidtransFake({ serverKey });
      qris = new MidtransProvider({
        serverKey,
        isProduction: false,
        apiUrl: fake.url,
        snapUrl: `${fake.url}/snap/v1`,
        mode: 'qris',
        publicUrl: 'http://127.0.0.1:1',
      });
    });
    after(() => fake.close());

    it('charges QRIS through the Core API and hands the QR string and image URL to the page', async () => {
      const input = checkoutInput(5_000_000, 'IDR');
      const result = await qris.createCheckout(input);
      expect(result.extras?.qrString).to.match(/^000201/);
      expect(result.extras?.qrImageUrl)
        .to.equal(result.url)
        .and.match(/\/v2\/qris\/.+\/qr-code$/);
      expect(fake.orders.get(input.orderId)).to.include({
        grossAmount: '50000.00',
        status: 'pending',
        paymentType: 'qris',
      });
      expect(await qris.fetchStatus({ orderId: input.orderId })).to.deep.include({ status: 'pending' });
      await fake.setStatus(input.orderId, { status: 'settlement', notify: false });
      expect(await qris.fetchStatus({ orderId: input.orderId })).to.deep.include({
        status: 'paid',
        amount: { amountMinor: 5_000_000, currency: 'IDR' },
      });
      await qris.refund({ orderId: input.orderId, amount: input.amount });
      expect(await qris.fetchStatus({ orderId: input.orderId })).to.deep.include({ status: 'refunded' });
    });

    it('refuses sen instead of rounding, and says nothing for an order Midtrans does not know', async () => {
      await qris.createCheckout(checkoutInput(1_000_050, 'IDR')).then(
        () => expect.fail('charged an amount with sen'),
        (err: unknown) => expect(err).to.be.instanceOf(ValidationError),
      );
      expect(await qris.fetchStatus({ orderId: 'never-created' })).to.equal(null);
    });

    it('maps a wrong server key to a refusal whose message carries no key', async () => {
      const wrong = new MidtransProvider({
        serverKey: 'wrong-key',
        isProduction: false,
        apiUrl: fake.url,
        mode: 'qris',
        publicUrl: 'http://x',
      });
      const err = await wrong.createCheckout(checkoutInput(1_000_000, 'IDR')).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(ProviderRejectedError);
      expect(JSON.stringify(err, Object.getOwnPropertyNames(err))).not.to.include('wrong-key');
    });
  });

  describe('Stripe', () => {
    const webhookSecret = `whsec_${randomBytes(8).toString('hex')}`;
    const secretKey = `sk_test_${randomBytes(8).toString('hex')}`;
    let fake: StripeFake;
    let stripe: StripeProvider;
    before(async () => {
      fake = await startStripeFake({ secretKey, webhookSecret });
      stripe = new StripeProvider({
        secretKey,
        webhookSecret,
        apiUrl: fake.url,
        publicUrl: 'http://127.0.0.1:1',
      });
    });
    after(() => fake.close());

    it('verifies with the real clock: fresh events pass, events older than 300 s do not', async () => {
      const body = JSON.stringify({
        id: 'evt_1',
        object: 'event',
        type: 'payment_intent.succeeded',
        data: {
          object: {
            id: 'pi_1',
            object: 'payment_intent',
            amount: 500,
            currency: 'jpy',
            metadata: { order_id: 'o1' },
          },
        },
      });
      const now = Math.floor(Date.now() / 1000);
      const fresh = await stripe.verifyWebhook(Buffer.from(body), {
        'stripe-signature': stripeSignatureHeader(body, webhookSecret, now),
      });
      expect(fresh).to.deep.include({ eventId: 'evt_1', orderId: 'o1', claimedStatus: 'paid' });
      expect(fresh.fields).to.include({ amountMinor: '500', currency: 'JPY', providerRef: 'pi_1' });
      const stale = stripeSignatureHeader(body, webhookSecret, now - 301);
      await stripe.verifyWebhook(Buffer.from(body), { 'stripe-signature': stale }).then(
        () => expect.fail('accepted a replayed event'),
        (err: unknown) => expect(err).to.be.instanceOf(WebhookSignatureError),
      );
    });

    it('acknowledges verified event types it does not act on without naming an order', async () => {
      const body = JSON.stringify({
        id: 'evt_2',
        object: 'event',
        type: 'customer.created',
        data: { object: { id: 'cus_1', object: 'customer' } },
      });
      const event = await stripe.verifyWebhook(Buffer.from(body), {
        'stripe-signature': stripeSignatureHeader(body, webhookSecret),
      });
      expect(event).to.include({ ignore: true, claimedStatus: null });
    });

    it('creates a Checkout Session in Stripe units with our ids in metadata, once per payment', async () => {
      const input = checkoutInput(500, 'JPY');
      const first = await stripe.createCheckout(input);
      const again = await stripe.createCheckout(input);
      expect(again.providerRef).to.equal(first.providerRef);
      const session = fake.sessions.get(first.providerRef!)!;
      expect(session).to.deep.include({
        amount_total: 500,
        currency: 'jpy',
        client_reference_id: input.orderId,
      });
      expect(session.metadata).to.deep.equal({ order_id: input.orderId, donation_id: input.donationId });
      expect(session.success_url).to.equal(
        `http://127.0.0.1:1/api/v1/checkout/stripe/return?donation=${input.donationId}`,
      );
      expect(await stripe.fetchStatus({ providerRef: first.providerRef! })).to.deep.include({
        status: 'pending',
      });
    });
  });

  describe('PayPal', () => {
    const creds = {
      clientId: `id${randomBytes(6).toString('hex')}`,
      clientSecret: `sec${randomBytes(6).toString('hex')}`,
      webhookId: 'WH1',
    };
    let fake: PayPalFake;
    let paypal: PayPalProvider;
    const received: { body: string; headers: Record<string, string> }[] = [];
    let sink: { close(): Promise<void>; url: string };
    before(async () => {
      sink = await serve(0, [
        [
          'POST',
          /^\/hook$/,
          (req) => {
            received.push({ body: req.body, headers: req.headers as Record<string, string> });
            return { status: 200, body: {} };
          },
        ],
      ]);
      fake = await startPayPalFake({ ...creds, webhookUrl: `${sink.url}/hook` });
      paypal = new PayPalProvider({ ...creds, apiUrl: fake.url, publicUrl: 'http://127.0.0.1:1' });
    });
    after(async () => {
      await fake.close();
      await sink.close();
    });

    it('verifies a webhook through the verification API and refuses the same event altered', async () => {
      const input = checkoutInput(1999, 'USD');
      const checkout = await paypal.createCheckout(input);
      expect(fake.orders.get(checkout.providerRef!)?.amount).to.deep.equal({
        currency_code: 'USD',
        value: '19.99',
      });
      await fake.setStatus(checkout.providerRef!, 'COMPLETED');
      const hook = received.at(-1)!;
      const event = await paypal.verifyWebhook(Buffer.from(hook.body), hook.headers);
      expect(event).to.deep.include({ orderId: input.orderId, claimedStatus: 'paid' });
      expect(event.fields).to.include({ amountMinor: '1999', currency: 'USD' });
      const altered = hook.body.replace('"19.99"', '"1999.00"');
      await paypal.verifyWebhook(Buffer.from(altered), hook.headers).then(
        () => expect.fail('accepted an altered event'),
        (err: unknown) => expect(err).to.be.instanceOf(WebhookSignatureError),
      );
      expect(
        await paypal.fetchStatus({ orderId: input.orderId, providerRef: checkout.providerRef! }),
      ).to.deep.include({ status: 'paid' });
    });
  });
});
