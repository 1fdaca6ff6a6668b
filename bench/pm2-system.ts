/**
 * The system under test, started the way `npm start` starts it: pm2-runtime with the apps of
 * ecosystem.config.js, but on free ports, with databases, a Redis prefix and a PM2_HOME of its
 * own, so it never touches an install running on the default ports. The environment goes to
 * pm2-runtime, whose apps inherit it.
 *
 * The only change to the apps is optional: with `cpuProfileDir` every app also gets
 * `--cpu-prof` (pm2 node_args), and writes a .cpuprofile when it exits.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadConfig, type Config } from '../shared/config.js';
import { dropDatabase } from '../shared/database.js';
import { migrateAll } from '../scripts/migrate.js';
import { ensureServerBuild } from '../scripts/build.js';
import { deleteRedisPrefix, isolatedEnvironment, waitFor } from '../test/support/system.js';
import { childProcesses } from './proc-stats.js';

export const ROOT = join(import.meta.dirname, '..');

export interface Pm2SystemOptions {
  /** Directory for the pm2 log, PM2_HOME and the generated ecosystem file. */
  runDir: string;
  /** Extra environment for every app (knobs such as WORKER_CONCURRENCY). */
  env?: Record<string, string>;
  /** When set, every app runs with --cpu-prof and writes its profile here on exit. */
  cpuProfileDir?: string;
  /** pm2 instances per app name, overriding ecosystem.config.js. */
  instances?: Record<string, number>;
  /** Run the TypeScript sources through tsx instead of dist/ (the runtime before issue 15; comparisons only). */
  tsx?: boolean;
}

/** One pm2 app as started. */
export interface AppInfo {
  name: string;
  instances: number;
  nodeArgs: string;
}

export class Pm2System {
  private constructor(
    readonly id: string,
    readonly env: Record<string, string>,
    readonly config: Config,
    readonly apps: AppInfo[],
    private readonly pm2: ChildProcess,
    private readonly exited: Promise<number | null>,
  ) {}

  get gatewayUrl(): string {
    return `http://127.0.0.1:${this.config.GATEWAY_PORT}`;
  }

  get realtimeUrl(): string {
    return `http://127.0.0.1:${this.config.REALTIME_PORT}`;
  }

  get databases(): string[] {
    return [
      this.config.GATEWAY_DATABASE_URL,
      this.config.DONATION_DATABASE_URL,
      this.config.PAYMENT_DATABASE_URL,
    ].map((u) => new URL(u).pathname.slice(1));
  }

