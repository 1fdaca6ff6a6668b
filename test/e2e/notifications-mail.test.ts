/**
 * Mail notifications (issue 16) against a local SMTP server that receives the real mails: a
 * donor's receipt in the donor's language, the streamer's per-donation mail with a working
 * unsubscribe link, the daily digest with the right totals per currency (test donations apart),
 * the refund notices to the streamer and the donor, the password-reset mail whose link works once
 * and expires, and the email-verification mail of a sign-up (the link verifies once; a used or
 * expired link is refused plainly, in the reader's language, also on the /verify-email page).
 */
import { expect } from 'chai';
import { createHash } from 'node:crypto';
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

  /** Mails to an address but the sign-up's verification mail (every new account gets one). */
  const notVerification = (mails: ReceivedMail[]) =>
    mails.filter((m) => !/^(Confirm your email|Konfirmasi email)/.test(m.parsed.subject ?? ''));

  /** The mails to `address` whose subject matches, once there are `n` of them. */
  const mailsTo = (address: string, subject: RegExp, n = 1, what = `mail to ${address}`) =>
    waitFor(
      () => {
        const found = smtp.to(address).filter((m) => subject.test(m.parsed.subject ?? ''));
        return Promise.resolve(found.length >= n ? found : null);
      },
      30_000,
      what,
    );

  /** True when the mail carries a List-Unsubscribe header (mailparser files List-* under `list`). */
  const hasUnsubscribeHeader = (m: ReceivedMail) =>
    m.parsed.headerLines.some((l) => l.key === 'list-unsubscribe');

  async function gatewayDb<T>(run: (db: pg.Client) => Promise<T>): Promise<T> {
    const db = new pg.Client({ connectionString: system.config.GATEWAY_DATABASE_URL });
    await db.connect();
    try {
      return await run(db);
    } finally {
      await db.end();
    }
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
    expect(hasUnsubscribeHeader(id!), 'a receipt is transactional').to.equal(false);
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
    const [mail] = await mailsTo(address, /donated/, 1, 'the streamer mail');
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
    expect(hasUnsubscribeHeader(mail!), 'List-Unsubscribe on a streamer mail').to.equal(true);
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
        const t = digestTotals(notVerification(smtp.to(address)));
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
    const mails = notVerification(smtp.to(address));
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
    const [mail] = await mailsTo(address, /kata sandi/, 1, 'the reset mail');
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
    const [, second] = await mailsTo(address, /kata sandi/, 2, 'the second reset mail');
    const token2 = /reset-password#token=([\w-]+)/.exec(second!.parsed.text ?? '')![1]!;
    await gatewayDb((db) =>
      db.query(
        `update account_tokens set expires_at = now() - interval '1 second'
         where used_at is null and purpose = 'password-reset'`,
      ),
    );
    const expired = await confirm(token2, 'yet another password');
    expect(expired.status).to.equal(400);
    expect(expired.body.error.details.fields).to.have.property('token');
    expect(smtp.to(unknown)).to.deep.equal([]);
    // Only the hash is stored.
    const rows = await gatewayDb((db) => db.query('select token_hash from account_tokens'));
    expect(rows.rows.map((r: { token_hash: string }) => r.token_hash)).to.not.include(token);
  });

  it('tells the streamer and the donor of a refund, each in their own language, amounts via Intl', async () => {
    const s = await registerStreamer(system, '10000');
    const address = `${s.username}@example.test`;
    const donor = `refund-donor-${s.username}@example.test`;
    await settings(s, { language: 'en', email: { mode: 'each', refunds: true } });
    const id = await sandboxPaid(
      s,
      { donorName: 'Dewi', amount: '125000', message: 'semoga lancar', email: donor },
      { 'accept-language': 'id-ID,id;q=0.9' },
    );
    // The receipt first (paid), then the refund through the owner's real path (PaymentService).
    await mailsTo(donor, /^Donasi kamu untuk/, 1, 'the receipt');
    const refund = await http(system, 'POST', `/api/v1/me/donations/${id}/refund`, { token: s.accessToken });
    expect(refund.status, JSON.stringify(refund.body)).to.equal(202);
    await waitForDonationStatus(system, id, 'refunded');
    const [toDonor] = await mailsTo(donor, /^Donasi dikembalikan/, 1, "the donor's refund notice");
    const [toStreamer] = await mailsTo(address, /^Donation refunded/, 1, "the streamer's refund notice");
    // The donor's in Indonesian (the donation's language), transactional: no unsubscribe.
    expect(toDonor!.parsed.subject).to.equal(
      `Donasi dikembalikan: ${formatMoney(125_000_00, 'IDR', 'id-ID')}`,
    );
    expect(toDonor!.parsed.text)
      .to.include(`Donasi kamu untuk Streamer ${s.username} sudah dikembalikan.`)
      .and.include(`Jumlah: ${formatMoney(125_000_00, 'IDR', 'id-ID')}`)
      .and.include(id);
    expect(hasUnsubscribeHeader(toDonor!)).to.equal(false);
    // The streamer's in the streamer's language (en), with the unsubscribe link.
    expect(toStreamer!.parsed.subject).to.equal(
      `Donation refunded: ${formatMoney(125_000_00, 'IDR', 'en-US')}`,
    );
    expect(toStreamer!.parsed.text)
      .to.include('A donation to you has been refunded.')
      .and.include(`Amount: ${formatMoney(125_000_00, 'IDR', 'en-US')}`)
      .and.match(/\/api\/v1\/notifications\/unsubscribe\?token=/);
    expect(hasUnsubscribeHeader(toStreamer!)).to.equal(true);
    expect(toStreamer!.parsed.text, 'the donor address stays hidden').to.not.include(donor);
    // One notice each (the notification_sent marks), next to the paid-time mails.
    expect(smtp.to(donor).filter((m) => /dikembalikan/.test(m.parsed.subject ?? ''))).to.have.length(1);
    expect(smtp.to(address).filter((m) => /refunded/.test(m.parsed.subject ?? ''))).to.have.length(1);
  });

  it("verifies a new account's email once, by a mail in the reader's language; used and expired links are refused plainly", async () => {
    const signUp = async (lang: string) => {
      const username = `v_${Math.random().toString(36).slice(2, 10)}`;
      const email = `${username}@example.test`;
      const reg = await http(system, 'POST', '/api/v1/auth/register', {
        body: { email, password: 'correct horse battery', username, role: 'streamer' },
        headers: { 'accept-language': lang },
      });
      expect(reg.status, JSON.stringify(reg.body)).to.equal(202);
      // Login does not wait for the verification.
      const login = await http(system, 'POST', '/api/v1/auth/login', {
        body: { email, password: 'correct horse battery' },
      });
      expect(login.status).to.equal(200);
      return { email, token: login.body.accessToken as string };
    };
    const linkOf = (m: ReceivedMail) => {
      const url = /(https?:\/\/\S+\/verify-email#token=([\w-]+))/.exec(m.parsed.text ?? '');
      expect(url, m.parsed.text).to.not.equal(null);
      expect(m.parsed.html).to.include(`href="${url![1]}"`);
      return { url: url![1]!, token: url![2]! };
    };
    const me = async (token: string) =>
      (await http(system, 'GET', '/api/v1/me', { token })).body as { email: string; emailVerified: boolean };
    const confirm = (token: string, lang: string) =>
      http(system, 'POST', '/api/v1/auth/email-verification/confirm', {
        body: { token },
        headers: { 'accept-language': lang },
      });

    // English, through the API.
    const en = await signUp('en-US');
    const [enMail] = await mailsTo(
      en.email,
      /^Confirm your email for MediaShar$/,
      1,
      'the en verification mail',
    );
    expect(enMail!.parsed.text).to.include('The link works once, for 24 hours.');
    expect(hasUnsubscribeHeader(enMail!), 'transactional').to.equal(false);
    const enLink = linkOf(enMail!);
    expect(new URL(enLink.url).origin).to.equal(system.gatewayUrl);
    expect(await me(en.token)).to.deep.include({ email: en.email, emailVerified: false });
    const ok = await confirm(enLink.token, 'en');
    expect(ok.status, JSON.stringify(ok.body)).to.equal(200);
    expect(ok.body.status).to.equal('verified');
    expect((await me(en.token)).emailVerified).to.equal(true);
    const twice = await confirm(enLink.token, 'en');
    expect(twice.status).to.equal(400);
    expect(twice.body.error.details.fields.token).to.match(/^was used already/);
    const forged = await confirm('A'.repeat(43), 'en');
    expect(forged.status).to.equal(400);
    expect(forged.body.error.details.fields.token).to.match(/^is not a valid verification link/);
    // Verified: asking again sends nothing.
    const again = await http(system, 'POST', '/api/v1/me/email-verification', { token: en.token });
    expect(again.status).to.equal(200);
    expect(again.body.status).to.equal('verified');
    // Only the hash is stored.
    const stored = await gatewayDb((db) => db.query('select token_hash from account_tokens'));
    expect(stored.rows.map((r: { token_hash: string }) => r.token_hash))
      .to.include(createHash('sha256').update(enLink.token).digest('hex'))
      .and.not.include(enLink.token);

    // Indonesian, on the page: an expired link, a resent one that works once.
    const id = await signUp('id-ID,id;q=0.9');
    const [idMail] = await mailsTo(
      id.email,
      /^Konfirmasi email kamu untuk MediaShar$/,
      1,
      'the id verification mail',
    );
    expect(idMail!.parsed.text).to.include('selama 24 jam');
    const first = linkOf(idMail!);
    const resend = await http(system, 'POST', '/api/v1/me/email-verification', {
      token: id.token,
      headers: { 'accept-language': 'id' },
    });
    expect(resend.status, JSON.stringify(resend.body)).to.equal(202);
    const [, resent] = await mailsTo(id.email, /^Konfirmasi email/, 2, 'the resent verification mail');
    const second = linkOf(resent!);
    expect(second.token).to.not.equal(first.token);
    // The first link's deadline moved into the past (as a day passing would).
    await gatewayDb((db) =>
      db.query(`update account_tokens set expires_at = now() - interval '1 second' where token_hash = $1`, [
        createHash('sha256').update(first.token).digest('hex'),
      ]),
    );
    const browser = await launchChromium();
    try {
      const page = await (await browser.newContext({ locale: 'id-ID' })).newPage();
      const outcome = async (url: string) => {
        await page.goto('about:blank');
        await page.goto(url);
        const status = page.locator('[role="status"][data-state]');
        await status.waitFor();
        return { state: await status.getAttribute('data-state'), text: (await status.textContent())!.trim() };
      };
      expect(await outcome(first.url)).to.deep.equal({
        state: 'failed',
        text: 'Tautan ini sudah kedaluwarsa: minta tautan baru di halaman Akun ("Kirim ulang email verifikasi").',
      });
      expect((await me(id.token)).emailVerified).to.equal(false);
      expect(await outcome(second.url)).to.deep.equal({
        state: 'verified',
        text: 'Email kamu sudah terverifikasi. Terima kasih!',
      });
      // The token leaves the address bar once used.
      expect(page.url()).to.equal(`${system.gatewayUrl}/verify-email`);
      expect(await outcome(second.url)).to.deep.equal({
        state: 'failed',
        text: 'Tautan ini sudah dipakai: email ini sudah terverifikasi, tidak perlu apa-apa lagi.',
      });
    } finally {
      await browser.close();
    }
    expect((await me(id.token)).emailVerified).to.equal(true);
    const expiredApi = await confirm(first.token, 'id');
    expect(expiredApi.status).to.equal(400);
    expect(expiredApi.body.error.details.fields.token).to.match(/^sudah kedaluwarsa/);
  });
});
