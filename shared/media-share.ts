/**
 * Media-share links a donor may paste: YouTube (watch, youtu.be, shorts, embed, live) and
 * TikTok videos. Anything else, including look-alike hosts and non-http(s) schemes, is refused.
 */
import { ValidationError } from './errors.js';
import type { MediaShare } from './queues.js';

const YOUTUBE_HOSTS = new Set(['youtube.com', 'www.youtube.com', 'm.youtube.com', 'music.youtube.com']);
const TIKTOK_HOSTS = new Set(['tiktok.com', 'www.tiktok.com', 'm.tiktok.com']);
const YOUTUBE_ID = /^[A-Za-z0-9_-]{11}$/;

/** Seconds from a YouTube `t`/`start` value: "90", "90s", "1m30s", "1h2m3s". NaN when unreadable. */
export function parseStartSeconds(value: string | null): number {
  if (!value) return 0;
  if (/^\d+s?$/.test(value)) return parseInt(value, 10);
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(value);
  if (!m || value === '') return Number.NaN;
  return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
}

/**
 * Parses a media-share URL.
 * @throws {ValidationError} naming the `mediaUrl` field when the link is not a supported video.
 */
export function parseMediaShareUrl(input: string): MediaShare {
  const fail = (why: string): never => {
    throw new ValidationError(`mediaUrl ${why}`, { fields: { mediaUrl: why } });
  };
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    return fail('must be a YouTube or TikTok video link');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') fail('must be an https link');
  if (url.username || url.password || (url.port && url.port !== '443'))
    fail('must be a plain YouTube or TikTok link');
  const host = url.hostname.toLowerCase();
  const segments = url.pathname.split('/').filter(Boolean);
  if (YOUTUBE_HOSTS.has(host) || host === 'youtu.be') {
    let videoId: string | null | undefined;
    if (host === 'youtu.be') videoId = segments.length === 1 ? segments[0] : null;
    else if (segments[0] === 'watch' && segments.length === 1) videoId = url.searchParams.get('v');
    else if (['shorts', 'embed', 'live', 'v'].includes(segments[0] ?? '') && segments.length === 2)
      videoId = segments[1];
    if (!videoId || !YOUTUBE_ID.test(videoId)) return fail('must link to one YouTube video');
    const startS = parseStartSeconds(url.searchParams.get('t') ?? url.searchParams.get('start'));
    if (!Number.isFinite(startS) || startS < 0 || startS > 24 * 3600) fail('has an unreadable start time');
    const canonical = `https://www.youtube.com/watch?v=${videoId}${startS ? `&t=${startS}s` : ''}`;
    return { platform: 'youtube', videoId, startS, url: canonical };
  }
  if (TIKTOK_HOSTS.has(host)) {
    if (
      segments.length === 3 &&
      segments[0]!.startsWith('@') &&
      segments[1] === 'video' &&
      /^\d{10,25}$/.test(segments[2]!)
    ) {
      return {
        platform: 'tiktok',
        videoId: segments[2]!,
        startS: 0,
        url: `https://www.tiktok.com/${segments[0]}/video/${segments[2]}`,
      };
    }
    return fail('must link to one TikTok video');
  }
  return fail('must be a YouTube or TikTok video link');
}

/**
 * Masks filtered words (case-insensitive, whole or part of a word) with asterisks of the same
 * length, so a streamer's word filter never reaches the overlay.
 */
export function maskWords(text: string, words: readonly string[]): string {
  let out = text;
  for (const word of words) {
    const w = word.trim();
    if (!w) continue;
    const re = new RegExp(w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'giu');
    out = out.replace(re, (m) => '*'.repeat([...m].length));
  }
  return out;
}
