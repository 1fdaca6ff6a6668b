/**
 * Issue 10, gateway side: each hole replayed against the running system (or the real entry
 * file) and seen refused. One row per hole; other helpers keep the rows of their holes in their
 * own files.
 *
 * Client addresses: the system trusts 127.0.0.2 as a reverse proxy (TRUSTED_PROXIES), so a
 * request sent from 127.0.0.2 with X-Forwarded-For is that client; a request from 127.0.0.1
 * (not a trusted proxy) is 127.0.0.1 whatever X-Forwarded-For it sends.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { expect } from 'chai';
import { uuidv7 } from 'uuidv7';
import { ConfigError, enabledProviders, loadConfig } from '../../shared/config.js';
import { signAccessToken } from '../../shared/access-token.js';
import { ADMIN_COOKIE } from '../../gateway/admin/bull-board.js';
import { DEVICE_COOKIE } from '../../gateway/accounts/login-throttle.js';
import { QUEUES } from '../../shared/queues.js';
import { PROCESSES, ROOT, TestSystem } from '../support/system.js';
import {
  http,
  OverlayClient,
  paymentIdOf,
  registerStreamer,
  sandboxComplete,
  waitForDonationStatus,
  type JsonResponse,
  type TestStreamer,
} from '../support/clients.js';
import { query } from '../support/db.js';
import { sample } from '../support/prometheus.js';
import { startStripeFake, stripeSignatureHeader, type StripeFake } from '../fakes/stripe.fake.js';

const PROXY = '127.0.0.2';
const LIMITS = {
  RATE_LIMIT_DONATIONS_PER_IP: 3,
  RATE_LIMIT_DONATIONS_PER_STREAMER: 4,
  // 127.0.0.1 registers the streamers of the rows (five); the registration row uses its own address.
  RATE_LIMIT_REGISTRATIONS_PER_IP: 6,
  RATE_LIMIT_LOGINS_PER_IP: 8,
  RATE_LIMIT_LOGIN_FAILURES_PER_ACCOUNT: 3,
};

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/**
 * One request to the gateway from a chosen local address (127.0.0.1: an untrusted peer;
 * 127.0.0.2: the trusted proxy), with any headers.
 */
