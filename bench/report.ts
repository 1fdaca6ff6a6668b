/**
 * Figures of a benchmark run: latency percentiles, per-phase throughput and loss counts, and the
 * markdown table written next to the JSON results.
 */
import type { DonationRecord } from './load.js';
import type { BaselineResult } from './baselines.js';
import type { FanoutResult } from './fanout.js';
import type { ProfileSummary } from './cpu-profile.js';

/** Latency distribution in ms. */
export interface Latency {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentiles of a sample, in ms rounded to 0.1. */
export function latency(values: number[]): Latency {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) =>
    sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]! : 0;
  const r = (n: number) => Math.round(n * 10) / 10;
  return {
    count: sorted.length,
    p50: r(at(0.5)),
    p95: r(at(0.95)),
    p99: r(at(0.99)),
    max: r(sorted.at(-1) ?? 0),
  };
}

/** CPU seconds used during a phase, per process and for Redis and PostgreSQL. */
export interface CpuUse {
  processes: Record<string, number>;
  redis: number;
  postgres: number;
  bench: number;
  /** What Redis and PostgreSQL were asked to do in the phase (counter deltas). */
  work?: WorkCounts;
}

/** Server-side work in a phase: the round trips behind the CPU figures. */
export interface WorkCounts {
  /** Redis calls by command (INFO commandstats; commands inside Lua scripts count too). */
  redisCalls: Record<string, number>;
  /** PostgreSQL commits by database (pg_stat_database.xact_commit). */
  pgCommits: Record<string, number>;
  /** PostgreSQL rows inserted, updated and deleted, by database. */
  pgRowsWritten: Record<string, number>;
  /** Bytes of write-ahead log written (the whole PostgreSQL server; exact, unlike the counters). */
  pgWalBytes: number;
}

/** Figures of one load profile (burst or steady). */
export interface ProfileResult {
  profile: 'burst' | 'steady' | 'midtrans' | 'scale-burst' | 'scale-steady';
  donations: number;
  concurrency: number | null;
  /** Arrival rate of the steady profile, donations/s. */
  targetRatePerS: number | null;
  created: number;
  paid: number;
  alerted: number;
  /** Accepted, paid (webhook 200) and never shown on the overlay. Must be 0. */
  lost: number;
  /** Shown more than once on the streamer's overlay. Must be 0. */
  duplicated: number;
  /** Copies that arrived on the socket and the AlertSequencer dropped (replays); informational. */
  repeatsDropped: number;
  errors: number;
  firstErrors: string[];
  /** POSTs answered 201/202 per second at the gateway. */
  acceptedPerS: number;
  /** Webhooks answered 200 per second at the gateway. */
  webhooksPerS: number;
  /** Alerts shown per second, from the first webhook to the last alert. */
  paidToAlertPerS: number;
  webhookToOverlayMs: Latency;
  postToCheckoutMs: Latency;
  wallSeconds: number;
  cpuSeconds: CpuUse;
  /** CPU ms per donation of the system (services, workers, pm2, Redis, PostgreSQL; not the load generator). */
  cpuMsPerDonation: number;
  /** CPU seconds of the system per wall second: how many of the machine's cores it kept busy. */
  coresBusy: number;
  /** The same CPU figures per part of the profile (burst: creating, then paying until the last alert). */
  cpuParts: CpuPart[];
  peakRssMiB: Record<string, number>;
}

/** CPU use of one part of a profile. */
export interface CpuPart {
  part: string;
  wallSeconds: number;
  cpuSeconds: CpuUse;
  cpuMsPerDonation: number;
  coresBusy: number;
}

/** CPU figures of a part: system CPU (services, workers, pm2, Redis, PostgreSQL) per donation and per wall second. */
export function cpuPart(part: string, wallSeconds: number, cpuSeconds: CpuUse, donations: number): CpuPart {
  const systemCpu =
    Object.values(cpuSeconds.processes).reduce((a, b) => a + b, 0) + cpuSeconds.redis + cpuSeconds.postgres;
  return {
    part,
    wallSeconds,
    cpuSeconds,
    cpuMsPerDonation: donations ? Math.round((systemCpu / donations) * 10000) / 10 : 0,
    coresBusy: wallSeconds > 0 ? Math.round((systemCpu / wallSeconds) * 100) / 100 : 0,
  };
}

function rate(count: number, from: number, to: number): number {
  return to > from ? Math.round((count / ((to - from) / 1000)) * 10) / 10 : 0;
}

