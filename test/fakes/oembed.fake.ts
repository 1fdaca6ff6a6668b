/**
 * A local stand-in for YouTube's and TikTok's oEmbed endpoints and the YouTube Data API's
 * videos.list, speaking their JSON. Videos are registered by id; an unknown id answers 404 as
 * the platforms do; `hang` ids never answer (for timeouts).
 */
import { serve, type FakeRequest, type RunningFake } from './fake-http.js';

/** One video the fake knows. */
export interface FakeVideo {
  title: string;
  author: string;
  /** YouTube: the `@handle`; TikTok: the unique id without `@`. */
  handle: string;
  /** YouTube channel id (Data API `snippet.channelId`). */
  channelId?: string;
  /** ISO 8601 duration of the Data API (`PT3M33S`). */
  duration?: string;
}

/** The running fake with the requests it got. */
export interface OEmbedFake extends RunningFake {
  youtubeOEmbedUrl: string;
  tiktokOEmbedUrl: string;
  youtubeApiUrl: string;
  requests: FakeRequest[];
}

const idOf = (url: string | null, pattern: RegExp) => (url ? pattern.exec(url)?.[1] : undefined);

/** Starts the fake on a free port with `videos` keyed by video id; ids in `hang` never answer. */
export async function startOEmbedFake(
  videos: Record<string, FakeVideo>,
  hang: string[] = [],
): Promise<OEmbedFake> {
  const requests: FakeRequest[] = [];
  const wait = (id: string | undefined) =>
    id && hang.includes(id) ? new Promise<never>(() => {}) : undefined;
  const fake = await serve(0, [
    [
      'GET',
      /^\/youtube\/oembed$/,
      async (req) => {
        requests.push(req);
        const id = idOf(req.query.get('url'), /[?&]v=([A-Za-z0-9_-]{11})/);
        await wait(id);
        const v = id ? videos[id] : undefined;
        if (!v) return { status: 404, body: 'Not Found' };
        return {
          status: 200,
          body: {
            type: 'video',
            version: '1.0',
            provider_name: 'YouTube',
            title: v.title,
            author_name: v.author,
            author_url: `https://www.youtube.com/${v.handle}`,
            thumbnail_url: `https://i.ytimg.com/vi/${id}/hqdefault.jpg`,
            html: '<iframe></iframe>',
          },
        };
      },
    ],
    [
      'GET',
      /^\/tiktok\/oembed$/,
      async (req) => {
        requests.push(req);
        const id = idOf(req.query.get('url'), /\/video\/(\d+)/);
        await wait(id);
        const v = id ? videos[id] : undefined;
        if (!v) return { status: 400, body: { code: 400, message: 'Something went wrong' } };
        return {
          status: 200,
          body: {
            version: '1.0',
            type: 'video',
            title: v.title,
            author_name: v.author,
            author_unique_id: v.handle,
            author_url: `https://www.tiktok.com/@${v.handle}`,
            thumbnail_url: `https://p16-sign.tiktokcdn.com/${id}.jpeg`,
            provider_name: 'TikTok',
          },
        };
      },
    ],
    [
      'GET',
      /^\/youtube\/v3\/videos$/,
      (req) => {
        requests.push(req);
        if (req.query.get('key') !== 'test-youtube-key')
          return { status: 400, body: { error: { code: 400, message: 'API key not valid.' } } };
        const id = req.query.get('id') ?? '';
        const v = videos[id];
        return {
          status: 200,
          body: {
            kind: 'youtube#videoListResponse',
            items: v
              ? [
                  {
                    kind: 'youtube#video',
                    id,
                    snippet: { channelId: v.channelId, title: v.title, channelTitle: v.author },
                    contentDetails: { duration: v.duration },
                  },
                ]
              : [],
          },
        };
      },
    ],
  ]);
  return {
    ...fake,
    requests,
    youtubeOEmbedUrl: `${fake.url}/youtube/oembed`,
    tiktokOEmbedUrl: `${fake.url}/tiktok/oembed`,
    youtubeApiUrl: `${fake.url}/youtube/v3`,
  };
}
