/**
 * Donation events for programs (issue 5): the server-streaming gRPC methods
 * (NotificationService.SubscribeDonationEvents, DonationService.StreamDonationEvents) and
 * per-streamer outgoing webhooks (HMAC-SHA256 signed, retried with backoff by the
 * outgoing-webhooks worker pool, with a delivery log), on the real processes.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { expect } from 'chai';
import type { ClientReadableStream } from '@grpc/grpc-js';
import { freePort, TestSystem, waitFor } from '../support/system.js';
import {
  createDonation,
  http,
  paymentIdOf,
  registerStreamer,
  sandboxComplete,
  waitForDonationStatus,
  type TestStreamer,
} from '../support/clients.js';
import { createClients } from '../../shared/grpc.js';
import { tlsOf } from '../support/grpc-certs.js';
import type { DonationEvent } from '../../proto/generated/mediashar/v1/DonationEvent.js';
import { verifyWebhookSignature } from '../../gateway/outgoing-webhooks/outgoing-webhook-delivery.js';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
}

describe('donation events for programs (gRPC streams, outgoing webhooks)', function () {
  this.timeout(120_000);
  let system: TestSystem;
  let streamer: TestStreamer;
  let clients: ReturnType<typeof createClients>;
  let receiver: Server;
  let receiverUrl: string;
  const received: Received[] = [];
  /** Deliveries answered 500 once already (each delivery fails its first attempt). */
  const failedOnce = new Set<string>();

  before(async function () {
    // TestSystem waits up to 300 s for the processes on a loaded machine.
    this.timeout(400_000);
    system = await TestSystem.start({
      // The receiver is on 127.0.0.1, so internal destinations are allowed here.
      env: {
        OUTGOING_WEBHOOK_BACKOFF_MS: '100',
        OUTGOING_WEBHOOK_TIMEOUT_MS: '3000',
        OUTGOING_WEBHOOK_ALLOW_INTERNAL: 'true',
      },
    });
    streamer = await registerStreamer(system, '10000');
    // A program following the event streams holds the operator's certificate.
    clients = createClients(
      {
        donation: system.env.DONATION_SERVICE_ADDR!,
        payment: system.env.PAYMENT_SERVICE_ADDR!,
        notification: system.env.NOTIFICATION_SERVICE_ADDR!,
      },
      tlsOf(system.config.GRPC_TLS_DIR, 'operator'),
    );
    const port = await freePort();
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const delivery = String(req.headers['x-mediashar-delivery']);
        const status = failedOnce.has(delivery) ? 200 : 500;
        failedOnce.add(delivery);
        received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), status });
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(port, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${port}/hooks/mediashar`;
  });

  after(async () => {
    if (clients) Object.values(clients).forEach((c) => c.close());
    receiver?.close();
    await system?.stop();
  });

  async function paidDonation(s: TestStreamer, message: string): Promise<string> {
    const created = await createDonation(system, s.username, {
      donorName: 'Rina',
      amount: '30000',
      currency: 'IDR',
      message,
    });
    expect(created.status).to.equal(201);
    await sandboxComplete(system, await paymentIdOf(system, created));
    await waitForDonationStatus(system, created.body.id as string, 'paid');
    return created.body.id as string;
  }

  /** Collects events of a server stream until `done` holds. */
  function collect(stream: ClientReadableStream<DonationEvent>, done: (e: DonationEvent[]) => boolean) {
    const events: DonationEvent[] = [];
    return {
      events,
      finished: new Promise<DonationEvent[]>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`stream gave ${events.length} events`)), 30_000);
        stream.on('data', (e: DonationEvent) => {
          events.push(e);
          if (done(events)) {
            clearTimeout(timer);
            stream.cancel();
            resolve(events);
          }
        });
        stream.on('error', (err: Error & { code?: number }) => {
          if (err.code !== 1) reject(err); // 1 = CANCELLED, our own cancel
        });
      }),
    };
  }

  it('delivers a paid donation to gRPC clients of SubscribeDonationEvents and StreamDonationEvents', async () => {
    const s = await registerStreamer(system, '10000');
    const request = { streamerId: s.id, afterEventId: '0-0' };
    const subscribed = collect(clients.notification.SubscribeDonationEvents(request), (e) => e.length >= 2);
    const streamed = collect(clients.donation.StreamDonationEvents(request), (e) => e.length >= 2);
    const first = await paidDonation(s, 'pertama');
    const second = await paidDonation(s, 'kedua');
    for (const events of [await subscribed.finished, await streamed.finished]) {
      expect(events.map((e) => e.donationId)).to.deep.equal([first, second]);
      expect(events[0]).to.deep.include({
        type: 'donation.paid',
        streamerId: s.id,
        message: 'pertama',
        // Sandbox payments are not real money: their events are marked test (out of stats,
        // goal and widgets); everything else in the event is what a real payment carries.
        test: true,
      });
      expect(events[0]!.amount).to.deep.equal({ amountMinor: 30000_00, currency: 'IDR' });
      expect(events[1]!.prevEventId).to.equal(events[0]!.eventId);
    }
  });

  it('refuses a bad streamer id on the gRPC stream with INVALID_ARGUMENT', async () => {
    const stream = clients.notification.SubscribeDonationEvents({
      streamerId: 'nope',
    });
    const err = await new Promise<Error & { code?: number }>((resolve) => stream.on('error', resolve));
    expect(err.code).to.equal(3);
    expect(err.message).to.include('streamerId');
  });

  it('POSTs a signed webhook for a paid donation, retries a failed attempt, and logs each attempt', async () => {
    const created = await http(system, 'POST', '/api/v1/me/webhooks', {
      token: streamer.accessToken,
      body: { url: receiverUrl },
    });
    expect(created.status).to.equal(201);
    const secret = created.body.secret as string;
    expect(secret).to.match(/^whsec_/);
    const donationId = await paidDonation(streamer, 'buat bot discord');
    const mine = () => received.filter((r) => r.body.includes(donationId));
    await waitFor(
      () => Promise.resolve(mine().some((r) => r.status === 200)),
      30_000,
      'a successful delivery',
    );
    const attempts = mine();
    expect(attempts.map((r) => r.status)).to.deep.equal([500, 200]);
    expect(attempts[0]!.headers['x-mediashar-delivery']).to.equal(
      attempts[1]!.headers['x-mediashar-delivery'],
    );
    for (const a of attempts) {
      expect(verifyWebhookSignature(secret, a.body, String(a.headers['x-mediashar-signature']))).to.equal(
        true,
      );
      expect(
        verifyWebhookSignature('whsec_wrong', a.body, String(a.headers['x-mediashar-signature'])),
      ).to.equal(false);
      expect(a.headers['x-mediashar-event']).to.equal('donation.paid');
    }
    const payload = JSON.parse(attempts[1]!.body) as {
      type: string;
      test: boolean;
      data: Record<string, unknown>;
    };
    expect(payload.type).to.equal('donation.paid');
    // A sandbox donation is marked test for programs too; the rest is the real-money payload.
    expect(payload.test).to.equal(true);
    expect(payload.data).to.include({
      donationId,
      amount: 30000_00,
      currency: 'IDR',
      message: 'buat bot discord',
    });

    const log = await waitFor(
      async () => {
        const res = await http(system, 'GET', `/api/v1/me/webhooks/${created.body.id as string}/deliveries`, {
          token: streamer.accessToken,
        });
        return res.body.deliveries?.length >= 2 ? res : null;
      },
      10_000,
      'the delivery log',
    );
    const rows = (
      log.body.deliveries as { attempt: number; ok: boolean; statusCode: number; eventType: string }[]
    )
      .slice()
      .reverse();
    expect(rows.map((r) => [r.attempt, r.ok, r.statusCode, r.eventType])).to.deep.equal([
      [1, false, 500, 'donation.paid'],
      [2, true, 200, 'donation.paid'],
    ]);
    // Another streamer's endpoint list and log are not reachable.
    const other = await registerStreamer(system);
    const foreign = await http(system, 'GET', `/api/v1/me/webhooks/${created.body.id as string}/deliveries`, {
      token: other.accessToken,
    });
    expect(foreign.status).to.equal(404);
  });

  it('delivers a test alert marked test to the webhook', async () => {
    const before = received.length;
    const res = await http(system, 'POST', '/api/v1/me/alerts/test', { token: streamer.accessToken });
    expect(res.status).to.equal(202);
    await waitFor(
      () => Promise.resolve(received.slice(before).some((r) => r.status === 200)),
      30_000,
      'the test alert webhook',
    );
    const ok = received.slice(before).find((r) => r.status === 200)!;
    expect(ok.headers['x-mediashar-event']).to.equal('alert.test');
    expect(JSON.parse(ok.body)).to.deep.include({ type: 'alert.test', test: true });
  });

  it('validates endpoints and removes them', async () => {
    const bad = await http(system, 'POST', '/api/v1/me/webhooks', {
      token: streamer.accessToken,
      body: { url: 'ftp://example.test/x', events: ['donation.paid'] },
    });
    expect(bad.status).to.equal(400);
    expect(JSON.stringify(bad.body.error)).to.include('url');
    const badEvent = await http(system, 'POST', '/api/v1/me/webhooks', {
      token: streamer.accessToken,
      body: { url: receiverUrl, events: ['donation.exploded'] },
    });
    expect(badEvent.status).to.equal(400);
    const list = await http(system, 'GET', '/api/v1/me/webhooks', { token: streamer.accessToken });
    expect(list.status).to.equal(200);
    expect(list.body.endpoints).to.have.length(1);
    expect(list.body.endpoints[0]).to.not.have.property('secret');
    const removed = await http(
      system,
      'DELETE',
      `/api/v1/me/webhooks/${list.body.endpoints[0].id as string}`,
      {
        token: streamer.accessToken,
      },
    );
    expect(removed.status).to.equal(204);
    const after = await http(system, 'GET', '/api/v1/me/webhooks', { token: streamer.accessToken });
    expect(after.body.endpoints).to.deep.equal([]);
  });
});
