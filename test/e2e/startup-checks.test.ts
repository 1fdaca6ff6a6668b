/**
 * Start-up checks (issue 7): processes that use queues and streams refuse a Redis that may evict
 * keys, saying how to fix it, and every process that owns a database refuses to run on one with
 * pending migrations. Each check runs the real entry file, as pm2 does.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { Redis } from 'ioredis';
import { loadConfig } from '../../shared/config.js';
import { dropDatabase, ensureDatabase } from '../../shared/database.js';
import { migrateAll } from '../../scripts/migrate.js';
import { freePort, PROCESSES, ROOT, waitFor, type ProcessName } from '../support/system.js';

interface Run {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function run(name: ProcessName, env: Record<string, string>): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', ...PROCESSES[name]], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout.on('data', (c: Buffer) => (text += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (text += c.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => text, exited };
}

/** Exit code within `ms`, killing the process if it is still running. */
async function exitWithin(r: Run, ms: number): Promise<number | null | 'running'> {
  const timer = new Promise<'running'>((resolve) => setTimeout(() => resolve('running'), ms));
  const result = await Promise.race([r.exited, timer]);
  if (result === 'running') {
    r.child.kill('SIGKILL');
    await r.exited;
  }
  return result;
}

describe('start-up checks (real entry files)', function () {
  this.timeout(300_000);
  const id = `sc${randomBytes(4).toString('hex')}`;
  const db = (name: string) => `postgres://postgres@127.0.0.1:5432/ms_${id}_${name}`;
  const base: Record<string, string> = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    MEDIASHAR_NO_DOTENV: '1',
    BIND_HOST: '127.0.0.1',
    GATEWAY_DATABASE_URL: db('gateway'),
    DONATION_DATABASE_URL: db('donation'),
    PAYMENT_DATABASE_URL: db('payment'),
    REDIS_PREFIX: `ms-${id}`,
    JWT_SECRET: randomBytes(32).toString('hex'),
    SANDBOX_WEBHOOK_SECRET: randomBytes(32).toString('hex'),
    // Metrics servers off: these processes never run long enough to be scraped.
    DONATION_METRICS_PORT: '0',
    PAYMENT_METRICS_PORT: '0',
    NOTIFICATION_METRICS_PORT: '0',
    WORKER_METRICS_PORT: '0',
  };
  const urls = [base.GATEWAY_DATABASE_URL!, base.DONATION_DATABASE_URL!, base.PAYMENT_DATABASE_URL!];

  after(async () => {
    await Promise.all(urls.map((u) => dropDatabase(u).catch(() => undefined)));
  });

  describe('Redis maxmemory-policy', () => {
    let redisServer: ChildProcess | undefined;
    let redisUrl = '';

    before(async () => {
      const port = await freePort();
      redisServer = spawn(
        'redis-server',
        [
          '--port',
          String(port),
          '--bind',
          '127.0.0.1',
          '--maxmemory-policy',
          'allkeys-lru',
          '--save',
          '',
          '--appendonly',
          'no',
        ],
        { stdio: 'ignore' },
      );
      redisUrl = `redis://127.0.0.1:${port}`;
      await waitFor(
        async () => {
          const probe = new Redis(redisUrl, { maxRetriesPerRequest: 0, lazyConnect: true });
          probe.on('error', () => undefined); // refused until redis-server listens
          try {
            await probe.connect();
            return (await probe.ping()) === 'PONG';
          } finally {
            probe.disconnect();
          }
        },
        10_000,
        'the private redis-server',
      );
    });

    after(() => {
      redisServer?.kill('SIGKILL');
    });

    it('refuses to start a worker pool or the notification service on allkeys-lru, saying how to fix it', async () => {
      const runs = (['workers-donation', 'notification-service'] as const).map((name) => ({
        name,
        run: run(name, { ...base, REDIS_URL: redisUrl }),
      }));
      for (const { name, run: r } of runs) {
        const code = await exitWithin(r, 60_000);
        expect(code, `${name} exit code`).to.be.a('number').and.not.equal(0);
        expect(r.output(), name).to.include('maxmemory-policy is \\"allkeys-lru\\"');
        expect(r.output(), name).to.include('CONFIG SET maxmemory-policy noeviction');
      }
    });

    it('starts the same worker pool once the policy is noeviction (and stops cleanly on SIGINT)', async () => {
      await migrateAll(loadConfig(base));
      const admin = new Redis(redisUrl);
      await admin.config('SET', 'maxmemory-policy', 'noeviction');
      admin.disconnect();
      const r = run('workers-donation', { ...base, REDIS_URL: redisUrl });
      try {
        await waitFor(
          () => Promise.resolve(r.child.exitCode === null && r.output().includes('worker pool started')),
          30_000,
          'the pool to start',
        );
      } catch (err) {
        r.child.kill('SIGKILL');
        throw new Error(`${(err as Error).message}\n${r.output()}`);
      }
      r.child.kill('SIGINT');
      expect(await exitWithin(r, 20_000)).to.equal(0);
      expect(r.output()).not.to.include('maxmemory-policy is');
    });
  });

  describe('pending migrations', () => {
    const fresh = (name: string) => `postgres://postgres@127.0.0.1:5432/ms_${id}_empty_${name}`;
    const emptyUrls = [fresh('gateway'), fresh('donation'), fresh('payment')];

    before(async () => {
      await Promise.all(emptyUrls.map((u) => ensureDatabase(u)));
    });
    after(async () => {
      await Promise.all(emptyUrls.map((u) => dropDatabase(u).catch(() => undefined)));
    });

    it('refuses to start the gateway, the services and the worker pools on a database with pending migrations', async () => {
      const env = {
        ...base,
        GATEWAY_DATABASE_URL: emptyUrls[0]!,
        DONATION_DATABASE_URL: emptyUrls[1]!,
        PAYMENT_DATABASE_URL: emptyUrls[2]!,
      };
      const names = [
        'gateway',
        'donation-service',
        'payment-service',
        'workers-donation',
        'workers-checkout',
      ] as const;
      const runs = names.map((name) => ({ name, run: run(name, env) }));
      for (const { name, run: r } of runs) {
        // Generous: five processes compile and start at once on a shared 2-core machine.
        const code = await exitWithin(r, 120_000);
        expect(code, `${name} exit code\n${r.output()}`).to.be.a('number').and.not.equal(0);
        expect(r.output(), name).to.match(/_db has pending migrations \(.+\): run npm run db:migrate/);
      }
    });
  });
});
