/**
 * `npm run bench`: the burst benchmark (issue 6). Measures the limits of the parts (baselines),
 * starts MediaShar under pm2-runtime as `npm start` does (own ports, databases, Redis prefix),
 * then runs the burst profile (N donations created at concurrency C, then paid by signed sandbox
 * webhooks), the steady profile (full donor flows at half the measured maximum) and the fan-out
 * run (idle overlay sockets on one notification process, one broadcast); the scale profile (issue
 * 15: 1,000 streamers with an overlay each and 100,000 paid donations seeded into the databases,
 * then a smaller burst and the same steady rate, compared with the 20-streamer figures). Writes
 * bench/results/<timestamp>.json and .md. Options: `npm run bench -- --help`.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { startMidtransFake } from '../test/fakes/midtrans.fake.js';
import { envSchema } from '../shared/config.js';
import { runBaselines, type BaselineResult } from './baselines.js';
import { summariseProfiles } from './cpu-profile.js';
import { runFanout, type FanoutResult } from './fanout.js';
import { seedScale } from './scale-seed.js';
import {
  createDonation,
  KeepAliveClient,
  newRecords,
  OverlayFleet,
  paced,
  payDonation,
  payMidtrans,
  pool,
  registerStreamer,
  type BenchStreamer,
  type DonationRecord,
  type Target,
} from './load.js';
import { Pm2System, ROOT } from './pm2-system.js';
import {
  cpuSeconds,
  loadAverage,
  postgresCpuByPid,
  postgresCpuDelta,
  postgresWalBytes,
  postgresWork,
  mib,
  redisCommandCalls,
  redisCpuSeconds,
  rssBytes,
  RssSampler,
  tableScans,
  tableScansDelta,
  type TableScans,
} from './proc-stats.js';

/** How long the started system settles before its idle memory is read, in ms. */
const IDLE_SETTLE_MS = 10_000;

/** Sum of the product's processes in a per-process MiB table (pm2-runtime itself left out). */
function productTotal(perProcess: Record<string, number>): number {
  const total = Object.entries(perProcess)
    .filter(([name]) => name !== 'pm2-runtime')
    .reduce((n, [, v]) => n + v, 0);
  return Math.round(total);
}
import {
  cpuPart,
  markdown,
  scaleComparisons,
  summarise,
  type BenchResults,
  type CpuUse,
  type ProfileResult,
  type ScaleResult,
} from './report.js';

/** Options of a run (CLI flags of the same names). */
export interface BenchOptions {
  /** DATABASE_POOL_MAX of every process (unset: the config default). Small runs keep it low. */
  databasePoolMax?: number;
  /** Donations in the burst profile [10000: what fits in 15 minutes here at the shipped provider rate limits]. */
  donations: number;
  /** Donors in flight at once in the burst profile [64]. */
  concurrency: number;
  /** Streamers, each with one overlay client [20]. */
  streamers: number;
  /** Length of the steady profile, in seconds [45]. */
  steadySeconds: number;
  /** Arrival rate of the steady profile, donations/s [half the burst's end-to-end maximum]. */
  steadyRate: number | null;
  /**
   * Donations of the Midtrans profile [1000; 0 skips it]: created with provider midtrans against
   * the Midtrans fake (test/fakes) and paid by its signed notifications, at `concurrency`.
   */
  midtransDonations: number;
  /**
   * Streamers of the scale profile [1000; 0 skips the profile], each with one overlay socket,
   * seeded straight into the databases (bench/scale-seed.ts).
   */
  scaleStreamers: number;
  /** Paid donations already in the databases for the scale profile [100000]. */
  scaleSeeded: number;
  /**
   * Burst donations of the scale profile [as many as the main burst: the two CPU figures per
   * donation compare bursts of one size], spread over its streamers; its steady part runs at the
   * steady profile's rate for `steadySeconds`.
   */
  scaleDonations: number;
  /** Idle overlay sockets of the fan-out run [10000]; 0 skips it. */
  fanoutSockets: number;
  /** Size of the baselines relative to the full ones [1]; 0 skips them. */
  baselineScale: number;
  /** WORKER_CONCURRENCY of every pool [the config default]. */
  workerConcurrency: number | null;
  /**
   * CHECKOUT_RATE_LIMIT_PER_S and STATUS_CHECK_RATE_LIMIT_PER_S of the pools [the config
   * defaults]. They limit whole queues, sandbox jobs included, so they cap accepted/s and
   * paid→alert/s; raise them to measure what the processes themselves can do.
   */
  providerRateLimit: number | null;
  /** LOG_LEVEL of the services [info, as npm start]. */
  logLevel: string;
  /** Run every app with node --cpu-prof and summarise the profiles [false]. */
  cpuProf: boolean;
  /** Where results go [bench/results]. */
  outDir: string;
  /** Seconds without a new alert after which missing ones count as lost [30]. */
  idleTimeoutS: number;
  /** No progress lines on stderr [false]. */
  quiet: boolean;
}

