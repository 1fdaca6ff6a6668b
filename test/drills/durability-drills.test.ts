/**
 * Durability drills (issue 11) on a private Redis and PostgreSQL: (a) Redis stopped 20 s and
 * (b) Redis restarted empty while 250 donations are created, donors retrying with the same
 * Idempotency-Key; (c) overlays reloaded (new connection, no lastEventId) while donations are
 * paid, and again after a Redis wipe. Each ends with: every 2xx id is in donation_db, every
 * paid donation reached each overlay exactly once counted as raw `alert` events, and the
 * donors who got no donation were told so (a non-2xx, never a 500). Also: the 5xx answers of an
 * outage carry Retry-After and no internal address, and webhooks are served again within 2 s
 * of payment-service's health turning SERVING.
 */
import { expect } from 'chai';
import { uuidv7 } from 'uuidv7';
import { PER_POOL_PROCESSES, TestSystem, waitFor } from '../support/system.js';
import {
  createDonation,
  http,
  OverlayClient,
  paymentIdOf,
  registerStreamer,
  sandboxComplete,
  type JsonResponse,
  type TestStreamer,
} from '../support/clients.js';
import { query } from '../support/db.js';
import { credentialsOf } from '../support/grpc-certs.js';
import { healthStatus } from '../support/grpc-probe.js';
import { signSandboxBody } from '../../grpc/payment/providers/sandbox.provider.js';
import { SERVICE_NAMES } from '../../shared/grpc.js';
import { PrivatePostgres, PrivateRedis } from './support/private-servers.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** An address a person should never read: IPv4, host:port, socket error codes. */
const INTERNAL_ADDRESS = /\b\d{1,3}(\.\d{1,3}){3}\b|localhost:\d+|\b[a-z0-9-]+:\d{4,5}\b|ECONN|EHOST/i;

/** What happened to one burst of donations created with retries. */
interface Burst {
  /** Idempotency key → every id answered 2xx for it (must be one). */
  idsByKey: Map<string, Set<string>>;
  /** Streamer of each created donation. */
  streamerOf: Map<string, TestStreamer>;
  /** The donor's request again (same Idempotency-Key and body), by donation id. */
  retryOf: Map<string, () => Promise<JsonResponse>>;
  /** Keys whose donor never got a 2xx (each was answered non-2xx: told so). */
  failedKeys: string[];
  /** Answers by status. */
  statuses: Map<number, number>;
  /** 5xx answers without Retry-After, or naming an internal address. */
  badOutageAnswers: string[];
}