function send(
  system: TestSystem,
  from: string,
  method: string,
  path: string,
  options: { json?: unknown; form?: string; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  let payload: string | undefined;
  if (options.json !== undefined) {
    payload = JSON.stringify(options.json);
    headers['content-type'] = 'application/json';
  } else if (options.form !== undefined) {
    payload = options.form;
    headers['content-type'] = 'application/x-www-form-urlencoded';
  }
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port: system.config.GATEWAY_PORT,
        localAddress: from,
        method,
        path,
        headers,
        timeout: 15_000,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => {
          let body: unknown = text;
          try {
            body = text ? JSON.parse(text) : {};
          } catch {
            /* not JSON */
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** A request forwarded by the trusted proxy for client `ip`. */
const viaProxy = (
  system: TestSystem,
  ip: string,
  method: string,
  path: string,
  options: { json?: unknown; headers?: Record<string, string> } = {},
) =>
  send(system, PROXY, method, path, {
    ...options,
    headers: { 'x-forwarded-for': ip, ...options.headers },
  });

/** A unique address in TEST-NET-3 for one client of a row. */
let nextClient = 1;
const newClient = () => `203.0.113.${nextClient++}`;

const donation = (extra: Record<string, unknown> = {}) => ({ donorName: 'Row', amount: '20000', ...extra });

function cookieOf(answer: Answer, name: string): string | undefined {
  const set = answer.headers['set-cookie'];
  for (const c of Array.isArray(set) ? set : set ? [set] : []) {
    const [pair] = c.split(';');
    const [k, v] = pair!.split('=');
    if (k === name) return v;
  }
  return undefined;
}

describe('security: issue 10 holes, gateway side (real processes)', function () {
  this.timeout(700_000);
  let system: TestSystem;
  let stripe: StripeFake;
  const stripeKeys = {
    secretKey: `sk_test_${randomBytes(12).toString('hex')}`,
    webhookSecret: `whsec_${randomBytes(16).toString('hex')}`,
  };
  let streamer: TestStreamer;

  before(async () => {
    stripe = await startStripeFake(stripeKeys);
    system = await TestSystem.start({
      env: {
        TRUSTED_PROXIES: PROXY,
        ...Object.fromEntries(Object.entries(LIMITS).map(([k, v]) => [k, String(v)])),
        STRIPE_SECRET_KEY: stripeKeys.secretKey,
        STRIPE_WEBHOOK_SECRET: stripeKeys.webhookSecret,
        STRIPE_API_URL: stripe.url,
      },
    });
    streamer = await registerStreamer(system);
  });

  after(async () => {
    await system?.stop();
    await stripe?.close();
  });

  describe('the sandbox is for development', () => {
    it('is off unless SANDBOX_ENABLED is set, and refused with NODE_ENV=production, naming the variable', () => {
      const secrets = { JWT_SECRET: 'x'.repeat(32), SANDBOX_WEBHOOK_SECRET: 'y'.repeat(32) };
      expect(enabledProviders(loadConfig(secrets))).to.not.include('sandbox');
      expect(enabledProviders(loadConfig({ ...secrets, NODE_ENV: 'production' }))).to.deep.equal([]);
      for (const value of ['true', '1']) {
        try {
          loadConfig({ ...secrets, NODE_ENV: 'production', SANDBOX_ENABLED: value });
          expect.fail('should refuse');
        } catch (err) {
          expect(err).to.be.instanceOf(ConfigError);
          expect((err as ConfigError).problems.map((p) => p.variable)).to.deep.equal(['SANDBOX_ENABLED']);
        }
      }
    });

    it('stops a real process from starting with NODE_ENV=production and SANDBOX_ENABLED=true', async () => {
      const child = spawn(process.execPath, ['--import', 'tsx', ...PROCESSES.gateway], {
        cwd: ROOT,
        env: { ...process.env, ...system.env, NODE_ENV: 'production', SANDBOX_ENABLED: 'true' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let text = '';
      child.stdout.on('data', (c: Buffer) => (text += c.toString('utf8')));
      child.stderr.on('data', (c: Buffer) => (text += c.toString('utf8')));
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      expect(code).to.equal(1);
      expect(text).to.include('SANDBOX_ENABLED');
      expect(text).to.not.include('gateway listening');
    });

    it("refuses to pay another provider's payment on the sandbox checkout page", async () => {
      const created = await viaProxy(
        system,
        newClient(),
        'POST',
        `/api/v1/streamers/${streamer.username}/donations`,
        {
          json: donation({ provider: 'stripe' }),
        },
      );
      expect(created.status, JSON.stringify(created.body)).to.be.oneOf([201, 202]);
      const donationId = created.body.id as string;
      const [payment] = await query<{ id: string; provider: string }>(
        system.config.PAYMENT_DATABASE_URL,
        'select id, provider from payments where donation_id = $1',
        [donationId],
      );
      expect(payment?.provider).to.equal('stripe');
      const page = await http(system, 'GET', `/sandbox/checkout/${payment!.id}`);
      expect(page.status).to.equal(404);
      const pay = await sandboxComplete(system, payment!.id);
      expect(pay.status).to.equal(404);
      const [row] = await query<{ status: string }>(
        system.config.PAYMENT_DATABASE_URL,
        'select status from payments where id = $1',
        [payment!.id],
      );
      expect(row?.status).to.equal('pending');
    });

    it('keeps sandbox donations as test donations: marked test on the overlay, out of stats, goal and widgets', async () => {
      const own = await registerStreamer(system);
      const overlay = new OverlayClient(system.realtimeUrl, own.overlayToken);
      try {
        await overlay.waitConnected();
        const created = await viaProxy(
          system,
          newClient(),
          'POST',
          `/api/v1/streamers/${own.username}/donations`,
          {
            json: donation({ donorName: 'Sandy', amount: '50000' }),
          },
        );
        expect(created.status).to.be.oneOf([201, 202]);
        const id = created.body.id as string;
        await sandboxComplete(
          system,
          await paymentIdOf(system, {
            status: 201,
            headers: new Headers(),
            body: created.body,
          } as JsonResponse),
        );
        await waitForDonationStatus(system, id, 'paid');
        await overlay.waitUntil(() => overlay.shown.some((a) => a.donationId === id), 20_000, 'the alert');
        expect(overlay.shown.find((a) => a.donationId === id)?.test).to.equal(true);
        const stats = await http(system, 'GET', '/api/v1/me/stats', { token: own.accessToken });
        expect(stats.status).to.equal(200);
        expect(stats.body.count ?? 0).to.equal(0);
        expect(JSON.stringify(stats.body)).to.not.include('Sandy');
        const widgets = await http(system, 'GET', '/api/v1/overlay/widgets', {
          headers: { 'x-overlay-token': own.overlayToken },
        });
        expect(widgets.status).to.equal(200);
        expect(widgets.body.goal.raised).to.equal(0);
        expect(widgets.body.latest).to.deep.equal([]);
        expect(widgets.body.top).to.deep.equal([]);
      } finally {
        overlay.close();
      }
    });
  });

  describe('operator tools need an admin, never a loopback address', () => {
    it('refuses Bull Board to a loopback client without an admin (401) and to a streamer (403)', async () => {
      for (const path of ['/admin/queues', '/admin/queues/api/queues']) {
        expect((await send(system, '127.0.0.1', 'GET', path)).status, path).to.equal(401);
        const asStreamer = await send(system, '127.0.0.1', 'GET', path, {
          headers: { authorization: `Bearer ${streamer.accessToken}` },
        });
        expect(asStreamer.status, path).to.equal(403);
      }
    });

    it("refuses a cross-site form POST carrying an admin's cookie (403), and adds no job", async () => {
      const admin = await signAccessToken(system.config, { sub: uuidv7(), role: 'admin' });
      const queue = QUEUES.donationStatus.name;
      const before = await http(system, 'GET', '/admin/queues/api/queues', { token: admin });
      expect(before.status).to.equal(200);
      const count = (body: typeof before.body) =>
        JSON.stringify(
          (body.queues as { name: string; counts: unknown }[]).find((q) => q.name === queue)?.counts,
        );
      const forged = await send(system, '127.0.0.1', 'POST', `/admin/queues/api/queues/${queue}/add`, {
        form: 'name=markPaid&data=%7B%7D',
        headers: { cookie: `${ADMIN_COOKIE}=${admin}`, origin: 'https://evil.example' },
      });
      expect(forged.status).to.equal(403);
      const noToken = await send(system, '127.0.0.1', 'POST', `/admin/queues/api/queues/${queue}/add`, {
        json: { name: 'markPaid', data: {} },
        headers: { cookie: `${ADMIN_COOKIE}=${admin}` },
      });
      expect(noToken.status).to.equal(403);
      const after = await http(system, 'GET', '/admin/queues/api/queues', { token: admin });
      expect(count(after.body)).to.equal(count(before.body));
    });

    it('refuses /metrics to a loopback client without the scraper token or an admin', async () => {
      expect((await send(system, '127.0.0.1', 'GET', '/metrics')).status).to.equal(401);
      const scraped = await send(system, '127.0.0.1', 'GET', '/metrics', {
        headers: { authorization: `Bearer ${system.env.METRICS_TOKEN}` },
      });
      expect(scraped.status).to.equal(200);
    });
  });

  describe('rate limits (429 with Retry-After)', () => {
    it('limits donations per client address; a spoofed X-Forwarded-For from an untrusted peer does not escape', async () => {
      const target = await registerStreamer(system);
      const path = `/api/v1/streamers/${target.username}/donations`;
      for (let i = 0; i < LIMITS.RATE_LIMIT_DONATIONS_PER_IP; i++) {
        const ok = await send(system, '127.0.0.1', 'POST', path, {
          json: donation(),
          headers: { 'x-forwarded-for': newClient() },
        });
        expect(ok.status, JSON.stringify(ok.body)).to.be.oneOf([201, 202]);
      }
      const refused = await send(system, '127.0.0.1', 'POST', path, {
        json: donation(),
        headers: { 'x-forwarded-for': newClient() },
      });
      expect(refused.status).to.equal(429);
      expect(Number(refused.headers['retry-after'])).to.be.within(1, 60);
      expect(refused.body.error.code).to.equal('RATE_LIMITED');
      expect(refused.body.error.message).to.match(/too many donations/i);
      // The same header from the trusted proxy is believed: another client, not limited.
      const proxied = await viaProxy(system, newClient(), 'POST', path, { json: donation() });
      expect(proxied.status).to.be.oneOf([201, 202]);
    });

    it('limits donations per streamer across client addresses', async () => {
      const target = await registerStreamer(system);
      const path = `/api/v1/streamers/${target.username}/donations`;
      for (let i = 0; i < LIMITS.RATE_LIMIT_DONATIONS_PER_STREAMER; i++) {
        const ok = await viaProxy(system, newClient(), 'POST', path, { json: donation() });
        expect(ok.status, JSON.stringify(ok.body)).to.be.oneOf([201, 202]);
      }
      const refused = await viaProxy(system, newClient(), 'POST', path, { json: donation() });
      expect(refused.status).to.equal(429);
      expect(refused.headers['retry-after']).to.match(/^\d+$/);
      expect(refused.body.error.message).to.match(/streamer/i);
    });

    it('limits registrations per client address', async () => {
      const client = newClient();
      const register = () =>
        viaProxy(system, client, 'POST', '/api/v1/auth/register', {
          json: {
            email: `r_${randomBytes(4).toString('hex')}@x.test`,
            password: 'long enough pw',
            role: 'donor',
          },
        });
      for (let i = 0; i < LIMITS.RATE_LIMIT_REGISTRATIONS_PER_IP; i++)
        expect((await register()).status).to.equal(202);
      const refused = await register();
      expect(refused.status).to.equal(429);
      expect(Number(refused.headers['retry-after'])).to.be.greaterThan(0);
    });

    it('answers registration the same for a taken and a free email', async () => {
      const client = newClient();
      const taken = await viaProxy(system, client, 'POST', '/api/v1/auth/register', {
        json: { email: `${streamer.username}@example.test`, password: 'another long pw', role: 'donor' },
      });
      const free = await viaProxy(system, client, 'POST', '/api/v1/auth/register', {
        json: {
          email: `free_${randomBytes(4).toString('hex')}@x.test`,
          password: 'another long pw',
          role: 'donor',
        },
      });
      expect(taken.status).to.equal(202);
      expect(free.status).to.equal(202);
      expect(taken.body).to.deep.equal(free.body);
      expect(cookieOf(taken, 'ms_refresh')).to.equal(cookieOf(free, 'ms_refresh'));
    });

    it('limits log-in attempts per client address (password spraying across emails)', async () => {
      const client = newClient();
      const attempt = () =>
        viaProxy(system, client, 'POST', '/api/v1/auth/login', {
          json: { email: `spray_${randomBytes(4).toString('hex')}@x.test`, password: 'Summer2026!' },
        });
      for (let i = 0; i < LIMITS.RATE_LIMIT_LOGINS_PER_IP; i++)
        expect((await attempt()).status).to.equal(401);
      const refused = await attempt();
      expect(refused.status).to.equal(429);
      expect(refused.headers['retry-after']).to.match(/^\d+$/);
    });

    it("locks an account against guessers from any address, but not against the owner's known device", async () => {
      const victim = await registerStreamer(system);
      const email = `${victim.username}@example.test`;
      const owner = await viaProxy(system, newClient(), 'POST', '/api/v1/auth/login', {
        json: { email, password: 'correct horse battery' },
      });
      expect(owner.status).to.equal(200);
      const device = cookieOf(owner, DEVICE_COOKIE);
      expect(device).to.match(/^[A-Za-z0-9_-]{22}$/);
      for (let i = 0; i < LIMITS.RATE_LIMIT_LOGIN_FAILURES_PER_ACCOUNT; i++) {
        const guess = await viaProxy(system, newClient(), 'POST', '/api/v1/auth/login', {
          json: { email, password: `guess ${i}` },
        });
        expect(guess.status).to.equal(401);
      }
      // Locked for every device it never signed in from, even with the right password.
      const stranger = await viaProxy(system, newClient(), 'POST', '/api/v1/auth/login', {
        json: { email, password: 'correct horse battery' },
      });
      expect(stranger.status).to.equal(429);
      expect(stranger.body.error.message).to.match(/device you used before/);
      // Its known device still gets in.
      const back = await viaProxy(system, newClient(), 'POST', '/api/v1/auth/login', {
        json: { email, password: 'correct horse battery' },
        headers: { cookie: `${DEVICE_COOKIE}=${device}` },
      });
      expect(back.status, JSON.stringify(back.body)).to.equal(200);
      expect(back.body.accessToken).to.be.a('string');
      // A forged device id is a stranger.
      const forged = await viaProxy(system, newClient(), 'POST', '/api/v1/auth/login', {
        json: { email, password: 'correct horse battery' },
        headers: { cookie: `${DEVICE_COOKIE}=${randomBytes(16).toString('base64url')}` },
      });
      expect(forged.status).to.equal(429);
    });

    it('asks the provider at most once per donation when the checkout return URL is hit repeatedly', async () => {
      const created = await viaProxy(
        system,
        newClient(),
        'POST',
        `/api/v1/streamers/${streamer.username}/donations`,
        {
          json: donation(),
        },
      );
      const id = created.body.id as string;
      await paymentIdOf(system, { status: 201, headers: new Headers(), body: created.body } as JsonResponse); // checkout ready
      const confirmations = async () => {
        const text = await (await fetch(system.metricsUrl('payment-service'))).text();
        const n = sample(text, 'mediashar_grpc_server_handling_seconds_count', { method: 'ConfirmCheckout' });
        return Number.isNaN(n) ? 0 : n;
      };
      const before = await confirmations();
      for (let i = 0; i < 5; i++) {
        const hit = await send(system, '127.0.0.1', 'GET', `/api/v1/checkout/sandbox/return?donation=${id}`);
        expect(hit.status).to.equal(302);
        expect(hit.headers.location).to.include(`/donations/${id}`);
      }
      expect((await confirmations()) - before).to.equal(1);
    });
  });

  describe('webhook signatures', () => {
    const event = () =>
      JSON.stringify({
        id: `evt_${randomBytes(8).toString('hex')}`,
        object: 'event',
        type: 'customer.created',
        data: { object: { id: 'cus_x', object: 'customer' } },
      });
    const post = (body: string, t: number) =>
      http(system, 'POST', '/api/v1/webhooks/stripe', {
        raw: body,
        headers: {
          'content-type': 'application/json',
          'stripe-signature': stripeSignatureHeader(body, stripeKeys.webhookSecret, t),
        },
      });

    it('refuses a Stripe signature dated 400 s in the future or the past, and takes one dated now', async () => {
      const now = Math.floor(Date.now() / 1000);
      const future = await post(event(), now + 400);
      expect(future.status).to.be.oneOf([400, 401]);
      const past = await post(event(), now - 400);
      expect(past.status).to.be.oneOf([400, 401]);
      const fresh = await post(event(), now);
      expect(fresh.status, JSON.stringify(fresh.body)).to.be.within(200, 299);
    });
  });
});
