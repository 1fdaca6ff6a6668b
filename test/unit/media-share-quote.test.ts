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
import {
  channelKey,
  mediaShareRulesPatchSchema,
  normalizeMediaShareRules,
  quoteMediaShare,
  type MediaShareRefusal,
} from '../../shared/media-share-quote.js';
import type { MediaMetadata } from '../../shared/media-metadata.js';
import {
  cooldownToken,
  donorAddressGroup,
  MediaShareCooldown,
} from '../../gateway/media-share/media-share-cooldown.js';
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
      holdForApproval: false,
      refundOnReject: true,
      blockedChannels: [],
      onlyAllowedChannels: false,
      allowedChannels: [],
      blockedWords: [],
      cooldownS: 0,
    });
    const q = quoteMediaShare(YT, parseAmount('1000', 'IDR'), { enabled: true, minMinor: 0 }, 'IDR');
    expect(q).to.include({ allowed: true, seconds: 30 });
    expect(normalizeMediaShareRules({ maxSeconds: -1, platforms: ['vimeo'] })).to.include({ maxSeconds: 30 });
  });
});

/** Metadata as the lookup gives it: a YouTube clip with the Data API (id + handle), a TikTok clip. */
const RICK: MediaMetadata = {
  title: 'Never Gonna Give You Up (Official Video)',
  channel: 'Rick Astley',
  channelId: 'UCuAXFkgsw1L7xaCfnd5JJOw',
  channelHandle: '@RickAstleyYT',
};
const SCOUT: MediaMetadata = { title: 'Scramble up ur name', channel: 'Scout', channelId: '@scout2015' };

