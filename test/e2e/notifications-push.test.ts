/**
 * Browser push (issue 16) through a local push-service stand-in: the request is a valid Web Push
 * message (RFC 8291 aes128gcm content, decrypted here with the subscription's own keys through
 * http_ece; RFC 8292 VAPID authorization, its ES256 JWT verified with the install's public key),
 * and a 410 Gone from the push service removes the subscription.
 */
import { createECDH, createPublicKey, randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { expect } from 'chai';
import { jwtVerify } from 'jose';
import webpush from 'web-push';
import { freePort, TestSystem, waitFor } from '../support/system.js';
import {
  createDonation,
  http,
  paymentIdOf,
  registerStreamer,
  sandboxComplete,
  type TestStreamer,
} from '../support/clients.js';
import { NOTIFICATION_PROCESSES } from '../support/notifications.js';
import { formatMoney } from '../../shared/money.js';

const ece = createRequire(import.meta.url)('http_ece') as {
  decrypt(
    buffer: Buffer,
    params: { version: 'aes128gcm'; privateKey: ReturnType<typeof createECDH>; authSecret: Buffer },
  ): Buffer;
};

interface PushRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  status: number;
}

describe('notifications: browser push', function () {
  this.timeout(180_000);
  let system: TestSystem;
  let streamer: TestStreamer;
  let service: Server;
  let serviceUrl: string;
  const vapid = webpush.generateVAPIDKeys();
  const received: PushRequest[] = [];
  /** Subscriptions the stand-in has forgotten (it answers 410 Gone for them). */
  const gone = new Set<string>();
  const keys = createECDH('prime256v1');
  keys.generateKeys();
  const authSecret = randomBytes(16);

  before(async function () {
    this.timeout(400_000);
    const port = await freePort();
    service = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const status = gone.has(req.url ?? '') ? 410 : 201;
        received.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks), status });
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => service.listen(port, '127.0.0.1', resolve));
    serviceUrl = `http://127.0.0.1:${port}`;
    system = await TestSystem.start({
      processes: NOTIFICATION_PROCESSES,
      env: {
        VAPID_PUBLIC_KEY: vapid.publicKey,
        VAPID_PRIVATE_KEY: vapid.privateKey,
        VAPID_SUBJECT: 'mailto:ops@mediashar.test',
        OUTGOING_WEBHOOK_ALLOW_INTERNAL: 'true',
        NOTIFICATION_BACKOFF_MS: '100',
      },
    });
    streamer = await registerStreamer(system, '10000');
  });

  after(async () => {
    await system?.stop();
    service?.close();
  });

  async function pay(message: string, amount = '30000'): Promise<string> {
    const created = await createDonation(system, streamer.username, {
      donorName: 'Sinta',
      amount,
      currency: 'IDR',
      message,
    });
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    await sandboxComplete(system, await paymentIdOf(system, created));
    return created.body.id as string;
  }

  it('pushes a paid donation above the threshold as an encrypted, VAPID-signed Web Push message', async () => {
    const settings = await http(system, 'GET', '/api/v1/me/notifications', { token: streamer.accessToken });
    expect(settings.body.available.push).to.equal(true);
    expect(settings.body.vapidPublicKey).to.equal(vapid.publicKey);
    const sub = await http(system, 'POST', '/api/v1/me/notifications/push-subscriptions', {
      token: streamer.accessToken,
      body: {
        endpoint: `${serviceUrl}/push/device-1`,
        keys: { p256dh: keys.getPublicKey().toString('base64url'), auth: authSecret.toString('base64url') },
      },
    });
    expect(sub.status, JSON.stringify(sub.body)).to.equal(201);
    const on = await http(system, 'PATCH', '/api/v1/me/notifications', {
      token: streamer.accessToken,
      body: { language: 'en', push: { enabled: true, minMinor: 20_000_00 } },
    });
    expect(on.status).to.equal(200);
    await pay('too small', '15000');
    const donationId = await pay('semangat!');
    await waitFor(() => Promise.resolve(received.length >= 1), 30_000, 'a push request');
    const attempts = await waitFor(
      async () => {
        const res = await http(system, 'GET', '/api/v1/me/notifications/attempts', {
          token: streamer.accessToken,
        });
        const list = res.body.attempts as { eventKey: string; ok: boolean }[];
        return list.some((a) => a.eventKey === `paid-${donationId}` && a.ok) ? list : null;
      },
      20_000,
      'the attempt log',
    );
    expect(received, 'one push: the small donation stays under the threshold').to.have.length(1);
    expect(attempts.filter((a) => a.eventKey.startsWith('paid-')).length).to.equal(1);
    const push = received[0]!;
    expect(push.path).to.equal('/push/device-1');
    expect(push.headers['content-encoding']).to.equal('aes128gcm');
    expect(Number(push.headers.ttl)).to.be.greaterThan(0);
    // RFC 8292: Authorization: vapid t=<JWT>, k=<public key>.
    const auth = /^vapid t=([^,]+), k=(.+)$/.exec(String(push.headers.authorization));
    expect(auth, String(push.headers.authorization)).to.not.equal(null);
    expect(auth![2]).to.equal(vapid.publicKey);
    const raw = Buffer.from(vapid.publicKey, 'base64url');
    const publicKey = createPublicKey({
      key: {
        kty: 'EC',
        crv: 'P-256',
        x: raw.subarray(1, 33).toString('base64url'),
        y: raw.subarray(33).toString('base64url'),
      },
      format: 'jwk',
    });
    const { payload } = await jwtVerify(auth![1]!, publicKey, {
      algorithms: ['ES256'],
      audience: serviceUrl,
    });
    expect(payload.sub).to.equal('mailto:ops@mediashar.test');
    // RFC 8291: only the subscription's private key and auth secret open the message.
    const clear = ece.decrypt(push.body, { version: 'aes128gcm', privateKey: keys, authSecret });
    const message = JSON.parse(clear.toString('utf8')) as { title: string; body: string; url: string };
    expect(message.title).to.equal(`[TEST] Sinta donated ${formatMoney(30_000_00, 'IDR', 'en-US')}`);
    expect(message.body).to.equal('semangat!');
    expect(message.url).to.equal(`${system.gatewayUrl}/dashboard`);
    const other = createECDH('prime256v1');
    other.generateKeys();
    expect(() => ece.decrypt(push.body, { version: 'aes128gcm', privateKey: other, authSecret })).to.throw();
  });

  it('removes a subscription the push service answers 410 Gone for', async () => {
    gone.add('/push/device-1');
    const before = received.length;
    await pay('to a gone browser');
    await waitFor(
      async () => {
        const res = await http(system, 'GET', '/api/v1/me/notifications', { token: streamer.accessToken });
        return (res.body.pushSubscriptions as unknown[]).length === 0;
      },
      30_000,
      'the subscription to be removed',
    );
    expect(received.slice(before).map((r) => r.status)).to.deep.equal([410]);
    const res = await http(system, 'GET', '/api/v1/me/notifications/attempts', {
      token: streamer.accessToken,
    });
    expect((res.body.attempts as { statusCode: number; ok: boolean }[])[0]).to.include({
      statusCode: 410,
      ok: false,
    });
  });

  it('refuses a subscription without keys, naming the field', async () => {
    const res = await http(system, 'POST', '/api/v1/me/notifications/push-subscriptions', {
      token: streamer.accessToken,
      body: { endpoint: `${serviceUrl}/push/x`, keys: { p256dh: 'short' } },
    });
    expect(res.status).to.equal(400);
    expect(Object.keys(res.body.error.details.fields as object)).to.include.members([
      'keys.p256dh',
      'keys.auth',
    ]);
  });

  it('serves the service worker', async () => {
    const res = await fetch(`${system.gatewayUrl}/notify-sw.js`);
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/javascript/);
    expect(await res.text()).to.include("addEventListener('push'");
  });
});
