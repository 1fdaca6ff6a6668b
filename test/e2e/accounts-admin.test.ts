/**
 * The install admin (issue 12): admin-only routes, the streamer list with search and paging,
 * disabling a streamer (page gone, login refused, sessions ended) and enabling again, sign-up
 * open / by invite / closed, and `npm run admin:reset-password`.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import argon2 from 'argon2';
import { uuidv7 } from 'uuidv7';
import { ROOT, TestSystem } from '../support/system.js';
import { query } from '../support/db.js';
import { createDonation, http } from '../support/clients.js';

describe('accounts: admin (real processes)', function () {
  this.timeout(180_000);
  let system: TestSystem;
  let adminToken: string;
  const adminEmail = `admin_${randomBytes(4).toString('hex')}@example.test`;
  const password = 'correct horse battery';

  /** Registers (202 or 201) and logs in; returns the access token and user. */
  async function streamerAccount(
    prefix = 's',
  ): Promise<{ username: string; email: string; token: string; id: string }> {
    const username = `${prefix}_${randomBytes(5).toString('hex')}`;
    const email = `${username}@example.test`;
    const reg = await http(system, 'POST', '/api/v1/auth/register', {
      body: { email, password, username, role: 'streamer' },
    });
    expect(reg.status, JSON.stringify(reg.body)).to.be.oneOf([201, 202]);
    const login = await http(system, 'POST', '/api/v1/auth/login', { body: { email, password } });
    expect(login.status, JSON.stringify(login.body)).to.equal(200);
    return { username, email, token: login.body.accessToken as string, id: login.body.user.id as string };
  }

  before(async function () {
    // Booting every process takes long on a loaded machine.
    this.timeout(600_000);
    system = await TestSystem.start();
    // Admins are never registered through the API (npm run admin:create does this insert).
    await query(
      system.config.GATEWAY_DATABASE_URL,
      "insert into users (id, email, password_hash, role) values ($1, $2, $3, 'admin')",
      [uuidv7(), adminEmail, await argon2.hash(password, { type: argon2.argon2id })],
    );
    const login = await http(system, 'POST', '/api/v1/auth/login', { body: { email: adminEmail, password } });
    expect(login.status).to.equal(200);
    adminToken = login.body.accessToken as string;
  });
  after(async () => {
    await system?.stop();
  });

  const adminRoutes = [
    ['GET', '/api/v1/admin/streamers'],
    ['POST', `/api/v1/admin/streamers/${uuidv7()}/disable`],
    ['POST', `/api/v1/admin/streamers/${uuidv7()}/enable`],
    ['GET', '/api/v1/admin/settings'],
    ['PATCH', '/api/v1/admin/settings'],
    ['POST', '/api/v1/admin/invites'],
  ] as const;

  it('refuses every admin route to streamers and donors (403) and to anonymous callers (401)', async () => {
    const streamer = await streamerAccount();
    for (const [method, path] of adminRoutes) {
      const body = method === 'GET' ? undefined : {};
      expect((await http(system, method, path, { token: streamer.token, body })).status, path).to.equal(403);
      expect((await http(system, method, path, { body })).status, path).to.equal(401);
    }
  });

  it('lists streamers newest first, searches, and pages', async () => {
    const tag = randomBytes(3).toString('hex');
    const made = [];
    for (let i = 0; i < 3; i++) made.push(await streamerAccount(`f${tag}${i}`));
    const all = await http(system, 'GET', `/api/v1/admin/streamers?q=f${tag}`, { token: adminToken });
    expect(all.status).to.equal(200);
    expect(all.body.total).to.equal(3);
    expect(all.body.streamers.map((s: { username: string }) => s.username)).to.deep.equal(
      made.map((m) => m.username).reverse(),
    );
    expect(all.body.streamers[0]).to.include({ email: made[2]!.email, disabled: false });
    const page2 = await http(
      system,
      'GET',
      `/api/v1/admin/streamers?q=F${tag.toUpperCase()}&page=2&pageSize=2`,
      {
        token: adminToken,
      },
    );
    expect(page2.body.total).to.equal(3);
    expect(page2.body.streamers.map((s: { username: string }) => s.username)).to.deep.equal([
      made[0]!.username,
    ]);
    // LIKE wildcards are searched for literally.
    const wild = await http(system, 'GET', '/api/v1/admin/streamers?q=%25', { token: adminToken });
    expect(wild.body.total).to.equal(0);
    const bad = await http(system, 'GET', '/api/v1/admin/streamers?pageSize=1000', { token: adminToken });
    expect(bad.status).to.equal(400);
    expect(bad.body.error.details.fields).to.have.property('pageSize');
  });

  it('disables a streamer (page and donations 404, login refused, sessions ended) and enables again', async () => {
    const s = await streamerAccount();
    const browserCookies = await http(system, 'POST', '/api/v1/auth/login', {
      body: { email: s.email, password },
    });
    const refreshCookie = browserCookies.headers
      .getSetCookie()
      .find((c) => c.startsWith('ms_refresh='))!
      .split(';')[0]!;
    const csrf = browserCookies.headers
      .getSetCookie()
      .find((c) => c.startsWith('ms_csrf='))!
      .split(';')[0]!;
    const off = await http(system, 'POST', `/api/v1/admin/streamers/${s.id}/disable`, { token: adminToken });
    expect(off.status).to.equal(200);
    expect(off.body).to.deep.equal({ id: s.id, disabled: true });
    const page = await http(system, 'GET', `/api/v1/streamers/${s.username}`);
    expect(page.status).to.equal(404);
    expect(page.body.error.message).to.match(/not available/);
    expect((await createDonation(system, s.username, { donorName: 'A', amount: '20000' })).status).to.equal(
      404,
    );
    const login = await http(system, 'POST', '/api/v1/auth/login', { body: { email: s.email, password } });
    expect(login.status).to.equal(403);
    expect(login.body.error.message).to.match(/disabled/);
    const refresh = await http(system, 'POST', '/api/v1/auth/refresh', {
      headers: { cookie: `${refreshCookie}; ${csrf}`, 'x-csrf-token': csrf.split('=')[1]! },
    });
    expect(refresh.status).to.equal(401);
    const list = await http(system, 'GET', `/api/v1/admin/streamers?q=${s.username}`, { token: adminToken });
    expect(list.body.streamers[0]).to.include({ disabled: true });

    const on = await http(system, 'POST', `/api/v1/admin/streamers/${s.id}/enable`, { token: adminToken });
    expect(on.body).to.deep.equal({ id: s.id, disabled: false });
    expect((await http(system, 'GET', `/api/v1/streamers/${s.username}`)).status).to.equal(200);
    expect(
      (await http(system, 'POST', '/api/v1/auth/login', { body: { email: s.email, password } })).status,
    ).to.equal(200);
    expect(
      (await http(system, 'POST', `/api/v1/admin/streamers/${uuidv7()}/disable`, { token: adminToken }))
        .status,
    ).to.equal(404);
  });

  it('closes sign-up, opens it by invite only (single-use codes), and opens it again', async () => {
    const register = (inviteCode?: string) => {
      const username = `i_${randomBytes(5).toString('hex')}`;
      return http(system, 'POST', '/api/v1/auth/register', {
        body: { email: `${username}@example.test`, password, username, role: 'streamer', inviteCode },
      });
    };
    const unknown = await http(system, 'PATCH', '/api/v1/admin/settings', {
      token: adminToken,
      body: { signup: 'closed', colour: 'red' },
    });
    expect(unknown.status).to.equal(400);
    expect(unknown.body.error.details.fields).to.deep.equal({ colour: 'is not a known field' });
    const wrong = await http(system, 'PATCH', '/api/v1/admin/settings', {
      token: adminToken,
      body: { signup: 'sometimes' },
    });
    expect(wrong.status).to.equal(400);
    expect(wrong.body.error.details.fields).to.have.property('signup');
    try {
      const closed = await http(system, 'PATCH', '/api/v1/admin/settings', {
        token: adminToken,
        body: { signup: 'closed' },
      });
      expect(closed.body).to.deep.equal({ signup: 'closed' });
      expect((await http(system, 'GET', '/api/v1/auth/signup')).body).to.deep.equal({ signup: 'closed' });
      expect((await register()).status).to.equal(403);

      await http(system, 'PATCH', '/api/v1/admin/settings', {
        token: adminToken,
        body: { signup: 'invite' },
      });
      const none = await register();
      expect(none.status).to.equal(400);
      expect(none.body.error.details.fields).to.have.property('inviteCode');
      const invite = await http(system, 'POST', '/api/v1/admin/invites', { token: adminToken, body: {} });
      expect(invite.status).to.equal(201);
      expect(invite.body.code).to.be.a('string');
      expect(Date.parse(invite.body.expiresAt as string)).to.be.greaterThan(Date.now());
      expect((await register('not-a-code')).status).to.equal(400);
      expect((await register(invite.body.code as string)).status).to.be.oneOf([201, 202]);
      const again = await register(invite.body.code as string);
      expect(again.status).to.equal(400);
      expect(again.body.error.details.fields).to.have.property('inviteCode');
    } finally {
      await http(system, 'PATCH', '/api/v1/admin/settings', { token: adminToken, body: { signup: 'open' } });
    }
    expect((await register()).status).to.be.oneOf([201, 202]);
  });

  it('npm run admin:reset-password prints a new password that works and ends the old sessions', async () => {
    const s = await streamerAccount();
    const run = (...args: string[]) =>
      new Promise<{ code: number | null; out: string }>((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/reset-password.ts', ...args], {
          cwd: ROOT,
          env: { ...process.env, ...system.env },
        });
        let out = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.stderr.on('data', (d: Buffer) => (out += d.toString()));
        child.on('exit', (code) => resolve({ code, out }));
      });
    const reset = await run(s.email);
    expect(reset.code, reset.out).to.equal(0);
    const newPassword = /New password: (\S+)/.exec(reset.out)?.[1];
    expect(newPassword).to.be.a('string').with.length.greaterThan(15);
    expect(reset.out).to.match(/1 session\(s\) ended/);
    expect(
      (await http(system, 'POST', '/api/v1/auth/login', { body: { email: s.email, password } })).status,
    ).to.equal(401);
    expect(
      (await http(system, 'POST', '/api/v1/auth/login', { body: { email: s.email, password: newPassword } }))
        .status,
    ).to.equal(200);
    const missing = await run('nobody@example.test');
    expect(missing.code).to.equal(1);
  });
});
