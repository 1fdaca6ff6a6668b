/**
 * Resource figures of the processes under test, read from /proc (Linux): resident memory and CPU
 * time per process, PostgreSQL backends' CPU time, and Redis' own CPU counters (INFO CPU).
 */
import { readFileSync, readdirSync } from 'node:fs';
import type { Redis } from 'ioredis';
import pg from 'pg';

const CLK_TCK = 100; // USER_HZ on Linux; /proc/<pid>/stat counts CPU time in these ticks.

/** CPU seconds (user + system) of a process, or null when it is gone. */
export function cpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  } catch {
    return null;
  }
}

/** Resident set size of a process in bytes, or null when it is gone. */
export function rssBytes(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /VmRSS:\s+(\d+) kB/.exec(status);
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** Parent pid of a process, or null. */
function parentPid(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return null;
  }
}

/** Direct children of a process with their command lines. */
export function childProcesses(ppid: number): { pid: number; cmdline: string }[] {
  const out: { pid: number; cmdline: string }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (parentPid(pid) !== ppid) continue;
    try {
      out.push({ pid, cmdline: readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim() });
    } catch {
      /* exited meanwhile */
    }
  }
  return out;
}

/**
 * Samples RSS of named processes every `everyMs` and keeps the peak of each, per phase.
 * `mark(phase)` starts a new phase; peaks are reported per phase and overall.
 */
export class RssSampler {
  private timer: NodeJS.Timeout | undefined;
  private phase = 'start';
  /** phase → process name → peak RSS bytes. */
  readonly peaks = new Map<string, Map<string, number>>();

  constructor(
    private readonly pids: () => Map<string, number>,
    private readonly everyMs = 250,
  ) {}

  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.everyMs);
    this.timer.unref();
  }

  mark(phase: string): void {
    this.sample();
    this.phase = phase;
    this.sample();
  }

  stop(): void {
    this.sample();
    if (this.timer) clearInterval(this.timer);
  }

  private sample(): void {
    let peaks = this.peaks.get(this.phase);
    if (!peaks) this.peaks.set(this.phase, (peaks = new Map()));
    for (const [name, pid] of this.pids()) {
      const rss = rssBytes(pid);
      if (rss !== null && rss > (peaks.get(name) ?? 0)) peaks.set(name, rss);
    }
  }

  /** Peak RSS in MiB per process, over all phases. */
  overallMiB(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const peaks of this.peaks.values())
      for (const [name, rss] of peaks) out[name] = Math.max(out[name] ?? 0, mib(rss));
    return out;
  }

  /** Peak RSS in MiB per process, in one phase. */
  phaseMiB(phase: string): Record<string, number> {
    return Object.fromEntries(
      [...(this.peaks.get(phase) ?? new Map<string, number>())].map(([n, r]) => [n, mib(r)]),
    );
  }
}

export function mib(bytes: number): number {
  return Math.round((bytes / 1024 / 1024) * 10) / 10;
}

/** Redis server CPU seconds (user + system, main process and children). */
export async function redisCpuSeconds(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  let total = 0;
  for (const key of ['used_cpu_sys', 'used_cpu_user', 'used_cpu_sys_children', 'used_cpu_user_children']) {
    const m = new RegExp(`^${key}:([\\d.]+)`, 'm').exec(info);
    if (m) total += Number(m[1]);
  }
  return total;
}

/**
 * CPU seconds of the PostgreSQL processes that serve these databases: their client backends
 * (from pg_stat_activity) plus the server's background processes (WAL writer, checkpointer…),
 * which every database shares; by pid.
 */
export async function postgresCpuByPid(adminUrl: string, databases: string[]): Promise<Map<number, number>> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const res = await client.query<{ pid: number }>(
      `select pid from pg_stat_activity
        where (datname = any($1) and pid <> pg_backend_pid()) or backend_type <> 'client backend'`,
      [databases],
    );
    const pids = new Set(res.rows.map((r) => r.pid));
    // The postmaster itself is no row of pg_stat_activity.
    for (const pid of pids) {
      const ppid = parentPid(pid);
      if (ppid) pids.add(ppid);
      break;
    }
    const out = new Map<number, number>();
    for (const pid of pids) out.set(pid, cpuSeconds(pid) ?? 0);
    return out;
  } finally {
    await client.end();
  }
}

/**
 * CPU seconds PostgreSQL spent between two samples: per process, so that a backend which
 * closed in between (its time is gone from /proc) does not make the sum go down.
 */
