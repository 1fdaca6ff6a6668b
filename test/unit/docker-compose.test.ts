/**
 * No Docker engine runs here, so docker-compose.yml is checked against the real configuration:
 * every pm2 process has a service with the same entry, every variable is one shared/config.ts
 * knows, required secrets are passed, and each service database has its own PostgreSQL server.
 * And that the install is closed by default (issue 10): only the gateway and the realtime port
 * are published; PostgreSQL and Redis take passwords from required variables (no default secret
 * anywhere in the file) and the services' URLs carry them; gRPC runs on the certificates of the
 * one-shot `certs` service, whose CA key no process mounts.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { parse } from 'yaml';
import { envSchema, loadConfig } from '../../shared/config.js';
import { ROOT } from '../support/system.js';
import { POOL_NAMES, workerProcessName } from '../../workers/pools.js';

interface ComposeService {
  build?: unknown;
  image?: string;
  command?: string[];
  environment?: Record<string, string | number>;
  ports?: string[];
  expose?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
}

const composeText = readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8');
const compose = parse(composeText, { merge: true }) as {
  services: Record<string, ComposeService>;
  volumes: Record<string, unknown>;
};

/** `${NAME:?message}`: compose refuses to start while NAME is unset or empty. */
const REQUIRED = /^\$\{([A-Z][A-Z0-9_]*):\?[^}]+\}$/;
function requiredVariable(value: unknown): string | undefined {
  return REQUIRED.exec(String(value))?.[1];
}

/**
 * Compose's interpolation of one value: `${NAME}`, `${NAME:-default}`, `${NAME:?message}` and
 * `$$`. @throws the message when a required variable is unset or empty.
 */
function interpolate(value: string, env: Record<string, string>): string {
  return value.replace(
    /\$\$|\$\{([A-Z0-9_]+)(?:(:-|:\?)([^}]*))?\}/g,
    (all, name?: string, op?: string, arg?: string) => {
      if (all === '$$') return '$';
      const set = env[name!];
      if (set) return set;
      if (op === ':?') throw new Error(arg);
      return op === ':-' ? arg! : '';
    },
  );
}
interface Pm2App {
  name: string;
  script: string;
  args?: string;
  instances: number;
  kill_timeout: number;
  env?: Record<string, string>;
}
const { apps, workerApps, WORKER_POOLS } = (await import(join(ROOT, 'ecosystem.config.js'))) as {
  apps: Pm2App[];
  workerApps: (layout: 'shared' | 'per-pool') => Pm2App[];
  WORKER_POOLS: Record<string, number>;
};
const defaults = loadConfig({ JWT_SECRET: 'x'.repeat(32), SANDBOX_WEBHOOK_SECRET: 'y'.repeat(32) });

