/**
 * Media-share drill (issue 13): while a clip plays in the real player (/widgets/media in Chromium,
 * YouTube's API replaced by the test's stand-in) and two wait, the streamer moves the last one
 * up; then the media worker (the donation pool, which applies queue commands) is SIGKILLed and
 * restarted, and then notification-service. Afterwards each clip was started exactly once — as
 * the server handed them to the player: one player made per clip, no client-side filtering —
 * and in the order the streamer set, and each ended played.
 */
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import { PER_POOL_PROCESSES, TestSystem, waitFor } from '../support/system.js';
import { YT_STAND_IN } from '../support/youtube-stand-in.js';
import { http, registerStreamer, type TestStreamer, paidSandboxDonation } from '../support/clients.js';

describe('media-share drill: SIGKILL of the media worker, then of notification-service, while a clip plays', function () {
  this.timeout(300_000);
  let system: TestSystem;
  let streamer: TestStreamer;
  let browser: Browser;
  let player: Page;

  before(async function () {
    this.timeout(420_000);
    // Each worker pool in its own process: the drill restarts the donation pool alone.
    system = await TestSystem.start({
      processes: PER_POOL_PROCESSES,
      env: { SANDBOX_ENABLED: 'true', RECONCILE_INTERVAL_MS: '1000' },
    });
    streamer = await registerStreamer(system, '1000');
    const rules = await http(system, 'PATCH', '/api/v1/me/settings', {
      token: streamer.accessToken,
      body: { mediaShare: { enabled: true, pricePerSecondMinor: { IDR: 100_000 }, maxSeconds: 60 } },
    });
    expect(rules.status, JSON.stringify(rules.body)).to.equal(200);
    browser = await launchChromium();
    player = await browser.newPage();
    await player.route('https://www.youtube.com/iframe_api', (route) =>
      route.fulfill({ contentType: 'application/javascript', body: YT_STAND_IN }),
    );
    await player.goto(
      `${system.gatewayUrl}/widgets/media#token=${encodeURIComponent(streamer.overlayToken)}`,
    );
    await player.waitForFunction(() => window.__mediaPlayer?.connected === true, undefined, {
      timeout: 30_000,
    });
  });
  after(async () => {
    await browser?.close();
    await system?.stop();
  });

  const paidClip = (amount: string, videoId: string) =>
    paidSandboxDonation(system, streamer.username, {
      donorName: 'Rina',
      amount,
      currency: 'IDR',
      mediaUrl: `https://youtu.be/${videoId}`,
    });
  const stateOf = async (id: string) =>
    ((await http(system, 'GET', `/api/v1/donations/${id}`)).body.mediaShare as { state: string } | null)
      ?.state;

  it('plays each clip exactly once, in the order the streamer set, across both kills', async () => {
    // A plays 40 s (both restarts happen inside it); B and C wait, 3 s each.
    const a = await paidClip('40.000', 'dQw4w9WgXcQ');
    await player.waitForFunction((id) => window.__mediaPlayer?.current?.id === id, a, { timeout: 30_000 });
    const b = await paidClip('3.000', '9bZkp7q19f0');
    const c = await paidClip('3.000', 'kJQP7kiw5Fk');
    await waitFor(async () => (await stateOf(c)) === 'queued', 30_000, 'C queued');

    // The streamer moves C before B; the worker that applies it dies right after it was queued.
    const moved = await http(system, 'POST', `/api/v1/me/media-share/queue/${c}/move`, {
      token: streamer.accessToken,
      body: { before: b },
    });
    expect(moved.status, JSON.stringify(moved.body)).to.equal(202);
    await system.restart('workers-donation');
    await system.restart('notification-service');
    expect(await stateOf(a), 'A still playing through both restarts').to.equal('playing');

    await waitFor(
      async () => (await Promise.all([a, b, c].map(stateOf))).every((s) => s === 'played'),
      120_000,
      'all three clips played',
    );
    const yt = (await player.evaluate(() => window.__yt))!;
    expect(
      yt.created.map((p) => p.videoId),
      'one player per clip, in the streamer order',
    ).to.deep.equal(['dQw4w9WgXcQ', 'kJQP7kiw5Fk', '9bZkp7q19f0']);
    const played = await player.evaluate(() => window.__mediaPlayer!.finished);
    expect(played).to.deep.equal([
      { id: a, outcome: 'played' },
      { id: c, outcome: 'played' },
      { id: b, outcome: 'played' },
    ]);
  });
});
