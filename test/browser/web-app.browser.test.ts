/**
 * The web app in Chromium (issue 12), one system for the file: a streamer signs up on /, sets a
 * minimum and presets, opens the overlay URL; a donor on a phone types "50.000" in Indonesian and
 * pays through the sandbox; the dashboard shows the donation live, in history, in the CSV export
 * and in stats; the dashboard's test alert and panic act on the open overlay; the Indonesian
 * pages show none of a list of English strings; the session outlives the access token through
 * refresh, and a reused refresh token ends it; an admin signs in and reaches Bull Board from the
 * app, a streamer gets 403. Screenshots go to test/browser/screenshots/.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import argon2 from 'argon2';
import { uuidv7 } from 'uuidv7';
import { TestSystem, ROOT } from '../support/system.js';
import { query } from '../support/db.js';
import { launchChromium } from '../support/browser.js';

const SHOTS = join(ROOT, 'test', 'browser', 'screenshots');
const ACCESS_TTL_S = 8;
const PASSWORD = 'correct horse battery';

/** English words that must not be left on a page shown in Indonesian. */
const ENGLISH = [
  'Amount',
  'Your name',
  'Message',
  'Pay with',
  'Donate',
  'Support',
  'Anonymous',
  'Settings',
  'History',
  'Log out',
  'Send a test alert',
  'Loading',
];

