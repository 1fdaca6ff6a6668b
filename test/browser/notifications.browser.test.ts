/**
 * Dashboard › Notifications in Chromium (issue 16), in Indonesian on a 390 px phone: the streamer
 * adds a Discord webhook with a threshold typed as people write rupiah ("50.000"), saves,
 * reloads (the values are kept, the URL only as "saved"), sends a test that the Discord fake
 * receives as an embed, and then a paid donation below the threshold is not posted while one
 * above it is. A bad threshold is refused beside its field, and the API names the field in the
 * reader's language. Last, "notify me on this device" registers the service worker.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import webpush from 'web-push';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { ROOT, TestSystem, waitFor } from '../support/system.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH, launchChromium } from '../support/browser.js';
import { NOTIFICATION_PROCESSES } from '../support/notifications.js';
import {
  createDonation,
  http,
  paymentIdOf,
  registerStreamer,
  sandboxComplete,
  waitForDonationStatus,
  type TestStreamer,
} from '../support/clients.js';
import { discordVisibleText, startDiscordFake, type DiscordFake } from '../fakes/discord.fake.js';
import { formatMoney } from '../../shared/money.js';

const SHOTS = join(ROOT, 'test', 'browser', 'screenshots');
const PASSWORD = 'correct horse battery';
const WEBHOOK_ID = '998877665544332211';
const WEBHOOK_TOKEN = 'Zy9_xW-vUtSrQpOnMlKjIhGfEdCbA0123456789zyxwvuTSRQPONMLkjihgfedcb';
const WEBHOOK_URL = `https://discord.com/api/webhooks/${WEBHOOK_ID}/${WEBHOOK_TOKEN}`;

describe('dashboard notifications (Chromium, id, 390 px)', function () {
  this.timeout(180_000);
  let system: TestSystem;
  let browser: Browser;
  let discord: DiscordFake;
  let streamer: TestStreamer;
  const pageErrors: string[] = [];
  const vapid = webpush.generateVAPIDKeys();

  /** A phone-sized Indonesian context, logged in as the streamer, on the notifications page. */
  async function notificationsPage(given?: BrowserContext): Promise<{ context: BrowserContext; page: Page }> {
    const context =
      given ?? (await browser.newContext({ locale: 'id-ID', viewport: { width: 390, height: 844 } }));
    const page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) pageErrors.push(m.text());
    });
    await page.goto(`${system.gatewayUrl}/login`);
    await page.fill('#email', `${streamer.username}@example.test`);
    await page.fill('#password', PASSWORD);
    await page.locator('form button[type="submit"]').click();
    await page.waitForURL('**/dashboard**');
    await page.goto(`${system.gatewayUrl}/dashboard/notifications`);
    await page.locator('#notify-discord').waitFor();
    return { context, page };
  }
  /** The button a StatusButton with this id draws, and the outcome it shows. */
  const button = (page: Page, id: string) => page.locator(`button[aria-describedby="${id}-status"]`);
  const outcome = async (page: Page, id: string, timeout?: number) => {
    const status = page.locator(`#${id}-status:is([data-state="done"], [data-state="failed"])`);
    await status.waitFor({ timeout });
    return { state: await status.getAttribute('data-state'), text: (await status.textContent())!.trim() };
  };
  const settings = async () =>
    (await http(system, 'GET', '/api/v1/me/notifications', { token: streamer.accessToken })).body as {
      discord: { enabled: boolean; minMinor: number; webhookUrlSet: boolean };
    };
  /** Embeds the fake accepted whose description reads `message` (markdown escapes undone). */
  const posted = (message: string) =>
    discord
      .accepted()
      .filter((r) => r.body.embeds?.some((e) => discordVisibleText(e.description ?? '') === message));

  async function paidDonation(amount: string, message: string): Promise<string> {
    const created = await createDonation(system, streamer.username, {
      donorName: 'Sari',
      amount,
      currency: 'IDR',
      message,
    });
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    await sandboxComplete(system, await paymentIdOf(system, created));
    await waitForDonationStatus(system, created.body.id as string, 'paid');
    return created.body.id as string;
  }

  before(async function () {
    this.timeout(420_000);
    mkdirSync(SHOTS, { recursive: true });
    discord = await startDiscordFake();
    discord.addWebhook(WEBHOOK_ID, WEBHOOK_TOKEN);
    system = await TestSystem.start({
      // The dashboard's live socket too (its refused connection would be a page error).
      processes: [...NOTIFICATION_PROCESSES, 'notification-service'],
      env: {
        DISCORD_API_BASE: discord.url,
        // The fake is on 127.0.0.1.
        OUTGOING_WEBHOOK_ALLOW_INTERNAL: 'true',
        NOTIFICATION_BACKOFF_MS: '100',
        VAPID_PUBLIC_KEY: vapid.publicKey,
        VAPID_PRIVATE_KEY: vapid.privateKey,
        VAPID_SUBJECT: 'mailto:ops@mediashar.test',
      },
    });
    browser = await launchChromium();
    streamer = await registerStreamer(system, '10000');
  });
  afterEach(() => {
    expect(pageErrors.splice(0), 'errors in the page').to.deep.equal([]);
  });
  after(async () => {
    await browser?.close();
    await system?.stop();
    await discord?.close();
  });

  it('adds a Discord webhook with a threshold typed "50.000", keeps it across a reload and sends a test', async () => {
    const { context, page } = await notificationsPage();
    try {
      await page.check('#n-discord-enabled');
      await page.fill('#n-discord-webhookUrl', WEBHOOK_URL);
      await page.fill('#n-discord-min', '50.000');
      await button(page, 'n-save').click();
      expect(await outcome(page, 'n-save')).to.deep.equal({ state: 'done', text: 'Tersimpan.' });
      // Stored as minor units of the streamer's currency.
      expect((await settings()).discord).to.deep.include({
        enabled: true,
        minMinor: 50_000_00,
        webhookUrlSet: true,
      });
      await page.reload();
      await page.locator('#notify-discord').waitFor();
      expect(await page.inputValue('#n-discord-min')).to.equal('50.000');
      expect(await page.isChecked('#n-discord-enabled')).to.equal(true);
      // The URL is a secret: never shown back, only said to be saved.
      expect(await page.inputValue('#n-discord-webhookUrl')).to.equal('');
      expect(await page.locator('#n-discord-webhookUrl-hint').textContent()).to.equal(
        'Tersimpan (tersembunyi). Ketik yang baru untuk menggantinya.',
      );
      const before = discord.accepted().length;
      await button(page, 'n-test-discord').click();
      expect(await outcome(page, 'n-test-discord')).to.deep.equal({ state: 'done', text: 'Uji terkirim.' });
      const tests = discord.accepted().slice(before);
      expect(tests).to.have.length(1);
      expect(tests[0]!.webhookId).to.equal(WEBHOOK_ID);
      expect(tests[0]!.body.embeds![0]!.description).to.equal('Ini notifikasi uji dari MediaShar.');
      expect(tests[0]!.body.allowed_mentions).to.deep.equal({ parse: [] });
      // The page fits the phone: no sideways scroll.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, 'horizontal overflow in px').to.be.at.most(0);
      await page.screenshot({ path: join(SHOTS, 'notifications-390-id.png'), fullPage: true });
    } finally {
      await context.close();
    }
  });

  it('posts a paid donation above the threshold and not one below it', async () => {
    expect((await settings()).discord.minMinor, 'the threshold saved by the test before').to.equal(50_000_00);
    const below = `di bawah ambang ${streamer.username}`;
    const above = `di atas ambang ${streamer.username}`;
    await paidDonation('20000', below);
    await paidDonation('75000', above);
    const [post] = await waitFor(
      () => Promise.resolve(posted(above).length ? posted(above) : null),
      30_000,
      'the donation above the threshold on Discord',
    );
    expect(post!.body.embeds![0]!.fields).to.deep.include({
      name: 'Jumlah',
      value: formatMoney(75_000_00, 'IDR', 'id-ID'),
      inline: true,
    });
    // The pool reads the donation stream in order: the one below was judged (and dropped)
    // before the one above was posted.
    expect(posted(below)).to.deep.equal([]);
    expect(posted(above)).to.have.length(1);
  });

  it("refuses a bad threshold beside its field; the API names the field in the reader's language", async () => {
    const { context, page } = await notificationsPage();
    try {
      await page.fill('#n-discord-min', '-5.000');
      await button(page, 'n-save').click();
      expect((await outcome(page, 'n-save')).state).to.equal('failed');
      expect(await page.locator('#n-discord-min-error').textContent()).to.include(
        'Nominal harus lebih dari nol',
      );
      expect((await settings()).discord.minMinor, 'nothing changed').to.equal(50_000_00);
    } finally {
      await context.close();
    }
    for (const [lang, words] of [
      ['id', /^ambang harus bilangan bulat/],
      ['en', /^the threshold must be a whole number/],
    ] as const) {
      const res = await http(system, 'PATCH', '/api/v1/me/notifications', {
        token: streamer.accessToken,
        headers: { 'accept-language': lang },
        body: { discord: { minMinor: -500 } },
      });
      expect(res.status).to.equal(400);
      expect(res.body.error.details.fields['discord.minMinor']).to.match(words);
    }
  });

  it('"notify me on this device" registers the service worker (/notify-sw.js)', async function () {
    // A persistent profile: Chromium refuses the Push API in incognito-like contexts.
    const profile = mkdtempSync(join(tmpdir(), 'mediashar-push-'));
    const persistent = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      args: CHROMIUM_ARGS,
      locale: 'id-ID',
      viewport: { width: 390, height: 844 },
      permissions: ['notifications'],
    });
    try {
      const { page } = await notificationsPage(persistent);
      await button(page, 'n-push-device').click();
      // The worker is registered before the subscription is asked for. Read it in the same
      // callback that sees it active: a second read could meet the registration mid-update.
      const registration = await (
        await page.waitForFunction(async () => {
          const r = await navigator.serviceWorker.getRegistration('/dashboard');
          const worker = r?.active ?? r?.waiting ?? r?.installing;
          return r && worker?.scriptURL ? { script: worker.scriptURL, scope: r.scope } : null;
        })
      ).jsonValue();
      expect(registration).to.deep.equal({
        script: `${system.gatewayUrl}/notify-sw.js`,
        scope: `${system.gatewayUrl}/dashboard`,
      });
      const result = await outcome(page, 'n-push-device', 15_000).catch(() => null);
      if (result?.state !== 'done') {
        // Headless Chromium subscribes only through its own push service (Google's FCM), which
        // a test cannot stand in for: PushManager.subscribe fails or never answers here. The
        // subscription, encryption and delivery are covered by
        // test/e2e/notifications-push.test.ts with a local push-service stand-in.
        console.log(
          `      push subscription unavailable in headless Chromium: ${result?.text ?? 'no answer in 15 s'}`,
        );
        pageErrors.splice(0);
        this.skip();
      }
      const subs = (await http(system, 'GET', '/api/v1/me/notifications', { token: streamer.accessToken }))
        .body.pushSubscriptions as unknown[];
      expect(subs).to.have.length(1);
    } finally {
      await persistent.close();
      rmSync(profile, { recursive: true, force: true });
    }
  });
});