/** Summarises a profile's records. */
export function summarise(
  profile: ProfileResult['profile'],
  records: DonationRecord[],
  extra: Pick<
    ProfileResult,
    'concurrency' | 'targetRatePerS' | 'wallSeconds' | 'cpuSeconds' | 'peakRssMiB' | 'cpuParts'
  >,
): ProfileResult {
  const created = records.filter((r) => r.acceptedAt > 0);
  const paid = records.filter((r) => r.webhookDone > 0);
  const alerted = records.filter((r) => r.shown > 0);
  const min = (xs: number[]) => xs.reduce((a, b) => Math.min(a, b), Infinity);
  const max = (xs: number[]) => xs.reduce((a, b) => Math.max(a, b), 0);
  const errors = records.filter((r) => r.error);
  const whole = cpuPart('all', extra.wallSeconds, extra.cpuSeconds, records.length);
  return {
    cpuMsPerDonation: whole.cpuMsPerDonation,
    coresBusy: whole.coresBusy,
    profile,
    donations: records.length,
    ...extra,
    created: created.length,
    paid: paid.length,
    alerted: alerted.length,
    lost: paid.filter((r) => r.shown === 0).length,
    duplicated: records.filter((r) => r.shown > 1).length,
    repeatsDropped: records.reduce((n, r) => n + Math.max(0, r.received - r.shown), 0),
    errors: errors.length,
    firstErrors: [...new Set(errors.map((r) => r.error))].slice(0, 5),
    acceptedPerS: rate(
      created.length,
      min(created.map((r) => r.postStart)),
      max(created.map((r) => r.acceptedAt)),
    ),
    webhooksPerS: rate(
      paid.length,
      min(paid.map((r) => r.webhookStart)),
      max(paid.map((r) => r.webhookDone)),
    ),
    paidToAlertPerS: rate(
      alerted.length,
      min(paid.map((r) => r.webhookStart)),
      max(alerted.map((r) => r.alertAt)),
    ),
    webhookToOverlayMs: latency(alerted.map((r) => r.alertAt - r.webhookStart)),
    postToCheckoutMs: latency(records.filter((r) => r.checkoutAt > 0).map((r) => r.checkoutAt - r.postStart)),
  };
}

/** One figure of the scale profile beside the same figure of the 20-streamer profiles. */
export interface ScaleComparison {
  figure: string;
  unit: string;
  /** The 20-streamer figure (burst or steady profile). */
  base: number | null;
  /** The same figure with the scale profile's streamers and seeded rows. */
  scale: number | null;
  /** (scale − base) / base in %, rounded to 0.1. */
  changePct: number | null;
  /** Whether issue 15 sets a target on it (≤ +20 %). */
  target: boolean;
  /** scale ≤ 1.2 × base (a cheaper or faster figure at scale meets it); null when one is missing. */
  met: boolean | null;
}

/** What the scale profile seeded and measured (its load profiles are in `profiles`). */
export interface ScaleResult {
  /** Wall seconds of the whole profile: seeding, connecting, burst, steady. */
  wallSeconds: number;
  streamers: number;
  overlaysConnected: number;
  connectSeconds: number;
  seededDonations: number;
  seedSeconds: { total: number; gateway: number; donations: number; payments: number };
  /** Row counts after seeding, by `db.table`. */
  rows: Record<string, number>;
  comparisons: ScaleComparison[];
  /**
   * Rows read by sequential scans per new donation, by `db.table`, over the 20-streamer profiles
   * (base: burst, steady, Midtrans) and over the scale profile's burst and steady (scale): a hot query
   * without an index shows as a scale figure that grows with the seeded rows. Tables with fewer
   * than 1 row per donation on both sides are left out.
   */
  seqRowsPerDonation: { table: string; base: number | null; scale: number }[];
}

/** How far a scale figure may exceed its 20-streamer figure (issue 15: within 20 %). */
export const SCALE_TOLERANCE = 0.2;

/**
 * Compares the scale profiles with the 20-streamer ones: system CPU ms per donation (burst create,
 * burst pay → alerts, steady) and webhook → overlay p99 (steady, burst).
 */
