/**
 * The donor page's live media-share quote (issues 12 and 13) in Chromium: as the donor types a
 * link and an amount, the page asks POST /streamers/:username/media-share/quote and shows what
 * the amount buys (seconds at the streamer's price per second, capped at the maximum, from the
 * link's start second), the refusal under the media minimum set through PATCH /me/settings, and
 * the API's word on a link that is not a video; the refusal also stops the donation next to the
 * field. In Indonesian and English. The page arrives with the streamer's profile (no API call
 * before the form), a hostile bio staying text. Screenshots go to test/browser/screenshots/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { TestSystem, ROOT } from '../support/system.js';
import { launchChromium } from '../support/browser.js';
import { http, registerStreamer, type TestStreamer } from '../support/clients.js';

const SHOTS = join(ROOT, 'test', 'browser', 'screenshots');
/** IDR has exponent 2 here: Rp1.000 is 100000 minor units. */
const rupiah = (major: number) => major * 100;
const RULES = {
  minByCurrency: { IDR: rupiah(20_000) },
  pricePerSecondMinor: { IDR: rupiah(1_000) },
  maxSeconds: 60,
};

/** A bio that would end the page's data block if the gateway wrote it into the HTML as it is. */
const BIO = '</script><script>window.__pwned=1</script><!-- & \u2028';

describe('donor page media-share quote (Chromium)', function () {
  this.timeout(120_000);
  let system: TestSystem;
  let browser: Browser;
  let streamer: TestStreamer;

  before(async function () {
    // The quote is the gateway's: one process (plus the web build when stale).
    this.timeout(400_000);
    mkdirSync(SHOTS, { recursive: true });
    system = await TestSystem.start({ processes: ['gateway'], env: { SANDBOX_ENABLED: 'true' } });
    streamer = await registerStreamer(system, '5000');
    const res = await http(system, 'PATCH', '/api/v1/me/settings', {
      token: streamer.accessToken,
      body: { mediaShare: RULES, bio: BIO },
    });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await system?.stop();
  });

  /**
   * Waits until the quote has settled on `state` (allowed, refused, badLink…) with `text`, the
   * whole sentence the donor reads; fails with what the page shows instead.
   */
  async function expectQuote(page: Page, state: string, text: string | RegExp): Promise<string> {
    const quote = page.locator('[data-testid="media-quote"]');
    const read = async () => ((await quote.textContent()) ?? '').replace(/\s+/g, ' ').trim();
    const matches = (t: string) => (typeof text === 'string' ? t === text : text.test(t));
    try {
      await page
        .locator(`[data-testid="media-quote"][data-state="${state}"]`)
        .filter({ hasText: text })
        .waitFor({ timeout: 20_000 });
    } catch {
      /* reported below with what the page shows */
    }
    const shown = await read();
    expect(
      { state: await quote.getAttribute('data-state'), matches: matches(shown) },
      `quote shown: "${shown}"`,
    ).to.deep.equal({ state, matches: true });
    return shown;
  }

  it('shows in Indonesian what the amount buys, the cap, the refusal under the minimum and a bad link', async () => {
    const context = await browser.newContext({ locale: 'id-ID', viewport: { width: 360, height: 780 } });
    const page = await context.newPage();
    const quotes: { mediaUrl: string; amount: string; currency: string }[] = [];
    const apiCalls: string[] = [];
    page.on('request', (req) => {
      if (req.url().includes('/api/')) apiCalls.push(`${req.method()} ${new URL(req.url()).pathname}`);
      if (req.url().endsWith(`/streamers/${streamer.username}/media-share/quote`))
        quotes.push(req.postDataJSON() as (typeof quotes)[number]);
    });
    await page.goto(`${system.gatewayUrl}/${streamer.username}`);
    await page.locator('#amount').waitFor();
    // The page came with the profile: no API call before the form, and the bio is text.
    expect(apiCalls).to.deep.equal([]);
    expect(await page.locator('.profile .message-text').textContent()).to.equal(BIO);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).to.equal(
      undefined,
    );
    // The rules in words: the minimum and the price per second, not "bigger plays longer".
    const hint = (await page.locator('#mediaUrl-hint').textContent()) ?? '';
    expect(hint).to.match(/minimal Rp\s?20\.000/);
    expect(hint).to.match(/Setiap detik tayang seharga Rp\s?1\.000, paling lama 60 detik/);

    await page.fill('#mediaUrl', 'https://youtu.be/dQw4w9WgXcQ?t=90');
    await expectQuote(page, 'needsAmount', 'Ketik jumlah untuk melihat berapa lama klip diputar.');
    await page.fill('#amount', '50.000');
    await expectQuote(
      page,
      'allowed',
      'Jumlah ini membeli 50 detik klip YouTube di siaran. Mulai dari 1:30.',
    );
    // What the page asked: the link and the amount as typed, read by the API in Indonesian.
    expect(quotes.at(-1)).to.deep.equal({
      mediaUrl: 'https://youtu.be/dQw4w9WgXcQ?t=90',
      amount: '50.000',
      currency: 'IDR',
    });
    await page.screenshot({ path: join(SHOTS, 'donor-quote-id.png'), fullPage: true });

    // Rp100.000 buys 100 s at Rp1.000 a second: capped at the streamer's 60.
    await page.fill('#amount', '100rb');
    await expectQuote(
      page,
      'allowed',
      'Jumlah ini membeli 60 detik klip YouTube di siaran. Mulai dari 1:30.',
    );

    // Under the media minimum (but above the donation minimum): refused, in Indonesian.
    await page.fill('#amount', '10.000');
    const refusal = await expectQuote(page, 'refused', /^Klip butuh minimal Rp\s?20\.000$/);
    expect(await page.locator('#mediaUrl').getAttribute('aria-invalid')).to.equal('true');
    await page.screenshot({ path: join(SHOTS, 'donor-quote-refused-id.png'), fullPage: true });
    // Donating anyway stops at the field, with the same words, and stays on the page.
    await page.fill('#donorName', 'Rina');
    await page.click('#donate');
    expect(((await page.locator('#mediaUrl-error').textContent()) ?? '').trim()).to.equal(refusal);
    expect(new URL(page.url()).pathname).to.equal(`/${streamer.username}`);

    // A link that is not one video: the API's reason on mediaUrl, in the donor's language.
    await page.fill('#amount', '50.000');
    await page.fill('#mediaUrl', 'https://www.youtube.com/@somechannel');
    await expectQuote(page, 'badLink', 'Ini tautan channel; tautkan satu video.');
    await context.close();
  });

  it('shows the quote in English', async () => {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await page.goto(`${system.gatewayUrl}/${streamer.username}`);
    await page.fill('#amount', '25000');
    await page.fill('#mediaUrl', 'youtube.com/shorts/dQw4w9WgXcQ');
    await expectQuote(page, 'allowed', 'This buys 25 seconds of the YouTube clip on stream.');
    await page.fill('#amount', '15000');
    await expectQuote(page, 'refused', /^A clip needs at least \D*20[.,]000$/);
    await page.screenshot({ path: join(SHOTS, 'donor-quote-en.png'), fullPage: true });
    await context.close();
  });
});
