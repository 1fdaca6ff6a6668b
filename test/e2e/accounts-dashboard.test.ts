/**
 * Accounts and the streamer's dashboard reads (issue 3): registration rules, login, pinned JWT
 * verification, public profile, the streamer's donation list and stats.
 */
import { expect } from 'chai';
import { SignJWT, UnsecuredJWT } from 'jose';
import { TestSystem } from '../support/system.js';
import { query } from '../support/db.js';
import {
  createDonation,
  http,
  paymentIdOf,
  registerStreamer,
  sandboxComplete,
  waitForDonationStatus,
  type TestStreamer,
} from '../support/clients.js';

describe('accounts and dashboard (real processes)', function () {
  this.timeout(120_000);
  let system: TestSystem;
  let streamer: TestStreamer;

  before(async function () {
    // TestSystem waits up to 300 s for the processes on a loaded machine.
    this.timeout(400_000);
    system = await TestSystem.start();
    streamer = await registerStreamer(system);
  });
  after(async () => {
    await system?.stop();
  });

  it('refuses usernames that collide with the product paths, and taken emails or usernames', async () => {
    for (const username of [
      'api',
      'admin',
      'overlay',
      'sandbox',
      'docs',
      'health',
      'metrics',
      'dashboard',
      'login',
      'Admin',
    ]) {
      const res = await http(system, 'POST', '/api/v1/auth/register', {
        body: { email: `${username}@x.test`, password: 'long enough pw', username, role: 'streamer' },
      });
      expect(res.status, username).to.equal(400);
      expect(res.body.error.details.fields).to.have.property('username');
    }
    // A taken email answers exactly like a free one (no account discovery), and changes nothing.
    const taken = await http(system, 'POST', '/api/v1/auth/register', {
      body: {
        email: `${streamer.username}@example.test`,
        password: 'long enough pw',
        username: 'another_one',
        role: 'streamer',
      },
    });
    const free = await http(system, 'POST', '/api/v1/auth/register', {
      body: {
        email: 'fresh_one@example.test',
        password: 'long enough pw',
        username: 'fresh_one',
        role: 'streamer',
      },
    });
    expect(taken.status).to.equal(202);
    expect(taken.body).to.deep.equal(free.body);
    const stolen = await http(system, 'POST', '/api/v1/auth/login', {
      body: { email: `${streamer.username}@example.test`, password: 'long enough pw' },
    });
    expect(stolen.status).to.equal(401);
    // A taken username is public anyway: said plainly, whatever the email.
    const takenName = await http(system, 'POST', '/api/v1/auth/register', {
      body: {
        email: 'other@example.test',
        password: 'long enough pw',
        username: streamer.username,
        role: 'streamer',
      },
    });
    expect(takenName.status).to.equal(409);
    expect(takenName.body.error.details.fields).to.have.property('username');
  });

  it('logs in with the right password only, and never stores the password in clear', async () => {
    const ok = await http(system, 'POST', '/api/v1/auth/login', {
      body: { email: `${streamer.username}@example.test`, password: 'correct horse battery' },
    });
    expect(ok.status).to.equal(200);
    expect(ok.body.accessToken).to.be.a('string');
    const bad = await http(system, 'POST', '/api/v1/auth/login', {
      body: { email: `${streamer.username}@example.test`, password: 'wrong password' },
    });
    expect(bad.status).to.equal(401);
    const me = await http(system, 'GET', '/api/v1/me', { token: ok.body.accessToken });
    expect(me.body.streamer.username).to.equal(streamer.username);
    const [row] = await query<{ password_hash: string }>(
      system.config.GATEWAY_DATABASE_URL,
      'select password_hash from users where id = $1',
      [streamer.id],
    );
    expect(row!.password_hash).to.match(/^\$argon2id\$/);
    expect(row!.password_hash).to.not.include('correct horse battery');
  });

  it('pins the JWT algorithm, issuer and audience', async () => {
    const secret = new TextEncoder().encode(system.env.JWT_SECRET);
    const claims = { role: 'streamer' };
    const forged = [
      new UnsecuredJWT(claims)
        .setSubject(streamer.id)
        .setIssuer(system.config.JWT_ISSUER)
        .setAudience(system.config.JWT_AUDIENCE)
        .encode(),
      await new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS512' })
        .setSubject(streamer.id)
        .setIssuer(system.config.JWT_ISSUER)
        .setAudience(system.config.JWT_AUDIENCE)
        .setExpirationTime('1h')
        .sign(secret),
      await new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(streamer.id)
        .setIssuer('someone-else')
        .setAudience(system.config.JWT_AUDIENCE)
        .setExpirationTime('1h')
        .sign(secret),
      await new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(streamer.id)
        .setIssuer(system.config.JWT_ISSUER)
        .setAudience('other-api')
        .setExpirationTime('1h')
        .sign(secret),
      await new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(streamer.id)
        .setIssuer(system.config.JWT_ISSUER)
        .setAudience(system.config.JWT_AUDIENCE)
        .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
        .sign(secret),
    ];
    for (const token of forged) {
      const res = await http(system, 'GET', '/api/v1/me', { token });
      expect(res.status).to.equal(401);
    }
    const good = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(streamer.id)
      .setIssuer(system.config.JWT_ISSUER)
      .setAudience(system.config.JWT_AUDIENCE)
      .setExpirationTime('1h')
      .sign(secret);
    expect((await http(system, 'GET', '/api/v1/me', { token: good })).status).to.equal(200);
  });

  it('shows the public profile and settings without private data', async () => {
    const res = await http(system, 'GET', `/api/v1/streamers/${streamer.username}`);
    expect(res.status).to.equal(200);
    expect(res.body).to.include({ username: streamer.username, currency: 'IDR' });
    expect(res.body.minDonation).to.include({ currency: 'IDR' });
    expect(JSON.stringify(res.body)).to.not.match(/overlay|token|password|email/i);
  });

  it('lists the streamer’s donations newest first in pages, and counts only paid ones in stats', async () => {
    const ids: string[] = [];
    for (const [name, amount, pay] of [
      ['Ani', '10000', true],
      ['Budi', '20000', true],
      ['Cici', '30000', false],
      ['Ani', '5000', true],
    ] as const) {
      const created = await createDonation(system, streamer.username, { donorName: name, amount });
      ids.push(created.body.id as string);
      if (pay) {
        await sandboxComplete(system, await paymentIdOf(system, created));
        await waitForDonationStatus(system, created.body.id as string, 'paid');
      } else {
        await waitForDonationStatus(system, created.body.id as string, 'pending');
      }
    }
    const page1 = await http(system, 'GET', '/api/v1/me/donations?limit=3', { token: streamer.accessToken });
    expect(page1.status).to.equal(200);
    expect(page1.body.donations.map((d: { id: string }) => d.id)).to.deep.equal([ids[3], ids[2], ids[1]]);
    expect(page1.body.nextCursor).to.be.a('string');
    const page2 = await http(
      system,
      'GET',
      `/api/v1/me/donations?limit=3&cursor=${page1.body.nextCursor as string}`,
      { token: streamer.accessToken },
    );
    expect(page2.body.donations.map((d: { id: string }) => d.id)).to.deep.equal([ids[0]]);
    expect(page2.body.nextCursor).to.equal(null);

    // Sandbox payments are not real money: they stay out of the totals, top donors and days and
    // are counted apart as test donations (only the three paid ones, not the pending one).
    const stats = await http(system, 'GET', '/api/v1/me/stats', { token: streamer.accessToken });
    expect(stats.status).to.equal(200);
    expect(stats.body.count).to.equal(0);
    expect(stats.body.totals).to.deep.equal([]);
    expect(stats.body.topDonors).to.deep.equal([]);
    expect(stats.body.perDay).to.deep.equal([]);
    expect(stats.body.test).to.deep.equal({ count: 3 });
  });

  it('refuses to offer a provider this install has not enabled, naming the enabled ones', async () => {
    const res = await http(system, 'PATCH', '/api/v1/me/settings', {
      token: streamer.accessToken,
      body: { providers: ['stripe'] },
    });
    expect(res.status).to.equal(400);
    expect(res.body.error.details.fields.providers).to.include('sandbox');
    const profile = await http(system, 'GET', `/api/v1/streamers/${streamer.username}`);
    expect(profile.body.providers).to.deep.equal(['sandbox']);
  });

  it('names the field of a bad minimum and of a non-https sound URL', async () => {
    const min = await http(system, 'PATCH', '/api/v1/me/settings', {
      token: streamer.accessToken,
      body: { minDonation: '-5' },
    });
    expect(min.status).to.equal(400);
    expect(min.body.error.details.fields).to.have.property('minDonation');
    const sound = await http(system, 'PATCH', '/api/v1/me/settings', {
      token: streamer.accessToken,
      body: { soundUrl: 'http://example.test/a.mp3' },
    });
    expect(sound.status).to.equal(400);
    expect(sound.body.error.details.fields.soundUrl).to.match(/https/);
  });

  it('keeps the dashboard for streamers: 401 without a token, 403 for a donor', async () => {
    expect((await http(system, 'GET', '/api/v1/me/donations')).status).to.equal(401);
    const registered = await http(system, 'POST', '/api/v1/auth/register', {
      body: { email: 'donor1@x.test', password: 'long enough pw', role: 'donor' },
    });
    expect(registered.status).to.equal(202);
    const donor = await http(system, 'POST', '/api/v1/auth/login', {
      body: { email: 'donor1@x.test', password: 'long enough pw' },
    });
    expect(donor.status).to.equal(200);
    expect(
      (await http(system, 'GET', '/api/v1/me/donations', { token: donor.body.accessToken })).status,
    ).to.equal(403);
  });
});