describe('quoteMediaShare (channels, title words, cooldown, approval)', () => {
  const amount = parseAmount('50000', 'IDR');
  /** [what, clip, rules added to RULES, context, refusal (null = allowed)] */
  const CASES: [
    string,
    typeof YT,
    object,
    Parameters<typeof quoteMediaShare>[5],
    MediaShareRefusal | null,
  ][] = [
    ['no channel rule', YT, {}, { metadata: RICK }, null],
    [
      'blocked by channel id',
      YT,
      { blockedChannels: ['UCuAXFkgsw1L7xaCfnd5JJOw'] },
      { metadata: RICK },
      'channel_blocked',
    ],
    [
      'blocked by @handle, other case',
      YT,
      { blockedChannels: ['@rickastleyyt'] },
      { metadata: RICK },
      'channel_blocked',
    ],
    [
      'blocked by handle without @',
      YT,
      { blockedChannels: ['RICKASTLEYYT'] },
      { metadata: RICK },
      'channel_blocked',
    ],
    [
      'blocked by a pasted channel link',
      YT,
      { blockedChannels: ['https://www.youtube.com/@RickAstleyYT/videos'] },
      { metadata: RICK },
      'channel_blocked',
    ],
    [
      'blocked by /channel/ link',
      YT,
      { blockedChannels: ['youtube.com/channel/UCuAXFkgsw1L7xaCfnd5JJOw'] },
      { metadata: RICK },
      'channel_blocked',
    ],
    [
      'blocked TikTok username without @',
      TT,
      { blockedChannels: ['Scout2015'] },
      { metadata: SCOUT },
      'channel_blocked',
    ],
    [
      'another channel blocked',
      YT,
      { blockedChannels: ['@someoneelse', 'UCxxxxxxxxxxxxxxxxxxxxxx'] },
      { metadata: RICK },
      null,
    ],
    [
      'blocklist, channel unknown (lookup failed): passes',
      YT,
      { blockedChannels: ['@rickastleyyt'] },
      { metadata: {} },
      null,
    ],
    [
      'only allowed, listed',
      TT,
      { onlyAllowedChannels: true, allowedChannels: ['@SCOUT2015'] },
      { metadata: SCOUT },
      null,
    ],
    [
      'only allowed, not listed',
      YT,
      { onlyAllowedChannels: true, allowedChannels: ['@scout2015'] },
      { metadata: RICK },
      'channel_not_allowed',
    ],
    [
      'only allowed, channel unknown: refused',
      TT,
      { onlyAllowedChannels: true, allowedChannels: ['@scout2015'] },
      {},
      'channel_not_allowed',
    ],
    [
      'only allowed, empty list: nothing passes',
      TT,
      { onlyAllowedChannels: true, allowedChannels: [] },
      { metadata: SCOUT },
      'channel_not_allowed',
    ],
    [
      'allowed list kept but mode off',
      YT,
      { onlyAllowedChannels: false, allowedChannels: ['@scout2015'] },
      { metadata: RICK },
      null,
    ],
    [
      'blocked beats allowed',
      TT,
      { onlyAllowedChannels: true, allowedChannels: ['@scout2015'], blockedChannels: ['scout2015'] },
      { metadata: SCOUT },
      'channel_blocked',
    ],
    ['blocked word in the title', YT, { blockedWords: ['official'] }, { metadata: RICK }, 'word_blocked'],
    [
      'blocked word, spaced out',
      YT,
      { blockedWords: ['never'] },
      { metadata: { ...RICK, title: 'N e v e r gonna give' } },
      'word_blocked',
    ],
    [
      'blocked phrase, other spacing and case',
      YT,
      { blockedWords: ['gonna give'] },
      { metadata: { ...RICK, title: 'never GONNA   give you up' } },
      'word_blocked',
    ],
    [
      'blocked word in leetspeak',
      TT,
      { blockedWords: ['scramble'] },
      { metadata: { ...SCOUT, title: 'scr4mbl3 up' } },
      'word_blocked',
    ],
    [
      'blocked word in full-width letters',
      TT,
      { blockedWords: ['name'] },
      { metadata: { ...SCOUT, title: 'ur ｎａｍｅ' } },
      'word_blocked',
    ],
    [
      'a longer word is not the blocked one',
      YT,
      { blockedWords: ['give'] },
      { metadata: { ...RICK, title: 'Forgiven' } },
      null,
    ],
    ['title unknown: words cannot match', YT, { blockedWords: ['official'] }, { metadata: {} }, null],
    ['cooldown running', YT, { cooldownS: 60 }, { metadata: RICK, cooldownLeftS: 42 }, 'cooldown'],
    ['cooldown over', YT, { cooldownS: 60 }, { metadata: RICK, cooldownLeftS: 0 }, null],
    ['no cooldown rule: a stale wait is ignored', YT, { cooldownS: 0 }, { cooldownLeftS: 42 }, null],
    [
      'money refusal before the cooldown',
      YT,
      { cooldownS: 60, minByCurrency: { IDR: 100_000_00 } },
      { cooldownLeftS: 42 },
      'below_minimum',
    ],
    [
      'off beats every other rule',
      YT,
      { enabled: false, blockedChannels: ['@rickastleyyt'] },
      { metadata: RICK },
      'disabled',
    ],
  ];
  for (const [what, clip, extra, context, refusal] of CASES) {
    it(`${what} → ${refusal ?? 'allowed'}`, () => {
      const q = quoteMediaShare(clip, amount, { ...RULES, ...extra }, 'IDR', 'en', context);
      expect(q.refusal).to.equal(refusal);
      expect(q.allowed).to.equal(refusal === null);
      if (refusal) expect(q).to.include({ seconds: 0 }).and.property('reason').a('string').not.equal('');
      else expect(q).to.include({ seconds: 50, reason: null });
    });
  }

  it('words every new refusal in en and id, naming the wait of a cooldown', () => {
    const words = (extra: object, context: Parameters<typeof quoteMediaShare>[5], language: 'en' | 'id') =>
      quoteMediaShare(YT, amount, { ...RULES, ...extra }, 'IDR', language, context).reason;
    expect(words({ blockedChannels: ['@rickastleyyt'] }, { metadata: RICK }, 'en')).to.equal(
      'This streamer does not take clips from this channel',
    );
    expect(words({ blockedChannels: ['@rickastleyyt'] }, { metadata: RICK }, 'id')).to.equal(
      'Streamer ini tidak menerima klip dari channel ini',
    );
    expect(words({ onlyAllowedChannels: true }, { metadata: RICK }, 'en')).to.equal(
      'This streamer only takes clips from chosen channels',
    );
    expect(words({ onlyAllowedChannels: true }, { metadata: RICK }, 'id')).to.equal(
      'Streamer ini hanya menerima klip dari channel pilihan',
    );
    // An unchecked channel says so: the donor may try again once the lookup answers.
    expect(words({ onlyAllowedChannels: true }, {}, 'en')).to.match(/could not be checked/);
    expect(words({ onlyAllowedChannels: true }, {}, 'id')).to.match(/belum bisa diperiksa/);
    expect(words({ blockedWords: ['official'] }, { metadata: RICK }, 'en')).to.equal(
      "This clip's title has a word this streamer does not allow",
    );
    expect(words({ blockedWords: ['official'] }, { metadata: RICK }, 'id')).to.equal(
      'Judul klip ini memuat kata yang tidak diizinkan streamer ini',
    );
    expect(words({ cooldownS: 600 }, { cooldownLeftS: 42 }, 'en')).to.equal(
      'You sent a clip a moment ago: you can send another in 42 s',
    );
    expect(words({ cooldownS: 600 }, { cooldownLeftS: 301 }, 'id')).to.equal(
      'Kamu baru saja mengirim klip: kamu bisa mengirim lagi dalam 6 menit',
    );
  });

  it('marks the quote for review when the streamer holds clips for approval, and not otherwise', () => {
    expect(quoteMediaShare(YT, amount, { ...RULES, holdForApproval: true }, 'IDR')).to.include({
      allowed: true,
      review: true,
    });
    expect(quoteMediaShare(YT, amount, RULES, 'IDR')).to.include({ allowed: true, review: false });
  });

  it('compares channels by one key: @ dropped, lower-cased, links reduced to their id or handle', () => {
    expect(channelKey('  @RickAstleyYT ')).to.equal('rickastleyyt');
    expect(channelKey('https://www.youtube.com/@RickAstleyYT/videos')).to.equal('rickastleyyt');
    expect(channelKey('m.youtube.com/channel/UCuAXFkgsw1L7xaCfnd5JJOw')).to.equal('ucuaxfkgsw1l7xacfnd5jjow');
    expect(channelKey('https://www.tiktok.com/@scout2015?lang=en')).to.equal('scout2015');
    expect(channelKey('https://www.youtube.com/@%E3%81%82%E3%81%84')).to.equal('あい');
    expect(channelKey('https://www.youtube.com/watch?v=dQw4w9WgXcQ')).to.equal('');
  });
});

