/**
 * Operations on the real processes (issue 7): Prometheus metrics of every process move with a
 * donation, /docs serves Swagger UI and the OpenAPI document, one request id tells a donation's
 * story across every process's log, and pm2-reload-style restarts (SIGINT, then a new process)
 * of every process (each worker pool, the gateway, each service) during traffic lose no donation.
 */
import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import {
  PER_POOL_PROCESSES,
  TestSystem,
  waitFor,
  type ProcessName,
  type RunningProcess,
} from '../support/system.js';
import {
  createDonation,
  http,
  OverlayClient,
  paymentIdOf,
  payThroughMidtrans,
  registerStreamer,
  sandboxComplete,
  waitForDonationStatus,
  type JsonResponse,
  type TestStreamer,
} from '../support/clients.js';
import { query } from '../support/db.js';
import { startMidtransFake, type MidtransFake } from '../fakes/midtrans.fake.js';
import { sample } from '../support/prometheus.js';

async function scrape(system: TestSystem, name: string): Promise<string> {
  // The gateway's /metrics is public-facing: the scraper presents METRICS_TOKEN (no loopback trust).
  const res = await fetch(system.metricsUrl(name), {
    headers: name === 'gateway' ? { authorization: `Bearer ${system.env.METRICS_TOKEN}` } : {},
    signal: AbortSignal.timeout(5000),
  });
  expect(res.status, `${name} /metrics`).to.equal(200);
  expect(res.headers.get('content-type')).to.include('text/plain');
  return res.text();
}

const ALL = [
  'gateway',
  'donation-service',
  'payment-service',
  'notification-service',
  'workers-donation',
  'workers-checkout',
  'workers-payment-verification',
] as const;

