import { Agent as HttpAgent, createServer, type Server } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import {
  NOT_PUBLIC_MESSAGE,
  NotPublicAddressError,
  isInternalAddress,
  isPublicAddress,
  publicOnlyAgents,
  type Resolver,
} from '../../gateway/outgoing-webhooks/webhook-destination.js';
import { deliverWebhook, postWebhook } from '../../gateway/outgoing-webhooks/outgoing-webhook-delivery.js';
import type { OutgoingWebhookStore } from '../../gateway/outgoing-webhooks/outgoing-webhooks.store.js';
import type { OutgoingWebhookJob } from '../../shared/queues.js';
import { createLogger } from '../../shared/logger.js';
import { ConfigError, loadConfig } from '../../shared/config.js';

/** A resolver answering `answers` in turn (the last one from then on), counting its calls. */
function stubResolver(...answers: string[]): Resolver & { calls: number } {
  const stub = ((_host, _options, callback) => {
    const address = answers[Math.min(stub.calls++, answers.length - 1)]!;
    callback(null, [{ address, family: address.includes(':') ? 6 : 4 }]);
  }) as Resolver & { calls: number };
  stub.calls = 0;
  return stub;
}

const errorOf = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e as Error,
  );

describe('outgoing webhook destinations (SSRF guard)', () => {
  it('refuses OUTGOING_WEBHOOK_ALLOW_INTERNAL=true at start-up in production, naming it', () => {
    const env = {
      JWT_SECRET: 'j'.repeat(64),
      SANDBOX_WEBHOOK_SECRET: 's'.repeat(64),
      OUTGOING_WEBHOOK_ALLOW_INTERNAL: 'true',
    };
    const err = (() => {
      try {
        loadConfig({ ...env, NODE_ENV: 'production' });
        return null;
      } catch (e) {
        return e as ConfigError;
      }
    })();
    expect(err).to.be.instanceOf(ConfigError);
    expect(err!.problems.map((p) => p.variable)).to.include('OUTGOING_WEBHOOK_ALLOW_INTERNAL');
    // Development may still point webhooks at a local receiver.
    expect(loadConfig({ ...env, NODE_ENV: 'development' }).OUTGOING_WEBHOOK_ALLOW_INTERNAL).to.equal(true);
  });

  let server: Server;
  let port: number;
  const received: string[] = [];

  before(async () => {
    server = createServer((req, res) => {
      received.push(req.url ?? '');
      if (req.url === '/redirect') res.writeHead(302, { location: '/landed' }).end();
      else res.writeHead(200).end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  after(() => server.close());
  beforeEach(() => (received.length = 0));

  it('refuses every non-public range, NAT64, 6to4, ::/96, fec0::/10 and IPv4-mapped forms included', () => {
    for (const a of [
      '127.0.0.1',
      '10.1.2.3',
      '172.20.0.5',
      '192.168.1.10',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '192.0.2.1',
      '198.18.0.1',
      '224.0.0.1',
      '255.255.255.255',
      '::',
      '::1',
      'fd00::1',
      'fe80::1',
      'ff02::1',
      '64:ff9b::7f00:1', // NAT64 of 127.0.0.1
      '64:ff9b::808:808', // NAT64 of a public address: still not a direct public host
      '2002:7f00:1::1', // 6to4
      '2001::1', // Teredo
      '::7f00:1', // IPv4-compatible ::/96
      '::8.8.8.8',
      'fec0::1', // site-local
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      '::ffff:8.8.8.8',
      '2001:db8::1',
      'not-an-ip',
      '',
    ])
      expect(isInternalAddress(a), a).to.equal(true);
  });

  it('lets public unicast addresses through', () => {
    for (const a of ['8.8.8.8', '1.1.1.1', '172.32.0.1', '93.184.216.34', '2606:4700:4700::1111'])
      expect(isPublicAddress(a), a).to.equal(true);
  });

  it('refuses at connect time a name that answers public first and loopback afterwards (rebinding)', async () => {
    const resolve = stubResolver('93.184.216.34', '127.0.0.1');
    // A check made before connecting would have seen a public address …
    const first = await new Promise<string>((ok) =>
      resolve('hook.example', { all: true }, (_e, a) => ok(a[0]!.address)),
    );
    expect(isPublicAddress(first)).to.equal(true);
    // … but the socket's own lookup gets loopback, and that is refused before any byte is sent.
    const err = await errorOf(
      postWebhook(`http://hook.example:${port}/x`, {}, '{}', {
        agents: publicOnlyAgents(resolve),
        timeoutMs: 2000,
        checkLiteral: true,
      }),
    );
    expect(err).to.be.instanceOf(NotPublicAddressError);
    expect(resolve.calls).to.equal(2);
    expect(received).to.deep.equal([]);
  });

  it('refuses NAT64 and IPv4-mapped answers and non-public literals', async () => {
    for (const answer of ['64:ff9b::7f00:1', '::ffff:127.0.0.1', '2002:7f00:1::1']) {
      const err = await errorOf(
        postWebhook(`http://hook.example:${port}/x`, {}, '{}', {
          agents: publicOnlyAgents(stubResolver(answer)),
          timeoutMs: 2000,
          checkLiteral: true,
        }),
      );
      expect(err, answer).to.be.instanceOf(NotPublicAddressError);
    }
    for (const url of [
      `http://127.0.0.1:${port}/x`,
      'http://[64:ff9b::7f00:1]/x',
      'https://[::ffff:7f00:1]/x',
    ]) {
      const err = await errorOf(
        postWebhook(url, {}, '{}', { agents: publicOnlyAgents(), timeoutMs: 2000, checkLiteral: true }),
      );
      expect(err, url).to.be.instanceOf(NotPublicAddressError);
    }
    expect(received).to.deep.equal([]);
  });

  it('reaches the same server when internal addresses are allowed, and never follows a redirect', async () => {
    // Control: the refused requests above would have reached this server.
    const open = {
      agents: { http: new HttpAgent(), https: new HttpsAgent() },
      timeoutMs: 2000,
      checkLiteral: false,
    };
    expect(await postWebhook(`http://127.0.0.1:${port}/x`, {}, '{}', open)).to.equal(200);
    expect(await postWebhook(`http://127.0.0.1:${port}/redirect`, {}, '{}', open)).to.equal(302);
    expect(received).to.deep.equal(['/x', '/redirect']);
  });

  it('logs "refused: not a public address" without the resolved address', async () => {
    const logged: { ok: boolean; error: string }[] = [];
    const store = {
      endpointWithSecret: () =>
        Promise.resolve({ id: 'e1', url: `http://rebind.example:${port}/h`, secret: 's' }),
      logAttempt: (a: { ok: boolean; error: string }) => {
        logged.push(a);
        return Promise.resolve();
      },
    } as unknown as OutgoingWebhookStore;
    const job = {
      endpointId: 'e1',
      streamerId: 's1',
      eventKey: 'k1',
      event: {
        type: 'donation.paid',
        donationId: 'd1',
        streamerId: 's1',
        donorName: 'Rina',
        amountMinor: 5_000_000,
        currency: 'IDR',
        message: '',
        mediaShare: null,
        createdAt: new Date().toISOString(),
        paidAt: new Date().toISOString(),
        test: false,
        requestId: 'r1',
      },
    } as OutgoingWebhookJob;
    const err = await errorOf(
      deliverWebhook(
        {
          store,
          timeoutMs: 2000,
          allowInternal: false,
          log: createLogger('test', 'silent'),
          agents: publicOnlyAgents(stubResolver('127.0.0.1')),
        },
        'dlv-1',
        job,
        1,
      ),
    );
    expect(err).to.be.instanceOf(Error);
    expect(logged).to.have.length(1);
    expect(logged[0]).to.include({ ok: false, error: NOT_PUBLIC_MESSAGE });
    expect(JSON.stringify(logged)).not.to.include('127.0.0.1');
    expect(received).to.deep.equal([]);
  });
});
