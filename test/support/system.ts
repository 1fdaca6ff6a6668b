/**
 * Runs the real MediaShar processes for a test: fresh databases, a Redis key prefix and free
 * ports of its own, so several systems (and several developers' test runs) can run side by side
 * on one machine. Each process is `node --import tsx <entry>`, as pm2 runs it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, createWriteStream, type WriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { loadConfig, type Config } from '../../shared/config.js';
import { dropDatabase } from '../../shared/database.js';
import { migrateAll } from '../../scripts/migrate.js';
import { ensureWebBuild } from '../../scripts/web-build.js';
import { testCertsDir } from './grpc-certs.js';
import { startOEmbedFake, type FakeVideo, type OEmbedFake } from '../fakes/oembed.fake.js';

export const ROOT = join(import.meta.dirname, '..', '..');

/** Process names and their entry files. */
export const PROCESSES = {
  gateway: ['gateway/main.ts'],
  'donation-service': ['grpc/donation/main.ts'],
  'payment-service': ['grpc/payment/main.ts'],
  'notification-service': ['grpc/notification/main.ts'],
  // Every worker pool in one process, as `npm start` runs them (ecosystem.config.js).
  workers: ['workers/main.ts', 'donation,checkout,payment-verification,outgoing-webhooks,notifications'],
  'workers-donation': ['workers/main.ts', 'donation'],
  'workers-checkout': ['workers/main.ts', 'checkout'],
  'workers-payment-verification': ['workers/main.ts', 'payment-verification'],
  'workers-outgoing-webhooks': ['workers/main.ts', 'outgoing-webhooks'],
  'workers-notifications': ['workers/main.ts', 'notifications'],
} as const;
export type ProcessName = keyof typeof PROCESSES;
const WORKER_PROCESSES = (Object.keys(PROCESSES) as ProcessName[]).filter((n) => n.startsWith('workers'));

/** What TestSystem.start runs by default: the layout `npm start` runs (the pools in one process). */
export const DEFAULT_PROCESSES: readonly ProcessName[] = [
  'gateway',
  'donation-service',
  'payment-service',
  'notification-service',
  'workers',
];

/**
 * The services with each worker pool in a process of its own (`workers-<pool>`), for tests that
 * kill, restart or scrape one pool (MEDIASHAR_WORKER_PROCESSES=per-pool in production).
 */
export const PER_POOL_PROCESSES: readonly ProcessName[] = (Object.keys(PROCESSES) as ProcessName[]).filter(
  (n) => n !== 'workers',
);

/** Ports this test process handed out: never handed out twice. */
const handedOut = new Set<number>();
// Below Linux's ephemeral range (32768–60999): a port from there can be taken by any outgoing
// connection (a Redis or PostgreSQL client) between this check and the process binding it.
const PORT_RANGE = { from: 20_000, to: 32_000 };

/** Whether 127.0.0.1:`port` can be bound right now. */
function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * A free TCP port on 127.0.0.1 for a process to bind: outside the ephemeral range, and never the
 * same twice in this test process.
 */
export async function freePort(): Promise<number> {
  for (let i = 0; i < 1000; i++) {
    const port = PORT_RANGE.from + Math.floor(Math.random() * (PORT_RANGE.to - PORT_RANGE.from));
    if (handedOut.has(port)) continue;
    handedOut.add(port);
    if (await canBind(port)) return port;
  }
  throw new Error(`no free port in ${PORT_RANGE.from}–${PORT_RANGE.to}`);
}

