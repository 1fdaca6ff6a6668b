/**
 * Media-share links a donor may paste from the YouTube and TikTok sites and apps, read into one
 * playable video (platform, video id, start second) or refused with a message naming
 * `mediaUrl`. Accepted:
 *
 * - YouTube on youtube.com, www./m./music.youtube.com, youtube-nocookie.com and youtu.be:
 *   `watch?v=`, `youtu.be/ID`, `shorts/ID`, `live/ID`, `embed/ID`, `v/ID`, with or without the
 *   scheme, the host in any letter case, and a start time (`t`, `start` or `time_continue`, in
 *   the query or the `#fragment`) in every form YouTube reads: `90`, `90s`, `1m30`, `1m30s`,
 *   `1h2m3s`, `1h`, `2m`.
 * - TikTok on tiktok.com, www./m.tiktok.com: `/@user/video/ID`, `/embed/v2/ID`, `/embed/ID`,
 *   `/player/v1/ID`, `/share/video/ID`, `m.tiktok.com/v/ID.html`; short links (vm.tiktok.com,
 *   vt.tiktok.com, tiktok.com/t/…) through {@link resolveMediaShareUrl}, which follows the
 *   redirect.
 *
 * Refused: channels, playlists without a video, `videoseries` and `live_stream` embeds, photo
 * posts, clips, look-alike hosts, other schemes, and credentials or a port in the URL.
 */
import { ValidationError } from './errors.js';
import type { MediaShare } from './queues.js';
import type {
  MediaShare as WireMediaShare,
  MediaShare__Input,
} from '../proto/generated/mediashar/v1/MediaShare.js';

const YOUTUBE_HOSTS = new Set([
  'youtube.com',
  'www.youtube.com',
  'm.youtube.com',
  'music.youtube.com',
  'youtube-nocookie.com',
  'www.youtube-nocookie.com',
]);
const YOUTU_BE = 'youtu.be';
const TIKTOK_HOSTS = new Set(['tiktok.com', 'www.tiktok.com', 'm.tiktok.com']);
const TIKTOK_SHORT_HOSTS = new Set(['vm.tiktok.com', 'vt.tiktok.com']);
const YOUTUBE_ID = /^[A-Za-z0-9_-]{11}$/;
const TIKTOK_ID = /^\d{10,25}$/;
const MAX_START_S = 24 * 3600;

/** The refusal: a 400 naming the `mediaUrl` field with what is wrong. */
function refuse(why: string): never {
  throw new ValidationError(`mediaUrl ${why}`, { fields: { mediaUrl: why } });
}

/**
 * Seconds from a YouTube `t`/`start` value: "90", "90s", "1m30", "1m30s", "1h2m3s", "1h", "2m".
 * 0 for an empty or missing value, NaN when unreadable.
 */
export function parseStartSeconds(value: string | null | undefined): number {
  if (!value) return 0;
  const v = value.trim().toLowerCase();
  if (/^\d{1,6}s?$/.test(v)) return parseInt(v, 10);
  // Units in order, each at most once; a bare number at the end counts as seconds ("1m30").
  const m = /^(?:(\d{1,3})h)?(?:(\d{1,4})m)?(?:(\d{1,6})s?)?$/.exec(v);
  if (!m || v === '' || (!m[1] && !m[2] && !m[3])) return Number.NaN;
  return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
}

