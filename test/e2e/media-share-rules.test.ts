/**
 * Media-share rules (issue 13): the streamer sets them through PATCH /me/settings, the donor's
 * quote and the donation's creation apply the very same rules — seconds bought per currency,
 * capped at the maximum, refused under the media minimum or for a platform not allowed, blocked
 * channels, "only these channels", blocked words in the title, the per-donor cooldown — and agree
 * on every row, the refusal's words included. The clip's metadata comes from the local oEmbed /
 * YouTube Data API fake the test system starts; a lookup that outlasts the timeout never blocks.
 */
import { expect } from 'chai';
import { TestSystem } from '../support/system.js';
import {
  createDonation,
  http,
  registerStreamer,
  type JsonResponse,
  type TestStreamer,
} from '../support/clients.js';
import { currencyExponent } from '../../shared/money.js';
import type { FakeVideo } from '../fakes/oembed.fake.js';

/** Minor units of a whole or decimal major amount. */
const minor = (major: number, currency: string) => Math.round(major * 10 ** currencyExponent(currency));

const YOUTUBE = 'https://youtu.be/dQw4w9WgXcQ?t=1m30s';
const TIKTOK = 'https://www.tiktok.com/@scout2015/video/6718335390845095173';
const GACOR = 'https://www.youtube.com/watch?v=gacorVideo1';
const GACOR_LEET = 'youtube.com/shorts/gacorLeet01';
const CLEAN = 'https://m.youtube.com/watch?v=cleanVideo1&t=5';
/** A video the platforms do not know (oEmbed 404): judged without metadata. */
const UNKNOWN = 'https://youtu.be/unknownVid1';
/** A video whose lookup never answers: the donation waits at most MEDIA_METADATA_TIMEOUT_MS. */
const HANGING = 'https://youtu.be/hangingVid1';