/** Waits until `check` resolves truthy, polling every `everyMs`; rejects after `timeoutMs`. */
export async function waitFor<T>(
  check: () => Promise<T | undefined | null | false>,
  timeoutMs: number,
  what: string,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value) return value;
    } catch (err) {
      lastError = err;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(
    `timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${lastError instanceof Error ? lastError.message : JSON.stringify(lastError)})` : ''}`,
  );
}

/**
 * The environment of an isolated install: free ports for the gateway, the gRPC services and
 * Socket.IO, its own three databases (ms_<id>_*), Redis prefix and fresh secrets, and no .env.
 * gRPC runs on mutual TLS with the certificates made once per test process (GRPC_TLS_DIR).
 */
export async function isolatedEnvironment(id: string): Promise<Record<string, string>> {
  const [gw, dn, pm, nt, rt] = await Promise.all([
    freePort(),
    freePort(),
    freePort(),
    freePort(),
    freePort(),
  ]);
  const db = (name: string) => `postgres://postgres@127.0.0.1:5432/ms_${id}_${name}`;
  return {
    MEDIASHAR_NO_DOTENV: '1',
    // Tests and the bench pay through the built-in sandbox (off unless set, as on a public install).
    SANDBOX_ENABLED: 'true',
    // Every test client (and the bench's burst) is one address: the request rate limits are
    // lifted here and tested with their own values in test/e2e/security.test.ts.
    RATE_LIMIT_DONATIONS_PER_IP: '1000000',
    RATE_LIMIT_DONATIONS_PER_STREAMER: '1000000',
    RATE_LIMIT_REGISTRATIONS_PER_IP: '100000',
    RATE_LIMIT_LOGINS_PER_IP: '100000',
    // The scraper's credential for the gateway's /metrics.
    METRICS_TOKEN: randomBytes(24).toString('hex'),
    BIND_HOST: '127.0.0.1',
    PUBLIC_URL: `http://127.0.0.1:${gw}`,
    REALTIME_PUBLIC_URL: `http://127.0.0.1:${rt}`,
    GATEWAY_PORT: String(gw),
    DONATION_GRPC_PORT: String(dn),
    PAYMENT_GRPC_PORT: String(pm),
    NOTIFICATION_GRPC_PORT: String(nt),
    REALTIME_PORT: String(rt),
    DONATION_SERVICE_ADDR: `127.0.0.1:${dn}`,
    PAYMENT_SERVICE_ADDR: `127.0.0.1:${pm}`,
    NOTIFICATION_SERVICE_ADDR: `127.0.0.1:${nt}`,
    GATEWAY_DATABASE_URL: db('gateway'),
    DONATION_DATABASE_URL: db('donation'),
    PAYMENT_DATABASE_URL: db('payment'),
    REDIS_URL: 'redis://127.0.0.1:6379',
    REDIS_PREFIX: `ms-${id}`,
    JWT_SECRET: randomBytes(32).toString('hex'),
    SANDBOX_WEBHOOK_SECRET: randomBytes(32).toString('hex'),
    GRPC_TLS_DIR: await testCertsDir(),
    // Media-share metadata never goes to the internet from a test: a closed local port (the
    // lookup fails at once and the clip is judged without metadata) unless a fake is started.
    MEDIA_OEMBED_YOUTUBE_URL: 'http://127.0.0.1:9/youtube/oembed',
    MEDIA_OEMBED_TIKTOK_URL: 'http://127.0.0.1:9/tiktok/oembed',
    YOUTUBE_API_URL: 'http://127.0.0.1:9/youtube/v3',
  };
}

/** One running process of the system. */
export interface RunningProcess {
  name: string;
  child: ChildProcess;
  /** Every line it wrote to stdout/stderr. */
  lines: string[];
  exited: Promise<number | null>;
}

export interface TestSystemOptions {
  /** Which processes to run [DEFAULT_PROCESSES: the services and one process of every worker pool]. */
  processes?: readonly ProcessName[];
  /** Extra environment for every process. */
  env?: Record<string, string>;
  /** Additional notification-service instances (each on its own ports). */
  extraNotificationInstances?: number;
  /**
   * Videos the local oEmbed / YouTube Data API fake knows, by video id (read at each request, so
   * a test may add some later), and ids it never answers (a lookup that times out) [none].
   */
  media?: { videos?: Record<string, FakeVideo>; hang?: string[] };
}

/** A full MediaShar system for one test file. */
export class TestSystem {
  readonly processes = new Map<string, RunningProcess>();
  /** Metrics port of each process but the gateway (which serves /metrics on its own port). */
  readonly metricsPorts = new Map<string, number>();
  private logStreams: WriteStream[] = [];

  private constructor(
    readonly id: string,
    readonly env: Record<string, string>,
    readonly config: Config,
    readonly logDir: string,
    /** The local oEmbed / YouTube Data API fake the gateway's metadata lookups go to. */
    readonly oembed: OEmbedFake,
  ) {}

  get gatewayUrl(): string {
    return `http://127.0.0.1:${this.config.GATEWAY_PORT}`;
  }

