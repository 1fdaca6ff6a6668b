/**
 * Media-share moderation in the dashboard (issue 13), in Chromium on the real processes. A
 * streamer holding clips for approval logs in through /login and opens /dashboard/media; two paid
 * sandbox donations with YouTube clips appear there in review (one before the page opens, one
 * live through the `media` event), with the platform's title and thumbnail or placeholders when
 * the platform knows nothing. Approving one queues it; rejecting the other with "refund the
 * donor" unchecked (it starts checked, the streamer's default) rejects it and leaves the donation
 * paid. The media player URL is shown in Settings › Overlay and copies. The Indonesian phone page
 * shows no English words and fits 390 px. Screenshots go to test/browser/screenshots/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import { ROOT, TestSystem } from '../support/system.js';
import {
  createDonation,
  http,
  paymentIdOf,
  registerStreamer,
  sandboxComplete,
  waitForDonationStatus,
  type TestStreamer,
} from '../support/clients.js';

const SHOTS = join(ROOT, 'test', 'browser', 'screenshots');
const PASSWORD = 'correct horse battery';
/** A 1×1 PNG standing in for YouTube's thumbnail host (no internet in tests). */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
/** English words that must not be left on the media page shown in Indonesian. */
const ENGLISH = [
  'Media share',
  'Queue',
  'In review',
  'Approve',
  'Reject',
  'Skip',
  'Pause',
  'Clear',
  'bought',
  'from ',
];