export function postgresCpuDelta(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, cpu] of after) total += cpu - (before.get(pid) ?? 0);
  return total;
}

/**
 * Redis calls so far, by command (INFO commandstats: `evalsha`, `xadd`, …). Redis 7 counts the
 * commands a Lua script runs too, so `evalsha` is the scripts' round trips and the rest includes
 * what BullMQ's scripts do inside Redis.
 */
export async function redisCommandCalls(redis: Redis): Promise<Record<string, number>> {
  const info = await redis.info('commandstats');
  const out: Record<string, number> = {};
  for (const m of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) out[m[1]!] = Number(m[2]);
  return out;
}

/** Commits and rows written so far in a database (pg_stat_database). */
export interface DatabaseWork {
  commits: number;
  /** Rows inserted, updated and deleted. */
  rowsWritten: number;
}

/**
 * Bytes of write-ahead log the PostgreSQL server has written so far (pg_current_wal_lsn): every
 * database's writes, counted at once (unlike pg_stat_database, which backends flush late).
 */
export async function postgresWalBytes(adminUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const res = await client.query<{ bytes: string }>(
      `select pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0') as bytes`,
    );
    return Number(res.rows[0]!.bytes);
  } finally {
    await client.end();
  }
}

/**
 * pg_stat_database's commit and row counters of each database, by the label it is given under
 * (`{ donation_db: <its URL> }`). A backend flushes these counters at most once a second, and
 * an idle one within 10 s, so a sample can miss the last seconds' work: approximate per phase.
 */
export async function postgresWork(
  adminUrl: string,
  databaseUrls: Record<string, string>,
): Promise<Record<string, DatabaseWork>> {
  const labels = new Map(
    Object.entries(databaseUrls).map(([label, url]) => [new URL(url).pathname.slice(1), label]),
  );
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const res = await client.query<{ datname: string; commits: string; rows: string }>(
      `select datname, xact_commit as commits, tup_inserted + tup_updated + tup_deleted as rows
         from pg_stat_database where datname = any($1)`,
      [[...labels.keys()]],
    );
    return Object.fromEntries(
      res.rows.map((r) => [
        labels.get(r.datname)!,
        { commits: Number(r.commits), rowsWritten: Number(r.rows) },
      ]),
    );
  } finally {
    await client.end();
  }
}

/** The 1-, 5- and 15-minute load averages (what `uptime` prints). */
export function loadAverage(): number[] {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).map(Number);
}

/** Sequential and index scans of one table, cumulative (pg_stat_user_tables). */
export interface TableScans {
  seqScan: number;
  seqTupRead: number;
  idxScan: number;
}

/**
 * Scan counters of every user table of the given databases (label → URL), by `label.table`. PostgreSQL
 * flushes a backend's counters when it goes idle (at most about once a second, and within
 * 10 s for an idle one), so a delta over a phase is approximate at its edges.
 */
export async function tableScans(databaseUrls: Record<string, string>): Promise<Record<string, TableScans>> {
  const out: Record<string, TableScans> = {};
  for (const [db, url] of Object.entries(databaseUrls)) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const res = await client.query<{
        relname: string;
        seq_scan: string;
        seq_tup_read: string;
        idx_scan: string;
      }>(
        'select relname, seq_scan, seq_tup_read, coalesce(idx_scan, 0) as idx_scan from pg_stat_user_tables',
      );
      for (const r of res.rows)
        out[`${db}.${r.relname}`] = {
          seqScan: Number(r.seq_scan),
          seqTupRead: Number(r.seq_tup_read),
          idxScan: Number(r.idx_scan),
        };
    } finally {
      await client.end();
    }
  }
  return out;
}

/** `b − a` of two {@link tableScans} readings (tables missing from `a` count from 0). */
export function tableScansDelta(
  a: Record<string, TableScans>,
  b: Record<string, TableScans>,
): Record<string, TableScans> {
  const zero = { seqScan: 0, seqTupRead: 0, idxScan: 0 };
  return Object.fromEntries(
    Object.entries(b).map(([k, v]) => {
      const p = a[k] ?? zero;
      return [
        k,
        {
          seqScan: v.seqScan - p.seqScan,
          seqTupRead: v.seqTupRead - p.seqTupRead,
          idxScan: v.idxScan - p.idxScan,
        },
      ];
    }),
  );
}