  /** GET /metrics URL of a process (the gateway's own /metrics for 'gateway'). */
  metricsUrl(name: string): string {
    if (name === 'gateway') return `${this.gatewayUrl}/metrics`;
    const port = this.metricsPorts.get(name);
    if (!port) throw new Error(`no metrics port for ${name}`);
    return `http://127.0.0.1:${port}/metrics`;
  }

  get realtimeUrl(): string {
    return `http://127.0.0.1:${this.config.REALTIME_PORT}`;
  }

  /** Creates databases, migrates, starts the processes and waits until all are healthy. */
  static async start(options: TestSystemOptions = {}): Promise<TestSystem> {
    const id = `t${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
    // Prometheus metrics ports: one per service, one per worker pool (TestSystem.metricsUrl).
    const [dm, pmm, nm, ...wm] = await Promise.all([0, 1, 2, ...WORKER_PROCESSES].map(() => freePort()));
    const oembed = await startOEmbedFake(options.media?.videos ?? {}, options.media?.hang ?? []);
    const env: Record<string, string> = {
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      ...(await isolatedEnvironment(id)),
      DONATION_METRICS_PORT: String(dm),
      PAYMENT_METRICS_PORT: String(pmm),
      NOTIFICATION_METRICS_PORT: String(nm),
      WORKER_METRICS_PORT: '0',
      DATABASE_POOL_MAX: '5',
      REDIS_URL: 'redis://127.0.0.1:6379',
      REDIS_PREFIX: `ms-${id}`,
      JWT_SECRET: randomBytes(32).toString('hex'),
      SANDBOX_WEBHOOK_SECRET: randomBytes(32).toString('hex'),
      WORKER_CONCURRENCY: '20',
      MEDIA_OEMBED_YOUTUBE_URL: oembed.youtubeOEmbedUrl,
      MEDIA_OEMBED_TIKTOK_URL: oembed.tiktokOEmbedUrl,
      YOUTUBE_API_URL: oembed.youtubeApiUrl,
      // The key the fake's Data API takes: YouTube clips get their duration and channel id.
      YOUTUBE_API_KEY: 'test-youtube-key',
      // Generous on a loaded machine; a test of the timeout uses a video the fake never answers.
      MEDIA_METADATA_TIMEOUT_MS: '5000',
      ...options.env,
    };
    let config: Config;
    try {
      config = loadConfig(env);
    } catch (err) {
      await oembed.close();
      throw err;
    }
    const logDir = join(ROOT, 'logs', 'test', id);
    mkdirSync(logDir, { recursive: true });
    const system = new TestSystem(id, env, config, logDir, oembed);
    WORKER_PROCESSES.forEach((name, i) => system.metricsPorts.set(name, wm[i]!));
    system.metricsPorts.set('donation-service', dm!);
    system.metricsPorts.set('payment-service', pmm!);
    system.metricsPorts.set('notification-service', nm!);
    await migrateAll(config);
    // The gateway serves the built web app (web/dist): build it once per run when stale.
    ensureWebBuild();
    const names = options.processes ?? DEFAULT_PROCESSES;
    for (const name of names) system.spawn(name);
    for (let i = 0; i < (options.extraNotificationInstances ?? 0); i++) {
      await system.spawnExtraNotification(i + 2);
    }
    try {
      await system.waitHealthy(names);
    } catch (err) {
      await system.stop();
      throw err;
    }
    return system;
  }

  /** Starts (or restarts) one process with the system's environment, plus `env`. */
  spawn(name: string, env: Record<string, string> = {}, entry?: readonly string[]): RunningProcess {
    const args = entry ?? PROCESSES[name as ProcessName];
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
      cwd: ROOT,
      env: {
        ...process.env,
        ...this.env,
        ...(name.startsWith('workers') && this.metricsPorts.has(name)
          ? { WORKER_METRICS_PORT: String(this.metricsPorts.get(name)) }
          : {}),
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    const log = createWriteStream(join(this.logDir, `${name}.log`), { flags: 'a' });
    this.logStreams.push(log);
    const onData = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      log.write(text);
      for (const line of text.split('\n')) if (line) lines.push(line);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const running = { name, child, lines, exited };
    this.processes.set(name, running);
    return running;
  }

  /** Another notification-service instance on its own gRPC and Socket.IO ports (same Redis). */
  async spawnExtraNotification(n: number): Promise<{ name: string; realtimeUrl: string; grpcAddr: string }> {
    const [grpcPort, realtimePort] = await Promise.all([freePort(), freePort()]);
    const name = `notification-service-${n}`;
    this.spawn(
      name,
      {
        NOTIFICATION_GRPC_PORT: String(grpcPort),
        REALTIME_PORT: String(realtimePort),
        NOTIFICATION_METRICS_PORT: '0',
      },
      PROCESSES['notification-service'],
    );
    const realtimeUrl = `http://127.0.0.1:${realtimePort}`;
    await waitFor(() => this.hasLine(name, 'Socket.IO listening'), 30_000, `${name} to listen`);
    return { name, realtimeUrl, grpcAddr: `127.0.0.1:${grpcPort}` };
  }