/** What the platforms say about the videos above (the fake's oEmbed and Data API). */
const VIDEOS: Record<string, FakeVideo> = {
  dQw4w9WgXcQ: {
    title: 'Never Gonna Give You Up',
    author: 'Rick Astley',
    handle: '@RickAstleyYT',
    channelId: 'UCuAXFkgsw1L7xaCfnd5JJOw',
    duration: 'PT3M33S',
  },
  '6718335390845095173': { title: 'Scramble up ur name', author: 'Scout', handle: 'scout2015' },
  gacorVideo1: { title: 'Slot G A C O R malam ini', author: 'Slot King', handle: '@slotking' },
  gacorLeet01: { title: 'slot g4c0r hari ini', author: 'Slot King', handle: '@slotking' },
  cleanVideo1: {
    title: 'Lagu santai sore',
    author: 'Musik Santai',
    handle: '@musiksantai',
    channelId: 'UCmusiksantai0000000000a',
    duration: 'PT2M',
  },
};

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
    system = await TestSystem.start({ media: { videos: VIDEOS, hang: ['hangingVid1'] } });
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

  /** A new streamer with `rules` as its media-share rules. */
  async function streamerWith(rules: Record<string, unknown>): Promise<TestStreamer> {
    const s = await registerStreamer(system, '10000');
    const res = await http(system, 'PATCH', '/api/v1/me/settings', {
      token: s.accessToken,
      body: { mediaShare: rules },
    });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    return s;
  }

  function quoteOf(
    s: TestStreamer,
    mediaUrl: string,
    language = 'en',
    amount = '50000',
  ): Promise<JsonResponse> {
    return http(system, 'POST', `/api/v1/streamers/${s.username}/media-share/quote`, {
      body: { mediaUrl, amount, currency: 'IDR' },
      headers: { 'accept-language': language },
    });
  }

  function donate(s: TestStreamer, mediaUrl: string | undefined, language = 'en'): Promise<JsonResponse> {
    return createDonation(
      system,
      s.username,
      { donorName: 'Rina', amount: '50000', currency: 'IDR', provider: 'sandbox', mediaUrl },
      { 'accept-language': language },
    );
  }

  interface StoredMedia {
    videoId: string;
    seconds: number;
    review?: boolean;
    title?: string;
    channel?: string;
    channelId?: string;
    thumbnailUrl?: string;
    durationS?: number;
  }

  /** The media share donation `id` keeps, read back through the streamer's history. */
  async function storedMedia(s: TestStreamer, id: string): Promise<StoredMedia | null | undefined> {
    const page = await http(system, 'GET', '/api/v1/me/donations?limit=50', { token: s.accessToken });
    expect(page.status).to.equal(200);
    return (page.body.donations as { id: string; mediaShare: StoredMedia | null }[]).find((d) => d.id === id)
      ?.mediaShare;
  }

  /** Quote and creation both refuse `mediaUrl` with the same words; returns them. */
  async function refusedAlike(s: TestStreamer, mediaUrl: string, language = 'en'): Promise<string> {
    const quote = await quoteOf(s, mediaUrl, language);
    expect(quote.status, JSON.stringify(quote.body)).to.equal(200);
    expect(quote.body).to.include({ allowed: false, seconds: 0 });
    const created = await donate(s, mediaUrl, language);
    expect(created.status, JSON.stringify(created.body)).to.equal(400);
    expect(created.body.error.details.fields.mediaUrl).to.equal(quote.body.reason);
    return quote.body.reason as string;
  }

  /** Quote and creation both take `mediaUrl`; returns the created donation's id. */
  async function acceptedAlike(s: TestStreamer, mediaUrl: string): Promise<string> {
    const quote = await quoteOf(s, mediaUrl);
    expect(quote.body, JSON.stringify(quote.body)).to.include({ allowed: true, reason: null });
    const created = await donate(s, mediaUrl);
    expect(created.status, JSON.stringify(created.body)).to.be.oneOf([201, 202]);
    return created.body.id as string;
  }

  it('reads a new streamer’s rules with every default, and shows donors no blocklist', async () => {
    const s = await streamerWith({ blockedChannels: ['@secret'], blockedWords: ['rahasia'] });
    const me = await http(system, 'GET', '/api/v1/me', { token: s.accessToken });
    expect(me.body.streamer.settings.mediaShare).to.include({
      holdForApproval: false,
      refundOnReject: true,
      onlyAllowedChannels: false,
      cooldownS: 0,
    });
    expect(me.body.streamer.settings.mediaShare.blockedChannels).to.deep.equal(['@secret']);
    const page = await http(system, 'GET', `/api/v1/streamers/${s.username}`);
    expect(page.body.mediaShare).to.include({ enabled: true, holdForApproval: false, cooldownS: 0 });
    expect(page.body.mediaShare).to.not.have.any.keys('blockedChannels', 'blockedWords', 'refundOnReject');
    const bad = await http(system, 'PATCH', '/api/v1/me/settings', {
      token: s.accessToken,
      body: { mediaShare: { cooldownS: -5, blockedChannels: ['two words'] } },
    });
    expect(bad.status).to.equal(400);
    expect(bad.body.error.details.fields).to.have.property('mediaShare.cooldownS');
    expect(bad.body.error.details.fields).to.have.property('mediaShare.blockedChannels.0');
  });

  it('refuses media when media share is off with the quote’s own words (one check, not two)', async () => {
    const s = await streamerWith({ enabled: false });
    expect(await refusedAlike(s, YOUTUBE, 'id')).to.equal('Streamer ini tidak menerima media share');
    expect(await refusedAlike(s, YOUTUBE, 'en')).to.equal('This streamer does not take media shares');
  });

  it('refuses a blocked channel in the quote and the donation alike, and takes other channels', async () => {
    const s = await streamerWith({ blockedChannels: ['@rickastleyyt', 'https://www.tiktok.com/@nobody'] });
    expect(await refusedAlike(s, YOUTUBE, 'en')).to.equal(
      'This streamer does not take clips from this channel',
    );
    expect(await refusedAlike(s, YOUTUBE, 'id')).to.equal(
      'Streamer ini tidak menerima klip dari channel ini',
    );
    await acceptedAlike(s, TIKTOK);
    // A channel nobody could look up passes a blocklist: a failed lookup never blocks.
    await acceptedAlike(s, UNKNOWN);
  });

  it('takes only the listed channels in "only these channels" mode; an unchecked channel is refused', async () => {
    const s = await streamerWith({
      onlyAllowedChannels: true,
      allowedChannels: ['Scout2015', 'UCmusiksantai0000000000a'],
    });
    await acceptedAlike(s, TIKTOK);
    await acceptedAlike(s, CLEAN);
    expect(await refusedAlike(s, YOUTUBE)).to.equal('This streamer only takes clips from chosen channels');
    expect(await refusedAlike(s, UNKNOWN)).to.match(/could not be checked/);
  });

  it('refuses a blocked word in the title, spaced out or in leetspeak', async () => {
    const s = await streamerWith({ blockedWords: ['gacor'] });
    expect(await refusedAlike(s, GACOR, 'id')).to.equal(
      'Judul klip ini memuat kata yang tidak diizinkan streamer ini',
    );
    expect(await refusedAlike(s, GACOR_LEET, 'en')).to.equal(
      "This clip's title has a word this streamer does not allow",
    );
    const clean = await quoteOf(s, CLEAN);
    expect(clean.body).to.include({ allowed: true, title: 'Lagu santai sore', channel: 'Musik Santai' });
    expect(clean.body.thumbnailUrl).to.equal('https://i.ytimg.com/vi/cleanVideo1/hqdefault.jpg');
  });

  it('holds a donor to the cooldown for media only: a second clip is refused, a donation without one goes through', async () => {
    const s = await streamerWith({ cooldownS: 600 });
    const body = {
      donorName: 'Rina',
      amount: '50000',
      currency: 'IDR',
      provider: 'sandbox',
      mediaUrl: CLEAN,
    };
    const key = { 'idempotency-key': `media-cooldown-${s.username}` };
    const first = await createDonation(system, s.username, body, key);
    expect(first.status, JSON.stringify(first.body)).to.be.oneOf([201, 202]);
    // The same request retried (same Idempotency-Key) is the same donation, not a second clip.
    const retried = await createDonation(system, s.username, body, key);
    expect(retried.status, JSON.stringify(retried.body)).to.be.oneOf([201, 202]);
    expect(retried.body.id).to.equal(first.body.id);
    const reason = await refusedAlike(s, YOUTUBE);
    expect(reason).to.match(/^You sent a clip a moment ago: you can send another in \d+ min$/);
    const plain = await donate(s, undefined);
    expect(plain.status, JSON.stringify(plain.body)).to.be.oneOf([201, 202]);
    // Another streamer's cooldown is its own.
    const other = await streamerWith({ cooldownS: 600 });
    await acceptedAlike(other, YOUTUBE);
  });

  it('keeps the clip’s metadata on the donation, leaves unknown fields out, and is not held up by a lookup that hangs', async () => {
    const s = await streamerWith({});
    const withMeta = await storedMedia(s, await acceptedAlike(s, YOUTUBE));
    expect(withMeta).to.deep.include({
      videoId: 'dQw4w9WgXcQ',
      title: 'Never Gonna Give You Up',
      channel: 'Rick Astley',
      // The Data API's channel id (YOUTUBE_API_KEY is set) and duration.
      channelId: 'UCuAXFkgsw1L7xaCfnd5JJOw',
      thumbnailUrl: 'https://i.ytimg.com/vi/dQw4w9WgXcQ/hqdefault.jpg',
      durationS: 213,
    });
    expect(withMeta).to.not.have.property('review');
    const unknown = await storedMedia(s, await acceptedAlike(s, UNKNOWN));
    expect(unknown).to.include({ videoId: 'unknownVid1' });
    expect(unknown).to.not.have.any.keys(
      'title',
      'channel',
      'channelId',
      'thumbnailUrl',
      'durationS',
      'review',
    );
    const created = await donate(s, HANGING);
    expect(created.status, JSON.stringify(created.body)).to.be.oneOf([201, 202]);
    const hanging = await storedMedia(s, created.body.id as string);
    expect(hanging).to.include({ videoId: 'hangingVid1', seconds: 30 });
    expect(hanging).to.not.have.property('title');
    // The lookup did go to the fake (never the internet).
    expect(system.oembed.requests.some((r) => r.query.get('url')?.includes('hangingVid1'))).to.equal(true);
  });

  it('marks the clip for review when the streamer holds clips for approval', async () => {
    const s = await streamerWith({ holdForApproval: true });
    const quote = await quoteOf(s, TIKTOK);
    expect(quote.body).to.include({ allowed: true, review: true });
    const stored = await storedMedia(s, await acceptedAlike(s, TIKTOK));
    expect(stored).to.include({ review: true, title: 'Scramble up ur name', channelId: '@scout2015' });
  });
});
