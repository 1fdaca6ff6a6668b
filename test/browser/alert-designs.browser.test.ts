/**
 * Alert designs in the dashboard (issue 14), in Chromium on the real processes, in Indonesian. A
 * streamer logs in through /login, opens Settings › Desain alert, uploads an image through the
 * file input, writes a template, picks the "beside" layout and a text colour; the live preview
 * shows the sample alert with the overlay's classes; Save stores it (the API has the image and the
 * template after a reload). A tier typed "100.000" is stored as 10000000 minor IDR; an unknown
 * placeholder shows the API's refusal next to the template field. Screenshots at 1366 and 390 px
 * go to test/browser/screenshots/.
 *
 * Then the word filter's hold mode, set in Settings › Filter kata: a donation whose message has
 * a listed word shows on the overlay without its text; the Live page lists it as held, shows the
 * text only when asked, and after "Setujui" the history shows the message.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import { ROOT, TestSystem } from '../support/system.js';
import {
  createDonation,
  http,
  paymentIdOf,
  registerStreamer,
  sandboxComplete,
  type TestStreamer,
} from '../support/clients.js';
import { png } from '../support/media-files.js';

const SHOTS = join(ROOT, 'test', 'browser', 'screenshots');
const PASSWORD = 'correct horse battery';

interface StoredAlerts {
  base: { imageUploadId: string | null; template: string; layout: string; textColor: string };
  tiers: { minByCurrency: Record<string, number>; design: { template: string } }[];
}

describe('alert designs in the dashboard (chromium)', function () {
  this.timeout(180_000);
  let system: TestSystem;
  let streamer: TestStreamer;
  let browser: Browser;
  let page: Page;

  async function signedIn(viewport: { width: number; height: number }): Promise<Page> {
    const ctx = await browser.newContext({ locale: 'id-ID', viewport });
    const p = await ctx.newPage();
    await p.goto(`${system.gatewayUrl}/login`);
    await p.fill('#email', `${streamer.username}@example.test`);
    await p.fill('#password', PASSWORD);
    await p.locator('form button[type="submit"]').click();
    await p.waitForURL((url) => url.pathname.startsWith('/dashboard'));
    return p;
  }
  async function storedAlerts(): Promise<StoredAlerts> {
    const me = await http(system, 'GET', '/api/v1/me', { token: streamer.accessToken });
    expect(me.status).to.equal(200);
    return (me.body as { streamer: { settings: { alerts: StoredAlerts } } }).streamer.settings.alerts;
  }
  async function save(): Promise<void> {
    await Promise.all([
      page.waitForResponse(
        (r) => r.url().endsWith('/api/v1/me/settings') && r.request().method() === 'PATCH',
      ),
      page.locator('#alert-design button[type="submit"]').click(),
    ]);
    await page.locator('#ad-save-status[data-state="done"], #ad-save-status[data-state="failed"]').waitFor();
  }

  before(async function () {
    this.timeout(420_000);
    mkdirSync(SHOTS, { recursive: true });
    system = await TestSystem.start({ env: { SANDBOX_ENABLED: 'true' } });
    streamer = await registerStreamer(system, '1000');
    browser = await launchChromium();
    page = await signedIn({ width: 1366, height: 900 });
  });
  after(async () => {
    await browser?.close();
    await system?.stop();
  });

  it('uploads an image, edits the design with a live preview, saves, and keeps it after a reload', async () => {
    await page.goto(`${system.gatewayUrl}/dashboard/settings`);
    await page.locator('#alert-design').waitFor();
    await page.setInputFiles('#ad-base-image-file', {
      name: 'kucing.png',
      mimeType: 'image/png',
      buffer: png(120, 80),
    });
    const preview = page.locator('#ad-base-preview');
    await preview.locator('img.alert-image').waitFor();
    const imageId = await page.locator('#ad-base-image').inputValue();
    expect(imageId).to.match(/^[0-9a-f-]{36}$/);

    await page.fill('#ad-base-template', '{name} memberi {amount}');
    await page.selectOption('#ad-base-layout', 'beside');
    await page.fill('#ad-base-text-color', '#ff0000');
    expect(await preview.locator('.alert-title').textContent()).to.equal('Budi memberi Rp50.000');
    expect(await preview.locator('bdi.donor').textContent()).to.equal('Budi');
    expect(await preview.getAttribute('class'))
      .to.include('layout-beside')
      .and.include('font-system');
    expect(await preview.evaluate((e) => getComputedStyle(e).color)).to.equal('rgb(255, 0, 0)');
    await page.locator('#alert-design').screenshot({ path: join(SHOTS, 'alert-designs-1366.png') });

    await save();
    expect(await page.locator('#ad-save-status').getAttribute('data-state')).to.equal('done');
    const stored = await storedAlerts();
    expect(stored.base.imageUploadId).to.equal(imageId);
    expect(stored.base.template).to.equal('{name} memberi {amount}');
    expect(stored.base.layout).to.equal('beside');
    expect(stored.base.textColor).to.equal('#ff0000');

    await page.reload();
    await page.locator('#alert-design').waitFor();
    expect(await page.locator('#ad-base-template').inputValue()).to.equal('{name} memberi {amount}');
    expect(await page.locator('#ad-base-layout').inputValue()).to.equal('beside');
    expect(await page.locator('#ad-base-image').inputValue()).to.equal(imageId);
    await page.locator('#ad-base-preview img.alert-image').waitFor();
  });

  it('stores a tier typed in Indonesian as minor units', async () => {
    await page.click('#ad-tier-add');
    await page.fill('#ad-tier-0-min', '100.000');
    await page.fill('#ad-tier-0-template', 'Wah! {name} memberi {amount}');
    await save();
    expect(await page.locator('#ad-save-status').getAttribute('data-state')).to.equal('done');
    const stored = await storedAlerts();
    expect(stored.tiers).to.have.length(1);
    expect(stored.tiers[0]!.minByCurrency.IDR).to.equal(10_000_000);
    expect(stored.tiers[0]!.design.template).to.equal('Wah! {name} memberi {amount}');
    expect(await page.locator('#ad-tier-0-min').inputValue()).to.equal('100.000');
  });

  it("shows the API's refusal of an unknown placeholder next to the template field", async () => {
    await page.fill('#ad-base-template', '{nama} memberi {amount}');
    await save();
    expect(await page.locator('#ad-save-status').getAttribute('data-state')).to.equal('failed');
    const error = page.locator('#ad-base-template-error');
    expect(await error.textContent()).to.include('{nama}');
    expect(await page.locator('#ad-base-template').getAttribute('aria-invalid')).to.equal('true');
    expect((await storedAlerts()).base.template).to.equal('{name} memberi {amount}');
  });

  it('fits a 390 px phone', async () => {
    const phone = await signedIn({ width: 390, height: 844 });
    await phone.goto(`${system.gatewayUrl}/dashboard/settings`);
    await phone.locator('#ad-base-preview').waitFor();
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).to.be.at.most(0);
    await phone.locator('#alert-design').screenshot({ path: join(SHOTS, 'alert-designs-390.png') });
  });

  it('holds a flagged message: the overlay shows the alert without its text until the streamer approves it', async () => {
    const HELD = 'dasar anjing, mampir ke stream aku ya';
    await page.goto(`${system.gatewayUrl}/dashboard/settings`);
    const form = page.locator('#word-filter');
    await form.waitFor();
    await form.locator('input[name="wf-mode"][value="hold"]').check();
    await page.check('#s-wf-id');
    await page.fill('#s-wf-words', 'anjing');
    await Promise.all([
      page.waitForResponse(
        (r) => r.url().endsWith('/api/v1/me/settings') && r.request().method() === 'PATCH',
      ),
      form.locator('button[type="submit"]').click(),
    ]);
    expect(await page.locator('#s-word-filter-save-status').getAttribute('data-state')).to.equal('done');
    const me = await http(system, 'GET', '/api/v1/me', { token: streamer.accessToken });
    expect(me.body.streamer.settings.wordFilter).to.deep.equal({
      mode: 'hold',
      lists: { en: false, id: true },
      words: ['anjing'],
    });
    // The try box answers with the saved settings: a spaced-out evasion is caught.
    await page.fill('#s-wf-try', 'a n j i n g kamu');
    await form.getByRole('button', { name: 'Periksa' }).click();
    const tried = page.locator('[data-testid="word-filter-result"]');
    await tried.waitFor();
    expect(await tried.innerText()).to.match(/Tertangkap/);
    expect(await tried.innerText()).to.not.match(/a n j i n g/);

    const overlay = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await overlay.goto(`${system.gatewayUrl}/overlay#token=${encodeURIComponent(streamer.overlayToken)}`);
    await overlay.waitForFunction(() => window.__mediashar?.connected === true, null, { timeout: 20_000 });
    const created = await createDonation(system, streamer.username, {
      donorName: 'Budi',
      amount: '20.000',
      provider: 'sandbox',
      message: HELD,
    });
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    const id = created.body.id as string;
    await sandboxComplete(system, await paymentIdOf(system, created));
    const card = overlay.locator(`#stage .alert[data-donation-id="${id}"]`);
    await card.waitFor({ state: 'visible', timeout: 20_000 });
    expect(await card.innerText()).to.include('Budi');
    expect(await overlay.locator('body').innerText()).to.not.include('mampir');
    await overlay.close();

    // The Live page: held, text hidden until asked; approving it releases the text.
    await page.goto(`${system.gatewayUrl}/dashboard`);
    const item = page.locator(`[data-testid="held-messages"] li[data-donation="${id}"]`);
    await item.waitFor();
    expect(await item.innerText()).to.not.include('mampir');
    await item.getByRole('button', { name: 'Lihat teks' }).click();
    expect(await item.locator('[data-testid="held-text"]').innerText()).to.equal(HELD);
    await Promise.all([
      page.waitForResponse((r) => r.url().endsWith(`/api/v1/me/donations/${id}/message-review`)),
      item.getByRole('button', { name: 'Setujui' }).click(),
    ]);
    await page.locator('[data-testid="held-messages"]').waitFor({ state: 'detached' });
    await page.goto(`${system.gatewayUrl}/dashboard/history`);
    await page.getByText(HELD).waitFor();
  });

  it('lists the uploaded files and deletes one, but not the one a design shows', async () => {
    const extra = await http(system, 'POST', '/api/v1/me/uploads?kind=image&name=lama.png', {
      token: streamer.accessToken,
      raw: png(40, 40),
    });
    expect(extra.status).to.equal(201);
    const inUse = (await storedAlerts()).base.imageUploadId!;
    await page.goto(`${system.gatewayUrl}/dashboard/settings`);
    await page.locator('#ad-files summary').click();
    page.on('dialog', (d) => void d.accept());
    const used = page.locator(`#ad-files li[data-upload="${inUse}"]`);
    await used.getByRole('button', { name: 'Hapus' }).click();
    await used.locator('.error').waitFor();
    expect(await used.locator('.error').innerText()).to.contain('desain alert');
    const old = page.locator(`#ad-files li[data-upload="${extra.body.id as string}"]`);
    await old.getByRole('button', { name: 'Hapus' }).click();
    await old.waitFor({ state: 'detached' });
    const left = await http(system, 'GET', '/api/v1/me/uploads', { token: streamer.accessToken });
    const ids = (left.body.uploads as { id: string }[]).map((u) => u.id);
    expect(ids).to.include(inUse);
    expect(ids).to.not.include(extra.body.id);
  });
});
