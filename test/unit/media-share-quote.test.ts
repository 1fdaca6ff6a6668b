/**
 * Media-share quotes (issue 13): amount → seconds bought across currencies, capped at the
 * maximum, refused under the media minimum, for a platform not allowed or with media share off;
 * and POST /api/v1/streamers/:username/media-share/quote answering the same as quoteMediaShare().
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { expect } from 'chai';
import Koa from 'koa';
import request from 'supertest';
import { Redis } from 'ioredis';
import { normalizeMediaShareRules, quoteMediaShare } from '../../shared/media-share-quote.js';
import { parseMediaShareUrl } from '../../shared/media-share.js';
import { parseAmount } from '../../shared/money.js';
import { loadConfig } from '../../shared/config.js';
import { createLogger } from '../../shared/logger.js';
import { errorMiddleware } from '../../gateway/http/http.js';
import { mediaShareRouter } from '../../gateway/media-share/media-share.routes.js';
import type { GatewayDeps } from '../../gateway/gateway.deps.js';
import { deleteRedisPrefix } from '../support/system.js';

const YT = parseMediaShareUrl('https://youtu.be/dQw4w9WgXcQ?t=1m30s');
const TT = parseMediaShareUrl('https://www.tiktok.com/@someone/video/7301234567890123456');

/** A streamer in IDR: Rp 10.000 minimum, Rp 1.000 a second in IDR, US$0.10 a second, ¥10 a second, 60 s at most. */
const RULES = {
  enabled: true,
  minMinor: 10_000_00,
  minByCurrency: { USD: 1_00 },
  platforms: ['youtube', 'tiktok'],
  pricePerSecondMinor: { IDR: 1_000_00, USD: 10, JPY: 10 },
  maxSeconds: 60,
};

/** [amount typed, currency, seconds bought (0 = refused), refusal] */
const TABLE: [string, string, number, string | null][] = [
  ['10000', 'IDR', 10, null], // exactly the minimum
  ['15500', 'IDR', 15, null], // whole seconds only
  ['59999', 'IDR', 59, null],
  ['60000', 'IDR', 60, null],
  ['500000', 'IDR', 60, null], // capped at the maximum
  ['9999', 'IDR', 0, 'below_minimum'],
  ['1', 'USD', 10, null], // the USD minimum is its own
  ['2.55', 'USD', 25, null],
  ['6', 'USD', 60, null],
  ['100', 'USD', 60, null],
  ['0.99', 'USD', 0, 'below_minimum'],
  ['100', 'JPY', 10, null], // no JPY minimum: only the price applies
  ['5', 'JPY', 0, 'too_little'],
  ['10000', 'JPY', 60, null],
  ['5', 'SGD', 60, null], // a currency without a price buys the maximum (today's flat play)
];

describe('quoteMediaShare (amount → seconds)', () => {
  for (const [typed, currency, seconds, refusal] of TABLE) {
    it(`${typed} ${currency} → ${refusal ?? `${seconds} s`}`, () => {
      const q = quoteMediaShare(YT, parseAmount(typed, currency), RULES, 'IDR');
      expect(q).to.include({ seconds, allowed: refusal === null, refusal });
      expect(q).to.include({ platform: 'youtube', videoId: 'dQw4w9WgXcQ', startSeconds: 90 });
      if (refusal) expect(q.reason).to.be.a('string').and.not.equal('');
      else expect(q.reason).to.equal(null);
    });
  }

  it("words refusals in the donor's language, with the amount formatted", () => {
    const en = quoteMediaShare(YT, parseAmount('5000', 'IDR'), RULES, 'IDR', 'en');
    const id = quoteMediaShare(YT, parseAmount('5000', 'IDR'), RULES, 'IDR', 'id');
    expect(en.reason).to.equal('A clip needs at least Rp10.000');
    expect(id.reason).to.equal('Klip butuh minimal Rp10.000');
  });

  it('refuses a platform the streamer does not allow, and everything when media share is off', () => {
    const youtubeOnly = { ...RULES, platforms: ['youtube'] };
    expect(quoteMediaShare(TT, parseAmount('50000', 'IDR'), youtubeOnly, 'IDR')).to.include({
      allowed: false,
      refusal: 'platform',
      reason: 'This streamer does not take TikTok clips',
    });
    expect(
      quoteMediaShare(YT, parseAmount('50000', 'IDR'), { ...RULES, enabled: false }, 'IDR', 'id'),
    ).to.include({
      allowed: false,
      refusal: 'disabled',
      seconds: 0,
    });
  });

  it("reads today's stored rules ({enabled, minMinor}) with defaults: 30 s for any amount over the minimum", () => {
    expect(normalizeMediaShareRules({ enabled: true, minMinor: 0 })).to.deep.equal({
      enabled: true,
      minMinor: 0,
      minByCurrency: {},
      platforms: ['youtube', 'tiktok'],
      pricePerSecondMinor: {},
      maxSeconds: 30,
    });
    const q = quoteMediaShare(YT, parseAmount('1000', 'IDR'), { enabled: true, minMinor: 0 }, 'IDR');
    expect(q).to.include({ allowed: true, seconds: 30 });
    expect(normalizeMediaShareRules({ maxSeconds: -1, platforms: ['vimeo'] })).to.include({ maxSeconds: 30 });
  });
});

