/**
 * No Docker engine runs here, so docker-compose.yml is checked against the real configuration:
 * every pm2 process has a service with the same entry, every variable is one shared/config.ts
 * knows, required secrets are passed, ports match the config defaults, and each service
 * database has its own PostgreSQL server.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { parse } from 'yaml';
import { envSchema, loadConfig } from '../../shared/config.js';
import { ROOT } from '../support/system.js';

interface ComposeService {
  build?: unknown;
  image?: string;
  command?: string[];
  environment?: Record<string, string | number>;
  ports?: string[];
}

const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
};
const { apps } = (await import(join(ROOT, 'ecosystem.config.js'))) as {
  apps: { name: string; script: string; args?: string; instances: number; kill_timeout: number }[];
};
const defaults = loadConfig({ JWT_SECRET: 'x'.repeat(32), SANDBOX_WEBHOOK_SECRET: 'y'.repeat(32) });

describe('docker-compose.yml', () => {
  it('runs every pm2 process from the one Dockerfile with the same entry', () => {
    for (const app of apps) {
      const service = compose.services[app.name];
      expect(service, `service ${app.name}`).to.exist;
      expect(service!.build, app.name).to.equal('.');
      const expected = ['node', '--import', 'tsx', app.script, ...(app.args ? app.args.split(' ') : [])];
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
    for (const [variable, [host, port, db]] of Object.entries(targets)) {
      const url = new URL(String(env[variable]));
      expect(url.hostname, variable).to.equal(host);
      expect(url.port, variable).to.equal(port);
      expect(url.pathname, variable).to.equal(`/${db}`);
      const server = compose.services[host]!;
      expect(server.image).to.match(/^postgres:15/);
      expect(server.ports).to.deep.equal([`${port}:${port}`]);
      expect(server.command).to.include(port);
      expect(String(server.environment!.POSTGRES_DB)).to.equal(db);
    }
  });

  it('runs Redis with AOF persistence and noeviction', () => {
    const cmd = compose.services.redis!.command!.join(' ');
    expect(cmd).to.include('--appendonly yes');
    expect(cmd).to.include('--maxmemory-policy noeviction');
    expect(compose.services.gateway!.environment!.REDIS_URL).to.equal('redis://redis:6379');
  });

  it('publishes the ports of the configuration and addresses services by name', () => {
    const env = compose.services.gateway!.environment!;
    expect(compose.services.gateway!.ports).to.deep.equal([
      `${defaults.GATEWAY_PORT}:${defaults.GATEWAY_PORT}`,
    ]);
    expect(compose.services['donation-service']!.ports).to.deep.equal([
      `${defaults.DONATION_GRPC_PORT}:${defaults.DONATION_GRPC_PORT}`,
    ]);
    expect(compose.services['payment-service']!.ports).to.deep.equal([
      `${defaults.PAYMENT_GRPC_PORT}:${defaults.PAYMENT_GRPC_PORT}`,
    ]);
    expect(compose.services['notification-service']!.ports).to.have.members([
      `${defaults.NOTIFICATION_GRPC_PORT}:${defaults.NOTIFICATION_GRPC_PORT}`,
      `${defaults.REALTIME_PORT}:${defaults.REALTIME_PORT}`,
    ]);
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
    const names = apps.map((a) => a.name);
    expect(names).to.include.members([
      'gateway',
      'donation-service',
      'payment-service',
      'notification-service',
      'workers-donation',
      'workers-checkout',
      'workers-payment-verification',
    ]);
    for (const app of apps) {
      expect(app.instances, app.name).to.be.a('number').and.to.be.greaterThan(0);
      expect(app.kill_timeout, app.name).to.be.greaterThan(DRAIN_LIMIT_MS);
    }
  });
});
