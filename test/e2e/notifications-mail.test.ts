/**
 * Mail notifications (issue 16) against a local SMTP server that receives the real mails: a
 * donor's receipt in the donor's language, the streamer's per-donation mail with a working
 * unsubscribe link, the daily digest with the right totals per currency (test donations apart),
 * and the password-reset mail whose link works once and expires.
 */
import { expect } from 'chai';
import pg from 'pg';
import { TestSystem, waitFor } from '../support/system.js';
import {
  createDonation,
  http,
  paymentIdOf,
  payThroughMidtrans,
  registerStreamer,
  sandboxComplete,
  waitForDonationStatus,
  type TestStreamer,
} from '../support/clients.js';
import { startTestSmtp, type ReceivedMail, type TestSmtp } from '../support/smtp.js';
import { startMidtransFake, type MidtransFake } from '../fakes/midtrans.fake.js';
import { currencyExponent, formatMoney } from '../../shared/money.js';
import { NOTIFICATION_PROCESSES } from '../support/notifications.js';
import { launchChromium } from '../support/browser.js';

describe('notifications: mail', function () {
  this.timeout(180_000);
  let system: TestSystem;
  let smtp: TestSmtp;
  let midtrans: MidtransFake;
  const midtransOptions = {
    serverKey: 'SB-Mid-server-notifications',
    webhookUrl: undefined as string | undefined,
  };

  before(async function () {
    this.timeout(400_000);
    smtp = await startTestSmtp();
    midtrans = await startMidtransFake(midtransOptions);
    system = await TestSystem.start({
      processes: NOTIFICATION_PROCESSES,
      env: {
        SMTP_URL: smtp.url,
        MAIL_FROM: 'MediaShar Test <no-reply@mediashar.test>',
        NOTIFICATION_BACKOFF_MS: '100',
        // Digests every 3 s here: the test sums every digest a streamer got.
        NOTIFICATION_DIGEST_INTERVAL_MS: '3000',
        MIDTRANS_SERVER_KEY: midtransOptions.serverKey,
        MIDTRANS_API_URL: midtrans.url,
        MIDTRANS_SNAP_URL: `${midtrans.url}/snap/v1`,
      },
    });
    midtransOptions.webhookUrl = `${system.gatewayUrl}/api/v1/webhooks/midtrans`;
  });

  after(async () => {
    await system?.stop();
    await smtp?.close();
    await midtrans?.close();
  });

  async function sandboxPaid(
    s: TestStreamer,
    body: Record<string, unknown>,
    headers: Record<string, string> = {},
  ) {
    const created = await createDonation(
      system,
      s.username,
      { donorName: 'Rina', currency: 'IDR', ...body },
      headers,
    );
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    await sandboxComplete(system, await paymentIdOf(system, created));
    await waitForDonationStatus(system, created.body.id as string, 'paid');
    return created.body.id as string;
  }

  async function settings(s: TestStreamer, body: Record<string, unknown>) {
    const res = await http(system, 'PATCH', '/api/v1/me/notifications', { token: s.accessToken, body });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    return res.body as Record<string, unknown>;
  }

  it('offers the receipt on the donor page: the address typed there gets the receipt (Chromium, phone, id)', async () => {
    const s = await registerStreamer(system, '10000');
    const address = `donor-page-${s.username}@example.test`;
    const browser = await launchChromium();
    try {
      const context = await browser.newContext({ locale: 'id-ID', viewport: { width: 390, height: 844 } });
      const page = await context.newPage();
      await page.goto(`${system.gatewayUrl}/${s.username}`);
      await page.locator('#email').waitFor();
      await page.fill('#amount', '50.000');
      await page.fill('#donorName', 'Sari');
      await page.fill('#email', address);
      // The streamer sees the address only if the donor ticks this.
      expect(await page.locator('#shareEmail').isChecked()).to.equal(false);
      await page.check('#provider-sandbox');
      await page.getByRole('button', { name: /Donasi Rp50\.000/ }).click();
      await page.waitForURL(/\/sandbox\/checkout\//);
      await page.getByRole('button', { name: 'Bayar' }).click();
      await page.locator('[data-testid="donation-status"][data-status="paid"]').waitFor({ timeout: 30_000 });
    } finally {
      await browser.close();
    }
    const [receipt] = await waitFor(
      () => Promise.resolve(smtp.to(address).length ? smtp.to(address) : null),
      30_000,
      'the receipt of the donor page',
    );
    expect(receipt!.parsed.subject).to.equal(`Donasi kamu untuk Streamer ${s.username}`);
    expect(receipt!.parsed.text).to.include(formatMoney(50_000_00, 'IDR', 'id-ID'));
  });

  it("sends a donor's receipt in the donor's language, and never shows the address to the streamer", async () => {
    const s = await registerStreamer(system, '10000');
    const idAddress = `donor-id-${s.username}@example.test`;
    const enAddress = `donor-en-${s.username}@example.test`;
    const first = await sandboxPaid(
      s,
      { amount: '50000', message: 'semangat <b>bang</b>', email: idAddress },
      { 'accept-language': 'id-ID,id;q=0.9' },
    );
    const second = await sandboxPaid(
      s,
      { amount: '75000', message: 'gg', email: enAddress },
      { 'accept-language': 'en-US' },
    );
    const [id] = await waitFor(
      () => Promise.resolve(smtp.to(idAddress).length ? smtp.to(idAddress) : null),
      30_000,
      'the id receipt',
    );
    const [en] = await waitFor(
      () => Promise.resolve(smtp.to(enAddress).length ? smtp.to(enAddress) : null),
      30_000,
      'the en receipt',
    );
    expect(id!.parsed.subject).to.equal(`Donasi kamu untuk Streamer ${s.username}`);
    expect(id!.parsed.text).to.include(formatMoney(50_000_00, 'IDR', 'id-ID'));
    expect(id!.parsed.text).to.include('Terima kasih!').and.include(first);
    // Donor text is text in the HTML part: the tags the donor typed are escaped.
    expect(id!.parsed.html).to.include('semangat &#60;b&#62;bang&#60;/b&#62;');
    expect(id!.parsed.html).to.not.include('<b>bang</b>');
    expect(id!.parsed.headers.has('list-unsubscribe'), 'a receipt is transactional').to.equal(false);
    expect(en!.parsed.subject).to.equal(`Your donation to Streamer ${s.username}`);
    expect(en!.parsed.text)
      .to.include(formatMoney(75_000_00, 'IDR', 'en-US'))
      .and.include(second);
    expect(en!.parsed.from?.text).to.include('no-reply@mediashar.test');
    // The streamer's views of the donations carry no donor address.
    const list = await http(system, 'GET', '/api/v1/me/donations', { token: s.accessToken });
    expect(list.status).to.equal(200);
    expect(JSON.stringify(list.body)).to.not.include(idAddress).and.not.include(enAddress);
    expect(smtp.mails.filter((m) => m.to.includes(idAddress))).to.have.length(1);
  });

  it('mails the streamer each donation with an unsubscribe link that turns the mails off', async () => {
    const s = await registerStreamer(system, '10000');
    const address = `${s.username}@example.test`;
    await settings(s, { language: 'en', email: { mode: 'each' } });
    const donation = await sandboxPaid(s, { donorName: 'Budi', amount: '20000', message: 'halo' });
    const [mail] = await waitFor(
      () => Promise.resolve(smtp.to(address).length ? smtp.to(address) : null),
      30_000,
      'the streamer mail',
    );
    expect(mail!.parsed.subject).to.equal(`[TEST] Budi donated ${formatMoney(20_000_00, 'IDR', 'en-US')}`);
    const header = String(
      mail!.parsed.headers.get('list-unsubscribe')
        ? ((mail!.parsed.headers.get('list-unsubscribe') as { url?: string }).url ?? '')
        : '',
    );
    const link = /https?:\/\/\S+\/api\/v1\/notifications\/unsubscribe\?token=[\w.-]+/.exec(
      mail!.parsed.text ?? '',
    )?.[0];
    expect(link, 'unsubscribe link in the text part').to.be.a('string');
    expect(header || link).to.include('/api/v1/notifications/unsubscribe');
    const path = new URL(link!).pathname + new URL(link!).search;
    // Opening the link changes nothing (mail scanners open links); its button does.
    const page = await http(system, 'GET', path, { headers: { accept: 'text/html' } });
    expect(page.status).to.equal(200);
    expect(
      (await http(system, 'GET', '/api/v1/me/notifications', { token: s.accessToken })).body.email.mode,
    ).to.equal('each');
    const done = await http(system, 'POST', path, { headers: { accept: 'text/html' } });
    expect(done.status).to.equal(200);
    expect(
      (await http(system, 'GET', '/api/v1/me/notifications', { token: s.accessToken })).body.email.mode,
    ).to.equal('off');
    const forged = await http(system, 'POST', path.replace(/.{4}$/, 'AAAA'), {
      headers: { accept: 'text/html' },
    });
    expect(forged.status).to.equal(400);
    expect(donation).to.be.a('string');
  });

  /** Totals per currency in the digest text sections: real, and test. */
  function digestTotals(mails: ReceivedMail[]) {
    const sum = { real: new Map<string, number>(), test: new Map<string, number>(), realCount: 0 };
    for (const m of mails) {
      let section: 'real' | 'test' = 'real';
      for (const line of (m.parsed.text ?? '').split('\n')) {
        if (line.startsWith('Test donations')) section = 'test';
        const row = /^- (.+) \((\d+) donations?\)$/.exec(line);
        if (!row) continue;
        const currency = row[1]!.startsWith('$') ? 'USD' : row[1]!.startsWith('IDR') ? 'IDR' : '?';
        const minor = Math.round(Number(row[1]!.replace(/[^\d.]/g, '')) * 10 ** currencyExponent(currency));
        sum[section].set(currency, (sum[section].get(currency) ?? 0) + minor);
        if (section === 'real') sum.realCount += Number(row[2]);
      }
    }
    return sum;
  }

  it('sends a digest with the right totals per currency, test donations apart', async () => {
    const s = await registerStreamer(system, '10000', ['USD']);
    const address = `${s.username}@example.test`;
    await settings(s, { language: 'en', email: { mode: 'digest' } });
    // Real money (Midtrans) in IDR, sandbox (test) donations in IDR and USD.
    for (const amount of ['50000', '25000'])
      await payThroughMidtrans(system, midtrans, s.username, { donorName: 'Real', amount, currency: 'IDR' });
    await sandboxPaid(s, { amount: '15000' });
    await sandboxPaid(s, { amount: '5', currency: 'USD' });
    await sandboxPaid(s, { amount: '2.50', currency: 'USD' });
    const expected = { real: { IDR: 75_000_00 }, test: { IDR: 15_000_00, USD: 7_50 } };
    const totals = await waitFor(
      () => {
        const t = digestTotals(smtp.to(address));
        return Promise.resolve(
          t.real.get('IDR') === expected.real.IDR &&
            t.test.get('IDR') === expected.test.IDR &&
            t.test.get('USD') === expected.test.USD
            ? t
            : null,
        );
      },
      60_000,
      'digests adding up to every paid donation',
    );
    expect(totals.realCount).to.equal(2);
    expect([...totals.real.keys()]).to.deep.equal(['IDR']);
    const mails = smtp.to(address);
    for (const m of mails) {
      expect(m.parsed.subject).to.match(/^Your MediaShar digest: \d+ donations?$/);
      expect(m.parsed.text).to.match(/\/api\/v1\/notifications\/unsubscribe\?token=/);
    }
  });

  it('sends a reset link that works once and expires; unknown addresses get the same answer', async () => {
    const s = await registerStreamer(system);
    const address = `${s.username}@example.test`;
    const unknown = `nobody-${s.username}@example.test`;
    const ask = (email: string) =>
      http(system, 'POST', '/api/v1/auth/password-reset', {
        body: { email },
        headers: { 'accept-language': 'id' },
      });
    const [a, b] = [await ask(address), await ask(unknown)];
    expect(a.status).to.equal(202);
    expect(b.status).to.equal(202);
    expect(b.body).to.deep.equal(a.body);
    const [mail] = await waitFor(
      () => Promise.resolve(smtp.to(address).length ? smtp.to(address) : null),
      30_000,
      'the reset mail',
    );
    expect(mail!.parsed.subject).to.equal('Atur ulang kata sandi MediaShar kamu');
    const link = /(https?:\/\/\S+\/reset-password#token=([\w-]+))/.exec(mail!.parsed.text ?? '');
    expect(link, mail!.parsed.text).to.not.equal(null);
    expect(new URL(link![1]!).origin).to.equal(system.gatewayUrl);
    const token = link![2]!;
    const page = await fetch(new URL('/reset-password', system.gatewayUrl), {
      headers: { accept: 'text/html' },
    });
    expect(page.status).to.equal(200);
    const confirm = (t: string, password: string) =>
      http(system, 'POST', '/api/v1/auth/password-reset/confirm', { body: { token: t, password } });
    expect((await confirm(token, 'a brand new password')).status).to.equal(204);
    const login = await http(system, 'POST', '/api/v1/auth/login', {
      body: { email: address, password: 'a brand new password' },
    });
    expect(login.status).to.equal(200);
    const again = await confirm(token, 'yet another password');
    expect(again.status).to.equal(400);
    expect(again.body.error.details.fields).to.have.property('token');
    // Expiry: a second link, its deadline moved into the past (as an hour passing would).
    await ask(address);
    const [, second] = await waitFor(
      () => Promise.resolve(smtp.to(address).length >= 2 ? smtp.to(address) : null),
      30_000,
      'the second reset mail',
    );
    const token2 = /reset-password#token=([\w-]+)/.exec(second!.parsed.text ?? '')![1]!;
    const db = new pg.Client({ connectionString: system.config.GATEWAY_DATABASE_URL });
    await db.connect();
    try {
      await db.query(
        "update password_resets set expires_at = now() - interval '1 second' where used_at is null",
      );
    } finally {
      await db.end();
    }
    const expired = await confirm(token2, 'yet another password');
    expect(expired.status).to.equal(400);
    expect(expired.body.error.details.fields).to.have.property('token');
    expect(smtp.to(unknown)).to.deep.equal([]);
    // Only the hash is stored.
    const db2 = new pg.Client({ connectionString: system.config.GATEWAY_DATABASE_URL });
    await db2.connect();
    try {
      const rows = await db2.query('select token_hash from password_resets');
      expect(rows.rows.map((r: { token_hash: string }) => r.token_hash)).to.not.include(token);
    } finally {
      await db2.end();
    }
  });
});