export const DEFAULT_OPTIONS: BenchOptions = {
  donations: 10_000,
  concurrency: 64,
  streamers: 20,
  steadySeconds: 45,
  steadyRate: null,
  midtransDonations: 1000,
  scaleStreamers: 1000,
  scaleSeeded: 100_000,
  scaleDonations: 10_000,
  fanoutSockets: 10_000,
  baselineScale: 1,
  workerConcurrency: null,
  providerRateLimit: null,
  logLevel: 'info',
  cpuProf: false,
  outDir: join(ROOT, 'bench', 'results'),
  idleTimeoutS: 30,
  quiet: false,
};

let quiet = false;

function log(message: string): void {
  if (quiet) return;
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

function gitCommit(): string {
  try {
    const sha = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], {
      cwd: ROOT,
      encoding: 'utf8',
    }).trim();
    return dirty ? `${sha}+dirty` : sha;
  } catch {
    return 'unknown';
  }
}

/** Runs the whole benchmark and writes the results; returns them. */
export async function runBench(
  options: BenchOptions,
): Promise<{ results: BenchResults; jsonFile: string; mdFile: string }> {
  quiet = options.quiet;
  const startedAt = new Date();
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
  const runDir = join(ROOT, 'logs', 'bench', stamp);
  const loadStart = loadAverage();
  const defaults = envSchema.parse({ JWT_SECRET: 'x'.repeat(32), SANDBOX_WEBHOOK_SECRET: 'x'.repeat(32) });
  const redisUrl = defaults.REDIS_URL;
  const adminDatabaseUrl = defaults.DONATION_DATABASE_URL.replace(/\/[^/]*$/, '/postgres');

  let baselines: BaselineResult[] = [];
  if (options.baselineScale > 0) {
    log('baselines: bare BullMQ, pg inserts, Redis streams, Socket.IO emits');
    baselines = await runBaselines({
      redisUrl,
      adminDatabaseUrl,
      id: stamp.toLowerCase().replace(/[^a-z0-9]/g, ''),
      scale: options.baselineScale,
    });
    for (const b of baselines) log(`  ${b.name}: ${b.rate}/s`);
  }

  log('starting MediaShar under pm2-runtime');
  const env: Record<string, string> = { LOG_LEVEL: options.logLevel };
  if (options.workerConcurrency) env.WORKER_CONCURRENCY = String(options.workerConcurrency);
  if (options.databasePoolMax) env.DATABASE_POOL_MAX = String(options.databasePoolMax);
  // The fan-out run opens all its sockets on one overlay token (one broadcast reaching many).
  if (options.fanoutSockets > 5) env.OVERLAY_MAX_SOCKETS_PER_TOKEN = String(options.fanoutSockets);
  if (options.providerRateLimit) {
    env.CHECKOUT_RATE_LIMIT_PER_S = String(options.providerRateLimit);
    env.STATUS_CHECK_RATE_LIMIT_PER_S = String(options.providerRateLimit);
  }
  const midtransOptions = { serverKey: `SB-Mid-server-${randomBytes(12).toString('hex')}`, webhookUrl: '' };
  const midtrans = options.midtransDonations > 0 ? await startMidtransFake(midtransOptions) : null;
  if (midtrans) {
    env.MIDTRANS_SERVER_KEY = midtransOptions.serverKey;
    env.MIDTRANS_CLIENT_KEY = 'SB-Mid-client-bench';
    env.MIDTRANS_API_URL = midtrans.url;
    env.MIDTRANS_SNAP_URL = `${midtrans.url}/snap/v1`;
  }
  const cpuProfileDir = options.cpuProf ? join(runDir, 'cpuprofiles') : undefined;
  const system = await Pm2System.start({ runDir, env, cpuProfileDir });
  const target: Target = {
    gatewayUrl: system.gatewayUrl,
    realtimeUrl: system.realtimeUrl,
    sandboxSecret: system.env.SANDBOX_WEBHOOK_SECRET!,
  };
  midtransOptions.webhookUrl = `${system.gatewayUrl}/api/v1/webhooks/midtrans`;
  const pidNames = new Map<number, string>();
  const pids = () => {
    const map = system.pids();
    for (const [name, pid] of map) pidNames.set(pid, name);
    return map;
  };
  // Idle memory: every process started and settled, before any load.
  await new Promise((r) => setTimeout(r, IDLE_SETTLE_MS));
  const idleRssMiB = Object.fromEntries([...pids()].map(([name, pid]) => [name, mib(rssBytes(pid) ?? 0)]));
  log(`idle RSS of the product's processes: ${productTotal(idleRssMiB)} MiB`);
  const sampler = new RssSampler(pids);
  sampler.start();
  const redis = new Redis(redisUrl);
  const client = new KeepAliveClient(system.gatewayUrl, Math.max(options.concurrency, 16));
  const fleet = new OverlayFleet();
  const scaleFleet = new OverlayFleet();
  const profiles: ProfileResult[] = [];
  let fanout: FanoutResult | null = null;
  let scale: ScaleResult | null = null;
  const databaseUrls = {
    gateway_db: system.config.GATEWAY_DATABASE_URL,
    donation_db: system.config.DONATION_DATABASE_URL,
    payment_db: system.config.PAYMENT_DATABASE_URL,
  };

  const snapshot = async () => {
    const processes: Record<string, number> = {};
    for (const [name, pid] of pids()) processes[name] = cpuSeconds(pid) ?? 0;
    return {
      at: performance.now(),
      processes,
      redis: await redisCpuSeconds(redis),
      postgres: await postgresCpuByPid(adminDatabaseUrl, system.databases),
      bench: cpuSeconds(process.pid) ?? 0,
      redisCalls: await redisCommandCalls(redis),
      pgWork: await postgresWork(adminDatabaseUrl, databaseUrls),
      walBytes: await postgresWalBytes(adminDatabaseUrl),
    };
  };
  type Snapshot = Awaited<ReturnType<typeof snapshot>>;
  const cpuUse = (a: Snapshot, b: Snapshot): CpuUse => {
    const r = (n: number) => Math.round(n * 100) / 100;
    return {
      processes: Object.fromEntries(
        Object.entries(b.processes).map(([k, v]) => [k, r(v - (a.processes[k] ?? 0))]),
      ),
      redis: r(b.redis - a.redis),
      postgres: r(postgresCpuDelta(a.postgres, b.postgres)),
      bench: r(b.bench - a.bench),
      work: {
        redisCalls: Object.fromEntries(
          Object.entries(b.redisCalls)
            .map(([k, v]) => [k, v - (a.redisCalls[k] ?? 0)] as const)
            .filter(([, v]) => v > 0),
        ),
        pgCommits: Object.fromEntries(
          Object.entries(b.pgWork).map(([db, w]) => [db, w.commits - (a.pgWork[db]?.commits ?? 0)]),
        ),
        pgRowsWritten: Object.fromEntries(
          Object.entries(b.pgWork).map(([db, w]) => [db, w.rowsWritten - (a.pgWork[db]?.rowsWritten ?? 0)]),
        ),
        pgWalBytes: b.walBytes - a.walBytes,
      },
    };
  };
  const finish = async (
    profile: ProfileResult['profile'],
    records: DonationRecord[],
    before: Snapshot,
    extra: { concurrency: number | null; targetRatePerS: number | null },
    mid?: Snapshot,
    overlays: OverlayFleet = fleet,
  ) => {
    log(`${profile}: waiting for the alerts`);
    const complete = await overlays.waitForAlerts(records, options.idleTimeoutS * 1000);
    if (!complete)
      log(`${profile}: some alerts did not arrive within ${options.idleTimeoutS} s of the last one`);
    // A duplicate would come right behind its first copy.
    await new Promise((r) => setTimeout(r, 1000));
    const after = await snapshot();
    const wall = (a: Snapshot, b: Snapshot) => Math.round((b.at - a.at) / 100) / 10;
    const result = summarise(profile, records, {
      ...extra,
      wallSeconds: wall(before, after),
      cpuSeconds: cpuUse(before, after),
      cpuParts: mid
        ? [
            cpuPart('create', wall(before, mid), cpuUse(before, mid), records.length),
            cpuPart('pay → alerts', wall(mid, after), cpuUse(mid, after), records.length),
          ]
        : [cpuPart('all', wall(before, after), cpuUse(before, after), records.length)],
      peakRssMiB: sampler.phaseMiB(profile),
    });
    profiles.push(result);
    log(
      `${profile}: accepted ${result.acceptedPerS}/s, paid→alert ${result.paidToAlertPerS}/s, ` +
        `webhook→overlay p99 ${result.webhookToOverlayMs.p99} ms, lost ${result.lost}, duplicated ${result.duplicated}, errors ${result.errors}`,
    );
    return result;
  };

  try {
    log(`registering ${options.streamers} streamers and connecting their overlays`);
    // A few at a time: each costs two argon2id hashes (64 MiB, t = 3) in the gateway.
    const slots = Array.from({ length: options.streamers }, (_, i) => ({
      i,
      streamer: null as BenchStreamer | null,
      error: '',
    }));
    await pool(slots, 4, async (slot) => {
      slot.streamer = await registerStreamer(client, `bench${slot.i}`);
    });
    const failed = slots.find((slot) => !slot.streamer);
    if (failed) throw new Error(`streamer ${failed.i} could not be registered: ${failed.error}`);
    const streamers = slots.map((slot) => slot.streamer!);
    await fleet.connect(system.realtimeUrl, streamers);

    // Sequential-scan counters from here to the scale profile (the 20-streamer profiles).
    const baseScansStart = await tableScans(databaseUrls);
    // Burst: every donation created as fast as C donors can, then every one paid.
    if (options.donations > 0) {
      sampler.mark('burst');
      const before = await snapshot();
      const records = newRecords(options.donations, streamers.length);
      log(`burst: creating ${records.length} donations at concurrency ${options.concurrency}`);
      await pool(records, options.concurrency, (r) => createDonation(client, fleet, streamers, r));
      const mid = await snapshot();
      log('burst: paying them by signed webhooks');
      await pool(records, options.concurrency, (r) => payDonation(client, target, r));
      await finish('burst', records, before, { concurrency: options.concurrency, targetRatePerS: null }, mid);
    }

    // Steady: full donor flows (create, then pay) arriving at a fixed rate.
    if (options.steadySeconds > 0) {
      const burst = profiles.find((p) => p.profile === 'burst');
      const maxFlow =
        burst && burst.acceptedPerS > 0 && burst.paidToAlertPerS > 0
          ? 1 / (1 / burst.acceptedPerS + 1 / burst.paidToAlertPerS)
          : 20;
      const ratePerS = options.steadyRate ?? Math.max(1, Math.round(maxFlow / 2));
      sampler.mark('steady');
      const before = await snapshot();
      const records = newRecords(
        Math.round(ratePerS * options.steadySeconds),
        streamers.length,
        options.donations,
      );
      log(`steady: ${records.length} donor flows at ${ratePerS}/s`);
      await paced(records, ratePerS, async (r) => {
        await createDonation(client, fleet, streamers, r);
        await payDonation(client, target, r);
      });
      await finish('steady', records, before, { concurrency: null, targetRatePerS: ratePerS });
    }

    // Midtrans: the same burst shape through the Midtrans fake (Snap checkout, signed
    // notification, Get Status confirmation).
    if (midtrans && options.midtransDonations > 0) {
      sampler.mark('midtrans');
      const before = await snapshot();
      const records = newRecords(options.midtransDonations, streamers.length, 1_000_000);
      log(`midtrans: creating ${records.length} donations at concurrency ${options.concurrency}`);
      await pool(records, options.concurrency, (r) =>
        createDonation(client, fleet, streamers, r, 'midtrans'),
      );
      const mid = await snapshot();
      log('midtrans: paying them by signed Midtrans notifications');
      await pool(records, options.concurrency, (r) => payMidtrans(midtrans, r));
      await finish(
        'midtrans',
        records,
        before,
        { concurrency: options.concurrency, targetRatePerS: null },
        mid,
      );
    }

    // Scale: many streamers with an overlay each and a large history in the databases; the same
    // burst shape (smaller) and the same steady rate, to compare the cost per donation.
    if (options.scaleStreamers > 0 && (options.scaleDonations > 0 || options.steadySeconds > 0)) {
      // Every profile so far ran over the 20 streamers (burst, steady, Midtrans).
      const baseDonations = profiles.reduce((n, p) => n + p.donations, 0);
      const baseScans = tableScansDelta(baseScansStart, await tableScans(databaseUrls));
      sampler.mark('scale-seed');
      const scaleStart = performance.now();
      log(`scale: seeding ${options.scaleStreamers} streamers and ${options.scaleSeeded} paid donations`);
      const seeded = await seedScale(system.config, redis, {
        streamers: options.scaleStreamers,
        donations: options.scaleSeeded,
      });
      log(`scale: seeded in ${seeded.seconds.total} s; connecting ${seeded.streamers.length} overlays`);
      const connectStart = performance.now();
      await scaleFleet.connect(system.realtimeUrl, seeded.streamers, 120_000);
      const scaleScansStart = await tableScans(databaseUrls);
      let scaleDonations = 0;
      const connectSeconds = Math.round((performance.now() - connectStart) / 100) / 10;
      const scaleStreamers = seeded.streamers;
      if (options.scaleDonations > 0) {
        sampler.mark('scale-burst');
        const before = await snapshot();
        const records = newRecords(options.scaleDonations, scaleStreamers.length, 2_000_000);
        scaleDonations += records.length;
        log(`scale-burst: creating ${records.length} donations at concurrency ${options.concurrency}`);
        await pool(records, options.concurrency, (r) =>
          createDonation(client, scaleFleet, scaleStreamers, r),
        );
        const mid = await snapshot();
        log('scale-burst: paying them by signed webhooks');
        await pool(records, options.concurrency, (r) => payDonation(client, target, r));
        await finish(
          'scale-burst',
          records,
          before,
          { concurrency: options.concurrency, targetRatePerS: null },
          mid,
          scaleFleet,
        );
      }
      const steady = profiles.find((p) => p.profile === 'steady');
      if (steady?.targetRatePerS) {
        const ratePerS = steady.targetRatePerS;
        sampler.mark('scale-steady');
        const before = await snapshot();
        const records = newRecords(
          Math.round(ratePerS * options.steadySeconds),
          scaleStreamers.length,
          3_000_000,
        );
        scaleDonations += records.length;
        log(
          `scale-steady: ${records.length} donor flows at ${ratePerS}/s over ${scaleStreamers.length} streamers`,
        );
        await paced(records, ratePerS, async (r) => {
          await createDonation(client, scaleFleet, scaleStreamers, r);
          await payDonation(client, target, r);
        });
        await finish(
          'scale-steady',
          records,
          before,
          { concurrency: null, targetRatePerS: ratePerS },
          undefined,
          scaleFleet,
        );
      }
      scale = {
        wallSeconds: Math.round((performance.now() - scaleStart) / 100) / 10,
        streamers: scaleStreamers.length,
        overlaysConnected: scaleFleet.sockets.filter((s) => s.connected).length,
        connectSeconds,
        seededDonations: seeded.donations,
        seedSeconds: seeded.seconds,
        rows: seeded.rows,
        comparisons: scaleComparisons(profiles),
        seqRowsPerDonation: seqRowsPerDonation(
          baseScans,
          baseDonations,
          tableScansDelta(scaleScansStart, await tableScans(databaseUrls)),
          scaleDonations,
        ),
      };
      scaleFleet.close();
    }

    if (options.fanoutSockets > 0) {
      sampler.mark('fanout');
      log(`fan-out: connecting ${options.fanoutSockets} idle overlay sockets`);
      const streamer = await registerStreamer(client, 'fanout');
      fanout = await runFanout({
        target,
        client,
        fleet,
        streamer,
        count: options.fanoutSockets,
        notificationPid: pids().get('notification-service'),
      });
      fanout.notificationRssIdleMiB = Math.max(fanout.notificationRssIdleMiB, 0);
      log(
        `fan-out: ${fanout.connected} connected, notification RSS ${fanout.notificationRssIdleMiB} MiB, ` +
          `broadcast reached all in ${fanout.webhookToLastMs} ms after the webhook (${fanout.firstToLastMs} ms first→last)`,
      );
    }
  } finally {
    sampler.stop();
    fleet.close();
    scaleFleet.close();
    client.close();
    redis.disconnect();
    log('stopping the system');
    await system.stop();
    await midtrans?.close();
  }

  const cpuProfiles = cpuProfileDir ? summariseProfiles(cpuProfileDir, pidNames) : {};
  const bull = baselines.find((b) => b.name === 'bullmq')?.rate ?? null;
  const pgRate = baselines.find((b) => b.name === 'pg-insert')?.rate ?? null;
  const burst = profiles.find((p) => p.profile === 'burst');
  const steady = profiles.find((p) => p.profile === 'steady');
  const ratio = (a: number | undefined, b: number | null) =>
    a !== undefined && b ? Math.round((a / b) * 1000) / 1000 : null;
  const ratios = {
    'burst paid→alert / bare BullMQ': ratio(burst?.paidToAlertPerS, bull),
    'burst accepted / bare BullMQ': ratio(burst?.acceptedPerS, bull),
    'burst paid→alert / pg single-row inserts': ratio(burst?.paidToAlertPerS, pgRate),
    'midtrans paid→alert / bare BullMQ': ratio(
      profiles.find((p) => p.profile === 'midtrans')?.paidToAlertPerS,
      bull,
    ),
    'steady rate / burst paid→alert': ratio(
      steady?.targetRatePerS ?? undefined,
      burst?.paidToAlertPerS ?? null,
    ),
  };
  const scaleTargets: BenchResults['targets'] = (scale?.comparisons ?? [])
    .filter((c) => c.target)
    .map((c) => ({
      name: `scale profile (${scale!.streamers} streamers, ${scale!.seededDonations} seeded): ${c.figure}`,
      target: '≤ +20 % of the 20-streamer figure',
      measured:
        c.scale === null || c.base === null
          ? '–'
          : `${c.scale} vs ${c.base} ${c.unit} (${c.changePct! >= 0 ? '+' : ''}${c.changePct} %)`,
      met: c.met,
    }));
  const lostTotal = profiles.reduce((n, p) => n + p.lost, 0) + (fanout?.missing ?? 0);
  const dupTotal = profiles.reduce((n, p) => n + p.duplicated, 0) + (fanout?.duplicated ?? 0);
  const burstPart = (part: string) => burst?.cpuParts.find((c) => c.part === part)?.cpuMsPerDonation;
  const cpuCreate = burstPart('create');
  const cpuPay = burstPart('pay → alerts');
  const peakBurstMiB = productTotal(sampler.phaseMiB('burst'));
  const idleTotalMiB = productTotal(idleRssMiB);
  const headline = {
    cpuMsPerDonationCreate: cpuCreate ?? null,
    cpuMsPerDonationPayToAlert: cpuPay ?? null,
    paidToAlertPerS: burst?.paidToAlertPerS ?? null,
    ratioToBareBullmq: ratios['burst paid→alert / bare BullMQ'],
    burstWebhookToOverlayP99Ms: burst?.webhookToOverlayMs.p99 ?? null,
    steadyWebhookToOverlayP99Ms: steady?.webhookToOverlayMs.p99 ?? null,
    idleRssMiBTotal: idleTotalMiB,
    burstPeakRssMiBTotal: peakBurstMiB,
    loadAverageStart: loadStart,
  };
  const targets: BenchResults['targets'] = [
    {
      name: 'system CPU per donation, create (burst)',
      target: '≤ 1.5 ms',
      measured: cpuCreate === undefined ? '–' : `${cpuCreate} ms`,
      met: cpuCreate === undefined ? null : cpuCreate <= 1.5,
    },
    {
      name: 'system CPU per donation, webhook → alert (burst)',
      target: '≤ 1.5 ms',
      measured: cpuPay === undefined ? '–' : `${cpuPay} ms`,
      met: cpuPay === undefined ? null : cpuPay <= 1.5,
    },
    {
      name: 'webhook→overlay p99 (burst)',
      target: '≤ 2000 ms',
      measured: burst ? `${burst.webhookToOverlayMs.p99} ms` : '–',
      met: burst ? burst.webhookToOverlayMs.p99 <= 2000 : null,
    },
    {
      name: 'product processes RSS, idle after start',
      target: '≤ 800 MiB',
      measured: `${idleTotalMiB} MiB`,
      met: idleTotalMiB <= 800,
    },
    {
      name: 'product processes RSS, peak in the burst (sum of per-process peaks)',
      target: '≤ 1536 MiB',
      measured: burst ? `${peakBurstMiB} MiB` : '–',
      met: burst ? peakBurstMiB <= 1536 : null,
    },
    {
      name: 'paid→alert throughput (burst)',
      target: '≥ 0.10 × bare BullMQ',
      measured: `${fmtRatio(ratios['burst paid→alert / bare BullMQ'])} × (${burst?.paidToAlertPerS ?? '–'}/s vs ${bull ?? '–'}/s)`,
      met:
        ratios['burst paid→alert / bare BullMQ'] === null
          ? null
          : ratios['burst paid→alert / bare BullMQ'] >= 0.1,
    },
    {
      name: 'webhook→overlay p99 (steady)',
      target: '< 100 ms',
      measured: steady ? `${steady.webhookToOverlayMs.p99} ms at ${steady.targetRatePerS}/s` : '–',
      met: steady ? steady.webhookToOverlayMs.p99 < 100 : null,
    },
    ...scaleTargets,
    {
      name: 'lost / duplicated alerts',
      target: '0 / 0',
      measured: `${lostTotal} / ${dupTotal}`,
      met: profiles.length > 0 ? lostTotal === 0 && dupTotal === 0 : null,
    },
    {
      name: `${fanout?.sockets ?? 0} idle sockets, notification RSS`,
      target: '< 1024 MiB',
      measured: fanout ? `${fanout.notificationRssIdleMiB} MiB` : '–',
      met: fanout ? fanout.connected === fanout.sockets && fanout.notificationRssIdleMiB < 1024 : null,
    },
    {
      name: 'one broadcast reaches all idle sockets',
      target: '< 2000 ms',
      measured: fanout
        ? `${fanout.webhookToLastMs} ms webhook→last (${fanout.firstToLastMs} ms first→last)`
        : '–',
      met: fanout
        ? fanout.missing === 0 && fanout.webhookToLastMs >= 0 && fanout.webhookToLastMs < 2000
        : null,
    },
  ];
  const finishedAt = new Date();
  const results: BenchResults = {
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationS: Math.round((finishedAt.getTime() - startedAt.getTime()) / 1000),
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
      loadAverageStart: loadStart,
      loadAverageEnd: loadAverage(),
    },
    knobs: {
      node: process.version,
      commit: gitCommit(),
      processManager: 'pm2-runtime ecosystem.config.js (fork mode)',
      apps: system.apps,
      workerConcurrency: system.config.WORKER_CONCURRENCY,
      checkoutRateLimitPerS: system.config.CHECKOUT_RATE_LIMIT_PER_S,
      statusCheckRateLimitPerS: system.config.STATUS_CHECK_RATE_LIMIT_PER_S,
      databasePoolMax: system.config.DATABASE_POOL_MAX,
      donationInsertGroupCommit: { maxBatch: 200, maxDelayMs: 3 },
      alertFanoutReadBatch: 200,
      checkoutWaitMs: system.config.CHECKOUT_WAIT_MS,
      logLevel: options.logLevel,
      cpuProf: options.cpuProf,
      options,
    },
    baselines,
    profiles,
    scale,
    fanout,
    peakRssMiB: sampler.overallMiB(),
    idleRssMiB,
    headline,
    ratios,
    targets,
    cpuProfiles,
  };
  mkdirSync(options.outDir, { recursive: true });
  const jsonFile = join(options.outDir, `${stamp}.json`);
  const mdFile = join(options.outDir, `${stamp}.md`);
  writeFileSync(jsonFile, `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(mdFile, markdown(results));
  log(`wrote ${jsonFile} and ${mdFile}`);
  return { results, jsonFile, mdFile };
}

/** Sequential-scan rows per donation by table, largest scale figure first (≥ 1 on either side). */
function seqRowsPerDonation(
  base: Record<string, TableScans>,
  baseDonations: number,
  scale: Record<string, TableScans>,
  scaleDonations: number,
): ScaleResult['seqRowsPerDonation'] {
  const per = (rows: number | undefined, n: number) =>
    rows === undefined || n === 0 ? null : Math.round((rows / n) * 10) / 10;
  return Object.entries(scale)
    .map(([table, s]) => ({
      table,
      base: per(base[table]?.seqTupRead, baseDonations),
      scale: per(s.seqTupRead, scaleDonations) ?? 0,
    }))
    .filter((t) => t.scale >= 1 || (t.base ?? 0) >= 1)
    .sort((a, b) => b.scale - a.scale);
}

function fmtRatio(n: number | null): string {
  return n === null ? '–' : String(n);
}

const HELP = `npm run bench -- [options]
  --donations N          burst donations (default ${DEFAULT_OPTIONS.donations})
  --concurrency C        donors in flight in the burst (default ${DEFAULT_OPTIONS.concurrency})
  --streamers S          streamers with one overlay each (default ${DEFAULT_OPTIONS.streamers})
  --steady-seconds T     steady profile length (default ${DEFAULT_OPTIONS.steadySeconds}; 0 skips)
  --steady-rate R        steady arrivals/s (default: half the burst's end-to-end maximum)
  --midtrans-donations M donations of the Midtrans-fake profile (default ${DEFAULT_OPTIONS.midtransDonations}; 0 skips)
  --scale-streamers S    streamers of the scale profile, one overlay each (default ${DEFAULT_OPTIONS.scaleStreamers}; 0 skips)
  --scale-seeded D       paid donations seeded before the scale profile (default ${DEFAULT_OPTIONS.scaleSeeded})
  --scale-donations N    burst donations of the scale profile (default: as many as --donations)
  --no-scale             skip the scale profile (as --scale-streamers 0)
  --fanout-sockets K     idle overlay sockets in the fan-out run (default ${DEFAULT_OPTIONS.fanoutSockets}; 0 skips)
  --baseline-scale F     size of the baselines (default 1; 0 skips)
  --worker-concurrency W WORKER_CONCURRENCY of the pools (default: config default)
  --provider-rate-limit R CHECKOUT_RATE_LIMIT_PER_S and STATUS_CHECK_RATE_LIMIT_PER_S (default: config defaults)
  --log-level L          LOG_LEVEL of the services (default info)
  --cpu-prof             run every app with node --cpu-prof and summarise the profiles
  --out DIR              results directory (default bench/results)`;

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      donations: { type: 'string' },
      concurrency: { type: 'string' },
      streamers: { type: 'string' },
      'steady-seconds': { type: 'string' },
      'steady-rate': { type: 'string' },
      'midtrans-donations': { type: 'string' },
      'fanout-sockets': { type: 'string' },
      'scale-streamers': { type: 'string' },
      'scale-seeded': { type: 'string' },
      'scale-donations': { type: 'string' },
      'no-scale': { type: 'boolean' },
      'baseline-scale': { type: 'string' },
      'worker-concurrency': { type: 'string' },
      'provider-rate-limit': { type: 'string' },
      'log-level': { type: 'string' },
      'cpu-prof': { type: 'boolean' },
      out: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    process.exit(0);
  }
  const num = (v: string | undefined, fallback: number) => (v === undefined ? fallback : Number(v));
  const options: BenchOptions = {
    ...DEFAULT_OPTIONS,
    donations: num(values.donations, DEFAULT_OPTIONS.donations),
    concurrency: num(values.concurrency, DEFAULT_OPTIONS.concurrency),
    streamers: num(values.streamers, DEFAULT_OPTIONS.streamers),
    steadySeconds: num(values['steady-seconds'], DEFAULT_OPTIONS.steadySeconds),
    steadyRate: values['steady-rate'] === undefined ? null : Number(values['steady-rate']),
    midtransDonations: num(values['midtrans-donations'], DEFAULT_OPTIONS.midtransDonations),
    fanoutSockets: num(values['fanout-sockets'], DEFAULT_OPTIONS.fanoutSockets),
    scaleStreamers: values['no-scale'] ? 0 : num(values['scale-streamers'], DEFAULT_OPTIONS.scaleStreamers),
    scaleSeeded: num(values['scale-seeded'], DEFAULT_OPTIONS.scaleSeeded),
    scaleDonations: num(values['scale-donations'], num(values.donations, DEFAULT_OPTIONS.donations)),
    baselineScale: num(values['baseline-scale'], DEFAULT_OPTIONS.baselineScale),
    workerConcurrency:
      values['worker-concurrency'] === undefined ? null : Number(values['worker-concurrency']),
    providerRateLimit:
      values['provider-rate-limit'] === undefined ? null : Number(values['provider-rate-limit']),
    logLevel: values['log-level'] ?? DEFAULT_OPTIONS.logLevel,
    cpuProf: values['cpu-prof'] ?? false,
    outDir: values.out ?? DEFAULT_OPTIONS.outDir,
  };
  for (const [k, v] of Object.entries(options)) {
    if (typeof v === 'number' && (!Number.isFinite(v) || v < 0)) {
      process.stderr.write(`--${k}: must be a non-negative number\n`);
      process.exit(2);
    }
  }
  runBench(options).then(
    ({ results }) => {
      const failed = results.targets.filter((t) => t.met === false).map((t) => t.name);
      process.stdout.write(`${markdown(results)}\n`);
      if (failed.length) log(`targets missed: ${failed.join('; ')}`);
      // Loss or duplication is a correctness failure, not a speed figure.
      process.exit(results.targets.find((t) => t.name === 'lost / duplicated alerts')?.met === false ? 1 : 0);
    },
    (err: unknown) => {
      process.stderr.write(`bench failed: ${(err as Error).stack ?? String(err)}\n`);
      process.exit(1);
    },
  );
}
