/**
 * Media-share rules (issue 13): the streamer sets them through PATCH /me/settings, the donor's
 * quote and the donation's creation apply the very same rules — seconds bought per currency,
 * capped at the maximum, refused under the media minimum or for a platform not allowed — and
 * agree on every row, the refusal's words included.
 */
import { expect } from 'chai';
import { TestSystem } from '../support/system.js';
import { createDonation, http, registerStreamer, type TestStreamer } from '../support/clients.js';
import { currencyExponent } from '../../shared/money.js';

/** Minor units of a whole or decimal major amount. */
const minor = (major: number, currency: string) => Math.round(major * 10 ** currencyExponent(currency));

const YOUTUBE = 'https://youtu.be/dQw4w9WgXcQ?t=1m30s';
const TIKTOK = 'https://www.tiktok.com/@scout2015/video/6718335390845095173';

interface Row {
  amount: string;
  currency: string;
  url: string;
  language: 'en' | 'id';
  /** Seconds bought; null when the rules refuse the clip. */
  seconds: number | null;
}

// Rules below: IDR min Rp20.000 at Rp1.000 a second; USD min $2.00 at $0.10 a second; max 60 s;
// YouTube only.
const ROWS: Row[] = [
  { amount: '15000', currency: 'IDR', url: YOUTUBE, language: 'id', seconds: null },
  { amount: '50000', currency: 'IDR', url: YOUTUBE, language: 'id', seconds: 50 },
  { amount: '50.000', currency: 'IDR', url: YOUTUBE, language: 'id', seconds: 50 },
  { amount: '100000', currency: 'IDR', url: YOUTUBE, language: 'en', seconds: 60 },
  { amount: '1.50', currency: 'USD', url: YOUTUBE, language: 'en', seconds: null },
  { amount: '2.55', currency: 'USD', url: YOUTUBE, language: 'en', seconds: 25 },
  { amount: '50000', currency: 'IDR', url: TIKTOK, language: 'en', seconds: null },
];

describe('media share: the streamer’s rules, quoted and applied alike (real processes)', function () {
  this.timeout(120_000);
  let system: TestSystem;
  let streamer: TestStreamer;

  before(async function () {
    this.timeout(600_000);
    system = await TestSystem.start();
    streamer = await registerStreamer(system, '10000', ['USD']);
  });
  after(async () => {
    await system?.stop();
  });

  it('takes the rules through PATCH /me/settings and refuses a bad one naming its field, changing nothing', async () => {
    const before = await http(system, 'GET', '/api/v1/me', { token: streamer.accessToken });
    const bad = await http(system, 'PATCH', '/api/v1/me/settings', {
      token: streamer.accessToken,
      body: { mediaShare: { maxSeconds: 0, colour: 'red' } },
    });
    expect(bad.status).to.equal(400);
    expect(bad.body.error.details.fields).to.have.property('mediaShare.maxSeconds');
    expect(bad.body.error.details.fields).to.have.property('mediaShare.colour');
    const unchanged = await http(system, 'GET', '/api/v1/me', { token: streamer.accessToken });
    expect(unchanged.body.streamer.settings).to.deep.equal(before.body.streamer.settings);

    const res = await http(system, 'PATCH', '/api/v1/me/settings', {
      token: streamer.accessToken,
      body: {
        mediaShare: {
          minByCurrency: { IDR: minor(20_000, 'IDR'), USD: minor(2, 'USD') },
          pricePerSecondMinor: { IDR: minor(1_000, 'IDR'), USD: minor(0.1, 'USD') },
          maxSeconds: 60,
          platforms: ['youtube'],
        },
      },
    });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    const me = await http(system, 'GET', '/api/v1/me', { token: streamer.accessToken });
    expect(me.body.streamer.settings.mediaShare).to.include({ enabled: true, maxSeconds: 60 });
    expect(me.body.streamer.settings.mediaShare.platforms).to.deep.equal(['youtube']);
  });

  for (const row of ROWS) {
    const what = row.seconds === null ? 'refused' : `${row.seconds} s`;
    it(`${row.amount} ${row.currency} for ${row.url.includes('tiktok') ? 'TikTok' : 'YouTube'} (${row.language}): ${what}, in the quote and the donation`, async () => {
      const headers = { 'accept-language': row.language };
      const quote = await http(system, 'POST', `/api/v1/streamers/${streamer.username}/media-share/quote`, {
        body: { mediaUrl: row.url, amount: row.amount, currency: row.currency },
        headers,
      });
      expect(quote.status, JSON.stringify(quote.body)).to.equal(200);
      const created = await createDonation(
        system,
        streamer.username,
        {
          donorName: 'Rina',
          amount: row.amount,
          currency: row.currency,
          provider: 'sandbox',
          mediaUrl: row.url,
        },
        headers,
      );
      if (row.seconds === null) {
        expect(quote.body.allowed).to.equal(false);
        expect(quote.body.reason).to.be.a('string').and.not.equal('');
        expect(created.status).to.equal(400);
        // The donation refuses with the quote's own words, on the field the donor typed into.
        expect(created.body.error.details.fields.mediaUrl).to.equal(quote.body.reason);
        return;
      }
      expect(quote.body).to.include({ allowed: true, seconds: row.seconds, reason: null });
      expect(created.status, JSON.stringify(created.body)).to.be.oneOf([201, 202]);
      const id = created.body.id as string;
      // A 2xx means the row is in donation_db already: read what it keeps through the history.
      const page = await http(system, 'GET', '/api/v1/me/donations?limit=50', {
        token: streamer.accessToken,
      });
      const stored = (
        page.body.donations as {
          id: string;
          mediaShare?: { seconds: number; videoId: string; startS: number };
        }[]
      ).find((d) => d.id === id)?.mediaShare;
      expect(stored, 'donation in history').to.not.equal(undefined);
      expect(stored!.seconds).to.equal(quote.body.seconds);
      expect(stored!.videoId).to.equal(quote.body.videoId);
      expect(stored!.startS).to.equal(quote.body.startSeconds);
    });
  }
});