describe('durability drills (private Redis and PostgreSQL)', function () {
  this.timeout(420_000);
  let redis: PrivateRedis;
  let pg: PrivatePostgres;
  let system: TestSystem;
  let streamers: TestStreamer[];
  const report: Record<string, unknown> = {};

  before(async function () {
    this.timeout(180_000);
    [redis, pg] = await Promise.all([PrivateRedis.start(), PrivatePostgres.start()]);
    system = await TestSystem.start({
      // Each worker pool in its own process: the drills kill and restart them one by one.
      processes: PER_POOL_PROCESSES,
      env: {
        REDIS_URL: redis.url,
        GATEWAY_DATABASE_URL: pg.url('gateway_db'),
        DONATION_DATABASE_URL: pg.url('donation_db'),
        PAYMENT_DATABASE_URL: pg.url('payment_db'),
        RECONCILE_INTERVAL_MS: '1000',
        WORKER_LOCK_DURATION_MS: '5000',
        CHECKOUT_RATE_LIMIT_PER_S: '200',
        DONATION_METRICS_PORT: '0',
        PAYMENT_METRICS_PORT: '0',
        NOTIFICATION_METRICS_PORT: '0',
        WORKER_METRICS_PORT: '0',
      },
    });
    streamers = await Promise.all([1, 2].map(() => registerStreamer(system)));
  });

  after(async function () {
    this.timeout(60_000);
    console.log('durability drill counts:', JSON.stringify(report, null, 1));
    await system?.stop();
    await Promise.all([redis?.stop(), pg?.stop()]);
  });

  /** Notes an outage answer that lacks Retry-After or shows an internal address. */
  function checkOutageAnswer(res: JsonResponse, bad: string[]): void {
    if (res.status < 500) return;
    const text = JSON.stringify(res.body);
    if (res.status !== 503) bad.push(`${res.status}: ${text}`);
    else if (!res.headers.get('retry-after')) bad.push(`503 without Retry-After: ${text}`);
    else if (INTERNAL_ADDRESS.test(text)) bad.push(`503 naming an address: ${text}`);
  }

  /**
   * Creates `total` donations (`lanes` at a time), each under its own Idempotency-Key that the
   * donor retries (every 500 ms, up to 60 times) until a 2xx; `fault` starts once `faultAt`
   * donations have started.
   */
  async function burst(
    total: number,
    faultAt: number,
    fault: () => Promise<void>,
    lanes = 25,
  ): Promise<Burst> {
    const result: Burst = {
      idsByKey: new Map(),
      streamerOf: new Map(),
      retryOf: new Map(),
      failedKeys: [],
      statuses: new Map(),
      badOutageAnswers: [],
    };
    let next = 0;
    let faultDone: Promise<void> = Promise.resolve();
    const one = async (i: number) => {
      const streamer = streamers[i % streamers.length]!;
      const key = `drill-${uuidv7()}`;
      const ids = new Set<string>();
      result.idsByKey.set(key, ids);
      const request = () =>
        createDonation(
          system,
          streamer.username,
          { donorName: `Durable ${i}`, amount: '10000', message: `burst ${i}` },
          { 'idempotency-key': key },
        );
      for (let attempt = 0; attempt < 60; attempt++) {
        const res = await request().catch(() => undefined);
        if (res) result.statuses.set(res.status, (result.statuses.get(res.status) ?? 0) + 1);
        if (res && (res.status === 201 || res.status === 202)) {
          ids.add(res.body.id as string);
          result.streamerOf.set(res.body.id as string, streamer);
          result.retryOf.set(res.body.id as string, request);
          return;
        }
        if (res) checkOutageAnswer(res, result.badOutageAnswers);
        if (res && res.status >= 400 && res.status < 500 && res.status !== 429) break;
        await sleep(500);
      }
      result.failedKeys.push(key);
    };
    const lane = async () => {
      for (;;) {
        const i = next++;
        if (i >= total) return;
        if (i === faultAt) faultDone = fault();
        await one(i);
      }
    };
    await Promise.all(Array.from({ length: lanes }, lane));
    await faultDone;
    return result;
  }

  /** Every id answered 2xx, and whether each has its row in donation_db. */
  async function checkDurable(b: Burst): Promise<string[]> {
    const ids = [...b.idsByKey.values()].flatMap((s) => [...s]);
    const rows = await query<{ id: string }>(
      system.config.DONATION_DATABASE_URL,
      'select id from donations where id = any($1::uuid[])',
      [ids],
    );
    const written = new Set(rows.map((r) => r.id));
    expect(
      ids.filter((id) => !written.has(id)),
      '2xx ids without a row in donation_db',
    ).to.deep.equal([]);
    expect(
      [...b.idsByKey.values()].filter((s) => s.size > 1).length,
      'keys answered with two different donations',
    ).to.equal(0);
    expect(b.statuses.get(500) ?? 0, 'answers 500').to.equal(0);
    expect(b.badOutageAnswers, '5xx answers without Retry-After or naming an address').to.deep.equal([]);
    return ids;
  }

  /**
   * Pays each donation in the sandbox. A donation page that gets no checkout sends the donor's
   * request again (same Idempotency-Key and body: the original donation, its checkout asked
   * for again), as after a Redis loss took the checkout job. Returns the ids paid.
   */
  async function payAll(
    ids: string[],
    retryOf: Map<string, () => Promise<JsonResponse>>,
  ): Promise<{ paid: string[]; noCheckout: string[] }> {
    const paid: string[] = [];
    const noCheckout: string[] = [];
    const queue = [...ids];
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        for (let id = queue.shift(); id; id = queue.shift()) {
          let paymentId: string | undefined;
          for (let attempt = 0; attempt < 3 && !paymentId; attempt++) {
            const res: JsonResponse | undefined = attempt
              ? await retryOf
                  .get(id)?.()
                  .catch(() => undefined)
              : undefined;
            if (res && res.body.id !== id) throw new Error(`retry of ${id}: ${JSON.stringify(res.body)}`);
            paymentId = await paymentIdOf(system, {
              status: 200,
              body: { id },
              headers: new Headers(),
            }).catch(() => undefined);
          }
          if (!paymentId) {
            noCheckout.push(id);
            continue;
          }
          await waitFor(
            async () => (await sandboxComplete(system, paymentId).catch(() => undefined))?.status === 200,
            30_000,
            `payment of ${id}`,
            300,
          );
          paid.push(id);
        }
      }),
    );
    return { paid, noCheckout };
  }

  /**
   * Waits until each paid donation reached its streamer's overlay, then one more paid marker
   * per overlay (the ordered stream delivers it after anything published before), and counts
   * the raw `alert` events of each donation.
   */
  async function rawAlertCounts(
    overlays: Map<string, OverlayClient>,
    paid: string[],
    streamerOf: (id: string) => TestStreamer,
  ): Promise<{ missing: string[]; doubled: string[] }> {
    const rawFor = (o: OverlayClient, id: string) => o.received.filter((a) => a.donationId === id).length;
    await Promise.all(
      [...overlays].map(([streamerId, o]) =>
        o.waitUntil(
          () => paid.filter((id) => streamerOf(id).id === streamerId).every((id) => rawFor(o, id) >= 1),
          120_000,
          'every paid alert',
        ),
      ),
    );
    for (const [streamerId, o] of overlays) {
      const s = streamers.find((x) => x.id === streamerId)!;
      const marker = await createDonation(system, s.username, { donorName: 'Marker', amount: '10000' });
      const paymentId = await paymentIdOf(system, marker);
      expect((await sandboxComplete(system, paymentId)).status).to.equal(200);
      await o.waitUntil(() => rawFor(o, marker.body.id as string) >= 1, 60_000, 'the marker alert');
    }
    const missing: string[] = [];
    const doubled: string[] = [];
    for (const id of paid) {
      const o = overlays.get(streamerOf(id).id)!;
      const n = rawFor(o, id);
      if (n === 0) missing.push(id);
      if (n > 1) doubled.push(id);
    }
    return { missing, doubled };
  }

  async function connectOverlays(): Promise<Map<string, OverlayClient>> {
    const overlays = new Map(
      streamers.map((s) => [s.id, new OverlayClient(system.realtimeUrl, s.overlayToken)]),
    );
    await Promise.all([...overlays.values()].map((o) => o.waitConnected(30_000)));
    return overlays;
  }

  async function drillBurst(name: string, fault: () => Promise<void>): Promise<void> {
    const overlays = await connectOverlays();
    try {
      const b = await burst(250, 40, fault);
      const ids = await checkDurable(b);
      // Redis is back: overlay tokens mirrored again (after a wipe), overlays reconnected.
      await Promise.all([...overlays.values()].map((o) => o.waitConnected(60_000)));
      const { paid, noCheckout } = await payAll(ids, b.retryOf);
      const counts = await rawAlertCounts(overlays, paid, (id) => b.streamerOf.get(id)!);
      report[name] = {
        created: ids.length,
        toldFailed: b.failedKeys.length,
        statuses: Object.fromEntries(b.statuses),
        paid: paid.length,
        noCheckout: noCheckout.length,
        missing: counts.missing.length,
        doubled: counts.doubled.length,
      };
      expect(ids.length + b.failedKeys.length, 'every donor got a donation or was told it failed').to.equal(
        250,
      );
      expect(counts.missing, 'paid donations never alerted').to.deep.equal([]);
      expect(counts.doubled, 'paid donations alerted twice (raw events)').to.deep.equal([]);
      expect(noCheckout, 'accepted donations without a checkout').to.deep.equal([]);
    } finally {
      for (const o of overlays.values()) o.close();
    }
  }

  it('(a) Redis stopped 20 s during 250 creations: every 2xx is in donation_db, paid ones alerted once each', async () => {
    await drillBurst('a-redis-stopped-20s', () => redis.restart(20_000));
    expect(
      (report['a-redis-stopped-20s'] as { statuses: Record<string, number> }).statuses['503'],
    ).to.be.greaterThan(0);
  });

  it('(b) Redis restarted empty during 250 creations: every 2xx is in donation_db, paid ones alerted once each', async () => {
    await drillBurst('b-redis-restarted-empty', () => redis.restartEmpty(1000));
  });

  /** Creates and pays `n` donations for a streamer; returns their ids. */
  async function payDonations(s: TestStreamer, n: number, label: string): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const created = await createDonation(system, s.username, {
        donorName: `${label} ${i}`,
        amount: '10000',
      });
      expect(created.status, JSON.stringify(created.body)).to.be.oneOf([201, 202]);
      expect((await sandboxComplete(system, await paymentIdOf(system, created))).status).to.equal(200);
      ids.push(created.body.id as string);
    }
    return ids;
  }

  it('(c) a reloaded overlay (no lastEventId) gets the 20 alerts paid while it was away, once; after a Redis wipe it gets none again', async () => {
    const s = streamers[0]!;
    // The overlay shows alerts and acknowledges them, then the browser source reloads.
    const first = new OverlayClient(system.realtimeUrl, s.overlayToken);
    await first.waitConnected(30_000);
    const before = await payDonations(s, 3, 'Before');
    await first.waitUntil(
      () => before.every((id) => first.shown.some((a) => a.donationId === id)),
      60_000,
      'before',
    );
    // Acks are durable (donation_db) within a moment: wait for them, as a reload would take.
    await waitFor(
      async () =>
        Number(
          (
            await query<{ n: string }>(
              system.config.DONATION_DATABASE_URL,
              'select count(*) as n from overlay_acks where donation_id = any($1::uuid[])',
              [before],
            )
          )[0]!.n,
        ) === before.length,
      30_000,
      'acks in donation_db',
    );
    first.close();
    // Away (no overlay on this token) while 20 donations are paid.
    const away = await payDonations(s, 20, 'Away');
    const reloaded = new OverlayClient(system.realtimeUrl, s.overlayToken);
    await reloaded.waitUntil(
      () => away.every((id) => reloaded.received.some((a) => a.donationId === id)),
      60_000,
      'the 20 alerts paid while away',
    );
    const raw = (o: OverlayClient, ids: string[]) =>
      ids.map((id) => o.received.filter((a) => a.donationId === id).length);
    expect(raw(reloaded, away), 'each alert paid while away, raw events').to.deep.equal(away.map(() => 1));
    expect(raw(reloaded, before), 'alerts shown before the reload, raw events').to.deep.equal(
      before.map(() => 0),
    );
    await waitFor(
      async () =>
        Number(
          (
            await query<{ n: string }>(
              system.config.DONATION_DATABASE_URL,
              'select count(*) as n from overlay_acks where donation_id = any($1::uuid[])',
              [away],
            )
          )[0]!.n,
        ) >= away.length,
      30_000,
      'acks of the reloaded overlay in donation_db',
    );
    reloaded.close();
    // A witness overlay connects now (resuming after the token's last ack: nothing to replay)
    // and stays connected through the wipe.
    const witness = new OverlayClient(system.realtimeUrl, s.overlayToken);
    await witness.waitConnected(30_000);

    // Redis loses everything; the reconcilers restore tokens and acks and re-publish alerts.
    const mark = new Map([...system.processes].map(([name, p]) => [name, p.lines.length]));
    const wipe = redis.client();
    await wipe.flushall();
    wipe.disconnect();
    for (const name of ['gateway', 'workers-donation']) {
      await waitFor(
        () =>
          Promise.resolve(
            system.processes
              .get(name)!
              .lines.slice(mark.get(name) ?? 0)
              .some((l) => l.includes('"redisDataLost":1')),
          ),
        60_000,
        `${name} to rebuild after the wipe`,
        250,
      );
    }
    // Reloaded again after the wipe: nothing already shown comes back, new alerts do, once.
    const afterWipe = new OverlayClient(system.realtimeUrl, s.overlayToken);
    await afterWipe.waitConnected(30_000);
    const fresh = await payDonations(s, 5, 'Fresh');
    await afterWipe.waitUntil(
      () => fresh.every((id) => afterWipe.received.some((a) => a.donationId === id)),
      60_000,
      'the alerts paid after the wipe',
    );
    await witness.waitUntil(
      () => fresh.every((id) => witness.received.some((a) => a.donationId === id)),
      60_000,
      'the witness to get the alerts paid after the wipe',
    );
    report['c-overlay-reload'] = {
      reloadedRaw: reloaded.received.length,
      afterWipeRaw: afterWipe.received.length,
      afterWipeAdvances: afterWipe.advances.length,
      witnessRaw: witness.received.length,
    };
    expect(raw(afterWipe, [...before, ...away]), 'already shown, raw events after the wipe').to.deep.equal(
      [...before, ...away].map(() => 0),
    );
    expect(raw(afterWipe, fresh), 'alerts paid after the wipe, raw events').to.deep.equal(fresh.map(() => 1));
    expect(raw(witness, [...before, ...away]), 'the connected overlay, already shown').to.deep.equal(
      [...before, ...away].map(() => 0),
    );
    expect(raw(witness, fresh), 'the connected overlay, alerts paid after the wipe').to.deep.equal(
      fresh.map(() => 1),
    );
    for (const o of [witness, afterWipe]) o.close();
  });

  describe('outage answers', () => {
    /** A signed sandbox webhook paying `paymentId`. */
    function webhook(paymentId: string) {
      const body = JSON.stringify({
        eventId: uuidv7(),
        orderId: paymentId,
        status: 'paid',
        amountMinor: 1_000_000,
        currency: 'IDR',
        sentAt: new Date().toISOString(),
      });
      return http(system, 'POST', '/api/v1/webhooks/sandbox', {
        raw: body,
        headers: {
          'content-type': 'application/json',
          'x-sandbox-signature': signSandboxBody(body, system.env.SANDBOX_WEBHOOK_SECRET!),
        },
      });
    }

    function expectOutageAnswer(res: JsonResponse, what: string): void {
      expect(res.status, `${what}: ${JSON.stringify(res.body)}`).to.equal(503);
      expect(res.headers.get('retry-after'), `${what}: Retry-After`).to.match(/^\d+$/);
      expect(JSON.stringify(res.body), `${what}: no internal address`).not.to.match(INTERNAL_ADDRESS);
      expect((res.body as { error: { message: string } }).error.message).to.be.a('string').and.not.empty;
    }

    it('answers 503 with Retry-After and no internal address while Redis or PostgreSQL is down', async () => {
      const s = streamers[1]!;
      const created = await createDonation(system, s.username, { donorName: 'Outage', amount: '10000' });
      const paymentId = await paymentIdOf(system, created);
      await redis.halt();
      try {
        expectOutageAnswer(
          await createDonation(
            system,
            s.username,
            { donorName: 'During', amount: '10000' },
            { 'idempotency-key': uuidv7() },
          ),
          'donation while Redis is down',
        );
        expectOutageAnswer(await webhook(paymentId), 'webhook while Redis is down');
      } finally {
        await redis.resume();
      }
      await waitFor(
        async () => (await webhook(paymentId)).status === 200,
        30_000,
        'webhooks after Redis is back',
        200,
      );
      await pg.halt();
      try {
        expectOutageAnswer(
          await createDonation(system, s.username, { donorName: 'During', amount: '10000' }),
          'donation while PostgreSQL is down',
        );
        expectOutageAnswer(
          await http(system, 'GET', `/api/v1/donations/${created.body.id as string}`),
          'status while PostgreSQL is down',
        );
      } finally {
        await pg.resume();
      }
      await waitFor(
        async () =>
          [201, 202].includes(
            (await createDonation(system, s.username, { donorName: 'Back', amount: '10000' })).status,
          ),
        60_000,
        'donations after PostgreSQL is back',
        250,
      );
    });

    it('serves webhooks again within 2 s of payment-service health turning SERVING', async () => {
      const s = streamers[1]!;
      const created = await createDonation(system, s.username, { donorName: 'Webhook', amount: '10000' });
      const paymentId = await paymentIdOf(system, created);
      await system.kill('payment-service', 'SIGKILL');
      // Down 15 s with the provider re-sending: long enough for a default gRPC backoff to grow.
      const downUntil = Date.now() + 15_000;
      while (Date.now() < downUntil) {
        expectOutageAnswer(await webhook(paymentId), 'webhook while payment-service is down');
        await sleep(500);
      }
      system.spawn('payment-service');
      const addr = system.config.PAYMENT_SERVICE_ADDR;
      const operator = credentialsOf(system.env.GRPC_TLS_DIR!, 'operator');
      let servingAt = 0;
      let servedAt = 0;
      await Promise.all([
        waitFor(
          async () => {
            const status = await healthStatus(addr, SERVICE_NAMES.payment, operator).catch(() => '');
            if (status === 'SERVING' && !servingAt) servingAt = Date.now();
            return servingAt;
          },
          90_000,
          'payment-service health SERVING',
          50,
        ),
        waitFor(
          async () => {
            const res = await webhook(paymentId);
            if (res.status === 200) servedAt = Date.now();
            else expectOutageAnswer(res, 'webhook while payment-service starts');
            return servedAt;
          },
          90_000,
          'a webhook served',
          100,
        ),
      ]);
      report['webhook-recovery-ms'] = servedAt - servingAt;
      expect(servedAt - servingAt, 'ms from SERVING to the first webhook served').to.be.at.most(2000);
    });
  });
});