export function scaleComparisons(profiles: ProfileResult[]): ScaleComparison[] {
  const find = (name: ProfileResult['profile']) => profiles.find((p) => p.profile === name);
  const part = (p: ProfileResult | undefined, name: string) =>
    p?.cpuParts.find((c) => c.part === name)?.cpuMsPerDonation ?? null;
  const [burst, steady, sBurst, sSteady] = [
    find('burst'),
    find('steady'),
    find('scale-burst'),
    find('scale-steady'),
  ];
  const row = (figure: string, unit: string, base: number | null, scale: number | null, target: boolean) => {
    const ok = base !== null && scale !== null && base > 0;
    return {
      figure,
      unit,
      base,
      scale,
      changePct: ok ? Math.round(((scale - base) / base) * 1000) / 10 : null,
      target,
      met: ok ? scale <= base * (1 + SCALE_TOLERANCE) : null,
    };
  };
  return [
    row('system CPU per donation, create (burst)', 'ms', part(burst, 'create'), part(sBurst, 'create'), true),
    row(
      'system CPU per donation, webhook → alert (burst)',
      'ms',
      part(burst, 'pay → alerts'),
      part(sBurst, 'pay → alerts'),
      true,
    ),
    row(
      'webhook→overlay p99 (steady)',
      'ms',
      steady?.webhookToOverlayMs.p99 ?? null,
      sSteady?.webhookToOverlayMs.p99 ?? null,
      true,
    ),
    row(
      'system CPU per donation (steady)',
      'ms',
      steady?.cpuMsPerDonation ?? null,
      sSteady?.cpuMsPerDonation ?? null,
      false,
    ),
    row(
      'webhook→overlay p99 (burst)',
      'ms',
      burst?.webhookToOverlayMs.p99 ?? null,
      sBurst?.webhookToOverlayMs.p99 ?? null,
      false,
    ),
  ];
}

/** Everything a run writes to bench/results/<timestamp>.json. */
export interface BenchResults {
  startedAt: string;
  finishedAt: string;
  durationS: number;
  machine: {
    cpus: number;
    cpuModel: string;
    memoryGiB: number;
    loadAverageStart: number[];
    loadAverageEnd: number[];
  };
  knobs: Record<string, unknown>;
  baselines: BaselineResult[];
  profiles: ProfileResult[];
  /** The scale profile (null when skipped). */
  scale: ScaleResult | null;
  fanout: FanoutResult | null;
  peakRssMiB: Record<string, number>;
  /** RSS per process after start, settled, before any load. */
  idleRssMiB: Record<string, number>;
  /** The figures issue 15 asks for first. */
  headline: {
    cpuMsPerDonationCreate: number | null;
    cpuMsPerDonationPayToAlert: number | null;
    paidToAlertPerS: number | null;
    ratioToBareBullmq: number | null;
    burstWebhookToOverlayP99Ms: number | null;
    steadyWebhookToOverlayP99Ms: number | null;
    idleRssMiBTotal: number;
    burstPeakRssMiBTotal: number;
    loadAverageStart: number[];
  };
  ratios: Record<string, number | null>;
  targets: { name: string; target: string; measured: string; met: boolean | null }[];
  cpuProfiles: Record<string, ProfileSummary>;
}

const fmt = (n: number | null | undefined) => (n === null || n === undefined ? '–' : String(n));

