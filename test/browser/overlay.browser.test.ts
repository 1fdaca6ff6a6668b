/**
 * The OBS overlay and widgets in a real browser (Debian's chromium driven by playwright-core) on
 * the real processes: a paid donation shows with its text, every hostile message of
 * hostile-text.json shows exactly as sent and runs nothing, the custom sound and text-to-speech
 * follow the streamer's settings, the page is transparent at 1920×1080, and the widgets show the
 * goal and donors.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { CHROMIUM_PATH, launchChromium } from '../support/browser.js';
import { Redis } from 'ioredis';
import { uuidv7 } from 'uuidv7';
import { ROOT, TestSystem } from '../support/system.js';
import {
  http,
  payThroughMidtrans,
  registerStreamer,
  waitForDonationStatus,
  type TestStreamer,
} from '../support/clients.js';
import { loadCase, type HostileTextCases } from '../support/fixtures.js';
import { startMidtransFake, type MidtransFake } from '../fakes/midtrans.fake.js';
import { publishAlertEvent } from '../../shared/alert-stream.js';
import type { AlertPayload } from '../../shared/queues.js';
import { gif, wav } from '../support/media-files.js';

const SOUND_URL = 'https://sounds.example.test/ding.mp3';

declare global {
  interface Window {
    __pwned?: unknown;
    __tts?: string[];
    __sounds?: string[];
  }
}

describe('overlay page in a real browser (chromium)', function () {
  this.timeout(180_000);
  let system: TestSystem;
  let streamer: TestStreamer;
  let browser: Browser;
  let page: Page;
  let redis: Redis;
  // Sandbox donations are test-only (out of the goal and the donor widgets): the donations here
  // are paid through the Midtrans fake, as real money is.
  let midtrans: MidtransFake;
  /** Every text-to-speech answer the overlay got. */
  const speechAnswers: { path: string; status: number; type: string }[] = [];
  const midtransOptions = {
    serverKey: 'SB-Mid-server-overlay-test',
    webhookUrl: undefined as string | undefined,
  };

  before(async function () {
    // TestSystem waits up to 300 s for the processes on a loaded machine.
    this.timeout(400_000);
    if (!existsSync(CHROMIUM_PATH))
      throw new Error(`${CHROMIUM_PATH} is missing: apt-get install -y chromium`);
    midtrans = await startMidtransFake(midtransOptions);
    system = await TestSystem.start({
      env: {
        MIDTRANS_SERVER_KEY: midtransOptions.serverKey,
        MIDTRANS_API_URL: midtrans.url,
        MIDTRANS_SNAP_URL: `${midtrans.url}/snap/v1`,
      },
    });
    midtransOptions.webhookUrl = `${system.gatewayUrl}/api/v1/webhooks/midtrans`;
    redis = new Redis(system.config.REDIS_URL);
    streamer = await registerStreamer(system, '10000');
    const settings = await http(system, 'PATCH', '/api/v1/me/settings', {
      token: streamer.accessToken,
      body: {
        soundUrl: SOUND_URL,
        ttsMin: '50000',
        alertDurationMs: 60_000,
        goal: '100000',
        goalTitle: 'Mic baru',
      },
    });
    expect(settings.status).to.equal(200);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    // Record speech and sounds instead of playing them (no audio device here).
    await page.addInitScript(() => {
      window.__tts = [];
      window.__sounds = [];
      window.speechSynthesis.speak = (u: SpeechSynthesisUtterance) => void window.__tts!.push(u.text);
      HTMLMediaElement.prototype.play = function (this: HTMLMediaElement) {
        window.__sounds!.push(this.src);
        return Promise.resolve();
      };
    });
    page.on('response', (res) => {
      const path = new URL(res.url()).pathname;
      if (path.startsWith('/api/v1/overlay/tts/'))
        speechAnswers.push({ path, status: res.status(), type: res.headers()['content-type'] ?? '' });
    });
    await page.goto(`${system.gatewayUrl}/overlay#token=${encodeURIComponent(streamer.overlayToken)}`);
    await page.waitForFunction(() => window.__mediashar?.connected === true, null, { timeout: 20_000 });
  });

  after(async () => {
    await browser?.close();
    redis?.disconnect();
    await system?.stop();
    await midtrans?.close();
  });

  /** A donation paid through the Midtrans fake (settlement notification to the webhook). */
  const paidByMidtrans = (body: Record<string, unknown>) =>
    payThroughMidtrans(system, midtrans, streamer.username, body);

  /** Waits until the overlay shows the alert of `eventId` (or donation id) and returns its text. */
  async function shownCard(selector: string) {
    const card = page.locator(`#stage .alert${selector}`);
    await card.waitFor({ state: 'visible', timeout: 20_000 });
    return {
      donor: await card.locator('.donor').textContent(),
      amount: await card.locator('.amount').textContent(),
      message: await card.locator('.message').textContent(),
    };
  }

  async function skip(): Promise<void> {
    const res = await http(system, 'POST', '/api/v1/me/alerts/skip', { token: streamer.accessToken });
    expect(res.status).to.equal(200);
  }

  it('shows a paid donation with its text, its custom sound and speech above the TTS minimum', async () => {
    const created = await paidByMidtrans({
      donorName: 'Budi',
      amount: '75000',
      currency: 'IDR',
      message: 'semangat bang, salam dari Bandung!',
    });
    await waitForDonationStatus(system, created.body.id as string, 'paid');
    const card = await shownCard(`[data-donation-id="${created.body.id as string}"]`);
    expect(card.donor).to.equal('Budi');
    expect(card.message).to.equal('semangat bang, salam dari Bandung!');
    expect(card.amount).to.match(/75\.000/);
    expect(await page.locator('body').innerText()).to.include('semangat bang, salam dari Bandung!');
    // The custom sound, then the message read aloud: audio the server made with espeak-ng,
    // fetched for this donation and played from its own audio element.
    await page.waitForFunction(() => window.__sounds!.length === 2, null, { timeout: 20_000 });
    const [alertSound, spoken] = (await page.evaluate(() => window.__sounds))!;
    expect(alertSound).to.equal(SOUND_URL);
    expect(spoken).to.match(/^blob:/);
    expect(speechAnswers).to.deep.equal([
      { path: `/api/v1/overlay/tts/${created.body.id as string}`, status: 200, type: 'audio/wav' },
    ]);
    expect(await page.evaluate(() => window.__tts)).to.deep.equal([]);
    // Entry animation of the default design, and no connection indicator while connected.
    const animation = await page.locator('#stage .alert').evaluate((e) => getComputedStyle(e).animationName);
    expect(animation).to.equal('fade-in');
    expect(await page.locator('#connection').isHidden()).to.equal(true);

    // Transparent page at 1920×1080; one screenshot to look at.
    const backgrounds = await page.evaluate(() => [
      getComputedStyle(document.documentElement).backgroundColor,
      getComputedStyle(document.body).backgroundColor,
    ]);
    expect(backgrounds).to.deep.equal(['rgba(0, 0, 0, 0)', 'rgba(0, 0, 0, 0)']);
    const dir = join(ROOT, 'logs', 'browser');
    mkdirSync(dir, { recursive: true });
    await page.screenshot({ path: join(dir, 'overlay-1920x1080.png'), omitBackground: true });
    await skip();
  });

  it('shows every hostile message of hostile-text.json exactly as sent and runs none of it', async () => {
    const { messages } = loadCase<HostileTextCases>('hostile-text.json');
    const spokenBefore = (await page.evaluate(() => window.__tts!.length)) ?? 0;
    const fetchedBefore = speechAnswers.length;
    for (const message of messages) {
      // Straight onto the stream: some are longer than the API's 255 characters, by design.
      const now = new Date().toISOString();
      const eventId = await publishAlertEvent(
        redis,
        system.config.REDIS_PREFIX,
        {
          type: 'donation.paid',
          donationId: uuidv7(),
          streamerId: streamer.id,
          donorName: message.slice(0, 64),
          amountMinor: 20_000_00,
          currency: 'IDR',
          message,
          mediaShare: null,
          createdAt: now,
          paidAt: now,
          test: false,
          requestId: 'browser-test',
        },
        { globalMaxLen: 1000, historyMaxLen: 1000 },
        null,
      );
      const card = await shownCard(`[data-event-id="${eventId!}"]`);
      expect(card.message).to.equal(message);
      expect(card.donor).to.equal(message.slice(0, 64));
      await skip();
    }
    const shown = await page.evaluate<AlertPayload[]>(() => window.__mediashar!.shown);
    expect(shown.slice(-messages.length).map((a) => a.message)).to.deep.equal(messages);
    expect(await page.evaluate(() => window.__pwned)).to.equal(undefined);
    expect(
      await page.locator('#stage img, #stage script, #stage svg, #stage iframe, #stage b').count(),
    ).to.equal(0);
    // 20,000 IDR is below the streamer's 50,000 TTS minimum: nothing was spoken.
    expect(await page.evaluate(() => window.__tts!.length)).to.equal(spokenBefore);
    expect(speechAnswers.length).to.equal(fetchedBefore);
  });

  it('shows the goal bar, latest donors and top donors as separate browser sources', async () => {
    const widget = await browser.newPage({ viewport: { width: 800, height: 300 } });
    try {
      const url = (w: string) =>
        `${system.gatewayUrl}/widgets/${w}#token=${encodeURIComponent(streamer.overlayToken)}`;
      await widget.goto(url('goal'));
      await widget.locator('.goal-text').waitFor({ timeout: 20_000 });
      expect(await widget.locator('.title').textContent()).to.equal('Mic baru');
      // 75,000 paid of a 100,000 goal (the stream-only hostile alerts are not donations).
      expect(await widget.locator('.goal-text').textContent()).to.include('75%');
      await widget.goto(url('latest'));
      await widget.locator('.donor .name').first().waitFor({ timeout: 20_000 });
      expect(await widget.locator('.donor .name').allTextContents()).to.deep.equal(['Budi']);
      // The widget's own words follow the streamer's language (Indonesian by default).
      expect(await widget.locator('.title').textContent()).to.equal('Donatur terbaru');
      await widget.goto(url('top'));
      await widget.locator('.donor .name').first().waitFor({ timeout: 20_000 });
      expect(await widget.locator('.donor .amount').first().textContent()).to.match(/75\.000/);
      // A new paid donation updates the widget live.
      await paidByMidtrans({ donorName: 'Ani', amount: '80000', currency: 'IDR' });
      await widget.waitForFunction(
        () => document.querySelector('.donor .name')?.textContent === 'Ani',
        null,
        {
          timeout: 20_000,
        },
      );
      expect(await widget.evaluate(() => getComputedStyle(document.body).backgroundColor)).to.equal(
        'rgba(0, 0, 0, 0)',
      );
    } finally {
      await widget.close();
    }
  });

  it('shows a tiered design with an uploaded GIF and sound for a big donation, the base design for a small one', async () => {
    const upload = async (kind: string, bytes: Buffer) => {
      const res = await http(system, 'POST', `/api/v1/me/uploads?kind=${kind}`, {
        token: streamer.accessToken,
        raw: bytes,
      });
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      return res.body as { id: string; url: string };
    };
    const image = await upload('image', gif());
    const chime = await upload('sound', wav());
    const designs = await http(system, 'PATCH', '/api/v1/me/settings', {
      token: streamer.accessToken,
      body: {
        alerts: {
          base: { template: '{name} memberi {amount}!', durationMs: 60_000 },
          tiers: [
            {
              minByCurrency: { IDR: 100_000_00 },
              design: {
                imageUploadId: image.id,
                soundUploadId: chime.id,
                template: 'WOW {name}! {amount}',
                layout: 'beside',
                animationIn: 'zoom',
                durationMs: 60_000,
              },
            },
          ],
        },
      },
    });
    expect(designs.status, JSON.stringify(designs.body)).to.equal(200);
    await page.reload();
    await page.waitForFunction(() => window.__mediashar?.connected === true, null, { timeout: 20_000 });

    const big = await paidByMidtrans({
      donorName: 'Sultan',
      amount: '150000',
      currency: 'IDR',
      message: 'gas',
    });
    const bigCard = page.locator(`#stage .alert[data-donation-id="${big.body.id as string}"]`);
    await bigCard.waitFor({ timeout: 20_000 });
    expect(await bigCard.locator('h1').textContent()).to.match(/^WOW Sultan! Rp\s?150\.000(,00)?$/);
    expect(await bigCard.locator('img.alert-image').getAttribute('src')).to.equal(image.url);
    expect(await bigCard.getAttribute('class')).to.contain('layout-beside');
    await page.waitForFunction((url) => window.__sounds!.some((s) => s.endsWith(url)), chime.url);
    await page.screenshot({
      path: join(ROOT, 'logs', 'browser', 'overlay-tier-1920x1080.png'),
      omitBackground: true,
    });
    await skip();

    const small = await paidByMidtrans({
      donorName: 'Ani',
      amount: '60000',
      currency: 'IDR',
      message: 'halo',
    });
    const smallCard = page.locator(`#stage .alert[data-donation-id="${small.body.id as string}"]`);
    await smallCard.waitFor({ timeout: 20_000 });
    expect(await smallCard.locator('h1').textContent()).to.match(/^Ani memberi Rp\s?60\.000(,00)?!$/);
    expect(await smallCard.locator('img').count()).to.equal(0);
    expect(await smallCard.getAttribute('class')).to.contain('layout-above');
    await skip();
  });

  it("ends an alert with its design's way-out animation when its time is up", async () => {
    const design = await http(system, 'PATCH', '/api/v1/me/settings', {
      token: streamer.accessToken,
      body: {
        alerts: {
          base: { template: '{name} memberi {amount}!', durationMs: 2000, animationOut: 'slide-down' },
        },
      },
    });
    expect(design.status, JSON.stringify(design.body)).to.equal(200);
    await page.reload();
    await page.waitForFunction(() => window.__mediashar?.connected === true, null, { timeout: 20_000 });
    const paid = await paidByMidtrans({
      donorName: 'Rina',
      amount: '60000',
      currency: 'IDR',
      message: 'dadah',
    });
    const card = page.locator(`#stage .alert[data-donation-id="${paid.body.id as string}"]`);
    await card.waitFor({ timeout: 20_000 });
    // No skip: the alert's 2 s run out, the card leaves with slide-down, then the stage is empty.
    // The way out lasts a moment only: the page itself notes the card's classes and animation
    // when it starts leaving, so a busy test machine cannot miss it between two polls.
    await card.evaluate((el) => {
      const w = window as unknown as { __leave?: { classes: string; animation: string } };
      new MutationObserver(() => {
        if (el.classList.contains('leave') && !w.__leave)
          w.__leave = { classes: el.className, animation: getComputedStyle(el).animationName };
      }).observe(el, { attributes: true, attributeFilter: ['class'] });
    });
    await card.waitFor({ state: 'detached', timeout: 15_000 });
    const leave = await page.evaluate(
      () => (window as unknown as { __leave?: { classes: string; animation: string } }).__leave,
    );
    expect(leave?.classes.split(' ')).to.include.members(['alert', 'leave', 'out-slide-down']);
    expect(leave?.animation).to.equal('slide-down');
  });
});
