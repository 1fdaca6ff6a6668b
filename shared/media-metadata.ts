/**
 * What a media share is: title, channel, thumbnail and (YouTube with an API key) duration, from
 * the platforms' oEmbed endpoints and the YouTube Data API, cached in Redis. A lookup never
 * throws and never takes longer than its timeout: a clip without metadata still plays within the
 * streamer's rules.
 *
 * Sources:
 * - YouTube oEmbed: `GET https://www.youtube.com/oembed?url=<watch URL>&format=json` →
 *   `{title, author_name, author_url, thumbnail_url}` (https://oembed.com, YouTube's provider).
 * - TikTok oEmbed: `GET https://www.tiktok.com/oembed?url=<video URL>` →
 *   `{title, author_name, author_unique_id, author_url, thumbnail_url}`
 *   (https://developers.tiktok.com/doc/embed-videos).
 * - YouTube Data API v3 `videos.list`: `GET …/youtube/v3/videos?part=contentDetails,snippet&id=ID&key=KEY`
 *   → `items[0].contentDetails.duration` (ISO 8601, e.g. `PT1H2M3S`) and `items[0].snippet.channelId`
 *   (https://developers.google.com/youtube/v3/docs/videos/list).
 */
import type { MediaShare } from './queues.js';

/** Metadata of one video; every field optional (platforms omit some). */
export interface MediaMetadata {
  title?: string;
  /** The channel's display name (oEmbed `author_name`). */
  channel?: string;
  /** A stable channel id: YouTube `UC…` id (Data API) or the `@handle` of `author_url`; TikTok `@user`. */
  channelId?: string;
  /**
   * The channel's handle or page id from oEmbed `author_url` (`@name`, a `UC…` id, a `/c/` or
   * `/user/` name), when it differs from `channelId` (a Data API lookup gives the `UC…` id
   * there): channel rules match either.
   */
  channelHandle?: string;
  thumbnailUrl?: string;
  /** Length of the whole video in seconds (YouTube Data API only). */
  durationS?: number;
}

/** The small part of a Redis client the cache needs (ioredis fits). */
export interface MetadataCache {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, mode: 'EX', seconds: number): Promise<unknown>;
}

/** Where and how {@link MediaMetadataClient} asks. */
export interface MediaMetadataOptions {
  /** YouTube oEmbed endpoint (default https://www.youtube.com/oembed). */
  youtubeOEmbedUrl?: string;
  /** TikTok oEmbed endpoint (default https://www.tiktok.com/oembed). */
  tiktokOEmbedUrl?: string;
  /** YouTube Data API base (default https://www.googleapis.com/youtube/v3). */
  youtubeApiUrl?: string;
  /** YOUTUBE_API_KEY: with it, YouTube lookups add the duration and channel id. */
  youtubeApiKey?: string;
  /** Time allowed for one lookup (all its requests), ms (default 2000). */
  timeoutMs?: number;
  /** Redis (or alike) for the cache; none = no cache. */
  cache?: MetadataCache;
  /** Key prefix of the cache (REDIS_PREFIX). */
  prefix?: string;
  /** How long an answer is kept, seconds (default 24 h); a failed lookup is kept 5 min. */
  ttlS?: number;
  /** fetch to use (default the global fetch). */
  fetch?: typeof fetch;
}

/**
 * Reads an ISO 8601 duration of the Data API (`PT1H2M3S`, `P1DT2M`, `PT45S`) into seconds.
 * @returns undefined when the text is not such a duration (live streams answer `P0D`: 0).
 */
export function parseIsoDuration(text: string): number | undefined {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(text);
  if (!m || text === 'P' || text.endsWith('T')) return undefined;
  const [, d, h, min, s] = m.map((v) => Number(v ?? 0));
  return d! * 86_400 + h! * 3600 + min! * 60 + s!;
}

const str = (v: unknown): string | undefined =>
  typeof v === 'string' && v.trim() ? v.trim().slice(0, 300) : undefined;

/** The channel id or handle in an oEmbed `author_url` (`…/@name`, `…/channel/UC…`). */
function channelIdOf(authorUrl: unknown): string | undefined {
  const url = str(authorUrl);
  if (!url) return undefined;
  try {
    const parts = new URL(url).pathname.split('/').filter(Boolean);
    if (parts[0]?.startsWith('@')) return parts[0];
    if ((parts[0] === 'channel' || parts[0] === 'c' || parts[0] === 'user') && parts[1]) return parts[1];
  } catch {
    /* not a URL */
  }
  return undefined;
}

/** What a caller of the metadata needs (a test may stand in with its own). */
export interface MediaMetadataLookup {
  /** Metadata of a parsed media share; `{}` when nothing could be learnt in time (never throws). */
  lookup(media: Pick<MediaShare, 'platform' | 'videoId'>): Promise<MediaMetadata>;
}

/** Looks media shares up, with a cache and a timeout. */
export class MediaMetadataClient implements MediaMetadataLookup {
  private readonly o: Required<Omit<MediaMetadataOptions, 'cache' | 'youtubeApiKey'>> &
    Pick<MediaMetadataOptions, 'cache' | 'youtubeApiKey'>;

