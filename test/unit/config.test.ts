import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { ConfigError, envSchema, loadConfig } from '../../shared/config.js';
import { ROOT } from '../support/system.js';

const SECRETS = { JWT_SECRET: 'x'.repeat(32), SANDBOX_WEBHOOK_SECRET: 'y'.repeat(32) };

describe('config', () => {
  it('applies the documented defaults when only the secrets are set', () => {
    const config = loadConfig(SECRETS);
    expect(config).to.include({
      GATEWAY_PORT: 8080,
      DONATION_GRPC_PORT: 9091,
      REALTIME_PORT: 9094,
      REDIS_PREFIX: 'mediashar',
    });
    expect(config.GATEWAY_DATABASE_URL).to.equal('postgres://postgres@127.0.0.1:5432/gateway_db');
    expect(Object.isFrozen(config)).to.equal(true);
  });

  it('reports every bad variable together in one error', () => {
    try {
      loadConfig({
        GATEWAY_PORT: '99999',
        DONATION_DATABASE_URL: 'mysql://x/y',
        PAYMENT_DATABASE_URL: '',
        REDIS_URL: 'http://nope',
      });
      expect.fail('should have thrown');
    } catch (err) {
      expect(err).to.be.instanceOf(ConfigError);
      const names = (err as ConfigError).problems.map((p) => p.variable);
      expect(names).to.include.members([
        'GATEWAY_PORT',
        'DONATION_DATABASE_URL',
        'PAYMENT_DATABASE_URL',
        'REDIS_URL',
        'JWT_SECRET',
        'SANDBOX_WEBHOOK_SECRET',
      ]);
      expect((err as Error).message).to.match(/GATEWAY_PORT: .*port/);
    }
  });

  it('documents every variable in .env.example', () => {
    const example = readFileSync(join(ROOT, '.env.example'), 'utf8');
    const documented = new Set([...example.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]));
    const missing = Object.keys(envSchema.shape).filter((k) => !documented.has(k));
    expect(missing, 'variables missing from .env.example').to.deep.equal([]);
  });

  it('makes a process exit non-zero naming a missing database URL and a bad port', async function () {
    this.timeout(30_000);
    const child = spawn(process.execPath, ['--import', 'tsx', 'gateway/main.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        ...SECRETS,
        MEDIASHAR_NO_DOTENV: '1',
        GATEWAY_DATABASE_URL: '',
        GATEWAY_PORT: '70000',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).to.not.equal(0);
    expect(output).to.include('GATEWAY_DATABASE_URL');
    expect(output).to.include('GATEWAY_PORT');
  });
});