/** The markdown table of a run. */
export function markdown(r: BenchResults): string {
  const lines: string[] = [];
  lines.push(`# MediaShar burst benchmark — ${r.startedAt}`, '');
  lines.push(
    `Node ${String(r.knobs.node)}, commit ${String(r.knobs.commit)}, ${r.machine.cpus} × ${r.machine.cpuModel}, ` +
      `load average at start ${r.machine.loadAverageStart.join(' / ')}, at end ${r.machine.loadAverageEnd.join(' / ')}; ` +
      `run took ${r.durationS} s.`,
    '',
  );
  const h = r.headline;
  lines.push(
    '## Headline',
    '',
    '| figure | value |',
    '|---|---:|',
    `| system CPU per donation, create (burst; product processes + Redis + PostgreSQL, not the load generator) | ${fmt(h.cpuMsPerDonationCreate)} ms |`,
    `| system CPU per donation, webhook → alert (burst) | ${fmt(h.cpuMsPerDonationPayToAlert)} ms |`,
    `| paid → alert (burst) | ${fmt(h.paidToAlertPerS)}/s = ${fmt(h.ratioToBareBullmq)} × bare BullMQ |`,
    `| webhook → overlay p99, burst / steady | ${fmt(h.burstWebhookToOverlayP99Ms)} / ${fmt(h.steadyWebhookToOverlayP99Ms)} ms |`,
    `| memory of the product processes, idle / burst peak | ${h.idleRssMiBTotal} / ${h.burstPeakRssMiBTotal} MiB |`,
    `| load average at start | ${h.loadAverageStart.join(' / ')} |`,
    '',
  );
  lines.push('## Targets', '', '| target | goal | measured | met |', '|---|---|---|---|');
  for (const t of r.targets)
    lines.push(
      `| ${t.name} | ${t.target} | ${t.measured} | ${t.met === null ? '–' : t.met ? 'yes' : '**no**'} |`,
    );
  lines.push(
    '',
    '## Baselines (same Redis and PostgreSQL, same run)',
    '',
    '| primitive | rate /s | items | how |',
    '|---|---:|---:|---|',
  );
  for (const b of r.baselines) lines.push(`| ${b.name} | ${b.rate} | ${b.items} | ${b.how} |`);
  lines.push('', '## Profiles', '');
  lines.push(
    '| profile | donations | accepted/s | webhooks/s | paid→alert/s | webhook→overlay p50 / p95 / p99 / max ms | POST→checkout p50 / p95 / p99 / max ms | lost | duplicated | errors |',
    '|---|---:|---:|---:|---:|---|---|---:|---:|---:|',
  );
  for (const p of r.profiles) {
    const l = p.webhookToOverlayMs;
    const c = p.postToCheckoutMs;
    lines.push(
      `| ${p.profile}${p.targetRatePerS ? ` @ ${p.targetRatePerS}/s` : ` (C=${fmt(p.concurrency)})`} | ${p.donations} | ${p.acceptedPerS} | ${p.webhooksPerS} | ${p.paidToAlertPerS} | ${l.p50} / ${l.p95} / ${l.p99} / ${l.max} | ${c.p50} / ${c.p95} / ${c.p99} / ${c.max} | ${p.lost} | ${p.duplicated} | ${p.errors} |`,
    );
  }
  lines.push('', '## Ratios', '', '| ratio | value |', '|---|---:|');
  for (const [k, v] of Object.entries(r.ratios)) lines.push(`| ${k} | ${fmt(v)} |`);
  if (r.scale) {
    const sc = r.scale;
    const burst = r.profiles.find((p) => p.profile === 'burst');
    const sBurst = r.profiles.find((p) => p.profile === 'scale-burst');
    lines.push(
      '',
      '## Scale profile',
      '',
      `${sc.streamers} streamers, each with one overlay socket (${sc.overlaysConnected} connected in ${sc.connectSeconds} s), ` +
        `and ${sc.seededDonations} paid donations seeded in ${sc.seedSeconds.total} s ` +
        `(gateway_db + Redis ${sc.seedSeconds.gateway} s, donation_db ${sc.seedSeconds.donations} s, payment_db ${sc.seedSeconds.payments} s, side by side); ` +
        `then a burst of ${fmt(sBurst?.donations)} (the main one: ${fmt(burst?.donations)}) and the steady rate over them. ` +
        `The profile took ${sc.wallSeconds} s. Target (issue 15): each figure within +20 % of the 20-streamer one.`,
      '',
      `Rows after seeding: ${Object.entries(sc.rows)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}.`,
      '',
      '| figure | 20 streamers | scale | change | target met |',
      '|---|---:|---:|---:|---|',
    );
    for (const c of sc.comparisons)
      lines.push(
        `| ${c.figure} | ${fmt(c.base)} ${c.unit} | ${fmt(c.scale)} ${c.unit} | ${c.changePct === null ? '–' : `${c.changePct >= 0 ? '+' : ''}${c.changePct} %`} | ${!c.target ? '(no target)' : c.met === null ? '–' : c.met ? 'yes' : '**no**'} |`,
      );
    if (sc.seqRowsPerDonation.length) {
      lines.push(
        '',
        'Rows read by sequential scans per new donation (pg_stat_user_tables; the 20-streamer profiles vs the scale burst + steady):',
        '',
        '| table | 20 streamers | scale |',
        '|---|---:|---:|',
      );
      for (const t of sc.seqRowsPerDonation) lines.push(`| ${t.table} | ${fmt(t.base)} | ${t.scale} |`);
    }
  }
  if (r.fanout) {
    const f = r.fanout;
    lines.push(
      '',
      '## Fan-out',
      '',
      '| idle sockets | connected | connect s | notification RSS before / idle MiB | broadcast: webhook→first / webhook→last / first→last ms | got once | duplicated | missing |',
      '|---:|---:|---:|---|---|---:|---:|---:|',
      `| ${f.sockets} | ${f.connected} | ${f.connectSeconds} | ${f.notificationRssBeforeMiB} / ${f.notificationRssIdleMiB} | ${f.webhookToFirstMs} / ${f.webhookToLastMs} / ${f.firstToLastMs} | ${f.received} | ${f.duplicated} | ${f.missing} |`,
    );
  }
  lines.push('', '## CPU seconds per phase', '');
  const names = [...new Set(r.profiles.flatMap((p) => Object.keys(p.cpuSeconds.processes)))];
  lines.push(
    `| phase | wall s | ${names.join(' | ')} | redis | postgres | system CPU ms / donation | cores busy | load generator |`,
    `|---|---:|${names.map(() => '---:|').join('')}---:|---:|---:|---:|---:|`,
  );
  for (const p of r.profiles) {
    const parts =
      p.cpuParts.length > 1
        ? [...p.cpuParts, cpuPart('all', p.wallSeconds, p.cpuSeconds, p.donations)]
        : p.cpuParts;
    for (const c of parts) {
      lines.push(
        `| ${p.profile}${c.part === 'all' ? '' : `: ${c.part}`} | ${c.wallSeconds} | ${names.map((n) => fmt(c.cpuSeconds.processes[n])).join(' | ')} | ${c.cpuSeconds.redis} | ${c.cpuSeconds.postgres} | ${c.cpuMsPerDonation} | ${c.coresBusy} | ${c.cpuSeconds.bench} |`,
      );
    }
  }
  const withWork = r.profiles.flatMap((p) =>
    p.cpuParts.filter((c) => c.cpuSeconds.work).map((c) => ({ p, c, work: c.cpuSeconds.work! })),
  );
  if (withWork.length) {
    const dbs = [...new Set(withWork.flatMap((w) => Object.keys(w.work.pgCommits)))].sort();
    lines.push(
      '',
      '## Work per donation',
      '',
      "Redis calls (INFO commandstats; the commands inside BullMQ's Lua scripts count too, `evalsha`",
      'is the scripts themselves), PostgreSQL write-ahead log bytes, and commits and rows written',
      '(pg_stat_database, which backends flush up to 10 s late: approximate per phase), per donation.',
      '',
      `| phase | Redis calls | evalsha | busiest Redis commands | WAL bytes | commits ${dbs.join(' / ')} | rows written ${dbs.join(' / ')} |`,
      '|---|---:|---:|---|---:|---|---|',
    );
    const per = (n: number | undefined, d: number) => (d ? Math.round(((n ?? 0) / d) * 10) / 10 : 0);
    for (const { p, c, work } of withWork) {
      const calls = Object.values(work.redisCalls).reduce((a, b) => a + b, 0);
      const busiest = Object.entries(work.redisCalls)
        .sort((a, b) => b[1] - a[1])
        .slice(0, 6)
        .map(([cmd, n]) => `${cmd} ${per(n, p.donations)}`)
        .join(', ');
      lines.push(
        `| ${p.profile}${c.part === 'all' ? '' : `: ${c.part}`} | ${per(calls, p.donations)} | ${per(work.redisCalls.evalsha, p.donations)} | ${busiest} | ${Math.round(per(work.pgWalBytes, p.donations))} | ${dbs.map((db) => per(work.pgCommits[db], p.donations)).join(' / ')} | ${dbs.map((db) => per(work.pgRowsWritten[db], p.donations)).join(' / ')} |`,
      );
    }
  }
  lines.push(
    '',
    '## Memory (RSS MiB)',
    '',
    '| process | idle after start | peak, whole run |',
    '|---|---:|---:|',
  );
  for (const [k, v] of Object.entries(r.peakRssMiB)) lines.push(`| ${k} | ${fmt(r.idleRssMiB[k])} | ${v} |`);
  if (Object.keys(r.cpuProfiles).length) {
    lines.push(
      '',
      '## CPU profiles',
      '',
      'Self time by place, then inclusive time by package (a sample counts for every package on its',
      'stack: a client library with the TLS, protobuf and socket work under its calls).',
      '',
    );
    for (const [proc, summary] of Object.entries(r.cpuProfiles)) {
      lines.push(
        `- **${proc}**: self ${summary.self.map((t) => `${t.self} ${t.selfPct}%`).join('; ')}`,
        `  - inclusive: ${summary.inclusive.map((t) => `${t.package} ${t.pct}%`).join('; ')}`,
      );
    }
  }
  lines.push('', '## Knobs', '', '```json', JSON.stringify(r.knobs, null, 2), '```', '');
  return lines.join('\n');
}
