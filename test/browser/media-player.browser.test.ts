/**
 * The media-share player, /widgets/media (issue 13), in Chromium on the real processes. YouTube's
 * IFrame Player API is replaced by a stand-in this test serves for https://www.youtube.com/
 * iframe_api (it lives here, never in the product), recording each player made and each call.
 * A paid donation with a clip starts the player with the right video id and start second; the
 * clip stops after the seconds bought and the next follows; skip, pause/resume and panic act on
 * the playing clip; the donor's status page follows the clip through its states.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import { YT_STAND_IN } from '../support/youtube-stand-in.js';
import { ROOT, TestSystem } from '../support/system.js';
import { http, registerStreamer, type TestStreamer, paidSandboxDonation } from '../support/clients.js';

const SHOTS = join(ROOT, 'test', 'browser', 'screenshots');

describe('media-share player /widgets/media (chromium, YouTube API stand-in)', function () {
  this.timeout(180_000);
  let system: TestSystem;
  let streamer: TestStreamer;
  let browser: Browser;
  let player: Page;

  before(async function () {
    this.timeout(420_000);
    mkdirSync(SHOTS, { recursive: true });
    system = await TestSystem.start({ env: { SANDBOX_ENABLED: 'true' } });
    streamer = await registerStreamer(system, '1000');
    // Rp1.000 buys one second: short clips keep the test quick.
    const rules = await http(system, 'PATCH', '/api/v1/me/settings', {
      token: streamer.accessToken,
      body: { mediaShare: { enabled: true, pricePerSecondMinor: { IDR: 100_000 }, maxSeconds: 30 } },
    });
    expect(rules.status, JSON.stringify(rules.body)).to.equal(200);
    browser = await launchChromium();
    player = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await player.route('https://www.youtube.com/iframe_api', (route) =>
      route.fulfill({ contentType: 'application/javascript', body: YT_STAND_IN }),
    );
    await player.goto(
      `${system.gatewayUrl}/widgets/media#token=${encodeURIComponent(streamer.overlayToken)}`,
    );
    await player.waitForFunction(() => window.__mediaPlayer?.connected === true, undefined, {
      timeout: 20_000,
    });
  });
  after(async () => {
    await browser?.close();
    await system?.stop();
  });

  /** A paid sandbox donation with a YouTube clip; @returns its id. */
  const paidClip = (amount: string, mediaUrl: string) =>
    paidSandboxDonation(
      system,
      streamer.username,
      { donorName: 'Rina', amount, currency: 'IDR', mediaUrl, message: 'putar ya' },
      { 'accept-language': 'id' },
    );
  const clipState = async (id: string) =>
    (
      (await http(system, 'GET', `/api/v1/donations/${id}`)).body.mediaShare as {
        state: string;
        position: number;
      }
    ).state;
  const playing = (id: string) =>
    player.waitForFunction((clip) => window.__mediaPlayer?.current?.id === clip, id, { timeout: 30_000 });
  const post = (path: string) =>
    http(system, 'POST', `/api/v1/me${path}`, { token: streamer.accessToken, body: {} });

  it('plays a paid clip from its start second for the seconds bought, then the next one', async () => {
    // Rp4.000 buys 4 s from 1:30; Rp5.000 buys 5 s from the start.
    const first = await paidClip('4.000', 'https://youtu.be/dQw4w9WgXcQ?t=1m30s');
    const second = await paidClip('5.000', 'https://www.youtube.com/watch?v=9bZkp7q19f0');
    await playing(first);
    const yt = (await player.evaluate(() => window.__yt))!;
    expect(yt.created[0]).to.deep.include({ videoId: 'dQw4w9WgXcQ' });
    expect(yt.created[0]!.playerVars).to.include({ start: 90, end: 94 });
    await player.locator('#caption .name').getByText('Rina').waitFor();
    expect(await clipState(first)).to.equal('playing');
    expect(await clipState(second)).to.equal('queued');
    await player.screenshot({ path: join(SHOTS, 'media-player-1280.png') });
    // The donor of the second clip follows it on the status page: queued (number 1), playing, played.
    const donorPage = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'en-US' });
    await donorPage.goto(`${system.gatewayUrl}/donations/${second}`);
    const clipLine = donorPage.locator('#clip-state');
    await donorPage.locator('#clip-state[data-state="queued"]').waitFor({ timeout: 20_000 });
    expect(await clipLine.textContent()).to.contain('In the queue: number 1');
    await donorPage.screenshot({ path: join(SHOTS, 'donor-clip-queued-390.png') });
    await donorPage.locator('#clip-state[data-state="playing"]').waitFor({ timeout: 30_000 });

    // The bought seconds run out: reported played, and the next clip starts.
    await playing(second);
    const after = (await player.evaluate(() => window.__mediaPlayer))!;
    expect(after.finished).to.deep.equal([{ id: first, outcome: 'played' }]);
    expect((await player.evaluate(() => window.__yt))!.created[1]).to.deep.include({
      videoId: '9bZkp7q19f0',
    });
    expect(await clipState(first)).to.equal('played');
    await player.waitForFunction((id) => window.__mediaPlayer?.finished.some((f) => f.id === id), second, {
      timeout: 30_000,
    });
    expect(await clipState(second)).to.equal('played');
    await donorPage.locator('#clip-state[data-state="played"]').waitFor({ timeout: 20_000 });
    expect(await clipLine.textContent()).to.contain('Played on stream');
    await donorPage.close();
  });

  it('skip stops the playing clip and the next follows; pause and resume hold it', async () => {
    const long = await paidClip('30.000', 'https://youtu.be/dQw4w9WgXcQ');
    const next = await paidClip('30.000', 'https://youtu.be/9bZkp7q19f0?t=10');
    await playing(long);
    expect((await post('/media-share/pause')).status).to.equal(202);
    await player.waitForFunction(() => window.__mediaPlayer?.paused === true);
    const calls = () => player.evaluate(() => window.__yt!.calls.map((c) => c.name));
    expect(await calls()).to.include('pause');
    expect((await post('/media-share/resume')).status).to.equal(202);
    await player.waitForFunction(() => window.__mediaPlayer?.paused === false);
    expect((await calls()).filter((c) => c === 'play').length).to.be.at.least(2);

    expect((await post('/media-share/skip')).status).to.equal(202);
    await playing(next);
    expect(await clipState(long)).to.equal('skipped');
    const created = (await player.evaluate(() => window.__yt))!.created.at(-1)!;
    expect(created.playerVars).to.include({ start: 10, end: 40 });
  });

  it('panic stops the clip at once and pauses the queue; nothing plays twice', async () => {
    const waiting = await paidClip('30.000', 'https://youtu.be/dQw4w9WgXcQ?t=5');
    const current = (await player.evaluate(() => window.__mediaPlayer!.current))!;
    expect((await post('/panic')).status).to.be.oneOf([200, 202, 204]);
    await player.waitForFunction(() => window.__mediaPlayer?.current === null && window.__mediaPlayer.paused);
    expect(await clipState(current.id)).to.equal('skipped');
    expect(await clipState(waiting)).to.equal('queued');
    // Every clip was started once: one player made per clip id.
    const yt = (await player.evaluate(() => window.__yt))!;
    expect(yt.created.length).to.equal(4);
    // Resume: the waiting clip plays.
    expect((await post('/media-share/resume')).status).to.equal(202);
    await playing(waiting);
  });
});
