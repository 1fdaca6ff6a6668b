import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { expect } from 'chai';
import { loadConfig } from '../../shared/config.js';
import { dropDatabase } from '../../shared/database.js';
import { query } from '../support/db.js';
import { ROOT } from '../support/system.js';

describe('npm run db:migrate', function () {
  this.timeout(120_000);
  const id = `m${randomBytes(4).toString('hex')}`;
  const env = {
    GATEWAY_DATABASE_URL: `postgres://postgres@127.0.0.1:5432/ms_${id}_gateway`,
    DONATION_DATABASE_URL: `postgres://postgres@127.0.0.1:5432/ms_${id}_donation`,
    PAYMENT_DATABASE_URL: `postgres://postgres@127.0.0.1:5432/ms_${id}_payment`,
    JWT_SECRET: 'x'.repeat(32),
    SANDBOX_WEBHOOK_SECRET: 'y'.repeat(32),
    MEDIASHAR_NO_DOTENV: '1',
    LOG_LEVEL: 'info',
  };
  const config = loadConfig(env);
  const urls = [config.GATEWAY_DATABASE_URL, config.DONATION_DATABASE_URL, config.PAYMENT_DATABASE_URL];

  after(async () => {
    await Promise.all(urls.map((u) => dropDatabase(u)));
  });

  function migrate(): { status: number | null; applied: Record<string, string[]> } {
    const run = spawnSync('npm', ['run', '--silent', 'db:migrate'], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      encoding: 'utf8',
    });
    const line = run.stdout
      .split('\n')
      .find((l) => l.includes('"applied"') && l.includes('"msg"') && !l.includes('"database"'));
    return {
      status: run.status,
      applied: line ? (JSON.parse(line) as { applied: Record<string, string[]> }).applied : {},
    };
  }

  it('creates three missing databases and applies their migrations, then a second run changes nothing', async () => {
    for (const url of urls) {
      const [exists] = await query<{ n: string }>(
        url.replace(/\/[^/]+$/, '/postgres'),
        'select count(*) as n from pg_database where datname = $1',
        [url.split('/').pop()],
      );
      expect(exists!.n).to.equal('0');
    }
    const first = migrate();
    expect(first.status).to.equal(0);
    expect(first.applied.gateway_db).to.have.length.greaterThan(0);
    expect(first.applied.donation_db).to.have.length.greaterThan(0);
    expect(first.applied.payment_db).to.have.length.greaterThan(0);
    const tables = async (url: string) =>
      (
        await query<{ t: string }>(
          url,
          "select tablename as t from pg_tables where schemaname = 'public' order by 1",
        )
      ).map((r) => r.t);
    expect(await tables(config.GATEWAY_DATABASE_URL)).to.include.members([
      'users',
      'streamers',
      'mikro_orm_migrations',
    ]);
    expect(await tables(config.DONATION_DATABASE_URL)).to.include.members([
      'donations',
      'mikro_orm_migrations',
    ]);
    expect(await tables(config.PAYMENT_DATABASE_URL)).to.include.members([
      'payments',
      'provider_events',
      'mikro_orm_migrations',
    ]);
    const schemaBefore = await Promise.all(
      urls.map((u) =>
        query(
          u,
          "select table_name, column_name, data_type from information_schema.columns where table_schema = 'public' order by 1, 2",
        ),
      ),
    );
    const second = migrate();
    expect(second.status).to.equal(0);
    expect(Object.values(second.applied).flat()).to.deep.equal([]);
    const schemaAfter = await Promise.all(
      urls.map((u) =>
        query(
          u,
          "select table_name, column_name, data_type from information_schema.columns where table_schema = 'public' order by 1, 2",
        ),
      ),
    );
    expect(schemaAfter).to.deep.equal(schemaBefore);
  });
});
