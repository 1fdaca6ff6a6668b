/**
 * The limits of the parts MediaShar is built on, measured in the same run on the same Redis and
 * PostgreSQL, so every system figure can be read as a ratio: bare BullMQ (add + process no-op
 * jobs), single-row INSERT commits through pg, Redis XADD + XREADGROUP, and Socket.IO emits to
 * one client.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { Server } from 'socket.io';
import { DEFAULT_JOB_OPTIONS } from '../shared/queues.js';
import { dropDatabase, ensureDatabase } from '../shared/database.js';
import { deleteRedisPrefix, freePort } from '../test/support/system.js';

/** One baseline's outcome. */
export interface BaselineResult {
  name: string;
  /** Items per second. */
  rate: number;
  items: number;
  seconds: number;
  how: string;
}

const ROOT = join(import.meta.dirname, '..');

/** Starts bench/baseline-child.ts; resolves once it printed `ready`. */
async function child(args: string[]): Promise<{ proc: ChildProcess; done: Promise<void> }> {
  const proc = spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'bench', 'baseline-child.ts'), ...args],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const lines = createInterface({ input: proc.stdout });
  let onDone: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (onDone = resolve));
  await new Promise<void>((resolve, reject) => {
    proc.once('exit', (code) => reject(new Error(`baseline child exited with ${code}`)));
    lines.on('line', (line) => {
      if (line === 'ready') resolve();
      if (line === 'done') onDone();
    });
  });
  return { proc, done };
}

function result(name: string, items: number, startedAt: number, how: string): BaselineResult {
  const seconds = (performance.now() - startedAt) / 1000;
  return { name, rate: Math.round(items / seconds), items, seconds: Math.round(seconds * 100) / 100, how };
}

/** BullMQ: Queue.add one by one (50 in flight) while one Worker (concurrency 100, other process) runs no-ops. */
export async function bareBullmq(redisUrl: string, prefix: string, jobs: number): Promise<BaselineResult> {
  const queueName = 'baseline';
  const worker = await child(['bullmq-worker', redisUrl, prefix, queueName, String(jobs)]);
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue(queueName, { connection, prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS });
  try {
    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 50 }, async () => {
        while (next < jobs) await queue.add('noop', { n: next++ });
      }),
    );
    await worker.done;
    return result(
      'bullmq',
      jobs,
      started,
      'Queue.add ×1 (50 in flight, default job options) → one Worker, concurrency 100, no-op, separate process',
    );
  } finally {
    worker.proc.kill('SIGTERM');
    await queue.close();
    connection.disconnect();
  }
}

/** PostgreSQL: single-row INSERT, autocommit, 16 connections. */
export async function pgInserts(adminUrl: string, database: string, rows: number): Promise<BaselineResult> {
  const url = `${adminUrl.replace(/\/[^/]*$/, '')}/${database}`;
  await ensureDatabase(url);
  const pool = new pg.Pool({ connectionString: url, max: 16 });
  // DROP DATABASE … WITH (FORCE) below may terminate a connection that is still closing.
  pool.on('error', () => undefined);
  try {
    await pool.query('create table if not exists baseline (id bigserial primary key, body text not null)');
    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < rows) await pool.query('insert into baseline (body) values ($1)', [`row ${next++}`]);
      }),
    );
    return result('pg-insert', rows, started, 'INSERT of one row per commit, 16 connections (pg Pool)');
  } finally {
    await pool.end();
    await dropDatabase(url).catch(() => undefined);
  }
}

/** Redis streams: XADD (50 in flight, not pipelined by hand) and one XREADGROUP COUNT 200 + XACK reader. */
export async function redisStreams(
  redisUrl: string,
  prefix: string,
  entries: number,
): Promise<BaselineResult> {
  const key = `${prefix}:baseline-stream`;
  const producer = new Redis(redisUrl);
  const reader = new Redis(redisUrl);
  try {
    await producer.xgroup('CREATE', key, 'g', '0', 'MKSTREAM');
    let consumed = 0;
    const started = performance.now();
    const read = (async () => {
      while (consumed < entries) {
        const res = (await reader.xreadgroup(
          'GROUP',
          'g',
          'c',
          'COUNT',
          200,
          'BLOCK',
          1000,
          'STREAMS',
          key,
          '>',
        )) as [string, [string, string[]][]][] | null;
        const got = res?.[0]?.[1] ?? [];
        if (got.length) {
          consumed += got.length;
          await reader.xack(key, 'g', ...got.map(([id]) => id));
        }
      }
    })();
    let next = 0;
    await Promise.all(
      Array.from({ length: 50 }, async () => {
        while (next < entries) await producer.xadd(key, 'MAXLEN', '~', 100000, '*', 'n', String(next++));
      }),
    );
    await read;
    return result(
      'redis-xadd-xreadgroup',
      entries,
      started,
      'XADD (50 in flight, one connection) → XREADGROUP COUNT 200 + XACK',
    );
  } finally {
    producer.disconnect();
    reader.disconnect();
  }
}

/** Socket.IO: emits of a small event to one websocket client in another process. */
export async function socketIoEmits(emits: number): Promise<BaselineResult> {
  const port = await freePort();
  const http = createServer();
  const io = new Server(http, { transports: ['websocket'] });
  await new Promise<void>((resolve) => http.listen(port, '127.0.0.1', resolve));
  const connected = new Promise<import('socket.io').Socket>((resolve) => io.once('connection', resolve));
  const client = await child(['socketio-client', `http://127.0.0.1:${port}`, String(emits)]);
  try {
    const socket = await connected;
    const payload = {
      donationId: '0190a0b0-0000-7000-8000-000000000000',
      amount: 2_000_000,
      currency: 'IDR',
    };
    const started = performance.now();
    for (let i = 0; i < emits; i++) {
      socket.emit('x', payload);
      // Let the socket write now and then, as a server with other work would.
      if (i % 1000 === 999) await new Promise((r) => setImmediate(r));
    }
    await client.done;
    return result(
      'socketio-emit',
      emits,
      started,
      'socket.emit of a small object to one websocket client (other process)',
    );
  } finally {
    client.proc.kill('SIGTERM');
    await new Promise<void>((resolve) => void io.close(() => resolve()));
  }
}

/** Runs all four baselines one after another (sizes scaled by `scale`, 1 = full). */
export async function runBaselines(options: {
  redisUrl: string;
  adminDatabaseUrl: string;
  id: string;
  scale: number;
}): Promise<BaselineResult[]> {
  const prefix = `ms-${options.id}-baseline`;
  const n = (full: number) => Math.max(100, Math.round(full * options.scale));
  try {
    return [
      await bareBullmq(options.redisUrl, prefix, n(20_000)),
      await pgInserts(options.adminDatabaseUrl, `ms_${options.id}_baseline`, n(20_000)),
      await redisStreams(options.redisUrl, prefix, n(100_000)),
      await socketIoEmits(n(200_000)),
    ];
  } finally {
    await deleteRedisPrefix(prefix);
  }
}