describe('media-share moderation in the dashboard (chromium)', function () {
  this.timeout(180_000);
  let system: TestSystem;
  let streamer: TestStreamer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let known = '';
  let unknown = '';

  /** A browser context signed in as the streamer through /login, in `locale`. */
  async function signedIn(locale: string, viewport: { width: number; height: number }, phone = false) {
    const ctx = await browser.newContext({ locale, viewport, isMobile: phone, hasTouch: phone });
    await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: system.gatewayUrl });
    await ctx.route('https://i.ytimg.com/**', (route) =>
      route.fulfill({ contentType: 'image/png', body: PNG }),
    );
    const p = await ctx.newPage();
    await p.goto(`${system.gatewayUrl}/login`);
    await p.fill('#email', `${streamer.username}@example.test`);
    await p.fill('#password', PASSWORD);
    await p.locator('form button[type="submit"]').click();
    await p.waitForURL((url) => url.pathname.startsWith('/dashboard'));
    return { ctx, page: p };
  }

  /** A paid sandbox donation with a YouTube clip; @returns its id. */
  async function paidClip(donorName: string, amount: string, mediaUrl: string): Promise<string> {
    const created = await createDonation(system, streamer.username, {
      donorName,
      amount,
      currency: 'IDR',
      provider: 'sandbox',
      mediaUrl,
      message: 'putar ya',
    });
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    await sandboxComplete(system, await paymentIdOf(system, created));
    await waitForDonationStatus(system, created.body.id as string, 'paid');
    return created.body.id as string;
  }
  const donation = async (id: string) =>
    (await http(system, 'GET', `/api/v1/donations/${id}`)).body as {
      status: string;
      mediaShare: { state: string; rejected: boolean; refunded: boolean } | null;
    };
  const clip = (id: string, state?: string) =>
    page.locator(`[data-testid="clip-${id}"]${state ? `[data-state="${state}"]` : ''}`);

  before(async function () {
    this.timeout(420_000);
    mkdirSync(SHOTS, { recursive: true });
    system = await TestSystem.start({
      env: { SANDBOX_ENABLED: 'true' },
      media: {
        videos: {
          dQw4w9WgXcQ: { title: 'Never Gonna Give You Up', author: 'Rick Astley', handle: '@RickAstleyYT' },
        },
      },
    });
    streamer = await registerStreamer(system, '1000');
    const rules = await http(system, 'PATCH', '/api/v1/me/settings', {
      token: streamer.accessToken,
      body: {
        mediaShare: {
          enabled: true,
          holdForApproval: true,
          pricePerSecondMinor: { IDR: 100_000 },
          maxSeconds: 30,
        },
      },
    });
    expect(rules.status, JSON.stringify(rules.body)).to.equal(200);
    browser = await launchChromium();
    ({ ctx: context, page } = await signedIn('en-US', { width: 1366, height: 768 }));
  });
  after(async () => {
    await browser?.close();
    await system?.stop();
  });

  it('lists held clips in review, with titles and thumbnails or placeholders, live', async () => {
    known = await paidClip('Rina', '20.000', 'https://youtu.be/dQw4w9WgXcQ?t=1m30s');
    await page.goto(`${system.gatewayUrl}/dashboard/media`);
    await page.getByRole('heading', { name: 'Media share' }).waitFor();
    await clip(known, 'pending_review').waitFor();
    // The second arrives while the page is open: the `media` event reloads the list.
    unknown = await paidClip('Budi', '15.000', 'https://www.youtube.com/watch?v=9bZkp7q19f0');
    await clip(unknown, 'pending_review').waitFor({ timeout: 30_000 });

    const first = clip(known);
    expect(await first.locator('.clip-title').textContent()).to.equal('Never Gonna Give You Up');
    expect(await first.textContent())
      .to.include('Rick Astley')
      .and.include('from Rina')
      .and.include('20 s bought');
    expect(await first.textContent()).to.match(/20[.,]000/);
    await first.locator('[data-testid="thumb"]').waitFor();
    expect(await first.locator('[data-testid="thumb"]').getAttribute('src')).to.equal(
      'https://i.ytimg.com/vi/dQw4w9WgXcQ/hqdefault.jpg',
    );
    expect(await first.getByText('In review').count()).to.equal(1);

    const second = clip(unknown);
    expect(await second.locator('.clip-title').textContent()).to.equal('Clip 9bZkp7q19f0');
    expect(await second.locator('[data-testid="thumb-placeholder"]').count()).to.equal(1);
    expect(await second.textContent())
      .to.include('from Budi')
      .and.include('15 s bought');
    await page.screenshot({ path: join(SHOTS, 'media-moderation-1366.png'), fullPage: true });
  });

  it('approve queues a clip', async () => {
    await clip(known).getByRole('button', { name: 'Approve' }).click();
    // The approved clip leaves review (its Approve button with it) once the worker applied it.
    await clip(known, 'queued').waitFor({ timeout: 30_000 });
    expect((await donation(known)).mediaShare?.state).to.equal('queued');
    expect(await clip(known).getByText('Queued, number 1').count()).to.equal(1);
  });

  it('reject asks whether to refund (default on), and unchecked leaves the donation paid', async () => {
    await clip(unknown).getByRole('button', { name: 'Reject', exact: true }).click();
    const refund = page.locator(`#m-refund-${unknown}`);
    expect(await refund.isChecked(), 'defaults to refundOnReject (true)').to.equal(true);
    await refund.uncheck();
    await clip(unknown).getByRole('button', { name: 'Reject clip' }).click();
    // Rejected clips leave the waiting list (or show as rejected).
    await page.waitForFunction(
      (id) => {
        const el = document.querySelector<HTMLElement>(`[data-testid="clip-${id}"]`);
        return !el || el.dataset.state === 'rejected';
      },
      unknown,
      { timeout: 30_000 },
    );
    const rejected = await donation(unknown);
    expect(rejected.mediaShare).to.deep.include({ state: 'rejected', refunded: false });
    expect(rejected.status).to.equal('paid');
    // The approved clip is untouched.
    expect((await donation(known)).mediaShare?.state).to.equal('queued');
  });

  it('shows the media player URL in Settings › Overlay and copies it', async () => {
    await page.goto(`${system.gatewayUrl}/dashboard/settings`);
    const expected = `${system.gatewayUrl}/widgets/media#token=${encodeURIComponent(streamer.overlayToken)}`;
    await page.locator('#media-player-url').waitFor();
    expect(await page.inputValue('#media-player-url')).to.equal(expected);
    await page.getByText('Add it as a separate Browser Source in OBS').waitFor();
    await page.locator('[data-copy="media-player-url"]').click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).to.equal(expected);
    await context.close();
  });

  it('fits a phone in Indonesian, with no English words', async () => {
    const phone = await signedIn('id-ID', { width: 390, height: 844 }, true);
    page = phone.page;
    await page.goto(`${system.gatewayUrl}/dashboard/media`);
    await page.getByRole('heading', { name: 'Bagi media' }).waitFor();
    await clip(known, 'queued').waitFor();
    await clip(known).getByText('Dalam antrean, nomor 1').waitFor();
    const text = (await page.locator('main').textContent()) ?? '';
    for (const word of ENGLISH) expect(text, `"${word}" on the Indonesian page`).to.not.include(word);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, 'no sideways scrolling at 390 px').to.be.at.most(0);
    await page.screenshot({ path: join(SHOTS, 'media-moderation-id-390.png'), fullPage: true });
    await page.setViewportSize({ width: 360, height: 780 });
    const narrow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(narrow, 'no sideways scrolling at 360 px').to.be.at.most(0);
    await phone.ctx.close();
  });

  it('moves a queued clip, shows the playing one with its progress, and skips, pauses, sets the volume and clears', async () => {
    ({ ctx: context, page } = await signedIn('en-US', { width: 1366, height: 768 }));
    const third = await paidClip('Sari', '30.000', 'https://youtu.be/dQw4w9WgXcQ?t=5');
    await page.goto(`${system.gatewayUrl}/dashboard/media`);
    await clip(third).getByRole('button', { name: 'Approve' }).click();
    await clip(third, 'queued').getByText('Queued, number 2').waitFor({ timeout: 30_000 });

    // Down: the first queued clip goes after the second.
    await clip(known).getByRole('button', { name: 'Down' }).click();
    await clip(known).getByText('Queued, number 2').waitFor({ timeout: 30_000 });
    expect(await clip(third).getByText('Queued, number 1').count()).to.equal(1);

    // A player claims the first clip: it shows on top, playing, with its progress.
    const claim = await http(system, 'POST', '/api/v1/overlay/media-share/claim', {
      headers: { 'x-overlay-token': streamer.overlayToken },
      body: {},
    });
    expect(claim.status, JSON.stringify(claim.body)).to.equal(200);
    expect((claim.body.clip as { id: string }).id).to.equal(third);
    const now = page.locator(`.now-playing[data-testid="clip-${third}"]`);
    await now.waitFor({ timeout: 30_000 });
    expect(await now.locator('progress').getAttribute('max')).to.equal('30');
    await page.screenshot({ path: join(SHOTS, 'media-moderation-playing-1366.png'), fullPage: true });

    await page.getByRole('button', { name: 'Pause' }).click();
    await page.getByRole('button', { name: 'Resume' }).waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('media-paused').textContent()).to.equal('Paused');
    await page.getByRole('button', { name: 'Resume' }).click();
    await page.getByRole('button', { name: 'Pause' }).waitFor({ timeout: 30_000 });

    const volumeApplied = page.waitForResponse(
      async (r) =>
        r.url().endsWith('/me/media-share/queue') && ((await r.json()) as { volume: number }).volume === 40,
      { timeout: 30_000 },
    );
    await page.locator('#m-volume').fill('40');
    await page.getByTestId('m-volume-status').getByText('Volume set.').waitFor();
    await volumeApplied;

    await page.getByRole('button', { name: 'Skip clip' }).click();
    await page.getByTestId('media-idle').waitFor({ timeout: 30_000 });
    expect((await donation(third)).mediaShare?.state).to.equal('skipped');

    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Clear queue' }).click();
    await page.getByTestId('media-empty').waitFor({ timeout: 30_000 });
    expect((await donation(known)).mediaShare?.state).to.equal('skipped');
    await context.close();
  });
});
