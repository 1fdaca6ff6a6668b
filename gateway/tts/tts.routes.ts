/**
 * Text-to-speech for alerts, made on the server (gateway/tts/tts-engine.ts):
 * - `GET /api/v1/overlay/tts/:donationId` (X-Overlay-Token): the donation's "name: message" as
 *   audio, for a paid donation of the token's streamer at or above the streamer's TTS threshold.
 *   The message is the one stored at creation, which the word filter already masked, so only
 *   what the filter let through is spoken. Audio is cached per donation and voice in Redis.
 * - `POST /api/v1/me/tts/preview` {text} (streamer): how a text sounds with the streamer's voice,
 *   after the same word filter, for the dashboard's "listen" button.
 * Text is capped at TTS_MAX_CHARS characters.
 */
import { createHash } from 'node:crypto';
import Router from '@koa/router';
import { z } from 'zod';
import type { Context } from 'koa';
import type { GatewayDeps } from '../gateway.deps.js';
import type { GatewayState } from '../http/http.js';
import { readJson, validate } from '../http/http.js';
import { currentUser, requireUser } from '../http/auth.js';
import { rateLimit } from '../http/rate-limit.js';
import { overlayStreamer } from '../http/overlay-auth.js';
import { NotFoundError } from '../../shared/errors.js';
import { sanitizeDisplayText } from '../../shared/display-text.js';
import { checkText } from '../../shared/word-filter.js';
import { messageText } from '../../shared/text.js';
import type { StreamerRow } from '../accounts/gateway.db.js';
import type { TtsAudio, TtsEngine, TtsVoice } from './tts-engine.js';

/** The streamer's voice settings (`settings.tts`), as PATCH /me/settings takes them. */
export const ttsVoiceSchema = z.strictObject({
  language: z.enum(['id', 'en'], 'must be "id" or "en"').optional(),
  rate: z.number().int().min(80, 'must be at least 80').max(450, 'must be at most 450').optional(),
  gender: z.enum(['m', 'f'], 'must be "m" or "f"').optional(),
});

/** Body of POST /me/tts/preview. */
export const ttsPreviewSchema = z.object({
  text: messageText(500).refine((v) => v.length > 0, 'is required'),
});

/** The voice of a streamer: their TTS settings, else their language at a normal pace. */
export function streamerVoice(s: StreamerRow): TtsVoice {
  const tts = s.settings.tts ?? {};
  return {
    language: tts.language ?? s.settings.language ?? 'id',
    rate: tts.rate ?? 175,
    gender: tts.gender ?? 'f',
  };
}

/**
 * What is spoken: markup and invisible characters removed, links left out (a URL read aloud is
 * noise, and a donor cannot make the stream say one), cut at `maxChars` on a word boundary.
 */
export function speechText(text: string, maxChars: number): string {
  const clean = sanitizeDisplayText(text)
    // Links as typed, and as stored defanged ("hxxps://…", "judi[.]online").
    .replace(/\b(?:h[tx]{2}ps?:\/\/|www\.)\S+/gi, ' ')
    .replace(/\S*\[\.\]\S*/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (clean.length <= maxChars) return clean;
  const cut = clean.slice(0, maxChars);
  const space = cut.lastIndexOf(' ');
  return space > maxChars * 0.6 ? cut.slice(0, space) : cut;
}

const CACHE_TTL_S = 600;

export function ttsRouter(deps: GatewayDeps, engine: TtsEngine): Router {
  const { config, redis } = deps;
  const router = new Router({ prefix: '/api/v1' });
  // The overlay asks once per alert; a preview once per click.
  const perToken = rateLimit(redis, config.REDIS_PREFIX, {
    name: 'tts-overlay',
    points: 120,
    durationS: 60,
    message: 'Too many text-to-speech requests: wait a minute',
  });
  const perStreamer = rateLimit(redis, config.REDIS_PREFIX, {
    name: 'tts-preview',
    points: 20,
    durationS: 60,
    message: 'Too many previews: wait a minute',
  });

  /** Synthesizes once per (key, voice, text) for {@link CACHE_TTL_S}. */
  const cached = async (key: string, text: string, voice: TtsVoice): Promise<TtsAudio> => {
    const digest = createHash('sha256')
      .update(JSON.stringify([engine.name, voice, text]))
      .digest('base64url')
      .slice(0, 22);
    const redisKey = `${config.REDIS_PREFIX}tts:${key}:${digest}`;
    const hit = await redis.getBuffer(redisKey);
    if (hit && hit.length > 1) {
      const mime = hit[0] === 0 ? 'audio/wav' : 'audio/mpeg';
      return { mime, bytes: hit.subarray(1) };
    }
    const audio = await engine.synthesize(text, voice);
    const tag = Buffer.from([audio.mime === 'audio/wav' ? 0 : 1]);
    await redis.set(redisKey, Buffer.concat([tag, audio.bytes]), 'EX', CACHE_TTL_S);
    return audio;
  };

  const send = (ctx: Context, audio: TtsAudio) => {
    ctx.type = audio.mime;
    ctx.set('Cache-Control', 'private, max-age=600');
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.body = audio.bytes;
  };

  router.get('/overlay/tts/:donationId', async (ctx) => {
    const streamer = await overlayStreamer(deps, ctx);
    await perToken.consume(streamer.userId);
    const donationId = ctx.params.donationId!;
    if (!z.uuid().safeParse(donationId).success) throw new NotFoundError('No such donation');
    const donation = await deps.api.donation.getDonation(
      { donationId },
      { requestId: (ctx.state as GatewayState).requestId, overlayToken: ctx.get('x-overlay-token') },
    );
    // Another streamer's donation is "not found" too: ids are not secrets, alerts are.
    if (donation.streamerId !== streamer.userId || donation.status !== 'paid')
      throw new NotFoundError('No such donation');
    const min = streamer.settings.ttsMinMinor;
    const amount = donation.amount;
    if (
      !min ||
      !donation.message ||
      amount?.currency !== streamer.currency ||
      Number(amount.amountMinor) < min
    )
      throw new NotFoundError('This alert is not read aloud (text-to-speech threshold)');
    const name = donation.anonymous ? '' : donation.donorName;
    const text = speechText(name ? `${name}: ${donation.message}` : donation.message, config.TTS_MAX_CHARS);
    send(ctx, await cached(donationId, text, streamerVoice(streamer)));
  });

  router.post('/me/tts/preview', requireUser(config, 'streamer'), async (ctx) => {
    const body = validate(ttsPreviewSchema, await readJson(ctx));
    const streamer = await deps.accounts.streamerById(currentUser(ctx).id);
    await perStreamer.consume(streamer.userId);
    const filtered = checkText(body.text, streamer.settings.wordFilter).masked;
    const text = speechText(filtered, config.TTS_MAX_CHARS);
    send(ctx, await cached(`preview:${streamer.userId}`, text, streamerVoice(streamer)));
  });

  return router;
}
