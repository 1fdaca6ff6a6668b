/**
 * The streamer's history and stats (issue 12): search and filters with cursor paging, the CSV
 * export (RFC 4180, formula-injection safe, amounts in major units) streamed from
 * DonationService — also for 100,000 rows — and stats per range, currency, provider and day,
 * without sandbox (test) donations. Rows are seeded straight into the test donation_db.
 */
import { expect } from 'chai';
import { TestSystem } from '../support/system.js';
import { query } from '../support/db.js';
import { http, registerStreamer, type TestStreamer } from '../support/clients.js';

interface Seed {
  donor: string;
  message: string;
  amountMinor: number;
  currency: string;
  provider: string;
  status: string;
  createdAt: string;
}

describe('accounts: history, CSV export and stats (real processes)', function () {
  this.timeout(300_000);
  let system: TestSystem;
  let streamer: TestStreamer;

  const now = Date.now();
  const daysAgo = (d: number) => new Date(now - d * 86_400_000).toISOString();
  const seeds: Seed[] = [
    { donor: 'Budi', message: 'Semangat bang!', amountMinor: 5_000_000, currency: 'IDR', provider: 'midtrans', status: 'paid', createdAt: daysAgo(0) },
    { donor: 'budi_k', message: 'mantap', amountMinor: 2_000_000, currency: 'IDR', provider: 'midtrans', status: 'paid', createdAt: daysAgo(3) },
    { donor: 'Ani', message: 'hello, "world"\nline two', amountMinor: 500, currency: 'USD', provider: 'stripe', status: 'paid', createdAt: daysAgo(10) },
    { donor: '=HYPERLINK("http://x")', message: '+cmd', amountMinor: 1_000_000, currency: 'IDR', provider: 'midtrans', status: 'failed', createdAt: daysAgo(1) },
    { donor: 'Tester', message: 'sandbox budi', amountMinor: 9_900_000, currency: 'IDR', provider: 'sandbox', status: 'paid', createdAt: daysAgo(0.001) },
    { donor: 'Citra', message: '@here refund me', amountMinor: 1_234, currency: 'USD', provider: 'paypal', status: 'refunded', createdAt: daysAgo(40) },
  ]; // prettier-ignore

  const seed = async (streamerId: string, rows: Seed[]) => {
    for (const r of rows) {
      await query(
        system.config.DONATION_DATABASE_URL,
        `insert into donations (id, streamer_id, donor_name, anonymous, amount_minor, currency, message, provider,
           status, request_id, created_at, updated_at, paid_at)
         values (gen_random_uuid(), $1, $2, false, $3, $4, $5, $6, $7, '', $8, now(),
           case when $7 in ('paid', 'refunded') then $8::timestamptz end)`,
        [streamerId, r.donor, r.amountMinor, r.currency, r.message, r.provider, r.status, r.createdAt],
      );
    }
  };

  before(async function () {
    // Booting every process takes long on a loaded machine.
    this.timeout(600_000);
    system = await TestSystem.start();
    streamer = await registerStreamer(system);
    await seed(streamer.id, seeds);
  });
  after(async () => {
    await system?.stop();
  });

  const list = (qs: string) =>
    http(system, 'GET', `/api/v1/me/donations?${qs}`, { token: streamer.accessToken });
  const names = (res: { body: { donations: { donorName: string }[] } }) =>
    res.body.donations.map((d) => d.donorName);

  it('searches donor names and messages case-insensitively', async () => {
    const res = await list('q=BUDI');
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(names(res)).to.deep.equal(['Budi', 'Tester', 'budi_k']);
    // LIKE wildcards are literal.
    expect(names(await list('q=%25'))).to.deep.equal([]);
    expect(names(await list('q=_k'))).to.deep.equal(['budi_k']);
  });

  it('filters by status, provider, currency and dates, and pages with a cursor', async () => {
    expect(names(await list('status=paid&currency=IDR'))).to.deep.equal(['Budi', 'Tester', 'budi_k']);
    expect(names(await list('provider=stripe'))).to.deep.equal(['Ani']);
    expect(names(await list(`from=${daysAgo(5).slice(0, 10)}&to=${daysAgo(2).slice(0, 10)}`))).to.deep.equal([
      'budi_k',
    ]);
    const first = await list('limit=4');
    expect(first.body.donations).to.have.length(4);
    expect(first.body.donations[0].money).to.deep.include({ minor: 5_000_000, currency: 'IDR', exponent: 2 });
    const second = await list(`limit=4&cursor=${first.body.nextCursor as string}`);
    expect(second.body.nextCursor).to.equal(null);
    expect([...names(first), ...names(second)]).to.have.length(seeds.length);
    for (const bad of ['status=lost', 'provider=bank', 'currency=XXX', 'from=yesterday', 'tz=Mars/Base']) {
      const res = await list(bad);
      expect(res.status, bad).to.equal(400);
      expect(Object.keys(res.body.error.details.fields as object)[0], bad).to.equal(bad.split('=')[0]);
    }
  });

  it('exports the filtered rows as CSV: RFC 4180 quoting, formula cells defused, amounts in major units', async () => {
    const res = await fetch(`${system.gatewayUrl}/api/v1/me/donations.csv?currency=USD`, {
      headers: { authorization: `Bearer ${streamer.accessToken}` },
    });
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/^text\/csv/);
    expect(res.headers.get('content-disposition')).to.match(/attachment; filename="donations-.*\.csv"/);
    const text = await res.text();
    expect(
      text.startsWith(
        'id,created_at,paid_at,status,provider,donor_name,anonymous,amount,currency,message,media_url\r\n',
      ),
    ).to.equal(true);
    expect(text).to.include(',Ani,no,5.00,USD,"hello, ""world""\nline two",\r\n');
    expect(text).to.include(",Citra,no,12.34,USD,'@here refund me,\r\n");
    const all = await (
      await fetch(`${system.gatewayUrl}/api/v1/me/donations.csv?status=failed`, {
        headers: { authorization: `Bearer ${streamer.accessToken}` },
      })
    ).text();
    expect(all).to.include(`,"'=HYPERLINK(""http://x"")",no,10000.00,IDR,'+cmd,\r\n`);
    expect(all.trim().split('\r\n')).to.have.length(2);
    const anonymous = await fetch(`${system.gatewayUrl}/api/v1/me/donations.csv`);
    expect(anonymous.status).to.equal(401);
  });

  it('counts stats per range, currency, provider and day, leaving sandbox donations out', async () => {
    const all = await http(system, 'GET', '/api/v1/me/stats?range=all&tz=Asia/Jakarta', {
      token: streamer.accessToken,
      headers: { 'accept-language': 'id' },
    });
    expect(all.status, JSON.stringify(all.body)).to.equal(200);
    const idr = all.body.totals.find((t: { currency: string }) => t.currency === 'IDR');
    expect(idr).to.include({ total: 7_000_000, count: 2 });
    expect(idr.totalMoney.formatted).to.match(/Rp\s?70\.000/);
    expect(all.body.count).to.equal(3); // Budi, budi_k, Ani: failed, refunded and sandbox are out
    expect(all.body.test).to.deep.equal({ count: 1 });
    expect(all.body.perProvider.map((p: { provider: string }) => p.provider).sort()).to.deep.equal([
      'midtrans',
      'stripe',
    ]);
    expect(all.body.perProvider.find((p: { provider: string }) => p.provider === 'midtrans').name).to.include(
      'QRIS',
    );
    expect(all.body.topDonors[0]).to.include({ donorName: 'Budi', total: 5_000_000 });
    const today = await http(system, 'GET', '/api/v1/me/stats?range=today', { token: streamer.accessToken });
    expect(today.body.count).to.equal(1);
    expect(today.body.perDay).to.have.length(1);
    expect(today.body.perDay[0]).to.include({ currency: 'IDR', total: 5_000_000, count: 1 });
    const week = await http(system, 'GET', '/api/v1/me/stats?range=7d', { token: streamer.accessToken });
    expect(week.body.count).to.equal(2);
    expect(
      (await http(system, 'GET', '/api/v1/me/stats?range=year', { token: streamer.accessToken })).status,
    ).to.equal(400);
  });

  it('streams a CSV of 100,000 rows', async () => {
    const big = await registerStreamer(system);
    await query(
      system.config.DONATION_DATABASE_URL,
      `insert into donations (id, streamer_id, donor_name, anonymous, amount_minor, currency, message, provider,
         status, request_id, created_at, updated_at, paid_at)
       select gen_random_uuid(), $1, 'Donor ' || i, false, 1000 + i, 'IDR', 'message number ' || i, 'midtrans',
              'paid', '', now() - (i || ' seconds')::interval, now(), now() - (i || ' seconds')::interval
         from generate_series(1, 100000) as i`,
      [big.id],
    );
    const res = await fetch(`${system.gatewayUrl}/api/v1/me/donations.csv`, {
      headers: { authorization: `Bearer ${big.accessToken}` },
      signal: AbortSignal.timeout(240_000),
    });
    expect(res.status).to.equal(200);
    let records = 0;
    let bytes = 0;
    let tail = '';
    const decoder = new TextDecoder();
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      bytes += chunk.length;
      const text = tail + decoder.decode(chunk, { stream: true });
      const parts = text.split('\r\n');
      tail = parts.pop()!;
      records += parts.length;
    }
    expect(tail).to.equal('');
    expect(records).to.equal(100_001); // header + every row
    expect(bytes).to.be.greaterThan(100_000 * 50);
  });
});