/** Parses the text a donor pasted into a URL (adding https:// when no scheme was given). */
function toUrl(input: string): URL {
  const text = input.trim();
  if (!text) refuse('must be a YouTube or TikTok video link');
  if (/\s/.test(text)) refuse('must be one link, without spaces');
  const schemeMatch = /^([a-z][a-z0-9+.-]*):/i.exec(text);
  let withScheme = text;
  if (text.startsWith('//')) withScheme = `https:${text}`;
  else if (!schemeMatch || !/^https?$/i.test(schemeMatch[1]!)) {
    // "youtube.com:443/…" reads as a scheme "youtube.com"; a real scheme has no dot before ':'
    // unless it is a host with a port, which is refused below either way.
    if (schemeMatch && !schemeMatch[1]!.includes('.')) refuse('must be an https link');
    withScheme = `https://${text}`;
  }
  const authority = /^[a-z]+:\/\/([^/?#]*)/i.exec(withScheme)?.[1] ?? '';
  if (authority.includes('@')) refuse('must not contain a user name or password');
  if (/:\d*$/.test(authority)) refuse('must not contain a port');
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return refuse('must be a YouTube or TikTok video link');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') refuse('must be an https link');
  if (url.username || url.password) refuse('must not contain a user name or password');
  if (url.port) refuse('must not contain a port');
  return url;
}

/** Start second from the query or the fragment (`#t=1m30s`); refuses an unreadable one. */
function startSecondsOf(url: URL): number {
  const fragment = new URLSearchParams(url.hash.replace(/^#/, ''));
  const raw =
    url.searchParams.get('t') ??
    url.searchParams.get('start') ??
    url.searchParams.get('time_continue') ??
    fragment.get('t') ??
    fragment.get('start');
  const startS = parseStartSeconds(raw);
  if (!Number.isFinite(startS) || startS < 0 || startS > MAX_START_S)
    refuse('has a start time YouTube cannot read (use e.g. t=90, t=1m30s or t=1h2m3s)');
  return startS;
}

function youtube(url: URL): MediaShare {
  const host = url.hostname;
  const segments = url.pathname.split('/').filter(Boolean);
  const [first, second] = segments;
  let videoId: string | undefined;
  if (host === YOUTU_BE) {
    if (segments.length === 1) videoId = first;
  } else if (first === 'watch' && segments.length === 1) {
    videoId = url.searchParams.get('v') ?? undefined;
    if (!videoId && url.searchParams.has('list')) refuse('is a playlist; link one video of it');
  } else if (first === 'embed' && (second === 'videoseries' || url.searchParams.has('listType'))) {
    refuse('is a playlist; link one video of it');
  } else if (first === 'embed' && second === 'live_stream') {
    refuse("is a channel's live stream; link the video itself");
  } else if (['shorts', 'embed', 'live', 'v', 'e'].includes(first ?? '') && segments.length === 2) {
    videoId = second;
  } else if (first === 'playlist') {
    refuse('is a playlist; link one video of it');
  } else if (
    first?.startsWith('@') ||
    ['channel', 'c', 'user'].includes(first ?? '') ||
    (segments.length === 1 && !['watch', 'results', 'feed', 'clip'].includes(first!))
  ) {
    refuse('is a channel; link one video');
  } else if (first === 'clip') {
    refuse('is a clip; link the video (with its start time)');
  }
  if (!videoId || !YOUTUBE_ID.test(videoId)) refuse('must link to one YouTube video');
  const startS = startSecondsOf(url);
  const canonical = `https://www.youtube.com/watch?v=${videoId}${startS ? `&t=${startS}s` : ''}`;
  return { platform: 'youtube', videoId, startS, url: canonical };
}

function tiktok(url: URL): MediaShare {
  const segments = url.pathname.split('/').filter(Boolean);
  const [first, second, third] = segments;
  let videoId: string | undefined;
  let user: string | undefined;
  if (first?.startsWith('@') && segments.length >= 2) {
    if (second === 'photo') refuse('is a TikTok photo post; only videos can play');
    if (second === 'live') refuse('is a TikTok live; link one video');
    if (second === 'video' && segments.length === 3) {
      videoId = third;
      user = first;
    }
  } else if (first === 'embed' && second === 'v2' && segments.length === 3) videoId = third;
  else if (first === 'embed' && segments.length === 2) videoId = second;
  else if (first === 'player' && second === 'v1' && segments.length === 3) videoId = third;
  else if (first === 'share' && second === 'video' && segments.length === 3) videoId = third;
  else if (first === 'v' && segments.length === 2) videoId = second?.replace(/\.html$/, '');
  else if (first === 't' && segments.length === 2)
    refuse('is a short TikTok link; it must be resolved first');
  else if (first?.startsWith('@') && segments.length === 1) refuse('is a TikTok profile; link one video');
  if (!videoId || !TIKTOK_ID.test(videoId)) refuse('must link to one TikTok video');
  const username = user && /^@[A-Za-z0-9._]{1,30}$/.test(user) ? user : undefined;
  return {
    platform: 'tiktok',
    videoId,
    startS: 0,
    url: username
      ? `https://www.tiktok.com/${username}/video/${videoId}`
      : `https://www.tiktok.com/embed/v2/${videoId}`,
  };
}

/** True for a short TikTok link (vm./vt.tiktok.com/…, tiktok.com/t/…) that only a redirect resolves. */
function isTikTokShortLink(url: URL): boolean {
  if (TIKTOK_SHORT_HOSTS.has(url.hostname)) return true;
  return TIKTOK_HOSTS.has(url.hostname) && /^\/t\/[A-Za-z0-9_-]+\/?$/.test(url.pathname);
}

/**
 * Parses a media-share URL (synchronous: no network). Short TikTok links are refused here
 * with a message saying so; {@link resolveMediaShareUrl} resolves them.
 * @throws {ValidationError} naming the `mediaUrl` field when the link is not one supported video.
 */
export function parseMediaShareUrl(input: string): MediaShare {
  const url = toUrl(input);
  const host = url.hostname;
  if (YOUTUBE_HOSTS.has(host) || host === YOUTU_BE) return youtube(url);
  if (isTikTokShortLink(url)) return refuse('is a short TikTok link; it must be resolved first');
  if (TIKTOK_HOSTS.has(host)) return tiktok(url);
  return refuse('must be a YouTube or TikTok video link');
}

/** Options of {@link resolveMediaShareUrl}. */
export interface ResolveMediaShareOptions {
  /** fetch to follow short links with (default: the global fetch). */
  fetch?: typeof fetch;
  /** Time allowed for the whole resolution, in ms (default 3000). */
  timeoutMs?: number;
  /** Redirects followed at most (default 5). */
  maxRedirects?: number;
}

/**
 * Parses a media-share URL like {@link parseMediaShareUrl}, and resolves short TikTok links
 * (vm.tiktok.com, vt.tiktok.com, tiktok.com/t/…) by following their redirects — only ever to
 * TikTok's own hosts, over https, without sending a body or cookies — until a video URL.
 * @throws {ValidationError} naming `mediaUrl` when the link is not one video or a short link
 *   does not resolve to one within the timeout.
 */
export async function resolveMediaShareUrl(
  input: string,
  options: ResolveMediaShareOptions = {},
): Promise<MediaShare> {
  const url = toUrl(input);
  if (!isTikTokShortLink(url)) return parseMediaShareUrl(input);
  const doFetch = options.fetch ?? fetch;
  const signal = AbortSignal.timeout(options.timeoutMs ?? 3000);
  const unresolved = (): never =>
    refuse('is a short TikTok link that did not lead to a video; open it and paste the full video link');
  let current = new URL(url.href);
  current.protocol = 'https:';
  for (let hop = 0; hop <= (options.maxRedirects ?? 5); hop++) {
    let res: Response;
    try {
      res = await doFetch(current.href, {
        method: 'GET',
        redirect: 'manual',
        signal,
        headers: { accept: 'text/html' },
      });
    } catch {
      return unresolved();
    }
    await res.body?.cancel().catch(() => undefined);
    const location = res.headers.get('location');
    if (res.status < 300 || res.status > 399 || !location) return unresolved();
    let next: URL;
    try {
      next = new URL(location, current);
    } catch {
      return unresolved();
    }
    if (next.protocol !== 'https:' && next.protocol !== 'http:') return unresolved();
    if (next.username || next.password || next.port) return unresolved();
    if (isTikTokShortLink(next)) {
      next.protocol = 'https:';
      current = next;
      continue;
    }
    if (!TIKTOK_HOSTS.has(next.hostname)) return unresolved();
    try {
      return tiktok(next);
    } catch (err) {
      // A photo post or a profile says what it is; anything else did not resolve.
      if (err instanceof ValidationError && /photo|profile|live/.test(err.message)) throw err;
      return unresolved();
    }
  }
  return unresolved();
}

/**
 * Reads a media share off the wire (proto `MediaShare`): null when there is none (no video id), proto defaults
 * (empty strings, zeros) dropped so the domain object has only what was given.
 */
export function mediaShareFromWire(m: MediaShare__Input | null | undefined): MediaShare | null {
  if (!m?.videoId) return null;
  const share: MediaShare = {
    platform: m.platform === 'tiktok' ? 'tiktok' : 'youtube',
    videoId: m.videoId,
    startS: m.startS ?? 0,
    url: m.url ?? '',
  };
  if (m.seconds) share.seconds = m.seconds;
  if (m.review) share.review = true;
  if (m.title) share.title = m.title;
  if (m.channel) share.channel = m.channel;
  if (m.channelId) share.channelId = m.channelId;
  if (m.thumbnailUrl) share.thumbnailUrl = m.thumbnailUrl;
  if (m.durationS) share.durationS = m.durationS;
  return share;
}

/** Writes a media share in its wire form (proto `MediaShare`: every field, defaults for the absent). */
export function mediaShareToWire(m: MediaShare | null | undefined): WireMediaShare | null {
  if (!m) return null;
  return {
    platform: m.platform,
    videoId: m.videoId,
    startS: m.startS,
    url: m.url,
    seconds: m.seconds ?? 0,
    review: m.review ?? false,
    title: m.title ?? '',
    channel: m.channel ?? '',
    channelId: m.channelId ?? '',
    thumbnailUrl: m.thumbnailUrl ?? '',
    durationS: m.durationS ?? 0,
  };
}