describe('mediaShareRulesPatchSchema (the new fields)', () => {
  it('takes every new field', () => {
    const patch = {
      holdForApproval: true,
      refundOnReject: false,
      blockedChannels: ['@spam', 'UCuAXFkgsw1L7xaCfnd5JJOw', 'https://www.tiktok.com/@someone'],
      onlyAllowedChannels: true,
      allowedChannels: ['scout2015'],
      blockedWords: ['judi online', 'slot'],
      cooldownS: 300,
    };
    expect(mediaShareRulesPatchSchema.parse(patch)).to.deep.equal(patch);
    expect(normalizeMediaShareRules({ enabled: true, minMinor: 0, ...patch })).to.include({
      holdForApproval: true,
      refundOnReject: false,
      onlyAllowedChannels: true,
      cooldownS: 300,
    });
  });

  it('refuses bad values naming the field, and unknown fields', () => {
    const fields = (patch: object) =>
      (mediaShareRulesPatchSchema.safeParse(patch).error?.issues ?? []).map((i) => i.path.join('.'));
    expect(fields({ blockedChannels: Array.from({ length: 201 }, (_, i) => `@c${i}`) })).to.deep.equal([
      'blockedChannels',
    ]);
    expect(fields({ allowedChannels: Array.from({ length: 200 }, (_, i) => `@c${i}`) })).to.deep.equal([]);
    expect(fields({ allowedChannels: ['@ok', 'two words'] })).to.deep.equal(['allowedChannels.1']);
    expect(fields({ blockedChannels: ['https://www.youtube.com/watch?v=dQw4w9WgXcQ'] })).to.deep.equal([
      'blockedChannels.0',
    ]);
    expect(fields({ blockedWords: [''] })).to.deep.equal(['blockedWords.0']);
    expect(fields({ cooldownS: -1 })).to.deep.equal(['cooldownS']);
    expect(fields({ cooldownS: 1.5 })).to.deep.equal(['cooldownS']);
    expect(fields({ cooldownS: 86_401 })).to.deep.equal(['cooldownS']);
    expect(fields({ holdForApproval: 'yes' })).to.deep.equal(['holdForApproval']);
    expect(fields({ blockedChannel: ['@typo'] })).to.have.length(1);
  });
});