describe('web app (Chromium)', function () {
  this.timeout(180_000);
  let system: TestSystem;
  let browser: Browser;
  let streamerContext: BrowserContext;
  let dashboard: Page;
  let overlay: Page;
  const username = `w_${Date.now().toString(36)}`;
  const email = `${username}@example.test`;
  let donationId = '';

  const shot = (page: Page, name: string) =>
    page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

  before(async function () {
    // Eight processes starting on a loaded 2-core machine (plus the web build when stale).
    this.timeout(420_000);
    mkdirSync(SHOTS, { recursive: true });
    system = await TestSystem.start({
      env: { SANDBOX_ENABLED: 'true', ACCESS_TOKEN_TTL_S: String(ACCESS_TTL_S) },
    });
    browser = await launchChromium();
    streamerContext = await browser.newContext({ locale: 'en-US', viewport: { width: 1366, height: 768 } });
    await streamerContext.grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: system.gatewayUrl,
    });
  });
  after(async () => {
    await browser?.close();
    await system?.stop();
  });

  it('lets a new streamer sign up on /, set a minimum and presets, and open the copied overlay URL', async () => {
    dashboard = await streamerContext.newPage();
    await dashboard.goto(`${system.gatewayUrl}/`);
    await dashboard.getByRole('link', { name: 'Create your page' }).click();
    await dashboard.fill('#email', email);
    await dashboard.fill('#password', PASSWORD);
    await dashboard.fill('#username', username);
    await dashboard.fill('#displayName', 'Rina Live');
    await dashboard.getByRole('button', { name: 'Create account' }).click();
    await dashboard.waitForURL('**/dashboard/settings');
    await dashboard.fill('#s-minDonation', '10.000');
    await dashboard.fill('#s-preset-0', '20.000');
    await dashboard.fill('#s-preset-1', '50.000');
    await dashboard.locator('#donation-page').getByRole('button', { name: 'Save' }).click();
    await dashboard.getByText('Donation page: saved.').waitFor();
    const profile = (await (await fetch(`${system.gatewayUrl}/api/v1/streamers/${username}`)).json()) as {
      minDonation: { amount: number };
    };
    expect(profile.minDonation.amount).to.equal(1_000_000);

    await dashboard.locator('[data-copy="overlay-url"]').click();
    const copied = await dashboard.evaluate(() => navigator.clipboard.readText());
    expect(copied).to.match(/\/overlay#token=/);
    expect(copied).to.equal(await dashboard.inputValue('#overlay-url'));
    await shot(dashboard, 'settings-en-1366');
    overlay = await streamerContext.newPage();
    await overlay.goto(copied);
    await overlay.waitForFunction(() => window.__mediashar?.connected === true, undefined, {
      timeout: 20_000,
    });
  });

  it('takes "50.000" from an Indonesian donor on a phone, pays in the sandbox, and shows paid', async () => {
    await dashboard.goto(`${system.gatewayUrl}/dashboard`);
    await dashboard.getByTestId('realtime').getByText('Receiving donations live').waitFor();

    const donorContext = await browser.newContext({
      locale: 'id-ID',
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    const donor = await donorContext.newPage();
    const res = await donor.goto(`${system.gatewayUrl}/${username}`);
    expect(res?.status()).to.equal(200);
    await donor.getByRole('heading', { name: 'Dukung Rina Live' }).waitFor();
    await donor.fill('#amount', '50.000');
    expect(await donor.getByTestId('amount-preview').textContent()).to.equal('Rp50.000');
    await donor.fill('#donorName', 'Budi <b>Bandung</b>');
    await donor.fill('#message', 'Semangat! <script>alert(1)</script>');
    await donor.check('#provider-sandbox');
    const body = (await donor.textContent('body')) ?? '';
    for (const english of ENGLISH)
      expect(body, `English "${english}" on the Indonesian donor page`).to.not.include(english);
    await shot(donor, 'donor-id-390');
    await donor.getByRole('button', { name: /Donasi Rp50\.000/ }).click();
    await donor.waitForURL(/\/sandbox\/checkout\//);
    // The sandbox checkout speaks the donor's language too.
    expect(await donor.locator('html').getAttribute('lang')).to.equal('id');
    await donor.getByRole('button', { name: 'Bayar' }).click();
    await donor.waitForURL(/\/donations\//);
    donationId = donor.url().split('/donations/')[1]!.split(/[?#]/)[0]!;
    await donor.locator('[data-testid="donation-status"][data-status="paid"]').waitFor({ timeout: 30_000 });
    expect(await donor.textContent('#status')).to.equal('dibayar');
    expect(await donor.getByTestId('status-amount').textContent()).to.equal('Rp50.000');
    await shot(donor, 'status-id-390');
    await donorContext.close();

    // The dashboard shows it live, without a reload; the overlay too.
    await dashboard.getByTestId('live-feed').getByText('Budi <b>Bandung</b>').waitFor({ timeout: 20_000 });
    await overlay.waitForFunction(
      (id) => window.__mediashar?.shown.some((a) => a.donationId === id),
      donationId,
      { timeout: 20_000 },
    );
    await shot(dashboard, 'dashboard-live-en-1366');
  });

  it('lists the donation in history and in the CSV export, and counts it in stats', async () => {
    await dashboard.getByRole('link', { name: 'History' }).click();
    await dashboard.getByTestId('history-table').getByText('Budi <b>Bandung</b>').waitFor();
    const [download] = await Promise.all([
      dashboard.waitForEvent('download'),
      dashboard.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    const csv = readFileSync(await download.path(), 'utf8');
    expect(csv).to.include(donationId);
    expect(csv).to.include('50000');
    await shot(dashboard, 'dashboard-history-en-1366');
    await dashboard.getByRole('link', { name: 'Stats' }).click();
    // Sandbox payments move no money: counted as test payments, not in the totals.
    await dashboard.getByTestId('stats-test').getByText('1', { exact: true }).waitFor();
    await shot(dashboard, 'dashboard-stats-en-1366');
  });

  it('sends a test alert and a panic from the dashboard to the open overlay', async () => {
    await dashboard.getByRole('link', { name: 'Live' }).click();
    const before = await overlay.evaluate(() => window.__mediashar!.shown.length);
    await dashboard.getByRole('button', { name: 'Send a test alert' }).click();
    await overlay.waitForFunction((n) => window.__mediashar!.shown.some((a, i) => i >= n && a.test), before, {
      timeout: 20_000,
    });
    await dashboard.getByRole('button', { name: 'Panic: silence now' }).click();
    await overlay.waitForFunction(() => window.__mediashar!.controls.includes('panic'), undefined, {
      timeout: 20_000,
    });
    await dashboard.getByRole('button', { name: 'Resume alerts' }).waitFor();
  });

  it('leaves none of the English strings on the dashboard after switching to Indonesian', async () => {
    await dashboard.selectOption('#language', 'id');
    await dashboard.getByRole('heading', { name: 'Siaran langsung' }).waitFor();
    for (const path of ['/dashboard', '/dashboard/settings', '/dashboard/history']) {
      await dashboard.goto(`${system.gatewayUrl}${path}`);
      await dashboard.getByRole('link', { name: 'Riwayat' }).waitFor();
      await dashboard.waitForLoadState('networkidle');
      const body = (await dashboard.textContent('main')) ?? '';
      for (const english of ENGLISH)
        expect(body, `English "${english}" on ${path} in Indonesian`).to.not.include(english);
    }
    await dashboard.goto(`${system.gatewayUrl}/dashboard`);
    await dashboard
      .getByTestId('live-feed')
      .getByText('Budi <b>Bandung</b>')
      .waitFor({ timeout: 20_000 })
      .catch(() => undefined);
    await shot(dashboard, 'dashboard-id-1366');
    await dashboard.selectOption('#language', 'en');
  });

  it('takes an admin from the app to Bull Board; a streamer gets 403', async () => {
    const adminEmail = `admin_${username}@example.test`;
    // Admins are never registered through the API (npm run admin:create does this insert).
    await query(
      system.config.GATEWAY_DATABASE_URL,
      "insert into users (id, email, password_hash, role) values ($1, $2, $3, 'admin')",
      [uuidv7(), adminEmail, await argon2.hash(PASSWORD, { type: argon2.argon2id })],
    );
    const adminContext = await browser.newContext({
      locale: 'en-US',
      viewport: { width: 1366, height: 768 },
    });
    const admin = await adminContext.newPage();
    await admin.goto(`${system.gatewayUrl}/login`);
    await admin.fill('#email', adminEmail);
    await admin.fill('#password', PASSWORD);
    await admin.getByRole('button', { name: 'Log in' }).click();
    await admin.waitForURL('**/admin');
    await admin.locator('#bull-board').click();
    await admin.waitForURL('**/admin/queues**');
    // Bull Board's page lists the queues it read from its API, which answers only the admin cookie.
    await admin.getByText('donation-commands').first().waitFor({ timeout: 20_000 });
    const cookies = await adminContext.cookies();
    const adminCookie = cookies.find((c) => c.name === 'ms_admin');
    expect(adminCookie?.httpOnly, 'the admin cookie is httpOnly').to.equal(true);
    await shot(admin, 'admin-bull-board-1366');
    await adminContext.close();

    // The streamer's browser: the admin page says no, and so do the session exchange and Bull Board.
    await dashboard.goto(`${system.gatewayUrl}/admin`);
    await dashboard.getByText('Your account cannot do this.').waitFor();
    expect(await dashboard.locator('#bull-board').count()).to.equal(0);
    // Outside the browser, so the dashboard's own refresh cookie stays as it is.
    const login = await fetch(`${system.gatewayUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: system.gatewayUrl },
      body: JSON.stringify({ email, password: PASSWORD }),
    });
    const streamerToken = ((await login.json()) as { accessToken: string }).accessToken;
    const exchange = await fetch(`${system.gatewayUrl}/admin/session`, {
      method: 'POST',
      headers: { authorization: `Bearer ${streamerToken}`, origin: system.gatewayUrl },
    });
    expect(exchange.status).to.equal(403);
    expect(exchange.headers.get('set-cookie')).to.equal(null);
    const board = await fetch(`${system.gatewayUrl}/admin/queues/api/queues`, {
      headers: { authorization: `Bearer ${streamerToken}` },
    });
    expect(board.status).to.equal(403);
    expect((await streamerContext.cookies()).some((c) => c.name === 'ms_admin')).to.equal(false);
  });

  it('keeps the session past the access token through refresh; a reused refresh token ends it', async () => {
    const cookies = async () =>
      Object.fromEntries((await streamerContext.cookies()).map((c) => [c.name, c.value]));
    const first = await cookies();
    expect(first.ms_refresh, 'refresh cookie').to.be.a('string');
    // Past the access token's lifetime the dashboard still loads data (it refreshes on 401).
    await dashboard.waitForTimeout((ACCESS_TTL_S + 2) * 1000);
    await dashboard.goto(`${system.gatewayUrl}/dashboard/history`);
    await dashboard.getByTestId('history-table').getByText('Budi <b>Bandung</b>').waitFor();
    const second = await cookies();
    expect(second.ms_refresh).to.not.equal(first.ms_refresh);
    // The old (rotated) refresh token comes back: the whole session ends.
    const reuse = await fetch(`${system.gatewayUrl}/api/v1/auth/refresh`, {
      method: 'POST',
      headers: {
        cookie: `ms_refresh=${first.ms_refresh}; ms_csrf=${first.ms_csrf}`,
        'x-csrf-token': decodeURIComponent(first.ms_csrf ?? ''),
        origin: system.gatewayUrl,
      },
    });
    expect(reuse.status).to.equal(401);
    await dashboard.goto(`${system.gatewayUrl}/dashboard/history`);
    await dashboard.waitForURL(/\/login/);
  });
});
