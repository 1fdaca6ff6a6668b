/**
 * Settings API fixes the dashboard needs (issue 12): unknown fields refused by name, profile
 * fields (bio, channel links per platform, presets per currency, language), amounts with
 * `{minor, currency, exponent, formatted}` in the reader's language, the goal reset, and the
 * public profile the donor page reads.
 */
import { expect } from 'chai';
import { TestSystem } from '../support/system.js';
import { http, registerStreamer, type TestStreamer } from '../support/clients.js';

describe('accounts: profile and settings (real processes)', function () {
  this.timeout(120_000);
  let system: TestSystem;
  let streamer: TestStreamer;

  before(async function () {
    // Booting every process takes long on a loaded machine.
    this.timeout(600_000);
    system = await TestSystem.start();
    streamer = await registerStreamer(system);
  });
  after(async () => {
    await system?.stop();
  });

  const patch = (body: unknown, headers: Record<string, string> = {}) =>
    http(system, 'PATCH', '/api/v1/me/settings', { token: streamer.accessToken, body, headers });

  it('refuses unknown fields with 400 naming each of them, and changes nothing', async () => {
    const res = await patch({ bio: 'ok', colour: 'red', minDonaton: '5000' });
    expect(res.status).to.equal(400);
    expect(res.body.error.details.fields).to.deep.equal({
      colour: 'is not a known field',
      minDonaton: 'is not a known field',
    });
    const nested = await patch({
      links: { youtube: 'https://youtube.com/@me', facebook: 'https://fb.com/x' },
    });
    expect(nested.status).to.equal(400);
    expect(nested.body.error.details.fields).to.have.property('links.facebook');
    const me = await http(system, 'GET', '/api/v1/me', { token: streamer.accessToken });
    expect(me.body.streamer.bio).to.equal('');
  });

  it('validates channel links per platform host, https only', async () => {
    const bad = {
      youtube: 'https://evil.example/youtube.com',
      twitch: 'http://twitch.tv/me',
      tiktok: 'https://www.youtube.com/@me',
      instagram: 'https://instagram.com',
    };
    const res = await patch({ links: bad });
    expect(res.status).to.equal(400);
    expect(Object.keys(res.body.error.details.fields as object).sort()).to.deep.equal([
      'links.instagram',
      'links.tiktok',
      'links.twitch',
      'links.youtube',
    ]);
    const good = {
      youtube: 'https://www.youtube.com/@mystream',
      twitch: 'https://twitch.tv/mystream',
      tiktok: 'https://www.tiktok.com/@mystream',
      instagram: 'https://instagram.com/mystream',
    };
    const ok = await patch({ links: good });
    expect(ok.status, JSON.stringify(ok.body)).to.equal(200);
    expect(ok.body.links).to.deep.equal(good);
    const cleared = await patch({ links: { twitch: '' } });
    expect(cleared.body.links).to.not.have.property('twitch');
    expect(cleared.body.links).to.include({ youtube: good.youtube });
  });

  it('keeps a bio of at most 300 characters, avatar https only', async () => {
    expect((await patch({ bio: 'x'.repeat(301) })).body.error.details.fields).to.have.property('bio');
    // 300 emoji are 300 characters, though 600 UTF-16 units.
    expect((await patch({ bio: '🎮'.repeat(300) })).status).to.equal(200);
    expect(
      (await patch({ avatarUrl: 'http://cdn.example/a.png' })).body.error.details.fields,
    ).to.have.property('avatarUrl');
    const ok = await patch({ bio: 'Main Valorant tiap malam', avatarUrl: 'https://cdn.example/a.png' });
    expect(ok.body).to.include({ bio: 'Main Valorant tiap malam', avatarUrl: 'https://cdn.example/a.png' });
  });

  it('takes up to six presets per currency in minor units, within the donation limits', async () => {
    const seven = await patch({ presets: { IDR: [1, 2, 3, 4, 5, 6, 7].map((n) => n * 1_000_000) } });
    expect(seven.status).to.equal(400);
    expect(seven.body.error.details.fields).to.have.property('presets.IDR');
    expect((await patch({ presets: { IDR: [10.5] } })).status).to.equal(400);
    expect((await patch({ presets: { XXX: [100] } })).status).to.equal(400);
    const ok = await patch(
      { presets: { IDR: [5_000_000, 1_000_000, 2_500_000, 1_000_000] } },
      { 'accept-language': 'id-ID,id;q=0.9' },
    );
    expect(ok.status, JSON.stringify(ok.body)).to.equal(200);
    expect(ok.body.presets.IDR.map((m: { minor: number }) => m.minor)).to.deep.equal([
      1_000_000, 2_500_000, 5_000_000,
    ]);
    expect(ok.body.presets.IDR[0]).to.deep.include({ minor: 1_000_000, currency: 'IDR', exponent: 2 });
    expect(ok.body.presets.IDR[0].formatted).to.match(/^Rp\s?10\.000$/);
  });

  it('returns amounts with exponent and a formatted string in the reader’s language', async () => {
    const res = await patch({ ttsMin: '20000', goal: '1000000', goalTitle: 'Kursi baru', language: 'en' });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body.alert.ttsMin).to.deep.include({ minor: 2_000_000, currency: 'IDR', exponent: 2 });
    expect(res.body.language).to.equal('en');
    const en = await http(system, 'GET', '/api/v1/me', {
      token: streamer.accessToken,
      headers: { 'accept-language': 'en-US' },
    });
    expect(en.body.streamer.goal.target.formatted).to.match(/IDR\s?1,000,000/);
    const id = await http(system, 'GET', '/api/v1/me', {
      token: streamer.accessToken,
      headers: { 'accept-language': 'id' },
    });
    expect(id.body.streamer.goal.target.formatted).to.match(/Rp\s?1\.000\.000/);
    expect(id.body.streamer.minDonationMoney).to.include.keys('minor', 'currency', 'exponent', 'formatted');
    expect((await patch({ language: 'fr' })).body.error.details.fields).to.have.property('language');
  });

  it('refuses a currency change that would leave the goal and TTS threshold meaning another amount', async () => {
    const res = await patch({ currency: 'USD' });
    expect(res.status).to.equal(400);
    expect(res.body.error.details.fields).to.have.keys('goal', 'ttsMin');
    const me = await http(system, 'GET', '/api/v1/me', { token: streamer.accessToken });
    expect(me.body.streamer.currency).to.equal('IDR');
  });

  it('resets the goal from today', async () => {
    const before = Date.now();
    const res = await http(system, 'POST', '/api/v1/me/goal/reset', { token: streamer.accessToken });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(Date.parse(res.body.goal.startedAt as string)).to.be.at.least(before - 1000);
    const me = await http(system, 'GET', '/api/v1/me', { token: streamer.accessToken });
    expect(me.body.streamer.goal.startedAt).to.equal(res.body.goal.startedAt);
    const other = await registerStreamer(system);
    expect(
      (await http(system, 'POST', '/api/v1/me/goal/reset', { token: other.accessToken })).status,
    ).to.equal(409);
  });

  it('shows the public profile: bio, links, presets, accepted currencies, providers with friendly names', async () => {
    const res = await http(system, 'GET', `/api/v1/streamers/${streamer.username}`, {
      headers: { 'accept-language': 'id' },
    });
    expect(res.status).to.equal(200);
    expect(res.body).to.include({ bio: 'Main Valorant tiap malam', avatarUrl: 'https://cdn.example/a.png' });
    expect(res.body.links).to.include({ youtube: 'https://www.youtube.com/@mystream' });
    expect(res.body.presets.IDR.map((m: { minor: number }) => m.minor)).to.deep.equal([
      1_000_000, 2_500_000, 5_000_000,
    ]);
    expect(res.body.minDonation).to.include.keys('amount', 'minor', 'exponent', 'formatted');
    expect(res.body.currencies).to.be.an('array').that.is.not.empty;
    expect(res.body.providerOptions).to.deep.include({
      id: 'sandbox',
      name: 'Pembayaran uji — bukan uang sungguhan',
      test: true,
    });
    const en = await http(system, 'GET', `/api/v1/streamers/${streamer.username}`, {
      headers: { 'accept-language': 'en' },
    });
    expect(en.body.providerOptions).to.deep.include({
      id: 'sandbox',
      name: 'Test payment — no real money',
      test: true,
    });
    expect(JSON.stringify(res.body)).to.not.match(/overlay|token|password|email|wordFilter/i);
  });
});