describe('docker-compose.yml', () => {
  it('runs every pm2 process from the one Dockerfile with the same entry', () => {
    for (const app of apps) {
      const service = compose.services[app.name];
      expect(service, `service ${app.name}`).to.exist;
      expect(service!.build, app.name).to.equal('.');
      const expected = ['node', app.script, ...(app.args ? app.args.split(' ') : [])];
      expect(service!.command, app.name).to.deep.equal(expected);
    }
  });

  it('passes only variables shared/config.ts knows, including the required secrets', () => {
    const known = new Set(Object.keys(envSchema.shape));
    for (const app of apps) {
      const env = compose.services[app.name]!.environment ?? {};
      for (const name of Object.keys(env)) expect(known.has(name), `${app.name}: ${name}`).to.equal(true);
      expect(env).to.have.property('JWT_SECRET');
      expect(env).to.have.property('SANDBOX_WEBHOOK_SECRET');
      expect(env.BIND_HOST, app.name).to.equal('0.0.0.0');
    }
  });

  it('gives each service database its own PostgreSQL server on 5432, 5433 and 5434', () => {
    const env = compose.services.gateway!.environment!;
    const targets = {
      GATEWAY_DATABASE_URL: ['postgres-gateway', '5432', 'gateway_db'],
      DONATION_DATABASE_URL: ['postgres-donation', '5433', 'donation_db'],
      PAYMENT_DATABASE_URL: ['postgres-payment', '5434', 'payment_db'],
    } as const;
    const given = { GATEWAY_DB_PASSWORD: 'a1', DONATION_DB_PASSWORD: 'b2', PAYMENT_DB_PASSWORD: 'c3' };
    for (const [variable, [host, port, db]] of Object.entries(targets)) {
      const url = new URL(interpolate(String(env[variable]), given));
      expect(url.hostname, variable).to.equal(host);
      expect(url.port, variable).to.equal(port);
      expect(url.pathname, variable).to.equal(`/${db}`);
      const server = compose.services[host]!;
      expect(server.image).to.match(/^postgres:15/);
      expect(server.command).to.include(port);
      expect(String(server.environment!.POSTGRES_DB)).to.equal(db);
    }
  });

  it('publishes only the gateway and the realtime port: no database, Redis or gRPC port', () => {
    const published = Object.fromEntries(
      Object.entries(compose.services)
        .filter(([, s]) => s.ports?.length)
        .map(([name, s]) => [name, s.ports]),
    );
    expect(published).to.deep.equal({
      gateway: [`${defaults.GATEWAY_PORT}:${defaults.GATEWAY_PORT}`],
      'notification-service': [`${defaults.REALTIME_PORT}:${defaults.REALTIME_PORT}`],
    });
    // `network_mode: host` would publish everything.
    expect(composeText).to.not.match(/network_mode:\s*host/);
  });

  it('gives each PostgreSQL server its own required password, the one its URL carries', () => {
    const env = compose.services.gateway!.environment!;
    const servers = {
      'postgres-gateway': 'GATEWAY_DATABASE_URL',
      'postgres-donation': 'DONATION_DATABASE_URL',
      'postgres-payment': 'PAYMENT_DATABASE_URL',
    } as const;
    const variables = new Set<string>();
    for (const [host, urlVariable] of Object.entries(servers)) {
      const password = requiredVariable(compose.services[host]!.environment!.POSTGRES_PASSWORD);
      expect(password, `${host} POSTGRES_PASSWORD is a required variable`).to.be.a('string');
      variables.add(password!);
      const url = String(env[urlVariable]);
      const inUrl = /^postgres:\/\/mediashar:(\$\{[^}]+\})@/.exec(url)?.[1];
      expect(requiredVariable(inUrl), urlVariable).to.equal(password);
    }
    expect(variables.size, 'one password per server').to.equal(3);
  });

  it('runs Redis with AOF persistence, noeviction and a required password every REDIS_URL carries', () => {
    const redis = compose.services.redis!;
    const cmd = redis.command!.join(' ');
    expect(cmd).to.include('--appendonly yes');
    expect(cmd).to.include('--maxmemory-policy noeviction');
    const pass = redis.command![redis.command!.indexOf('--requirepass') + 1];
    const variable = requiredVariable(pass);
    expect(variable, '--requirepass takes a required variable').to.be.a('string');
    // The health check authenticates (REDISCLI_AUTH), or Redis would never report healthy.
    expect(requiredVariable(redis.environment!.REDISCLI_AUTH)).to.equal(variable);
    for (const app of [...apps.map((a) => a.name), 'migrate']) {
      const url = String(compose.services[app]!.environment!.REDIS_URL);
      const inUrl = /^redis:\/\/:(\$\{[^}]+\})@redis:6379$/.exec(url)?.[1];
      expect(requiredVariable(inUrl), `${app} REDIS_URL`).to.equal(variable);
    }
  });

  it('has no default for any secret: each is required, and the processes accept what is given', () => {
    // `${NAME:-value}` with a non-empty value for anything named like a secret.
    const defaulted = [...composeText.matchAll(/\$\{([A-Z0-9_]+):-([^}]*)\}/g)]
      .filter(([, name, value]) => /SECRET|PASSWORD|KEY|TOKEN|PASS\b/.test(name!) && value !== '')
      .map(([all]) => all);
    expect(defaulted).to.deep.equal([]);
    // No literal password: in a URL, a requirepass or a POSTGRES_PASSWORD.
    expect(composeText).to.not.match(/:\/\/[^:/\s]*:[^$@\s][^@\s]*@/);
    const required = new Set([...composeText.matchAll(/\$\{([A-Z0-9_]+):\?/g)].map(([, n]) => n!));
    expect([...required]).to.include.members([
      'JWT_SECRET',
      'SANDBOX_WEBHOOK_SECRET',
      'REDIS_PASSWORD',
      'GATEWAY_DB_PASSWORD',
      'DONATION_DB_PASSWORD',
      'PAYMENT_DB_PASSWORD',
    ]);
    const given = Object.fromEntries([...required].map((n) => [n, randomBytes(24).toString('hex')]));
    for (const app of apps) {
      const env = Object.fromEntries(
        Object.entries(compose.services[app.name]!.environment!).map(([k, v]) => [
          k,
          interpolate(String(v), given),
        ]),
      );
      const config = loadConfig(env);
      expect(new URL(config.REDIS_URL).password, app.name).to.equal(given.REDIS_PASSWORD);
      expect(new URL(config.GATEWAY_DATABASE_URL).password, app.name).to.equal(given.GATEWAY_DB_PASSWORD);
    }
    for (const missing of required) {
      const without = { ...given, [missing]: '' };
      expect(() => interpolate(composeText, without), missing).to.throw();
    }
  });

  it('gives every process the certificates of the one-shot certs service, and no process the CA key', () => {
    const certs = compose.services.certs!;
    expect(certs.command!.slice(0, 4)).to.deep.equal(['node', '--import', 'tsx', 'scripts/certs.ts']);
    const dir = certs.command![certs.command!.indexOf('--dir') + 1];
    const caKey = certs.command![certs.command!.indexOf('--ca-key') + 1]!;
    expect(caKey.startsWith(`${dir}/`), 'CA key outside the certificate folder').to.equal(false);
    const caVolume = certs.volumes!.find((v) => caKey.startsWith(`${v.split(':')[1]}/`))!.split(':')[0]!;
    for (const app of apps) {
      const service = compose.services[app.name]!;
      expect(service.environment!.GRPC_TLS_DIR, app.name).to.equal(dir);
      expect(service.volumes, app.name).to.include(`certs:${dir}:ro`);
      expect(
        service.volumes!.some((v) => v.startsWith(`${caVolume}:`)),
        app.name,
      ).to.equal(false);
      expect(service.depends_on, app.name).to.have.nested.property(
        'certs.condition',
        'service_completed_successfully',
      );
    }
    expect(compose.volumes).to.have.all.keys(
      'pg-gateway',
      'pg-donation',
      'pg-payment',
      'redis-data',
      'certs',
      caVolume,
    );
  });

  it('addresses services by name', () => {
    const env = compose.services.gateway!.environment!;
    expect(env.DONATION_SERVICE_ADDR).to.equal(`donation-service:${defaults.DONATION_GRPC_PORT}`);
    expect(env.PAYMENT_SERVICE_ADDR).to.equal(`payment-service:${defaults.PAYMENT_GRPC_PORT}`);
    expect(env.NOTIFICATION_SERVICE_ADDR).to.equal(`notification-service:${defaults.NOTIFICATION_GRPC_PORT}`);
  });

  it('migrates before any process starts', () => {
    expect(compose.services.migrate!.command).to.deep.equal([
      'node',
      '--import',
      'tsx',
      'scripts/migrate.ts',
    ]);
    expect(compose.services.gateway).to.have.nested.property(
      'depends_on.migrate.condition',
      'service_completed_successfully',
    );
  });
});