describe('operations: metrics, docs, request ids, graceful restarts (real processes)', function () {
  // Each reload starts a process (tsx compile): ~3 s idle, up to ~20 s on a loaded 2-core box.
  this.timeout(420_000);
  let system: TestSystem;
  let streamer: TestStreamer;
  let overlay: OverlayClient;
  // The metered donation is paid through the Midtrans fake, as real money is: sandbox
  // donations are test-only and stay out of the alert latency of real alerts.
  let midtrans: MidtransFake;
  const midtransOptions = {
    serverKey: 'SB-Mid-server-operations',
    webhookUrl: undefined as string | undefined,
  };

  before(async () => {
    midtrans = await startMidtransFake(midtransOptions);
    system = await TestSystem.start({
      // Each worker pool in its own process: the test scrapes and reloads them one by one.
      processes: PER_POOL_PROCESSES,
      env: {
        // The request-id trail through every process is at debug; info keeps one line per path.
        LOG_LEVEL: 'debug',
        MIDTRANS_SERVER_KEY: midtransOptions.serverKey,
        MIDTRANS_API_URL: midtrans.url,
        MIDTRANS_SNAP_URL: `${midtrans.url}/snap/v1`,
      },
    });
    midtransOptions.webhookUrl = `${system.gatewayUrl}/api/v1/webhooks/midtrans`;
    streamer = await registerStreamer(system, '1000');
    overlay = new OverlayClient(system.realtimeUrl, streamer.overlayToken);
    await overlay.waitConnected();
  });

  after(async () => {
    overlay?.close();
    await system?.stop();
    await midtrans?.close();
  });

  /**
   * Donates and pays through the Midtrans fake (a settlement notification to the webhook);
   * resolves when the overlay showed the alert.
   */
  async function donateAndPay(headers: Record<string, string> = {}): Promise<string> {
    const shown = overlay.shown.length;
    const created = await payThroughMidtrans(
      system,
      midtrans,
      streamer.username,
      { donorName: 'Metric', amount: '5000', currency: 'IDR', message: 'ops' },
      headers,
    );
    await overlay.waitForAlerts(shown + 1);
    return created.body.id as string;
  }

  it('exposes every series on every process and moves the counters with one donation', async () => {
    const before = Object.fromEntries(
      await Promise.all(ALL.map(async (name) => [name, await scrape(system, name)] as const)),
    );
    await donateAndPay();
    // The alert can reach the overlay before the jobs behind it are marked complete (the
    // verification and status jobs finish their bookkeeping after publishing): scrape until
    // the last of them is counted, then check every series.
    const after: Record<string, string> = {};
    const delta = (name: string, metric: string, labels: Record<string, string>) =>
      (sample(after[name]!, metric, labels) || 0) - (sample(before[name]!, metric, labels) || 0);
    await waitFor(
      async () => {
        for (const name of ALL) after[name] = await scrape(system, name);
        return (
          delta('workers-donation', 'mediashar_job_duration_seconds_count', {
            queue: 'donation-status',
            outcome: 'completed',
          }) >= 1 &&
          delta('workers-payment-verification', 'mediashar_job_duration_seconds_count', {
            queue: 'payment-verify',
          }) >= 1
        );
      },
      15_000,
      'the status and verification jobs to be counted',
    );

    // HTTP latency by route and status (gateway).
    expect(
      delta('gateway', 'mediashar_http_request_duration_seconds_count', {
        method: 'POST',
        route: '/api/v1/streamers/:username/donations',
      }),
    ).to.equal(1);
    expect(
      delta('gateway', 'mediashar_http_request_duration_seconds_count', {
        route: '/api/v1/webhooks/:provider',
        status: '200',
      }),
    ).to.equal(1);
    // gRPC latency by method and code.
    expect(
      delta('donation-service', 'mediashar_grpc_server_handling_seconds_count', {
        method: 'CreateDonation',
        code: 'OK',
      }),
    ).to.equal(1);
    expect(
      delta('payment-service', 'mediashar_grpc_server_handling_seconds_count', {
        method: 'HandleWebhook',
        code: 'OK',
      }),
    ).to.equal(1);
    // Job duration per queue, in the pool that runs it. DonationService writes the row before it
    // answers, so no donation-commands job exists for a new donation.
    expect(
      delta('workers-donation', 'mediashar_job_duration_seconds_count', { queue: 'donation-commands' }),
    ).to.equal(0);
    expect(
      delta('workers-donation', 'mediashar_job_duration_seconds_count', {
        queue: 'donation-status',
        outcome: 'completed',
      }),
    ).to.be.at.least(1);
    expect(delta('workers-checkout', 'mediashar_job_duration_seconds_count', { queue: 'checkout' })).to.equal(
      1,
    );
    expect(
      delta('workers-payment-verification', 'mediashar_job_duration_seconds_count', {
        queue: 'payment-verify',
      }),
    ).to.be.at.least(1);
    // Donations by status and provider.
    expect(
      delta('donation-service', 'mediashar_donations_total', { status: 'pending', provider: 'midtrans' }),
    ).to.equal(1);
    expect(
      delta('workers-donation', 'mediashar_donations_total', { status: 'paid', provider: 'midtrans' }),
    ).to.equal(1);
    // End-to-end alert latency, alerts emitted, connected sockets, stream lag.
    expect(
      delta('notification-service', 'mediashar_alert_latency_seconds_count', { type: 'donation.paid' }),
    ).to.equal(1);
    expect(
      delta('notification-service', 'mediashar_alerts_emitted_total', { type: 'donation.paid' }),
    ).to.equal(1);
    expect(
      sample(after['notification-service']!, 'mediashar_connected_sockets', { namespace: '/overlay' }),
    ).to.be.at.least(1);
    // The node's own reader has read everything (no consumer group: lag only).
    expect(
      sample(after['notification-service']!, 'mediashar_stream_group_entries', {
        group: 'notification',
        kind: 'lag',
      }),
    ).to.equal(0);
    expect(sample(after['notification-service']!, 'mediashar_stream_group_entries', { kind: 'lag' })).to.be.a(
      'number',
    ).and.not.NaN;
    // Queue depth per queue (read by the gateway).
    for (const queue of ['donation-commands', 'donation-status', 'checkout', 'payment-verify'])
      expect(sample(after.gateway!, 'mediashar_queue_jobs', { queue, state: 'waiting' }), queue).to.be.a(
        'number',
      ).and.not.NaN;
    // Every process labels its series and exports the default process metrics.
    for (const name of ALL)
      expect(
        sample(after[name]!, 'mediashar_process_cpu_seconds_total', { service: name }),
        name,
      ).to.be.above(0);
  });

  it('serves Swagger UI at /docs with its own CSP, and the OpenAPI document', async () => {
    const page = await fetch(`${system.gatewayUrl}/docs`);
    expect(page.status).to.equal(200);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).to.include("script-src 'self'").and.include("connect-src 'self'");
    expect(csp).not.to.include("'unsafe-eval'");
    const html = await page.text();
    expect(html).to.include('/docs/assets/swagger-ui-bundle.js').and.include('/docs/assets/docs-init.js');
    expect(html).not.to.match(/<script>(?!<\/script>)/); // no inline script
    for (const asset of ['swagger-ui-bundle.js', 'swagger-ui.css', 'docs-init.js']) {
      const res = await fetch(`${system.gatewayUrl}/docs/assets/${asset}`);
      expect(res.status, asset).to.equal(200);
    }
    const doc = await http(system, 'GET', '/docs/openapi.json');
    expect(doc.status).to.equal(200);
    expect(doc.body.openapi).to.match(/^3\./);
    expect(doc.body.paths).to.have.property('/api/v1/streamers/{username}/donations');
  });

  it("finds one donation's request id in the gateway, gRPC services, worker pools and notification-service logs", async () => {
    const requestId = `rq-${randomBytes(8).toString('hex')}`;
    const donationId = await donateAndPay({ 'x-request-id': requestId });
    const expected = [
      'gateway',
      'donation-service',
      'payment-service',
      'workers-donation',
      'workers-checkout',
      'workers-payment-verification',
      'notification-service',
    ];
    const processesWithId = () =>
      new Set(
        system
          .allLogLines()
          .filter((l) => l.line.includes(requestId))
          .map((l) => l.process),
      );
    await waitFor(
      () => Promise.resolve(expected.every((p) => processesWithId().has(p))),
      10_000,
      'the request id in every log',
    ).catch(() => {
      throw new Error(`request id seen only in: ${[...processesWithId()].join(', ')}`);
    });
    // The lines with the id tell the story: created, checkout, paid (linked to the webhook), alerted.
    const story = system.allLogLines().filter((l) => l.line.includes(requestId));
    const messages = story.map((l) => (JSON.parse(l.line) as { msg: string }).msg);
    expect(messages).to.include.members([
      'donation written',
      'checkout ready',
      'payment event verified',
      'donation.paid published',
      'alert emitted',
    ]);
    const verified = story.find((l) => l.line.includes('payment event verified'))!;
    expect(JSON.parse(verified.line))
      .to.have.property('webhookRequestId')
      .that.is.a('string')
      .and.not.equal(requestId);
    expect(story.some((l) => l.line.includes(donationId))).to.equal(true);
    // At info, one line per path: the checkout (create) and the verified payment (pay → alert).
    const infoLines = story.filter((l) => (JSON.parse(l.line) as { level: number }).level === 30);
    expect(infoLines.map((l) => (JSON.parse(l.line) as { msg: string }).msg)).to.have.members([
      'checkout ready',
      'payment event verified',
    ]);
  });

  describe('pm2-reload-style restarts during traffic', () => {
    /** Result of one donor's attempt. */
    interface Outcome {
      donationId?: string;
      transportErrors: number;
    }

    /** Retries a call through transport errors and 502/503 (the gateway restarting). */
    async function withRetry(
      call: () => Promise<JsonResponse>,
      done: (r: JsonResponse) => boolean,
      outcome: Outcome,
    ): Promise<JsonResponse> {
      const deadline = Date.now() + 60_000;
      for (;;) {
        try {
          const res = await call();
          if (done(res) || Date.now() > deadline) return res;
        } catch (err) {
          if (Date.now() > deadline) throw err;
          outcome.transportErrors++;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    }

    /** One donor: create (Idempotency-Key, so a retry is safe), then Pay until it sticks. */
    async function donor(n: number): Promise<Outcome> {
      const outcome: Outcome = { transportErrors: 0 };
      const key = `reload-${n}-${randomBytes(6).toString('hex')}`;
      const created = await withRetry(
        () =>
          createDonation(
            system,
            streamer.username,
            { donorName: `Donor ${n}`, amount: '5000', currency: 'IDR', message: `reload ${n}` },
            { 'idempotency-key': key },
          ),
        (r) => r.status === 201 || r.status === 202,
        outcome,
      );
      if (created.status !== 201 && created.status !== 202) return outcome;
      outcome.donationId = created.body.id as string;
      const paymentId = await withRetry(
        async () => ({ status: 200, body: await paymentIdOf(system, created), headers: new Headers() }),
        () => true,
        outcome,
      );
      await withRetry(
        () => sandboxComplete(system, paymentId.body as string),
        (r) => r.status === 200 || r.status === 409,
        outcome,
      );
      return outcome;
    }

    /** SIGINT (what pm2 sends) and, as pm2 reload does, a new process in its place. */
    async function reload(
      name: ProcessName,
      overlap: boolean,
    ): Promise<{ code: number | null; lines: string[] }> {
      const old = system.processes.get(name) as RunningProcess;
      old.child.kill('SIGINT');
      if (!overlap) await old.exited;
      system.spawn(name);
      const code = await old.exited;
      await system.waitHealthy([name]);
      return { code, lines: old.lines };
    }

    /**
     * What each reload exercises. Worker pools overlap (a new process takes jobs while the old
     * one finishes its own); processes that own a port stop first, as pm2 does in fork mode.
     */
    const RELOADS: { name: ProcessName; overlap: boolean; drained: string }[] = [
      { name: 'workers-donation', overlap: true, drained: 'active jobs finished' },
      { name: 'workers-payment-verification', overlap: true, drained: 'active jobs finished' },
      { name: 'workers-checkout', overlap: true, drained: 'active jobs finished' },
      { name: 'gateway', overlap: false, drained: 'in-flight requests drained' },
      { name: 'donation-service', overlap: false, drained: '"msg":"stopped"' },
      { name: 'payment-service', overlap: false, drained: '"msg":"stopped"' },
      { name: 'notification-service', overlap: false, drained: 'batch in hand emitted' },
    ];

    it('loses no donation across reloads of pools, gateway and services; every accepted one ends paid and alerted once', async () => {
      const shownBefore = new Set(overlay.shown.map((a) => a.donationId));
      let running = true;
      const outcomes: Outcome[] = [];
      let n = 0;
      const loop = async () => {
        while (running) outcomes.push(await donor(n++));
      };
      const loops = [loop(), loop(), loop()];
      await waitFor(() => Promise.resolve(outcomes.length >= 5), 60_000, 'traffic to flow');
      const reloaded: { name: string; code: number | null; lines: string[]; drained: string }[] = [];
      for (const r of RELOADS) {
        reloaded.push({ name: r.name, drained: r.drained, ...(await reload(r.name, r.overlap)) });
        const count = outcomes.length;
        await waitFor(
          () => Promise.resolve(outcomes.length >= count + 3),
          60_000,
          `traffic after the ${r.name} reload`,
        );
      }
      running = false;
      await Promise.all(loops);

      // The old processes drained before closing, within pm2's kill_timeout.
      for (const r of reloaded) {
        expect(r.code, `${r.name} exit code after SIGINT`).to.equal(0);
        expect(
          r.lines.some((l) => l.includes(r.drained)),
          `${r.name} logged "${r.drained}"`,
        ).to.equal(true);
      }
      const accepted = outcomes.map((o) => o.donationId).filter((id): id is string => Boolean(id));
      expect(accepted.length).to.equal(outcomes.length);
      for (const id of accepted) await waitForDonationStatus(system, id, 'paid', 30_000);
      await overlay.waitUntil(
        () => accepted.every((id) => overlay.shown.some((a) => a.donationId === id)),
        30_000,
        'an alert for every accepted donation',
      );
      const shown = overlay.shown.filter((a) => !shownBefore.has(a.donationId)).map((a) => a.donationId);
      expect(shown.length, 'alerts shown').to.equal(accepted.length);
      expect(new Set(shown).size, 'no donation alerted twice').to.equal(accepted.length);
      const [paid] = await query<{ n: string }>(
        system.config.DONATION_DATABASE_URL,
        "select count(*) as n from donations where status = 'paid' and id = any($1)",
        [accepted],
      );
      expect(Number(paid!.n)).to.equal(accepted.length);
      console.log(
        `      ${accepted.length} donations during ${RELOADS.length} reloads; client retries after transport errors: ${outcomes.reduce((s, o) => s + o.transportErrors, 0)}`,
      );
    });
  });
});
