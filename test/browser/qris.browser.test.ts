/**
 * The donor page with Midtrans QRIS (Core API charge, MIDTRANS_CHECKOUT_MODE=qris): the donor
 * stays on our status page, which draws the charge's QR string as an image with a countdown to
 * its expiry, and turns to "paid" when the notification arrives.
 */
import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import QRCode from 'qrcode';
import { TestSystem } from '../support/system.js';
import { registerStreamer, type TestStreamer } from '../support/clients.js';
import { launchChromium } from '../support/browser.js';
import { startMidtransFake, type MidtransFake } from '../fakes/midtrans.fake.js';

describe('donor page → Midtrans QRIS code with countdown (Chromium)', function () {
  this.timeout(120_000);
  let system: TestSystem;
  let streamer: TestStreamer;
  let browser: Browser;
  let midtrans: MidtransFake;
  const serverKey = 'SB-Mid-server-browser-test';
  const fakeOptions = { serverKey, webhookUrl: undefined as string | undefined };

  before(async function () {
    // TestSystem waits up to 300 s for the processes on a loaded machine.
    this.timeout(400_000);
    midtrans = await startMidtransFake(fakeOptions);
    system = await TestSystem.start({
      env: {
        MIDTRANS_SERVER_KEY: serverKey,
        MIDTRANS_API_URL: midtrans.url,
        MIDTRANS_CHECKOUT_MODE: 'qris',
      },
    });
    fakeOptions.webhookUrl = `${system.gatewayUrl}/api/v1/webhooks/midtrans`;
    streamer = await registerStreamer(system);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await system?.stop();
    await midtrans?.close();
  });

  it('draws the QR string as an image with a countdown, then shows paid', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    // The donor page and the status page are the web app (web/src/pages/donor.vue,
    // donation-status.vue): the status page draws the QR in place of a link to pay.
    await page.goto(`${system.gatewayUrl}/${streamer.username}`);
    await page.locator('#donorName').waitFor({ timeout: 30_000 });
    await page.fill('#donorName', 'Budi');
    await page.fill('#amount', '50000');
    await page.check('#provider-midtrans');
    await Promise.all([page.waitForURL(/\/donations\/[0-9a-f-]+$/), page.click('#donate')]);
    await page.waitForSelector('#qris:not([hidden]) #qr[src^="data:image/svg+xml"]', { timeout: 20_000 });
    const order = [...midtrans.orders.values()].at(-1)!;
    const qrString = await page.locator('#qr').getAttribute('data-qr');
    expect(qrString).to.match(/^000201/);
    // The image is exactly the QR code of the charge's string.
    const svg = await QRCode.toString(qrString!, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
    expect(await page.locator('#qr').getAttribute('src')).to.equal(
      `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`,
    );
    expect(await page.locator('#countdown').textContent()).to.match(/^1[45]:\d\d$/);
    expect(await page.locator('#pay').isHidden()).to.equal(true);
    await midtrans.setStatus(order.orderId, { status: 'settlement' });
    await page.locator('[data-testid="donation-status"][data-status="paid"]').waitFor({ timeout: 30_000 });
    expect(await page.locator('#status').textContent()).to.equal('paid');
    expect(await page.locator('#qris').isHidden()).to.equal(true);
    expect(errors).to.deep.equal([]);
  });
});
