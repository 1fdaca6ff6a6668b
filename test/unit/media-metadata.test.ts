/**
 * Media-share metadata (issue 13): oEmbed and the YouTube Data API through a local fake that
 * speaks their JSON, cached in Redis, bounded by a timeout, never failing a donation.
 */
import { expect } from 'chai';
import { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import { MediaMetadataClient, parseIsoDuration } from '../../shared/media-metadata.js';
import { startOEmbedFake, type OEmbedFake } from '../fakes/oembed.fake.js';

const YT = 'dQw4w9WgXcQ';
const TT = '6718335390845095173';
const HANGS = 'aaaaaaaaaaa';

describe('media-share metadata', () => {
  let fake: OEmbedFake;
  let redis: Redis;
  const prefix = `test-meta-${randomBytes(4).toString('hex')}`;

  before(async () => {
    fake = await startOEmbedFake(
      {
        [YT]: {
          title: 'Never Gonna Give You Up',
          author: 'Rick Astley',
          handle: '@RickAstleyYT',
          channelId: 'UCuAXFkgsw1L7xaCfnd5JJOw',
          duration: 'PT3M33S',
        },
        [TT]: { title: 'Scramble up ur name', author: 'Scout', handle: 'scout2015' },
      },
      [HANGS],
    );
    redis = new Redis('redis://127.0.0.1:6379', { lazyConnect: true, maxRetriesPerRequest: 1 });
    await redis.connect();
  });
  after(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await fake.close();
  });

  const client = (extra: Partial<ConstructorParameters<typeof MediaMetadataClient>[0]> = {}) =>
    new MediaMetadataClient({
      youtubeOEmbedUrl: fake.youtubeOEmbedUrl,
      tiktokOEmbedUrl: fake.tiktokOEmbedUrl,
      youtubeApiUrl: fake.youtubeApiUrl,
      cache: redis,
      prefix: `${prefix}:${randomBytes(3).toString('hex')}`,
      ...extra,
    });

  it('reads the Data API durations YouTube writes', () => {
    expect(parseIsoDuration('PT3M33S')).to.equal(213);
    expect(parseIsoDuration('PT1H2M3S')).to.equal(3723);
    expect(parseIsoDuration('P1DT2M')).to.equal(86_520);
    expect(parseIsoDuration('PT45S')).to.equal(45);
    expect(parseIsoDuration('P0D')).to.equal(0);
    expect(parseIsoDuration('3:33')).to.equal(undefined);
    expect(parseIsoDuration('PT')).to.equal(undefined);
  });

  it('gives a YouTube video its title, channel, handle and thumbnail from oEmbed', async () => {
    const meta = await client().lookup({ platform: 'youtube', videoId: YT });
    expect(meta).to.deep.equal({
      title: 'Never Gonna Give You Up',
      channel: 'Rick Astley',
      channelId: '@RickAstleyYT',
      thumbnailUrl: `https://i.ytimg.com/vi/${YT}/hqdefault.jpg`,
    });
  });

  it('adds the duration and the channel id from the Data API when YOUTUBE_API_KEY is set', async () => {
    const meta = await client({ youtubeApiKey: 'test-youtube-key' }).lookup({
      platform: 'youtube',
      videoId: YT,
    });
    expect(meta).to.include({
      durationS: 213,
      channelId: 'UCuAXFkgsw1L7xaCfnd5JJOw',
      // The @handle stays known beside the id, so a streamer may block either.
      channelHandle: '@RickAstleyYT',
      title: 'Never Gonna Give You Up',
    });
  });

  it('gives a TikTok video its title, author and @handle', async () => {
    const meta = await client().lookup({ platform: 'tiktok', videoId: TT });
    expect(meta).to.include({ title: 'Scramble up ur name', channel: 'Scout', channelId: '@scout2015' });
    expect(meta.thumbnailUrl).to.match(/^https:\/\//);
  });

  it('asks once per video and answers the rest from Redis', async () => {
    const c = client();
    const before = fake.requests.length;
    const first = await c.lookup({ platform: 'tiktok', videoId: TT });
    const second = await c.lookup({ platform: 'tiktok', videoId: TT });
    expect(second).to.deep.equal(first);
    expect(fake.requests.length - before).to.equal(1);
  });

  it('answers {} for an unknown video and for one whose lookup outlasts the timeout, never throwing', async () => {
    expect(await client().lookup({ platform: 'youtube', videoId: 'zzzzzzzzzzz' })).to.deep.equal({});
    expect(await client({ timeoutMs: 200 }).lookup({ platform: 'youtube', videoId: HANGS })).to.deep.equal(
      {},
    );
    const down = new MediaMetadataClient({ youtubeOEmbedUrl: 'http://127.0.0.1:1/oembed', timeoutMs: 500 });
    expect(await down.lookup({ platform: 'youtube', videoId: YT })).to.deep.equal({});
  });
});
