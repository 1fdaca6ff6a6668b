/**
 * The dashboard's settings forms and PATCH /me/settings refuse the same bad values with the same
 * words (issue 12), in English and Indonesian: for each row the value is typed into the form and
 * sent straight to the API with the same Accept-Language; the message shown next to the field
 * must be the API's message for that field, and nothing may change. Then the media-share section
 * (issue 13): rules typed in major units persist across a reload and reach the API in minor
 * units. Screenshots go to test/browser/screenshots/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { TestSystem, ROOT } from '../support/system.js';
import { launchChromium } from '../support/browser.js';
import { http, registerStreamer, type TestStreamer } from '../support/clients.js';
import { AMOUNT_REFUSAL_MESSAGES } from '../../shared/amount-input.js';

const SHOTS = join(ROOT, 'test', 'browser', 'screenshots');
const PASSWORD = 'correct horse battery';
type Lang = 'en' | 'id';

/** One bad value: where the form takes it, and the same value as a request body. */
interface Row {
  name: string;
  /** The form (section id) and the element the field's message is shown in. */
  form: 'donation-page' | 'alerts';
  errorId: string;
  /** Types the value into the form. */
  type: (page: Page) => Promise<void>;
  /** The same value straight to the API, and the field its answer names. */
  body: Record<string, unknown>;
  field: string;
  /** The words expected in each language (a check that each language answers in its own). */
  words: Record<Lang, RegExp>;
}

const SEVEN = ['10.000', '20.000', '30.000', '40.000', '50.000', '60.000', '70.000'];

/** The table; `typed` differs per language where people write numbers differently. */
function rows(lang: Lang): Row[] {
  const decimals = lang === 'id' ? '5,123' : '5.123';
  return [
    {
      name: 'a negative minimum',
      form: 'donation-page',
      errorId: 's-minDonation-error',
      type: (p) => p.fill('#s-minDonation', '-10.000'),
      body: { minDonation: '-10.000' },
      field: 'minDonation',
      words: { en: /more than zero/, id: /lebih dari nol/ },
    },
    {
      name: 'a minimum below the currency floor',
      form: 'donation-page',
      errorId: 's-minDonation-error',
      type: (p) => p.fill('#s-minDonation', '500'),
      body: { minDonation: '500' },
      field: 'minDonation',
      words: { en: /^Must be between IDR\s?1,000 and/, id: /^Harus antara Rp1\.000 dan/ },
    },
    {
      name: 'a minimum with too many decimals (USD)',
      form: 'donation-page',
      errorId: 's-minDonation-error',
      type: async (p) => {
        await p.selectOption('#s-currency', 'USD');
        await p.fill('#s-minDonation', decimals);
      },
      body: { currency: 'USD', minDonation: decimals },
      field: 'minDonation',
      words: { en: /Too many decimal places/, id: /Terlalu banyak angka desimal/ },
    },
    {
      name: 'a minimum of forty digits',
      form: 'donation-page',
      errorId: 's-minDonation-error',
      type: (p) => p.fill('#s-minDonation', '9'.repeat(40)),
      body: { minDonation: '9'.repeat(40) },
      field: 'minDonation',
      words: { en: /above the largest donation/, id: /melebihi donasi terbesar/ },
    },
    {
      name: 'letters as the minimum',
      form: 'donation-page',
      errorId: 's-minDonation-error',
      type: (p) => p.fill('#s-minDonation', 'abc'),
      body: { minDonation: 'abc' },
      field: 'minDonation',
      words: { en: /as a number/, id: /dengan angka/ },
    },
    {
      name: 'letters as a quick amount',
      form: 'donation-page',
      errorId: 's-preset-0-error',
      type: (p) => p.fill('#s-preset-0', 'abc'),
      body: { presets: { IDR: ['abc'] } },
      field: 'presets.IDR.0',
      words: { en: /as a number/, id: /dengan angka/ },
    },
    {
      name: 'a seventh quick amount',
      form: 'donation-page',
      errorId: 's-presets-error',
      type: async (p) => {
        await p.click('#s-preset-add');
        for (const [i, v] of SEVEN.entries()) await p.fill(`#s-preset-${i}`, v);
      },
      body: { presets: { IDR: SEVEN } },
      field: 'presets.IDR',
      words: { en: /At most six/, id: /Paling banyak enam/ },
    },
    {
      name: 'a TTS threshold above the largest donation',
      form: 'alerts',
      errorId: 's-tts-error',
      type: (p) => p.fill('#s-tts', '999.999.999'),
      body: { ttsMin: '999.999.999' },
      field: 'ttsMin',
      words: { en: /^Must be at most IDR\s?150,000,000/, id: /^Paling banyak Rp150\.000\.000/ },
    },
  ];
}