  constructor(options: MediaMetadataOptions = {}) {
    this.o = {
      youtubeOEmbedUrl: options.youtubeOEmbedUrl ?? 'https://www.youtube.com/oembed',
      tiktokOEmbedUrl: options.tiktokOEmbedUrl ?? 'https://www.tiktok.com/oembed',
      youtubeApiUrl: options.youtubeApiUrl ?? 'https://www.googleapis.com/youtube/v3',
      youtubeApiKey: options.youtubeApiKey || undefined,
      timeoutMs: options.timeoutMs ?? 2000,
      cache: options.cache,
      prefix: options.prefix ?? 'mediashar',
      ttlS: options.ttlS ?? 86_400,
      fetch: options.fetch ?? fetch,
    };
  }

  /**
   * Metadata of a parsed media share; `{}` when nothing could be learnt in time (never throws).
   * Answers are cached per platform and video id.
   */
  async lookup(media: Pick<MediaShare, 'platform' | 'videoId'>): Promise<MediaMetadata> {
    const key = `${this.o.prefix}:media-meta:${media.platform}:${media.videoId}`;
    const cached = await this.o.cache?.get(key).catch(() => null);
    if (cached) {
      try {
        return JSON.parse(cached) as MediaMetadata;
      } catch {
        /* look it up again */
      }
    }
    const signal = AbortSignal.timeout(this.o.timeoutMs);
    let found: MediaMetadata = {};
    let ok = false;
    try {
      found =
        media.platform === 'youtube'
          ? await this.youtube(media.videoId, signal)
          : await this.tiktok(media.videoId, signal);
      ok = true;
    } catch {
      found = {};
    }
    await this.o.cache?.set(key, JSON.stringify(found), 'EX', ok ? this.o.ttlS : 300).catch(() => undefined);
    return found;
  }

  private async json(url: string, signal: AbortSignal): Promise<Record<string, unknown>> {
    const res = await this.o.fetch(url, {
      signal,
      redirect: 'error',
      headers: { accept: 'application/json' },
    });
    if (!res.ok) throw new Error(`metadata lookup answered ${res.status}`);
    const body = (await res.json()) as unknown;
    if (!body || typeof body !== 'object') throw new Error('metadata lookup answered no object');
    return body as Record<string, unknown>;
  }

  private async youtube(videoId: string, signal: AbortSignal): Promise<MediaMetadata> {
    const watch = `https://www.youtube.com/watch?v=${encodeURIComponent(videoId)}`;
    const oembed = this.json(
      `${this.o.youtubeOEmbedUrl}?url=${encodeURIComponent(watch)}&format=json`,
      signal,
    );
    const api = this.o.youtubeApiKey
      ? this.json(
          `${this.o.youtubeApiUrl}/videos?part=contentDetails,snippet&id=${encodeURIComponent(videoId)}&key=${encodeURIComponent(this.o.youtubeApiKey)}`,
          signal,
        ).catch(() => null)
      : Promise.resolve(null);
    const [o, a] = await Promise.all([oembed.catch(() => null), api]);
    if (!o && !a) throw new Error('no metadata');
    const item = (Array.isArray(a?.items) ? a.items[0] : undefined) as
      | {
          contentDetails?: { duration?: unknown };
          snippet?: { channelId?: unknown; title?: unknown; channelTitle?: unknown };
        }
      | undefined;
    const out: MediaMetadata = {};
    const title = str(o?.title) ?? str(item?.snippet?.title);
    const channel = str(o?.author_name) ?? str(item?.snippet?.channelTitle);
    const fromUrl = channelIdOf(o?.author_url);
    const channelId = str(item?.snippet?.channelId) ?? fromUrl;
    const thumbnailUrl = str(o?.thumbnail_url);
    const durationS =
      typeof item?.contentDetails?.duration === 'string'
        ? parseIsoDuration(item.contentDetails.duration)
        : undefined;
    if (title) out.title = title;
    if (channel) out.channel = channel;
    if (channelId) out.channelId = channelId;
    if (fromUrl && fromUrl !== channelId) out.channelHandle = fromUrl;
    if (thumbnailUrl?.startsWith('https://')) out.thumbnailUrl = thumbnailUrl;
    if (durationS !== undefined) out.durationS = durationS;
    return out;
  }

  private async tiktok(videoId: string, signal: AbortSignal): Promise<MediaMetadata> {
    // oEmbed needs a video URL; any handle works for the id (TikTok resolves by the id).
    const video = `https://www.tiktok.com/@_/video/${encodeURIComponent(videoId)}`;
    const o = await this.json(`${this.o.tiktokOEmbedUrl}?url=${encodeURIComponent(video)}`, signal);
    const out: MediaMetadata = {};
    const title = str(o.title);
    const channel = str(o.author_name);
    const handle = str(o.author_unique_id);
    const channelId = handle ? `@${handle.replace(/^@/, '')}` : channelIdOf(o.author_url);
    const thumbnailUrl = str(o.thumbnail_url);
    if (title) out.title = title;
    if (channel) out.channel = channel;
    if (channelId) out.channelId = channelId;
    if (thumbnailUrl?.startsWith('https://')) out.thumbnailUrl = thumbnailUrl;
    return out;
  }
}
