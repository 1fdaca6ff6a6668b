/**
 * A small run of the burst benchmark (issue 6) on the real processes under pm2-runtime: a few
 * hundred donations through the burst, steady and Midtrans-fake profiles, a tiny scale profile
 * (30 streamers with an overlay each, 2,000 seeded donations) and a small fan-out.
 * It checks what must hold at any speed — every paid donation alerted, none twice — and that
 * the results are written; speed itself is only measured by `npm run bench`.
 */
import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_OPTIONS, runBench } from '../../bench/burst.bench.js';
import type { BenchResults } from '../../bench/report.js';

describe('burst benchmark (smoke run)', function () {
  this.timeout(300_000);
  let outDir: string;
  let results: BenchResults;
  let jsonFile: string;
  let mdFile: string;

  before(async () => {
    outDir = mkdtempSync(join(tmpdir(), 'mediashar-bench-'));
    ({ results, jsonFile, mdFile } = await runBench({
      ...DEFAULT_OPTIONS,
      donations: 300,
      concurrency: 32,
      streamers: 5,
      steadySeconds: 5,
      steadyRate: 20,
      midtransDonations: 50,
      scaleStreamers: 30,
      scaleSeeded: 2000,
      scaleDonations: 100,
      fanoutSockets: 200,
      baselineScale: 0.01,
      logLevel: 'warn',
      databasePoolMax: 4,
      outDir,
      quiet: true,
    }));
  });

  after(() => {
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  it('alerts every paid donation of the burst exactly once on its streamer overlay', () => {
    const burst = results.profiles.find((p) => p.profile === 'burst')!;
    expect(burst, 'burst profile').to.exist;
    expect(burst.firstErrors).to.deep.equal([]);
    expect(burst).to.include({
      donations: 300,
      created: 300,
      paid: 300,
      alerted: 300,
      lost: 0,
      duplicated: 0,
    });
    expect(burst.webhookToOverlayMs.count).to.equal(300);
  });

  it("counts the burst's work per phase: Redis calls by command, commits in each database", () => {
    const burst = results.profiles.find((p) => p.profile === 'burst')!;
    const [create, pay] = burst.cpuParts.map((c) => c.cpuSeconds.work!);
    // Creating queues each checkout through BullMQ and writes the donation and payment rows.
    expect(create!.redisCalls.evalsha).to.be.above(300);
    expect(create!.pgWalBytes).to.be.above(300 * 100);
    // Paying moves each payment and donation and streams the alert.
    expect(pay!.redisCalls.xadd).to.be.at.least(300);
    expect(pay!.pgWalBytes).to.be.above(300 * 100);
    // pg_stat_database's counters come late (up to 10 s): only their presence is certain.
    for (const part of [create!, pay!])
      expect(Object.keys(part.pgCommits)).to.have.members(['gateway_db', 'donation_db', 'payment_db']);
    expect(readFileSync(mdFile, 'utf8')).to.include(
      '| phase | Redis calls | evalsha | busiest Redis commands | WAL bytes |',
    );
  });

  it('alerts every paid donation of the steady profile exactly once', () => {
    const steady = results.profiles.find((p) => p.profile === 'steady')!;
    expect(steady, 'steady profile').to.exist;
    expect(steady.firstErrors).to.deep.equal([]);
    expect(steady.donations).to.equal(100);
    expect(steady).to.include({ created: 100, paid: 100, alerted: 100, lost: 0, duplicated: 0 });
  });

  it('alerts every donation paid through the Midtrans fake exactly once', () => {
    const midtrans = results.profiles.find((p) => p.profile === 'midtrans')!;
    expect(midtrans, 'midtrans profile').to.exist;
    expect(midtrans.firstErrors).to.deep.equal([]);
    expect(midtrans).to.include({
      donations: 50,
      created: 50,
      paid: 50,
      alerted: 50,
      lost: 0,
      duplicated: 0,
    });
  });

  it('seeds the scale profile and alerts its donations exactly once over its 30 overlays', () => {
    expect(results.scale, 'scale section').to.not.equal(null);
    const scale = results.scale!;
    expect(scale).to.include({ streamers: 30, overlaysConnected: 30, seededDonations: 2000 });
    // Seeded rows sit beside the run's own: the 30 streamers of the profile and the 5 of the others
    // (plus the fan-out's one, registered later).
    expect(scale.rows['gateway_db.streamers']).to.equal(35);
    expect(scale.rows['donation_db.donations']).to.be.at.least(2000);
    expect(scale.rows['payment_db.payments']).to.be.at.least(2000);
    const burst = results.profiles.find((p) => p.profile === 'scale-burst')!;
    expect(burst, 'scale-burst profile').to.exist;
    expect(burst.firstErrors).to.deep.equal([]);
    expect(burst).to.include({
      donations: 100,
      created: 100,
      paid: 100,
      alerted: 100,
      lost: 0,
      duplicated: 0,
    });
    const steady = results.profiles.find((p) => p.profile === 'scale-steady')!;
    expect(steady, 'scale-steady profile').to.exist;
    expect(steady.firstErrors).to.deep.equal([]);
    expect(steady).to.include({
      donations: 100,
      created: 100,
      paid: 100,
      alerted: 100,
      lost: 0,
      duplicated: 0,
    });
    // Every compared figure has both sides (what each side is, not how fast, is checked).
    expect(scale.comparisons.map((c) => [c.base === null, c.scale === null])).to.deep.equal(
      scale.comparisons.map(() => [false, false]),
    );
    expect(results.targets.filter((t) => t.name.startsWith('scale profile'))).to.have.length(3);
  });

  it('delivers one broadcast once to every idle fan-out socket', () => {
    expect(results.fanout).to.include({
      sockets: 200,
      connected: 200,
      received: 200,
      duplicated: 0,
      missing: 0,
    });
    expect(results.targets.find((t) => t.name === 'lost / duplicated alerts')?.met).to.equal(true);
  });

  it('writes the results file with baselines and knobs, and the markdown table', () => {
    const written = JSON.parse(readFileSync(jsonFile, 'utf8')) as BenchResults;
    expect(written.baselines.map((b) => b.name)).to.deep.equal([
      'bullmq',
      'pg-insert',
      'redis-xadd-xreadgroup',
      'socketio-emit',
    ]);
    expect(written.baselines.every((b) => b.rate > 0)).to.equal(true);
    expect(written.knobs).to.include({ node: process.version, workerConcurrency: 50 });
    // Every pm2 app of ecosystem.config.js was found and measured.
    const apps = (written.knobs.apps as { name: string }[]).map((a) => a.name);
    expect(apps).to.include.members(['gateway', 'notification-service', 'workers']);
    expect(Object.keys(written.peakRssMiB)).to.include.members([...apps, 'pm2-runtime']);
    const table = readFileSync(mdFile, 'utf8');
    expect(table).to.include('| burst (C=32) | 300 |');
    expect(table).to.include('| steady @ 20/s | 100 |');
    expect(table).to.include('## Scale profile');
    expect(table).to.include('| scale-burst (C=32) | 100 |');
    expect(table).to.include('| scale-steady @ 20/s | 100 |');
    expect(written.scale?.comparisons).to.have.length(5);
    expect(written.scale?.wallSeconds).to.be.above(0);
    expect(written.scale?.seqRowsPerDonation).to.be.an('array');
  });
});
