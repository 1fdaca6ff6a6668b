/**
 * Real providers end to end against their local fakes (test/fakes): a donation through each
 * provider's checkout, its webhook signed as the provider signs it, paid, exactly one alert; the
 * donor's return capturing a PayPal order; the sweeper resolving a payment whose webhook never
 * came; refunds started by the streamer and by the provider, out of the totals; a provider
 * outage retried; and no secret anywhere in the logs, error bodies or API answers of the run.
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
  type JsonResponse,
  type TestStreamer,
} from '../support/clients.js';
import { startMidtransFake, type MidtransFake } from '../fakes/midtrans.fake.js';
import { startStripeFake, type StripeFake } from '../fakes/stripe.fake.js';
import { startPayPalFake, type PayPalFake } from '../fakes/paypal.fake.js';

const secret = (prefix: string) => `${prefix}${randomBytes(16).toString('hex')}`;
const keys = {
  midtransServer: secret('SB-Mid-server-'),
  stripeSecret: secret('sk_test_'),
  stripeWebhook: secret('whsec_'),
  paypalId: secret('AZpaypalclient'),
  paypalSecret: secret('EPpaypalsecret'),
  paypalWebhookId: `WH${randomBytes(8).toString('hex').toUpperCase()}`,
};

interface CheckoutBody {
  url: string;
  orderId: string;
  provider: string;
  extras: Record<string, string>;
}

describe('payment providers end to end through their fakes', function () {
  this.timeout(180_000);
  let system: TestSystem;
  let midtrans: MidtransFake;
  let stripe: StripeFake;
  let paypal: PayPalFake;
  let streamer: TestStreamer;
  let overlay: OverlayClient;
  const hooks: Record<string, string | undefined> = {};
  /** Every answer the API gave in this file, searched for secrets at the end. */
  const answers: string[] = [];

  before(async function () {
    // TestSystem waits up to 300 s for the processes on a loaded machine.
    this.timeout(400_000);
    const midtransOpts = { serverKey: keys.midtransServer, webhookUrl: undefined as string | undefined };
    const stripeOpts = {
      secretKey: keys.stripeSecret,
      webhookSecret: keys.stripeWebhook,
      webhookUrl: undefined as string | undefined,
    };
    const paypalOpts = {
      clientId: keys.paypalId,
      clientSecret: keys.paypalSecret,
      webhookId: keys.paypalWebhookId,
      webhookUrl: undefined as string | undefined,
    };
    [midtrans, stripe, paypal] = await Promise.all([
      startMidtransFake(midtransOpts),
      startStripeFake(stripeOpts),
      startPayPalFake(paypalOpts),
    ]);
    system = await TestSystem.start({
      env: {
        LOG_LEVEL: 'debug',
        MIDTRANS_SERVER_KEY: keys.midtransServer,
        MIDTRANS_CLIENT_KEY: 'SB-Mid-client-public',
        MIDTRANS_API_URL: midtrans.url,
        MIDTRANS_SNAP_URL: `${midtrans.url}/snap/v1`,
        STRIPE_SECRET_KEY: keys.stripeSecret,
        STRIPE_WEBHOOK_SECRET: keys.stripeWebhook,
        STRIPE_API_URL: stripe.url,
        PAYPAL_CLIENT_ID: keys.paypalId,
        PAYPAL_CLIENT_SECRET: keys.paypalSecret,
        PAYPAL_WEBHOOK_ID: keys.paypalWebhookId,
        PAYPAL_API_URL: paypal.url,
        // The sweeper runs every second over payments pending for more than 2 s.
        PAYMENT_SWEEP_INTERVAL_MS: '1000',
        PAYMENT_SWEEP_AFTER_S: '2',
      },
    });
    for (const [name, opts] of [
      ['midtrans', midtransOpts],
      ['stripe', stripeOpts],
      ['paypal', paypalOpts],
    ] as const) {
      opts.webhookUrl = `${system.gatewayUrl}/api/v1/webhooks/${name}`;
      hooks[name] = opts.webhookUrl;
    }
    // The provider flows pay in USD as well as IDR: the streamer accepts both.
    streamer = await registerStreamer(system, undefined, ['USD']);
    overlay = new OverlayClient(system.realtimeUrl, streamer.overlayToken);
    await overlay.waitConnected();
  });

  after(async () => {
    overlay?.close();
    await system?.stop();
    await Promise.all([midtrans?.close(), stripe?.close(), paypal?.close()]);
  });

  const record = (res: JsonResponse) => {
    answers.push(JSON.stringify(res.body));
    return res;
  };

  /** Creates a donation and waits for its provider checkout. */
  async function donate(
    provider: string,
    amount: string,
    currency: string,
  ): Promise<{ id: string; checkout: CheckoutBody }> {
    const created = record(
      await createDonation(system, streamer.username, {
        donorName: `Donor ${provider}`,
        amount,
        currency,
        provider,
        message: `via ${provider}`,
      }),
    );
    expect(created.status, JSON.stringify(created.body)).to.be.oneOf([201, 202]);
    const id = created.body.id as string;
    const checkout = await waitFor(
      async () => {
        if (created.body.checkout) return created.body.checkout as CheckoutBody;
        return (
          (record(await http(system, 'GET', `/api/v1/donations/${id}`)).body
            .checkout as CheckoutBody | null) ?? undefined
        );
      },
      30_000,
      `checkout of ${id}`,
    );
    expect(checkout.provider).to.equal(provider);
    return { id, checkout };
  }

  /** Pays a sandbox donation and waits for its alert: any earlier duplicate would have come before. */
  async function sentinel(): Promise<void> {
    const created = await createDonation(system, streamer.username, {
      donorName: 'Sentinel',
      amount: '10000',
    });
    await sandboxComplete(system, await paymentIdOf(system, created));
    await waitFor(
      () => Promise.resolve(overlay.received.some((a) => a.donationId === created.body.id)),
      20_000,
      'the sentinel alert',
    );
  }

  async function expectOneAlert(donationId: string, amount: number, currency: string): Promise<void> {
    await waitFor(
      () => Promise.resolve(overlay.received.some((a) => a.donationId === donationId)),
      20_000,
      `alert of ${donationId}`,
    );
    await sentinel();
    const alerts = overlay.received.filter((a) => a.donationId === donationId);
    expect(alerts).to.have.length(1);
    expect(alerts[0]).to.include({ amount, currency });
  }

  const control = (base: string, orderId: string, body: Record<string, unknown>) =>
    fetch(`${base}/__fake__/orders/${encodeURIComponent(orderId)}/status`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));

  it('Midtrans Snap: checkout → settlement notification → paid → exactly one alert', async () => {
    const { id, checkout } = await donate('midtrans', '50000', 'IDR');
    expect(checkout.url).to.match(new RegExp(`^${midtrans.url}/snap/`));
    expect(checkout.extras.snapToken).to.be.a('string').and.not.equal('');
    expect(midtrans.orders.get(checkout.orderId)?.grossAmount).to.equal('50000.00');
    const res = await control(midtrans.url, checkout.orderId, { status: 'settlement' });
    expect(res.body.webhook).to.deep.equal({ status: 200 });
    await waitForDonationStatus(system, id, 'paid');
    await expectOneAlert(id, 5_000_000, 'IDR');
  });

  it('Stripe Checkout: session → completed + succeeded events → paid → exactly one alert', async () => {
    const { id, checkout } = await donate('stripe', '19.99', 'USD');
    expect(checkout.url).to.match(new RegExp(`^${stripe.url}/c/pay/cs_test_`));
    const session = [...stripe.sessions.values()].find(
      (s) => (s.metadata as Record<string, string>).order_id === checkout.orderId,
    )!;
    expect(session).to.include({ amount_total: 1999, currency: 'usd' });
    const res = await control(stripe.url, checkout.orderId, { status: 'paid' });
    expect(res.body.webhooks).to.deep.equal([{ status: 200 }, { status: 200 }]);
    await waitForDonationStatus(system, id, 'paid');
    await expectOneAlert(id, 1999, 'USD');
  });

  it('PayPal Orders v2: approval webhook → captured → paid → exactly one alert', async () => {
    const { id, checkout } = await donate('paypal', '8.20', 'USD');
    expect(checkout.url).to.match(new RegExp(`^${paypal.url}/checkoutnow\\?token=`));
    const res = await control(paypal.url, checkout.orderId, { status: 'APPROVED' });
    expect(res.body.webhook).to.deep.equal({ status: 200 });
    await waitForDonationStatus(system, id, 'paid');
    const order = [...paypal.orders.values()].find((o) => o.customId === checkout.orderId)!;
    expect(order.status).to.equal('COMPLETED');
    expect(order.amount).to.deep.equal({ currency_code: 'USD', value: '8.20' });
    await expectOneAlert(id, 820, 'USD');
  });

  it("PayPal: the donor's return captures the approved order without any webhook", async () => {
    const { id, checkout } = await donate('paypal', '5.00', 'USD');
    await control(paypal.url, checkout.orderId, { status: 'APPROVED', notify: false });
    const sentBefore = paypal.sent.length;
    const back = await fetch(`${system.gatewayUrl}/api/v1/checkout/paypal/return?donation=${id}&token=x`, {
      redirect: 'manual',
    });
    expect(back.status).to.equal(302);
    expect(back.headers.get('location')).to.match(new RegExp(`/donations/${id}$`));
    await waitForDonationStatus(system, id, 'paid');
    // The capture happened at our request: the only webhook since is the capture's own.
    expect(paypal.sent.slice(sentBefore).map((w) => JSON.parse(w.body).event_type)).to.deep.equal(
      paypal.sent.length > sentBefore ? ['PAYMENT.CAPTURE.COMPLETED'] : [],
    );
  });

  it('a notification whose transaction_status was altered after signing ends as the status API says', async () => {
    const { id, checkout } = await donate('midtrans', '25000', 'IDR');
    await control(midtrans.url, checkout.orderId, { status: 'pending', notify: false });
    const genuine = JSON.parse(
      (await control(midtrans.url, checkout.orderId, { status: 'pending' })).body.webhook
        ? midtrans.sent.at(-1)!.body
        : '{}',
    ) as Record<string, string>;
    const forged = JSON.stringify({
      ...genuine,
      transaction_status: 'settlement',
      transaction_time: '2099-01-01 00:00:00',
    });
    const res = record(
      await http(system, 'POST', '/api/v1/webhooks/midtrans', {
        raw: forged,
        headers: { 'content-type': 'application/json' },
      }),
    );
    expect(res.status).to.equal(200); // the signature holds: it does not cover transaction_status
    await waitFor(
      async () => {
        const s = await http(system, 'GET', `/api/v1/donations/${id}`);
        return (
          s.body.status === 'pending' &&
          system
            .allLogLines()
            .some(
              (l) => l.line.includes(res.body.eventId as string) && l.line.includes('payment event verified'),
            )
        );
      },
      20_000,
      'the forged event to be verified',
    );
    expect((await http(system, 'GET', `/api/v1/donations/${id}`)).body.status).to.equal('pending');
  });

  it('the sweeper resolves a payment whose webhook never arrived', async () => {
    const { id, checkout } = await donate('midtrans', '30000', 'IDR');
    const sentBefore = midtrans.sent.length;
    await control(midtrans.url, checkout.orderId, { status: 'settlement', notify: false });
    await waitForDonationStatus(system, id, 'paid', 30_000);
    expect(midtrans.sent.length).to.equal(sentBefore);
    await expectOneAlert(id, 3_000_000, 'IDR');
  });

  it('a refund by the streamer goes through the provider and takes the donation out of the totals', async () => {
    const { id, checkout } = await donate('stripe', '7.00', 'USD');
    await control(stripe.url, checkout.orderId, { status: 'paid' });
    await waitForDonationStatus(system, id, 'paid');
    const usd = async () =>
      (
        record(await http(system, 'GET', '/api/v1/me/stats', { token: streamer.accessToken })).body
          .totals as { currency: string; total: number }[]
      ).find((t) => t.currency === 'USD')?.total ?? 0;
    const before = await usd();
    const other = await registerStreamer(system, undefined, ['USD']);
    expect(
      record(await http(system, 'POST', `/api/v1/me/donations/${id}/refund`, { token: other.accessToken }))
        .status,
    ).to.equal(404);
    const res = record(
      await http(system, 'POST', `/api/v1/me/donations/${id}/refund`, { token: streamer.accessToken }),
    );
    expect(res.status, JSON.stringify(res.body)).to.equal(202);
    await waitForDonationStatus(system, id, 'refunded');
    const pi = [...stripe.sessions.values()].find(
      (s) => (s.metadata as Record<string, string>).order_id === checkout.orderId,
    )!.payment_intent as string;
    expect(stripe.intents.get(pi)).to.exist;
    // The fake sends its charge.refunded webhook after answering the refund, on its own time:
    // the donation may already read refunded (the refund call's answer) before it is recorded.
    await waitFor(
      () => Promise.resolve(stripe.sent.some((w) => JSON.parse(w.body).type === 'charge.refunded')),
      30_000,
      'the Stripe fake to send charge.refunded',
    );
    expect(await usd()).to.equal(before - 700);
    const again = record(
      await http(system, 'POST', `/api/v1/me/donations/${id}/refund`, { token: streamer.accessToken }),
    );
    expect(again.status).to.equal(409);
    expect(again.body.error.code).to.equal('CONFLICT');
  });

  it('a refund made at the provider (webhook) ends with the donation refunded', async () => {
    const { id, checkout } = await donate('paypal', '12.00', 'USD');
    await control(paypal.url, checkout.orderId, { status: 'COMPLETED' });
    await waitForDonationStatus(system, id, 'paid');
    const res = await control(paypal.url, checkout.orderId, { status: 'REFUNDED' });
    expect(res.body.webhook).to.deep.equal({ status: 200 });
    await waitForDonationStatus(system, id, 'refunded');
  });

  it('retries a checkout while the provider is down and completes it once it is back', async () => {
    const fail = await fetch(`${midtrans.url}/__fake__/fail`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ times: 2 }),
    });
    expect(await fail.json()).to.deep.equal({ failing: 2 });
    const { checkout } = await donate('midtrans', '40000', 'IDR');
    expect(checkout.extras.snapToken).to.be.a('string');
    expect(
      system.allLogLines().some((l) => l.line.includes('Midtrans the Snap transaction failed (HTTP 503')),
    ).to.equal(true);
  });

  it('rejects forged webhooks of every provider with 400/401 and no secret in the answer', async () => {
    for (const [provider, headers] of [
      ['midtrans', {}],
      ['stripe', { 'stripe-signature': `t=${Math.floor(Date.now() / 1000)},v1=${'0'.repeat(64)}` }],
      [
        'paypal',
        {
          'paypal-transmission-id': 'x',
          'paypal-transmission-sig': 'AAAA',
          'paypal-transmission-time': new Date().toISOString(),
          'paypal-cert-url': `${paypal.url}/__fake__/cert.pem`,
          'paypal-auth-algo': 'SHA256withRSA',
        },
      ],
    ] as const) {
      const res = record(
        await http(system, 'POST', `/api/v1/webhooks/${provider}`, {
          raw: JSON.stringify({
            id: 'evt_forged',
            order_id: 'x',
            status_code: '200',
            gross_amount: '1.00',
            signature_key: 'bad',
            event_type: 'PAYMENT.CAPTURE.COMPLETED',
          }),
          headers: { 'content-type': 'application/json', ...headers },
        }),
      );
      expect(res.status, provider).to.be.oneOf([400, 401]);
    }
  });

  it('shows no secret in any log line, error body or API answer of the run', async () => {
    record(await http(system, 'GET', '/api/v1/config'));
    record(await http(system, 'GET', `/api/v1/streamers/${streamer.username}`));
    const secrets = {
      ...keys,
      midtransBasic: Buffer.from(`${keys.midtransServer}:`).toString('base64'),
      paypalBasic: Buffer.from(`${keys.paypalId}:${keys.paypalSecret}`).toString('base64'),
      jwt: system.env.JWT_SECRET!,
      sandbox: system.env.SANDBOX_WEBHOOK_SECRET!,
    };
    delete (secrets as Partial<typeof secrets>).paypalWebhookId; // an id PayPal shows, not a secret
    delete (secrets as Partial<typeof secrets>).paypalId; // the public client id
    const lines = system.allLogLines();
    expect(lines.length).to.be.greaterThan(100);
    // The run did log provider traffic, errors included.
    expect(lines.some((l) => l.line.includes('payment event verified'))).to.equal(true);
    for (const [name, value] of Object.entries(secrets)) {
      const leaks = lines.filter((l) => l.line.includes(value));
      expect(
        leaks.map((l) => `${l.process}: ${l.line.slice(0, 300)}`),
        `${name} in logs`,
      ).to.deep.equal([]);
      expect(
        answers.filter((a) => a.includes(value)),
        `${name} in API answers`,
      ).to.deep.equal([]);
    }
  });
});