  /** True when a process logged a line containing `text`. */
  async hasLine(name: string, text: string): Promise<boolean> {
    return Promise.resolve(this.processes.get(name)?.lines.some((l) => l.includes(text)) ?? false);
  }

  /** Waits until the gateway answers and every started process reports ready. */
  async waitHealthy(
    names: readonly string[] = [...this.processes.keys()],
    // Eight tsx processes starting at once on a loaded 2-core machine (several test systems at
    // a time) have been seen to take over two minutes.
    timeoutMs = 300_000,
  ): Promise<void> {
    const ready: Record<string, string> = {
      gateway: 'gateway listening',
      'donation-service': 'gRPC server listening',
      'payment-service': 'gRPC server listening',
      'notification-service': 'gRPC server listening',
      // Logged once every pool of the process has started.
      workers: 'worker pools started',
    };
    for (const name of names) {
      const marker =
        ready[name] ?? (name.startsWith('workers-') ? 'worker pool started' : 'gRPC server listening');
      // A process that exited will not become ready: fail at once, with its last lines.
      const outcome = await waitFor(
        async () => {
          const proc = this.processes.get(name);
          if (proc && proc.child.exitCode !== null) return 'exited' as const;
          return (await this.hasLine(name, marker)) && ('ready' as const);
        },
        timeoutMs,
        `${name} to be ready`,
      ).catch((err: unknown) => err as Error);
      if (outcome !== 'ready') {
        const proc = this.processes.get(name);
        const why = outcome === 'exited' ? `${name} exited with ${proc?.child.exitCode}` : outcome.message;
        throw new Error(`${why}\n--- last lines of ${name} ---\n${proc?.lines.slice(-30).join('\n') ?? ''}`);
      }
    }
  }

  /** Sends a signal and waits for the process to exit. */
  async kill(name: string, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const proc = this.processes.get(name);
    if (!proc || proc.child.exitCode !== null || proc.child.signalCode !== null) return;
    proc.child.kill(signal);
    await proc.exited;
  }

  /** Restarts a process (after kill) and waits until it is ready again. */
  async restart(name: ProcessName, timeoutMs = 60_000): Promise<void> {
    await this.kill(name, 'SIGKILL');
    this.spawn(name);
    await this.waitHealthy([name], timeoutMs);
  }

  /** Every log line of every process, parsed as JSON where possible. */
  allLogLines(): { process: string; line: string }[] {
    return [...this.processes.values()].flatMap((p) => p.lines.map((line) => ({ process: p.name, line })));
  }

  /** Stops every process (SIGTERM, then SIGKILL), drops the databases and the Redis keys. */
  async stop(): Promise<void> {
    await Promise.all(
      [...this.processes.values()].map(async (p) => {
        if (p.child.exitCode !== null || p.child.signalCode !== null) return;
        p.child.kill('SIGTERM');
        const timer = setTimeout(() => p.child.kill('SIGKILL'), 8000);
        await p.exited;
        clearTimeout(timer);
      }),
    );
    for (const s of this.logStreams) s.end();
    await this.oembed.close();
    await Promise.all(
      [
        this.config.GATEWAY_DATABASE_URL,
        this.config.DONATION_DATABASE_URL,
        this.config.PAYMENT_DATABASE_URL,
      ].map((url) => dropDatabase(url).catch(() => undefined)),
    );
    await deleteRedisPrefix(this.config.REDIS_PREFIX, this.config.REDIS_URL);
  }
}

/** Deletes every Redis key under a prefix (on the shared Redis unless `url` names another). */
export async function deleteRedisPrefix(prefix: string, url = 'redis://127.0.0.1:6379'): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