describe('MediaShareCooldown (Redis)', () => {
  const prefix = `ms-mc-${randomBytes(4).toString('hex')}`;
  const redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
  const cooldown = new MediaShareCooldown(redis, prefix);
  after(async () => {
    await deleteRedisPrefix(prefix);
    redis.disconnect();
  });

  it('holds a donor after a claim until it ends; another donor and another streamer go on', async () => {
    const streamer = randomUUID();
    const donor = { ip: '203.0.113.7' };
    expect(await cooldown.remainingS(streamer, donor)).to.equal(0);
    expect(await cooldown.claim(streamer, donor, 60, cooldownToken(''))).to.equal(0);
    expect(await cooldown.remainingS(streamer, donor)).to.be.within(1, 60);
    expect(await cooldown.claim(streamer, donor, 60, cooldownToken(''))).to.be.within(1, 60);
    expect(await cooldown.claim(streamer, { ip: '203.0.113.8' }, 60, cooldownToken(''))).to.equal(0);
    expect(await cooldown.claim(randomUUID(), donor, 60, cooldownToken(''))).to.equal(0);
  });

  it('lets a retry with the same Idempotency-Key through, and a released claim frees the donor', async () => {
    const streamer = randomUUID();
    const donor = { ip: '198.51.100.1' };
    const token = cooldownToken('retry-me');
    expect(await cooldown.claim(streamer, donor, 60, token)).to.equal(0);
    expect(await cooldown.claim(streamer, donor, 60, cooldownToken('retry-me'))).to.equal(0);
    expect(await cooldown.claim(streamer, donor, 60, cooldownToken('other'))).to.be.above(0);
    await cooldown.release(streamer, donor, token);
    expect(await cooldown.remainingS(streamer, donor)).to.equal(0);
  });

  it('keys a donor on the address (an IPv6 /64 as one) and on the signed-in account', async () => {
    expect(donorAddressGroup('2001:db8:1:2:aaaa::1')).to.equal(donorAddressGroup('2001:db8:1:2:bbbb::9'));
    expect(donorAddressGroup('2001:db8:1:2::1')).to.not.equal(donorAddressGroup('2001:db8:1:3::1'));
    expect(donorAddressGroup('::ffff:203.0.113.7')).to.equal('203.0.113.7');
    const streamer = randomUUID();
    expect(
      await cooldown.claim(streamer, { ip: '2001:db8:1:2::1', userId: 'u1' }, 60, cooldownToken('')),
    ).to.equal(0);
    // Another address in the same /64, or the same account from elsewhere: still the same donor.
    expect(await cooldown.remainingS(streamer, { ip: '2001:db8:1:2::ffff' })).to.be.above(0);
    expect(await cooldown.remainingS(streamer, { ip: '192.0.2.1', userId: 'u1' })).to.be.above(0);
    expect(await cooldown.remainingS(streamer, { ip: '192.0.2.1', userId: 'u2' })).to.equal(0);
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
    settings: { mediaShare: RULES as Record<string, unknown> },
  };
  // Metadata of the clips the route is asked about, as the lookup would give it.
  const lookups: string[] = [];
  const KNOWN: Record<string, MediaMetadata> = {
    dQw4w9WgXcQ: {
      title: 'Never Gonna Give You Up',
      channel: 'Rick Astley',
      channelId: 'UCuAXFkgsw1L7xaCfnd5JJOw',
      channelHandle: '@RickAstleyYT',
      thumbnailUrl: 'https://i.ytimg.com/vi/dQw4w9WgXcQ/hqdefault.jpg',
      durationS: 213,
    },
  };
  const deps = {
    config,
    redis,
    mediaMetadata: {
      lookup: (media: { videoId: string }) => {
        lookups.push(media.videoId);
        return Promise.resolve(KNOWN[media.videoId] ?? {});
      },
    },
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
      const q = quoteMediaShare(YT, parseAmount(typed, currency), RULES, 'IDR', 'en', {
        metadata: KNOWN.dQw4w9WgXcQ,
      });
      const expected = { platform: q.platform, videoId: q.videoId, startSeconds: q.startSeconds };
      Object.assign(expected, { seconds: q.seconds, allowed: q.allowed, reason: q.reason, review: false });
      Object.assign(expected, {
        title: 'Never Gonna Give You Up',
        channel: 'Rick Astley',
        thumbnailUrl: 'https://i.ytimg.com/vi/dQw4w9WgXcQ/hqdefault.jpg',
      });
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
      review: false,
      // The lookup knew nothing of this video: the answer says so rather than guessing.
      title: null,
      channel: null,
      thumbnailUrl: null,
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

  it('looks the clip up once media share is on and judges its channel and title, in the donor’s language', async () => {
    const saved = streamer.settings.mediaShare;
    try {
      streamer.settings.mediaShare = { ...RULES, blockedChannels: ['@RickAstleyYT'] };
      const blocked = await quote({ mediaUrl: 'https://youtu.be/dQw4w9WgXcQ', amount: '50000' }, 'id');
      expect(blocked.body).to.include({
        allowed: false,
        seconds: 0,
        reason: 'Streamer ini tidak menerima klip dari channel ini',
        title: 'Never Gonna Give You Up',
      });
      streamer.settings.mediaShare = { ...RULES, blockedWords: ['g1ve y0u'], holdForApproval: true };
      const word = await quote({ mediaUrl: 'https://youtu.be/dQw4w9WgXcQ', amount: '50000' });
      expect(word.body).to.include({ allowed: false, review: true });
      expect(word.body.reason).to.equal("This clip's title has a word this streamer does not allow");
      // Off: refused before any outgoing lookup.
      streamer.settings.mediaShare = { ...RULES, enabled: false };
      const before = lookups.length;
      const off = await quote({ mediaUrl: 'https://youtu.be/dQw4w9WgXcQ', amount: '50000' });
      expect(off.body).to.include({ allowed: false, title: null });
      expect(lookups.length).to.equal(before);
    } finally {
      streamer.settings.mediaShare = saved;
    }
  });
});
