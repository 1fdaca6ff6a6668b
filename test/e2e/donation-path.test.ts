/**
 * The donation path end to end on the real processes (issue 3): register → donate → sandbox
 * Pay → one alert on the overlay, with idempotency, forged webhooks, declines, refused input
 * and hostile text.
 */
import { expect } from 'chai';
import { Redis } from 'ioredis';
import { Queue } from 'bullmq';
import { uuidv7 } from 'uuidv7';
import { TestSystem, waitFor } from '../support/system.js';
import {
  createDonation,
  http,
  OverlayClient,
  paymentIdOf,
  registerStreamer,
  sandboxComplete,
  waitForDonationStatus,
  type TestStreamer,
} from '../support/clients.js';
import { query } from '../support/db.js';
import { sample } from '../support/prometheus.js';
import { loadCase, type HostileTextCases, type MoneyCases } from '../support/fixtures.js';
import { signSandboxBody } from '../../grpc/payment/providers/sandbox.provider.js';
import { QUEUES } from '../../shared/queues.js';

describe('donation path (sandbox, real processes)', function () {
  this.timeout(120_000);
  let system: TestSystem;
  let streamer: TestStreamer;
  let overlay: OverlayClient;

  before(async function () {
    // TestSystem waits up to 300 s for the processes on a loaded machine.
    this.timeout(400_000);
    system = await TestSystem.start();
    streamer = await registerStreamer(system, '10000');
    // A streamer accepts only the currencies it lists (each with its own minimum): accept USD and
    // JPY too, so the refusals below in those currencies are about the amount, not the currency.
    const accepted = await http(system, 'PATCH', '/api/v1/me/settings', {
      token: streamer.accessToken,
      body: {
        currencies: [
          { currency: 'IDR', minMinor: 1_000_000 },
          { currency: 'USD', minMinor: 100 },
          { currency: 'JPY', minMinor: 100 },
        ],
      },
    });
    if (accepted.status !== 200) throw new Error(`currencies: ${JSON.stringify(accepted.body)}`);
    overlay = new OverlayClient(system.realtimeUrl, streamer.overlayToken);
    await overlay.waitConnected();
  });

  after(async () => {
    overlay?.close();
    await system?.stop();
  });

  async function countRows(donationId: string) {
    const donations = await query<{ status: string; amount_minor: string }>(
      system.config.DONATION_DATABASE_URL,
      'select status, amount_minor from donations where id = $1',
      [donationId],
    );
    const payments = await query<{ status: string }>(
      system.config.PAYMENT_DATABASE_URL,
      'select status from payments where donation_id = $1',
      [donationId],
    );
    return { donations, payments };
  }

  async function totalRows() {
    const [d] = await query<{ n: string }>(
      system.config.DONATION_DATABASE_URL,
      'select count(*) as n from donations',
    );
    const [p] = await query<{ n: string }>(
      system.config.PAYMENT_DATABASE_URL,
      'select count(*) as n from payments',
    );
    return { donations: Number(d!.n), payments: Number(p!.n) };
  }

  it('hands each donation to its checkout without asking DonationService for the row (issue 15)', async () => {
    // DonationService queues the checkout with the row it writes; the worker trusts that job.
    const getDonationCalls = async () => {
      const text = await (await fetch(system.metricsUrl('donation-service'))).text();
      return sample(text, 'mediashar_grpc_server_handling_seconds_count', { method: 'GetDonation' }) || 0;
    };
    const before = await getDonationCalls();
    const amounts = [21_000, 22_000, 23_000, 24_000, 25_000];
    const created = await Promise.all(
      amounts.map((amount, i) =>
        createDonation(system, streamer.username, { donorName: `Direct ${i}`, amount: String(amount) }),
      ),
    );
    for (const [i, res] of created.entries()) {
      expect(res.status, JSON.stringify(res.body)).to.be.oneOf([201, 202]);
      const payment = await waitFor(
        async () =>
          (
            await query<{ amount_minor: string; currency: string; streamer_id: string }>(
              system.config.PAYMENT_DATABASE_URL,
              "select amount_minor, currency, streamer_id from payments where donation_id = $1 and checkout_state = 'ready'",
              [res.body.id],
            )
          )[0],
        20_000,
        `checkout of ${res.body.id as string}`,
      );
      // The amount and the streamer are the donation row's.
      expect(payment).to.deep.equal({
        amount_minor: String(amounts[i]! * 100),
        currency: 'IDR',
        streamer_id: streamer.id,
      });
    }
    expect(await getDonationCalls(), 'DonationService.GetDonation calls').to.equal(before);
  });

  it('delivers exactly one alert with the right name, amount, currency and message when the donor pays', async () => {
    const before = overlay.shown.length;
    const created = await createDonation(system, streamer.username, {
      donorName: 'Budi',
      amount: '50000',
      currency: 'IDR',
      message: 'semangat bang!',
    });
    expect(created.status).to.equal(201);
    expect(created.body.checkout).to.have.property('url').that.includes('/sandbox/checkout/');
    const paymentId = await paymentIdOf(system, created);
    // The sandbox checkout speaks the donor's language.
    const checkoutPage = await fetch(`${system.gatewayUrl}/sandbox/checkout/${paymentId}`, {
      headers: { 'accept-language': 'id-ID,id;q=0.9' },
    });
    const html = await checkoutPage.text();
    expect(html).to.contain('<html lang="id">');
    expect(html).to.match(/>Bayar Rp\s?50\.000</);
    const paid = await sandboxComplete(system, paymentId);
    expect(paid.status).to.equal(200);
    await overlay.waitForAlerts(before + 1);
    const alert = overlay.shown[before]!;
    expect(alert).to.include({
      donationId: created.body.id,
      donorName: 'Budi',
      amount: 5_000_000,
      currency: 'IDR',
      message: 'semangat bang!',
    });
    expect(alert.formattedAmount).to.match(/50\.000/);
    const status = await waitForDonationStatus(system, created.body.id as string, 'paid');
    expect(status.body).to.include({ amount: 5_000_000, currency: 'IDR' });
    expect(status.body.payment).to.include({ provider: 'sandbox', status: 'paid' });
    expect(status.body).to.not.have.property('streamer');
    // Whom it was for, when the status page asks (a donation not made in that browser).
    const forWhom = await http(system, 'GET', `/api/v1/donations/${created.body.id as string}?streamer=1`);
    expect(forWhom.body.streamer).to.deep.equal({
      username: streamer.username,
      displayName: `Streamer ${streamer.username}`,
    });
    // The status page's "on its way to the stream" step: when the alert went onto the stream.
    const alertedAt = await waitFor(
      async () =>
        (await http(system, 'GET', `/api/v1/donations/${created.body.id as string}`)).body.alertedAt,
      10_000,
      'alertedAt on the status',
    );
    expect(Number.isNaN(Date.parse(alertedAt as string))).to.equal(false);
    const rows = await countRows(created.body.id as string);
    expect(rows.donations).to.have.length(1);
    expect(rows.donations[0]).to.deep.include({ status: 'paid', amount_minor: '5000000' });
    expect(rows.payments).to.have.length(1);
    expect(rows.payments[0]!.status).to.equal('paid');
    // Nothing more arrives for this donation.
    expect(overlay.received.filter((a) => a.donationId === created.body.id)).to.have.length(1);
  });

  it('turns the same webhook delivered 5 times concurrently into one paid donation and one alert', async () => {
    const created = await createDonation(system, streamer.username, {
      donorName: 'Sari',
      amount: '20000',
      message: 'dup',
    });
    const paymentId = await paymentIdOf(system, created);
    const payment = await http(system, 'GET', `/api/v1/donations/${created.body.id as string}`);
    const body = JSON.stringify({
      eventId: uuidv7(),
      orderId: (payment.body.payment as { orderId: string }).orderId,
      status: 'paid',
      amountMinor: 2_000_000,
      currency: 'IDR',
      sentAt: new Date().toISOString(),
    });
    const signature = signSandboxBody(body, system.env.SANDBOX_WEBHOOK_SECRET!);
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        http(system, 'POST', '/api/v1/webhooks/sandbox', {
          raw: body,
          headers: { 'content-type': 'application/json', 'x-sandbox-signature': signature },
        }),
      ),
    );
    expect(results.map((r) => r.status)).to.deep.equal([200, 200, 200, 200, 200]);
    expect(paymentId).to.be.a('string');
    await overlay.waitUntil(
      () => overlay.shown.some((a) => a.donationId === created.body.id),
      20_000,
      'the alert',
    );
    await waitForDonationStatus(system, created.body.id as string, 'paid');
    // Let any duplicate that would come arrive: wait for a later donation's alert, which is
    // ordered after every earlier one on the stream.
    const marker = await createDonation(system, streamer.username, { donorName: 'Marker', amount: '10000' });
    await sandboxComplete(system, await paymentIdOf(system, marker));
    await overlay.waitUntil(
      () => overlay.shown.some((a) => a.donationId === marker.body.id),
      20_000,
      'the marker alert',
    );
    expect(overlay.received.filter((a) => a.donationId === created.body.id)).to.have.length(1);
    const rows = await countRows(created.body.id as string);
    expect(rows.donations.map((d) => d.status)).to.deep.equal(['paid']);
    expect(rows.payments.map((p) => p.status)).to.deep.equal(['paid']);
  });

  it('refuses a webhook with a bad signature with 401, changing nothing and queueing nothing', async () => {
    const created = await createDonation(system, streamer.username, { donorName: 'Forger', amount: '30000' });
    await paymentIdOf(system, created);
    const status = await http(system, 'GET', `/api/v1/donations/${created.body.id as string}`);
    const body = JSON.stringify({
      eventId: uuidv7(),
      orderId: (status.body.payment as { orderId: string }).orderId,
      status: 'paid',
      amountMinor: 3_000_000,
      currency: 'IDR',
      sentAt: new Date().toISOString(),
    });
    const redis = new Redis(system.config.REDIS_URL);
    const verifyQueue = new Queue(QUEUES.paymentVerify.name, {
      connection: redis,
      prefix: system.config.REDIS_PREFIX,
    });
    const countJobs = async () => Object.values(await verifyQueue.getJobCounts()).reduce((a, b) => a + b, 0);
    const jobsBefore = await countJobs();
    const eventsBefore = await query(system.config.PAYMENT_DATABASE_URL, 'select * from provider_events');
    for (const signature of [
      signSandboxBody(body, 'not-the-install-secret-but-long-enough-000'),
      '',
      'sha256=00',
    ]) {
      const res = await http(system, 'POST', '/api/v1/webhooks/sandbox', {
        raw: body,
        headers: {
          'content-type': 'application/json',
          ...(signature ? { 'x-sandbox-signature': signature } : {}),
        },
      });
      expect(res.status).to.be.oneOf([400, 401]);
      expect(res.body.error).to.have.property('code', 'INVALID_SIGNATURE');
    }
    expect(await countJobs()).to.equal(jobsBefore);
    await verifyQueue.close();
    redis.disconnect();
    expect(await query(system.config.PAYMENT_DATABASE_URL, 'select * from provider_events')).to.deep.equal(
      eventsBefore,
    );
    const rows = await countRows(created.body.id as string);
    expect(rows.payments.map((p) => p.status)).to.deep.equal(['pending']);
  });

  it('answers 400 naming the fields for a correctly signed sandbox webhook with an incomplete body', async () => {
    const body = JSON.stringify({ eventId: uuidv7(), status: 'paid' });
    const res = await http(system, 'POST', '/api/v1/webhooks/sandbox', {
      raw: body,
      headers: {
        'content-type': 'application/json',
        'x-sandbox-signature': signSandboxBody(body, system.env.SANDBOX_WEBHOOK_SECRET!),
      },
    });
    expect(res.status).to.equal(400);
    expect(res.body.error.code).to.equal('VALIDATION_FAILED');
    expect(Object.keys(res.body.error.details.fields)).to.include.members([
      'orderId',
      'amountMinor',
      'currency',
    ]);
  });

  it('shows a browser an HTML page, not JSON, for an unknown page', async () => {
    const res = await fetch(`${system.gatewayUrl}/no/such/page`, {
      headers: { accept: 'text/html,application/xhtml+xml' },
    });
    expect(res.status).to.equal(404);
    expect(res.headers.get('content-type')).to.match(/text\/html/);
    expect(await res.text()).to.include('Not found');
  });

  it('answers an unknown streamer page with the web app and status 404 (the app shows "streamer not found")', async () => {
    const res = await fetch(`${system.gatewayUrl}/no_such_streamer_zz`, {
      headers: { accept: 'text/html,application/xhtml+xml' },
    });
    expect(res.status).to.equal(404);
    expect(res.headers.get('content-type')).to.match(/text\/html/);
    expect(await res.text()).to.include('<div id="app">');
  });

  it('marks a declined donation failed and sends no alert', async () => {
    const created = await createDonation(system, streamer.username, {
      donorName: 'Decliner',
      amount: '15000',
    });
    await sandboxComplete(system, await paymentIdOf(system, created), 'decline');
    await waitForDonationStatus(system, created.body.id as string, 'failed');
    const marker = await createDonation(system, streamer.username, { donorName: 'Marker2', amount: '10000' });
    await sandboxComplete(system, await paymentIdOf(system, marker));
    await overlay.waitUntil(
      () => overlay.shown.some((a) => a.donationId === marker.body.id),
      20_000,
      'the marker alert',
    );
    expect(overlay.received.filter((a) => a.donationId === created.body.id)).to.have.length(0);
  });

  describe('refused input: 4xx naming the field, nothing written', () => {
    const money = loadCase<MoneyCases>('money.json');
    const refusals: [string, string, Record<string, unknown>, string][] = [
      ['below the minimum', 'self', { donorName: 'A', amount: '5000', currency: 'IDR' }, 'amount'],
      [
        'a message over 255 characters',
        'self',
        { donorName: 'A', amount: '50000', message: 'x'.repeat(256) },
        'message',
      ],
      ['a missing donor name', 'self', { amount: '50000' }, 'donorName'],
      ['an unknown currency', 'self', { donorName: 'A', amount: '5', currency: 'XYZ' }, 'currency'],
      [
        'a NUL character in the message',
        'self',
        { donorName: 'A', amount: '50000', message: 'a\u0000b' },
        'message',
      ],
      ['a name with nothing visible', 'self', { donorName: '\u200b\u200b', amount: '50000' }, 'donorName'],
      ['a broken surrogate in the name', 'self', { donorName: 'B\ud800', amount: '50000' }, 'donorName'],
      [
        'a tiny amount in another currency',
        'self',
        { donorName: 'A', amount: '0.01', currency: 'USD' },
        'amount',
      ],
      [
        'an amount above the largest donation',
        'self',
        { donorName: 'A', amount: '1000000000', currency: 'IDR' },
        'amount',
      ],
      [
        'an absurdly long amount',
        'self',
        { donorName: 'A', amount: '99999999999999999999', currency: 'IDR' },
        'amount',
      ],
      ...money.parse_user_input
        .filter((c) => c.error)
        .map((c): [string, string, Record<string, unknown>, string] => [
          `money case "${c.input}" ${c.currency}`,
          'self',
          { donorName: 'A', amount: c.input, currency: c.currency },
          'amount',
        ]),
    ];
    for (const [name, , body, field] of refusals) {
      it(`refuses ${name}`, async () => {
        const before = await totalRows();
        const res = await createDonation(system, streamer.username, body);
        expect(res.status).to.be.within(400, 499);
        expect(res.body.error.code).to.equal('VALIDATION_FAILED');
        expect(Object.keys(res.body.error.details.fields)).to.include(field);
        expect(await totalRows()).to.deep.equal(before);
      });
    }

    it('names the Idempotency-Key header when it is too long', async () => {
      const res = await createDonation(
        system,
        streamer.username,
        { donorName: 'A', amount: '50000' },
        { 'idempotency-key': 'k'.repeat(300) },
      );
      expect(res.status).to.equal(400);
      expect(res.body.error.details.fields).to.have.property('Idempotency-Key');
    });

    it('answers 413 with the limit for an oversized body', async () => {
      const res = await createDonation(system, streamer.username, {
        donorName: 'A',
        amount: '50000',
        message: 'x'.repeat(40_000),
      });
      expect(res.status).to.equal(413);
      expect(res.body.error.code).to.equal('PAYLOAD_TOO_LARGE');
      expect(res.body.error.message).to.match(/32kb/);
    });

    it('answers 404 for an unknown streamer', async () => {
      const before = await totalRows();
      const res = await createDonation(system, 'nobody_here_xyz', { donorName: 'A', amount: '50000' });
      expect(res.status).to.equal(404);
      expect(res.body.error.code).to.equal('NOT_FOUND');
      expect(await totalRows()).to.deep.equal(before);
    });
  });

  it('collapses the same Idempotency-Key twice into one donation, and answers 409 for another body', async () => {
    const key = `idem-${uuidv7()}`;
    const body = { donorName: 'Idem', amount: '25000', message: 'once' };
    const first = await createDonation(system, streamer.username, body, { 'idempotency-key': key });
    const second = await createDonation(system, streamer.username, body, { 'idempotency-key': key });
    expect(first.status).to.equal(201);
    expect(second.status).to.equal(201);
    expect(second.body.id).to.equal(first.body.id);
    expect((second.body.checkout as { url: string }).url).to.equal(
      (first.body.checkout as { url: string }).url,
    );
    const conflict = await createDonation(
      system,
      streamer.username,
      { ...body, amount: '26000' },
      { 'idempotency-key': key },
    );
    expect(conflict.status).to.equal(409);
    await waitForDonationStatus(system, first.body.id as string, 'pending');
    const rows = await query(
      system.config.DONATION_DATABASE_URL,
      'select id from donations where message = $1',
      ['once'],
    );
    expect(rows).to.have.length(1);
  });

  it('delivers every hostile message of the cases to the overlay as exactly the text sent', async () => {
    const cases = loadCase<HostileTextCases>('hostile-text.json').messages;
    // Bidirectional embeddings/overrides/isolates reorder text on screen (Trojan Source): refused
    // at the door like other control characters. Everything else is delivered exactly as sent.
    const bidi = /[\u202a-\u202e\u2066-\u2069]/u;
    const accepted = cases.filter((m) => m.length <= 255 && !bidi.test(m));
    const tooLong = cases.filter((m) => m.length > 255);
    const reordering = cases.filter((m) => m.length <= 255 && bidi.test(m));
    expect(reordering, 'the cases hold a bidi override').to.not.be.empty;
    const ids: string[] = [];
    for (const message of accepted) {
      const created = await createDonation(system, streamer.username, {
        donorName: message.slice(0, 64),
        amount: '10000',
        message,
      });
      expect(created.status, JSON.stringify(created.body)).to.equal(201);
      await sandboxComplete(system, await paymentIdOf(system, created));
      ids.push(created.body.id as string);
    }
    await overlay.waitUntil(
      () => ids.every((id) => overlay.shown.some((a) => a.donationId === id)),
      30_000,
      'hostile alerts',
    );
    ids.forEach((id, i) => {
      const alert = overlay.shown.find((a) => a.donationId === id)!;
      expect(alert.message).to.equal(accepted[i]);
      expect(alert.donorName).to.equal(accepted[i]!.slice(0, 64));
    });
    // Messages over the 255-character limit are refused at the door, naming the field.
    for (const message of tooLong) {
      const res = await createDonation(system, streamer.username, {
        donorName: 'Long',
        amount: '10000',
        message,
      });
      expect(res.status).to.equal(400);
      expect(res.body.error.details.fields).to.have.property('message');
    }
    const before = await totalRows();
    for (const text of reordering) {
      const asMessage = await createDonation(system, streamer.username, {
        donorName: 'Bidi',
        amount: '10000',
        message: text,
      });
      expect(asMessage.status).to.equal(400);
      expect(asMessage.body.error.details.fields).to.have.property('message');
      const asName = await createDonation(system, streamer.username, {
        donorName: text.slice(0, 64),
        amount: '10000',
      });
      expect(asName.status).to.equal(400);
      expect(asName.body.error.details.fields).to.have.property('donorName');
    }
    expect(await totalRows()).to.deep.equal(before);
  });

  it('keeps the overlay order and shows each alert once across the whole run', () => {
    const ids = overlay.shown.map((a) => a.eventId);
    expect(new Set(ids).size).to.equal(ids.length);
    expect([...ids].sort((a, b) => (a < b ? -1 : 1))).to.deep.equal(ids);
  });
});