  /** Creates and migrates the databases, starts pm2-runtime and waits for every service. */
  static async start(options: Pm2SystemOptions): Promise<Pm2System> {
    const id = `b${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
    const env: Record<string, string> = {
      // Development mode: the bench pays through the sandbox, which production refuses.
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
      ...(await isolatedEnvironment(id)),
      ...options.env,
    };
    const config = loadConfig(env);
    mkdirSync(options.runDir, { recursive: true });
    await migrateAll(config);
    // The compiled processes of dist/, as npm start runs them.
    if (!options.tsx) await ensureServerBuild();

    const { apps } = (await import(pathToFileURL(join(ROOT, 'ecosystem.config.js')).href)) as {
      apps: Record<string, unknown>[];
    };
    const extraArgs = options.cpuProfileDir ? ` --cpu-prof --cpu-prof-dir=${options.cpuProfileDir}` : '';
    if (options.cpuProfileDir) mkdirSync(options.cpuProfileDir, { recursive: true });
    const benchApps: Record<string, unknown>[] = apps.map((app) => ({
      ...app,
      cwd: ROOT,
      ...(options.tsx ? { script: String(app.script).replace(/^dist\/(.*)\.js$/, '$1.ts') } : {}),
      node_args: `${options.tsx ? '--import tsx' : ''}${typeof app.node_args === 'string' ? app.node_args : ''}${extraArgs}`,
      instances: options.instances?.[String(app.name)] ?? app.instances,
    }));
    const ecosystem = join(options.runDir, 'ecosystem.config.cjs');
    writeFileSync(ecosystem, `module.exports = ${JSON.stringify({ apps: benchApps }, null, 2)};\n`);

    const pm2Home = join(options.runDir, 'pm2');
    mkdirSync(pm2Home, { recursive: true });
    const pm2 = spawn(join(ROOT, 'node_modules', '.bin', 'pm2-runtime'), ['start', ecosystem], {
      cwd: ROOT,
      env: { ...process.env, ...env, PM2_HOME: pm2Home },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const log = createWriteStream(join(options.runDir, 'pm2.log'));
    pm2.stdout.pipe(log);
    pm2.stderr.pipe(log);
    const exited = new Promise<number | null>((resolve) => pm2.on('exit', (code) => resolve(code)));
    const infos = benchApps.map((a) => ({
      name: String(a.name),
      instances: Number(a.instances ?? 1),
      nodeArgs: String(a.node_args),
    }));
    const system = new Pm2System(id, env, config, infos, pm2, exited);
    try {
      await waitFor(
        async () => {
          if (pm2.exitCode !== null) throw new Error(`pm2-runtime exited with ${pm2.exitCode}`);
          const res = await fetch(`${system.gatewayUrl}/services/health`, {
            signal: AbortSignal.timeout(2000),
          });
          return res.ok && system.processCount() >= infos.reduce((n, a) => n + a.instances, 0);
        },
        120_000,
        'the services to report healthy under pm2-runtime',
        500,
      );
      // Worker pools answer no health check: wait until each pool's Redis connections exist.
      await waitFor(
        async () => {
          const { Redis } = await import('ioredis');
          const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 1 });
          try {
            const list = await redis.client('LIST');
            return ['worker-donation-commands', 'worker-checkout', 'worker-payment-verify'].every((n) =>
              String(list).includes(`name=${config.REDIS_PREFIX}:${n}`),
            );
          } finally {
            redis.disconnect();
          }
        },
        60_000,
        'the worker pools to connect',
        500,
      );
    } catch (err) {
      await system.stop();
      throw err;
    }
    return system;
  }

  /** Pids of the apps' processes, by app name (`name#i` for the i-th instance). */
  pids(): Map<string, number> {
    const out = new Map<string, number>([['pm2-runtime', this.pm2.pid!]]);
    const scripts = this.apps.map((a) => a.name);
    const counters = new Map<string, number>();
    for (const child of childProcesses(this.pm2.pid!).sort((a, b) => a.pid - b.pid)) {
      const name = pm2AppName(child.pid);
      if (!name || !scripts.includes(name)) continue;
      const n = counters.get(name) ?? 0;
      counters.set(name, n + 1);
      out.set(n === 0 ? name : `${name}#${n}`, child.pid);
    }
    return out;
  }

  private processCount(): number {
    return this.pids().size - 1;
  }

  /** Stops pm2-runtime (SIGINT: each app drains and exits), drops databases and Redis keys. */
  async stop(): Promise<void> {
    if (this.pm2.exitCode === null && this.pm2.signalCode === null) {
      this.pm2.kill('SIGINT');
      const timer = setTimeout(() => this.pm2.kill('SIGKILL'), 40_000);
      await this.exited;
      clearTimeout(timer);
    }
    await Promise.all(
      [
        this.config.GATEWAY_DATABASE_URL,
        this.config.DONATION_DATABASE_URL,
        this.config.PAYMENT_DATABASE_URL,
      ].map((url) => dropDatabase(url).catch(() => undefined)),
    );
    await deleteRedisPrefix(this.config.REDIS_PREFIX);
  }
}

/** pm2 app name of a process: pm2 runs each app through its ProcessContainerFork with `name` in the environment. */
function pm2AppName(pid: number): string | undefined {
  try {
    const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
    return environ.find((e) => e.startsWith('name='))?.slice('name='.length);
  } catch {
    return undefined;
  }
}
