/**
 * The README's first command: `npm start` (migrations + every process under pm2-runtime) brings
 * the system up, and `npm run demo` then sees a sandbox donation reach an overlay. Runs on free
 * ports with its own databases, Redis prefix and PM2_HOME.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { loadConfig } from '../../shared/config.js';
import { PEER_ROLES } from '../../shared/grpc-peers.js';
import { dropDatabase } from '../../shared/database.js';
import { deleteRedisPrefix, isolatedEnvironment, ROOT, waitFor } from '../support/system.js';

describe('npm start and npm run demo', function () {
  this.timeout(180_000);
  const id = `s${randomBytes(4).toString('hex')}`;
  const pm2Home = mkdtempSync(join(tmpdir(), 'mediashar-pm2-'));
  // An empty certificate folder: npm start makes the install's CA and certificates on first run.
  const certsDir = join(pm2Home, 'certs');
  let env: Record<string, string>;
  let output = '';
  let child: ReturnType<typeof spawn>;

  before(async () => {
    env = {
      ...(await isolatedEnvironment(id)),
      PM2_HOME: pm2Home,
      DATABASE_POOL_MAX: '4',
      // Metrics servers off: the default ports (9101…, 9110…) may belong to a running install.
      DONATION_METRICS_PORT: '0',
      PAYMENT_METRICS_PORT: '0',
      NOTIFICATION_METRICS_PORT: '0',
      WORKER_METRICS_PORT: '0',
      GRPC_TLS_DIR: certsDir,
    };
    child = spawn('npm', ['start'], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  });

  after(async () => {
    if (child.pid && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      process.kill(-child.pid, 'SIGINT');
      const force = setTimeout(() => child.pid && process.kill(-child.pid, 'SIGKILL'), 40_000);
      await exited;
      clearTimeout(force);
    }
    const config = loadConfig(env);
    await Promise.all(
      [config.GATEWAY_DATABASE_URL, config.DONATION_DATABASE_URL, config.PAYMENT_DATABASE_URL].map((u) =>
        dropDatabase(u).catch(() => undefined),
      ),
    );
    await deleteRedisPrefix(config.REDIS_PREFIX);
    rmSync(pm2Home, { recursive: true, force: true });
  });

  it('brings every process up and prints the URLs', async () => {
    await waitFor(
      () => Promise.resolve(output.includes('MediaShar is running')),
      120_000,
      `npm start to report running; output:\n${output.slice(-3000)}`,
      250,
    );
    for (const part of ['/admin/queues', '/docs', '/overlay#token=', '/api/v1'])
      expect(output).to.include(part);
    const health = await fetch(`${env.PUBLIC_URL}/services/health`);
    expect(health.status).to.equal(200);
  });

  it('serves the overlay and widget scripts that npm run build bundled into dist/client', async () => {
    for (const name of ['overlay', 'widget', 'media']) {
      const res = await fetch(`${env.PUBLIC_URL}/assets/${name}.js`);
      expect(res.status, name).to.equal(200);
      expect(await res.text(), name).to.equal(
        readFileSync(join(ROOT, 'dist', 'client', `${name}.client.js`), 'utf8'),
      );
    }
  });

  it('created the CA and one certificate per process role on first run, keys readable by the owner only', () => {
    expect(output).to.include('Created a CA and gRPC certificates');
    const files = readdirSync(certsDir);
    expect(files).to.include.members(['ca.crt', 'ca.key']);
    for (const role of PEER_ROLES) {
      expect(files, role).to.include.members([`${role}.crt`, `${role}.key`]);
      expect(statSync(join(certsDir, `${role}.key`)).mode & 0o777, role).to.equal(0o600);
    }
    expect(statSync(join(certsDir, 'ca.key')).mode & 0o777).to.equal(0o600);
  });

  it('lets npm run demo see a sandbox donation reach the overlay', () => {
    const demo = spawnSync('npm', ['run', 'demo'], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(demo.status, demo.stdout + demo.stderr).to.equal(0);
    expect(demo.stdout).to.include('Alert received by the overlay');
    expect(demo.stdout).to.include('Demo Donor');
  });

  it('stops every process on Ctrl-C', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    process.kill(-child.pid!, 'SIGINT');
    await exited;
    await waitFor(
      async () =>
        !(await fetch(`${env.PUBLIC_URL}/health`).then(
          () => true,
          () => false,
        )),
      30_000,
      'the gateway to stop',
    );
  });
});
