/**
 * Failure drills (issue 7): during a stream of 2,000 donations, each created through the gateway
 * and paid by a signed sandbox webhook, one fault strikes; afterwards every donation whose
 * webhook was answered 200 is paid exactly once (donation_db and payment_db) and shown exactly
 * once on its streamer's overlay. The drills run on a private Redis and PostgreSQL of their own
 * (never the machine's shared 6379/5432), which they kill, restart and flush.
 */
import { expect } from 'chai';
import { PER_POOL_PROCESSES, TestSystem, waitFor } from '../support/system.js';
import { OverlayClient, registerStreamer, type TestStreamer } from '../support/clients.js';
import { query } from '../support/db.js';
import { PrivatePostgres, PrivateRedis } from './support/private-servers.js';
import {
  runDonationStream,
  settleAndCount,
  type DrillCounts,
  type StreamResult,
} from './support/donation-stream.js';

const TOTAL = 2000;
const CONCURRENCY = 30;
/** The fault strikes when this many donations have started (the stream is in full flow). */
const FAULT_AT = 600;

describe('failure drills: 2,000 donations each, a fault mid-stream (private Redis and PostgreSQL)', function () {
  this.timeout(300_000);
  let redis: PrivateRedis;
  let pg: PrivatePostgres;
  let system: TestSystem;
  let streamers: TestStreamer[];
  const overlays = new Map<string, OverlayClient>();
  const report: Record<string, DrillCounts> = {};

  before(async function () {
    this.timeout(120_000);
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
        // The sandbox has no provider rate limit to respect; keeps the drills inside CI time.
        CHECKOUT_RATE_LIMIT_PER_S: '200',
        DONATION_METRICS_PORT: '0',
        PAYMENT_METRICS_PORT: '0',
        NOTIFICATION_METRICS_PORT: '0',
        WORKER_METRICS_PORT: '0',
      },
    });
    streamers = await Promise.all([1, 2, 3, 4].map(() => registerStreamer(system)));
    for (const s of streamers) overlays.set(s.id, new OverlayClient(system.realtimeUrl, s.overlayToken));
    await Promise.all([...overlays.values()].map((o) => o.waitConnected()));
  });

  after(async function () {
    this.timeout(60_000);
    console.log('drill counts:', JSON.stringify(report, null, 1));
    for (const o of overlays.values()) o.close();
    await system?.stop();
    await Promise.all([redis?.stop(), pg?.stop()]);
  });

  /** Runs a stream with `fault` part-way, then `beforeCount`, then settles and counts. */
  async function drill(
    name: string,
    fault: () => Promise<void>,
    beforeCount: () => Promise<void> = () => Promise.resolve(),
  ): Promise<[DrillCounts, StreamResult]> {
    const result = await runDonationStream(system, streamers, {
      total: TOTAL,
      concurrency: CONCURRENCY,
      faultAt: FAULT_AT,
      fault,
    });
    expect(result.faultError, String(result.faultError)).to.equal(undefined);
    await beforeCount();
    const counts = await settleAndCount(system, streamers, overlays, result);
    report[name] = counts;
    return [counts, result];
  }

  /** The acceptance of drills 1–4: nothing lost, nothing doubled. */
  function expectExact(counts: DrillCounts): void {
    expect(counts.created, 'donations created').to.equal(TOTAL);
    expect(counts.handedOut, 'checkouts handed out').to.equal(counts.created);
    expect(counts.webhooksAccepted, 'webhooks accepted').to.equal(counts.handedOut);
    expect(counts.paidDonations, 'paid in donation_db').to.equal(counts.webhooksAccepted);
    expect(counts.paidPayments, 'paid in payment_db').to.equal(counts.webhooksAccepted);
    expect(counts.paidMismatch, 'paid without an accepted webhook, or the reverse').to.equal(0);
    expect(counts.alertsShown, 'alerts shown').to.equal(counts.webhooksAccepted);
    expect(counts.duplicatesShown, 'alerts shown twice').to.equal(0);
    expect(counts.republishedSeen, 'donations published under two eventIds').to.equal(0);
  }

  it('1. SIGKILL of each worker pool (restarted): paid = webhooks accepted, alerts = paid, no duplicates', async () => {
    const pids: number[] = [];
    const [counts] = await drill('1-sigkill-worker-pools', async () => {
      for (const pool of ['workers-donation', 'workers-payment-verification', 'workers-checkout'] as const) {
        pids.push(system.processes.get(pool)!.child.pid!);
        await system.restart(pool);
        pids.push(system.processes.get(pool)!.child.pid!);
      }
    });
    expect(new Set(pids).size, 'every pool ran as a new process').to.equal(6);
    expectExact(counts);
  });

  it('2. Redis killed and restarted (AOF, fsync always): paid = webhooks accepted, alerts = paid, no duplicates', async () => {
    const [counts, result] = await drill('2-redis-restart', () => redis.restart(1500));
    expect(result.retries, 'requests refused while Redis was down').to.be.greaterThan(0);
    expectExact(counts);
  });

  it('3. PostgreSQL stopped (immediate) and restarted: paid = webhooks accepted, alerts = paid, no duplicates', async () => {
    const [counts, result] = await drill('3-postgres-restart', () => pg.restart(1500));
    expect(result.retries, 'requests refused while PostgreSQL was down').to.be.greaterThan(0);
    expectExact(counts);
  });

  it('4. SIGKILL of the notification service (restarted): overlays reconnect, replay, and show each alert once', async () => {
    const disconnects = new Map<string, number>();
    for (const [id, o] of overlays)
      o.socket.on('disconnect', () => disconnects.set(id, (disconnects.get(id) ?? 0) + 1));
    const [counts] = await drill('4-sigkill-notification', () => system.restart('notification-service'));
    expect(
      [...overlays.keys()].every((id) => (disconnects.get(id) ?? 0) >= 1),
      'every overlay was cut off',
    ).to.equal(true);
    expectExact(counts);
  });

  it('5. Redis loses all its data (FLUSHALL): the reconciler rebuilds it and every handed-out checkout ends paid and alerted once', async () => {
    const startedLines = new Map([...system.processes].map(([name, p]) => [name, p.lines.length]));
    // Each reconciler notices the loss and rebuilds its part; the counting waits for them, so
    // alerts they publish again are counted too (none may be shown twice).
    const rebuilt = async () => {
      for (const name of ['gateway', 'workers-donation', 'workers-payment-verification']) {
        const before = startedLines.get(name) ?? 0;
        await waitFor(
          () =>
            Promise.resolve(
              system.processes
                .get(name)!
                .lines.slice(before)
                .some((l) => l.includes('"redisDataLost":1')),
            ),
          60_000,
          `${name} to rebuild after the loss`,
          250,
        );
      }
    };
    const [counts, result] = await drill(
      '5-redis-flushall',
      async () => {
        const client = redis.client();
        try {
          await client.flushall();
        } finally {
          client.disconnect();
        }
      },
      rebuilt,
    );
    // Donations whose create and checkout jobs went with the data never got a checkout (the
    // donor saw no payment page); every one that did has its row, was paid once and alerted once.
    const rows = await query<{ n: string }>(
      system.config.DONATION_DATABASE_URL,
      'select count(*) as n from donations where id = any($1::uuid[])',
      [result.handedOut],
    );
    expect(Number(rows[0]!.n), 'handed-out checkouts with a donation row').to.equal(counts.handedOut);
    expect(counts.created, 'donations created').to.equal(TOTAL);
    expect(counts.webhooksAccepted, 'webhooks accepted').to.equal(counts.handedOut);
    expect(counts.paidDonations, 'paid in donation_db').to.equal(counts.webhooksAccepted);
    expect(counts.paidPayments, 'paid in payment_db').to.equal(counts.webhooksAccepted);
    expect(counts.paidMismatch).to.equal(0);
    expect(counts.alertsShown, 'alerts shown').to.equal(counts.webhooksAccepted);
    expect(counts.duplicatesShown, 'alerts shown twice').to.equal(0);
    // Overlay tokens were mirrored again: a new overlay connects after the flush.
    const fresh = new OverlayClient(system.realtimeUrl, streamers[0]!.overlayToken);
    try {
      await fresh.waitConnected(15_000);
    } finally {
      fresh.close();
    }
  });
});