describe('ecosystem.config.js', () => {
  it('declares every process with an instance count and a kill timeout longer than the longest drain', async () => {
    const { DRAIN_LIMIT_MS } = await import('../../shared/lifecycle.js');
    expect(apps.map((a) => a.name)).to.have.members([
      'gateway',
      'donation-service',
      'payment-service',
      'notification-service',
      'workers',
    ]);
    for (const app of [...apps, ...workerApps('per-pool')]) {
      expect(app.instances, app.name).to.be.a('number').and.to.be.greaterThan(0);
      expect(app.kill_timeout, app.name).to.be.greaterThan(DRAIN_LIMIT_MS);
    }
  });

  it('runs every worker pool in one process by default, and each in its own with per-pool', () => {
    const pools = Object.keys(WORKER_POOLS);
    expect(pools).to.have.members([...POOL_NAMES]);
    const workers = apps.filter((a) => a.script === 'dist/workers/main.js');
    expect(workers.map((a) => [a.name, a.args, a.instances])).to.deep.equal([
      ['workers', pools.join(','), 1],
    ]);
    expect(workerProcessName(pools)).to.equal('workers');
    const perPool = workerApps('per-pool');
    expect(perPool.map((a) => [a.name, a.args])).to.deep.equal(pools.map((p) => [workerProcessName([p]), p]));
    expect(perPool.map((a) => a.name)).to.include('workers-payment-verification');
    // Every worker process has its own metrics port (pm2 adds the instance number to it).
    const ports = perPool.map((a) => a.env?.WORKER_METRICS_PORT);
    expect(new Set(ports).size).to.equal(pools.length);
  });
});