describe('dashboard settings validation (Chromium)', function () {
  this.timeout(180_000);
  let system: TestSystem;
  let browser: Browser;
  let streamer: TestStreamer;
  const pageErrors: string[] = [];

  const shot = (page: Page, name: string) =>
    page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  const me = async () =>
    (await http(system, 'GET', '/api/v1/me', { token: streamer.accessToken })).body.streamer as Record<
      string,
      unknown
    >;

  /** A dashboard page in `lang`, logged in as the streamer, on the settings. */
  async function settingsPage(lang: Lang): Promise<Page> {
    const context = await browser.newContext({
      locale: lang === 'id' ? 'id-ID' : 'en-US',
      viewport: { width: 1280, height: 900 },
    });
    const page = await context.newPage();
    // A message that does not compile or a section that throws is logged, not shown.
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) pageErrors.push(m.text());
    });
    await page.goto(`${system.gatewayUrl}/login`);
    await page.fill('#email', `${streamer.username}@example.test`);
    await page.fill('#password', PASSWORD);
    await page.locator('form button[type="submit"]').click();
    await page.waitForURL('**/dashboard**');
    await page.goto(`${system.gatewayUrl}/dashboard/settings`);
    await page.locator('#donation-page').waitFor();
    return page;
  }

  before(async function () {
    this.timeout(420_000);
    mkdirSync(SHOTS, { recursive: true });
    system = await TestSystem.start({ env: { SANDBOX_ENABLED: 'true' } });
    browser = await launchChromium();
    streamer = await registerStreamer(system, '10000');
  });
  afterEach(() => {
    expect(pageErrors.splice(0), 'errors in the page').to.deep.equal([]);
  });
  after(async () => {
    await browser?.close();
    await system?.stop();
  });

  for (const lang of ['en', 'id'] as const) {
    it(`shows next to the field the API's own words for each bad value (${lang}), and saves nothing`, async () => {
      const before = await me();
      const page = await settingsPage(lang);
      const seen = new Map<string, string>();
      for (const row of rows(lang)) {
        // A fresh form each row: the stored values, no message left from the row before.
        await page.reload();
        await page.locator(`#${row.form}`).waitFor();
        await row.type(page);
        await page.locator(`#${row.form} button[type="submit"]`).click();
        const status = page.locator(`#${row.form} [role="status"][data-state="failed"]`);
        await status.waitFor();
        const shown = (await page.locator(`#${row.errorId}`).textContent())?.trim() ?? '';

        const api = await http(system, 'PATCH', '/api/v1/me/settings', {
          token: streamer.accessToken,
          headers: { 'accept-language': lang },
          body: row.body,
        });
        expect(api.status, row.name).to.equal(400);
        const said = (api.body.error.details.fields as Record<string, string>)[row.field];
        expect(said, `${row.name}: the API names ${row.field}`).to.be.a('string');
        expect(shown, `${row.name} (${lang})`).to.equal(said);
        expect(shown, `${row.name} in ${lang}`).to.match(row.words[lang]);
        // The field is marked for assistive technology too.
        const input = page.locator(`[aria-describedby~="${row.errorId}"]`).first();
        if ((await input.count()) && row.errorId !== 's-presets-error')
          expect(await input.getAttribute('aria-invalid'), row.name).to.equal('true');
        seen.set(row.name, shown);
        if (row.name === 'a seventh quick amount') await shot(page, `settings-validation-${lang}`);
      }
      expect(seen.size).to.equal(rows(lang).length);
      expect(await me(), 'nothing saved').to.deep.equal(before);
      await page.context().close();
    });
  }

  it('keeps media-share rules typed in major units across a reload, stored in minor units', async () => {
    const page = await settingsPage('id');
    const section = page.locator('#media-share');
    // A refused amount is worded as the API words typed amounts.
    await page.fill('#s-ms-min-IDR', 'abc');
    await section.locator('button[type="submit"]').click();
    await section.locator('[role="status"][data-state="failed"]').waitFor();
    expect(await page.textContent('#s-ms-min-IDR-error')).to.equal(AMOUNT_REFUSAL_MESSAGES.id.not_a_number);

    await page.fill('#s-ms-min-IDR', '20.000');
    await page.fill('#s-ms-price-IDR', '1.000');
    await page.fill('#s-ms-maxSeconds', '45');
    // The rule in words, from what is typed.
    expect(await page.getByTestId('ms-example-IDR').textContent()).to.include(
      'Rp1.000 per detik: 45 detik penuh seharga Rp45.000.',
    );
    await page.uncheck('#s-ms-platform-tiktok');
    await page.check('#s-ms-platform-youtube');
    await section.locator('button[type="submit"]').click();
    await section.locator('[role="status"][data-state="done"]').waitFor();
    // The outcome is beside the button that was pressed (and described by it), nowhere else.
    const button = section.locator('button[type="submit"]');
    const statusId = await button.getAttribute('aria-describedby');
    expect(await page.textContent(`#${statusId}`)).to.equal('Media share: tersimpan.');
    expect(
      await button.evaluate((b, id) => b.parentElement?.querySelector(`#${id}`) !== null, statusId),
    ).to.equal(true);
    for (const other of ['#profile', '#donation-page', '#alerts'])
      expect(
        (await page.locator(`${other} [role="status"]`).allTextContents()).join('').trim(),
        other,
      ).to.equal('');

    const rules = (await me()).settings as { mediaShare: Record<string, unknown> };
    expect(rules.mediaShare).to.deep.include({
      minByCurrency: { IDR: 2_000_000 },
      pricePerSecondMinor: { IDR: 100_000 },
      maxSeconds: 45,
      platforms: ['youtube'],
    });

    await page.reload();
    await section.waitFor();
    expect(await page.inputValue('#s-ms-min-IDR')).to.equal('20.000');
    expect(await page.inputValue('#s-ms-price-IDR')).to.equal('1.000');
    expect(await page.inputValue('#s-ms-maxSeconds')).to.equal('45');
    expect(await page.isChecked('#s-ms-platform-youtube')).to.equal(true);
    expect(await page.isChecked('#s-ms-platform-tiktok')).to.equal(false);
    await shot(page, 'settings-media-share-id');
    await page.context().close();
  });
});