describe('POST /api/v1/streamers/:username/media-share/quote', () => {
  const prefix = `ms-mq-${randomBytes(4).toString('hex')}`;
  const redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
  const config = loadConfig({
    JWT_SECRET: 'k'.repeat(32),
    SANDBOX_WEBHOOK_SECRET: 's'.repeat(32),
    REDIS_PREFIX: prefix,
  });
  const streamer = {
    userId: randomUUID(),
    username: 'mystream',
    currency: 'IDR',
    settings: { mediaShare: RULES },
  };
  const deps = {
    config,
    redis,
    accounts: {
      streamerByUsername: (username: string) => {
        expect(username).to.equal('mystream');
        return Promise.resolve(streamer);
      },
    },
  } as unknown as GatewayDeps;
  const shortLinkFetch = ((url: string) =>
    Promise.resolve(
      url === 'https://vm.tiktok.com/ZMabc123/'
        ? new Response(null, {
            status: 301,
            headers: { location: 'https://www.tiktok.com/@someone/video/7301234567890123456?_r=1' },
          })
        : new Response(null, { status: 404 }),
    )) as typeof fetch;
  const app = new Koa();
  app.use(errorMiddleware(createLogger('test', 'silent')));
  const router = mediaShareRouter(deps, { fetch: shortLinkFetch });
  app.use(router.routes()).use(router.allowedMethods());
  const quote = (body: object, language = 'en') =>
    request(app.callback())
      .post('/api/v1/streamers/mystream/media-share/quote')
      .set('accept-language', language)
      .send(body);

  after(async () => {
    await deleteRedisPrefix(prefix);
    redis.disconnect();
  });

  it('answers the same quote as quoteMediaShare for every row of the table', async () => {
    for (const [typed, currency] of TABLE) {
      const res = await quote({ mediaUrl: 'youtu.be/dQw4w9WgXcQ?t=1m30s', amount: typed, currency });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      const q = quoteMediaShare(YT, parseAmount(typed, currency), RULES, 'IDR');
      const expected = { platform: q.platform, videoId: q.videoId, startSeconds: q.startSeconds };
      Object.assign(expected, { seconds: q.seconds, allowed: q.allowed, reason: q.reason });
      expect(res.body).to.deep.equal(expected);
    }
  });

  it("quotes in the streamer's currency by default, reads amounts as the donor types them, and resolves short links", async () => {
    const res = await quote({ mediaUrl: 'https://vm.tiktok.com/ZMabc123/', amount: 'Rp 25.000' }, 'id');
    expect(res.body).to.deep.equal({
      platform: 'tiktok',
      videoId: '7301234567890123456',
      startSeconds: 0,
      seconds: 25,
      allowed: true,
      reason: null,
    });
    const refused = await quote({ mediaUrl: 'https://youtu.be/dQw4w9WgXcQ', amount: '5.000' }, 'id');
    expect(refused.body).to.include({ allowed: false, seconds: 0, reason: 'Klip butuh minimal Rp10.000' });
  });

  it('answers 400 naming mediaUrl for a link that is not one video, and amount for an unreadable amount', async () => {
    for (const mediaUrl of [
      'https://www.youtube.com/@somechannel',
      'https://vm.tiktok.com/ZMgone12/',
      'javascript:alert(1)',
    ]) {
      const res = await quote({ mediaUrl, amount: '50000' });
      expect(res.status, mediaUrl).to.equal(400);
      expect(res.body.error.details.fields).to.have.property('mediaUrl');
    }
    const badAmount = await quote({ mediaUrl: 'https://youtu.be/dQw4w9WgXcQ', amount: 'lots' });
    expect(badAmount.status).to.equal(400);
    expect(badAmount.body.error.details.fields).to.have.property('amount');
    const missing = await quote({ amount: '50000' });
    expect(missing.status).to.equal(400);
    expect(missing.body.error.details.fields).to.have.property('mediaUrl');
  });
});
