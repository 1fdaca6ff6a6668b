/**
 * The media-share queue over REST (issue 13): the streamer's moderation and live controls
 * (`/api/v1/me/media-share/...`, access token), the player widget's claim and finish
 * (`/api/v1/overlay/media-share/...`, overlay token in X-Overlay-Token), the panic button's part
 * (stop the playing clip, pause the queue) and the clip's state on the donor's status page.
 * Everything goes through DonationService's media-share methods; commands are queued there and
 * applied by the donation worker pool (202), the player's calls answer at once.
 *
 * This router is mounted before the alerts and donations routers: on `POST /api/v1/me/panic`
 * and `GET /api/v1/donations/:id` it does its part and hands the request on (`next()`) to the
 * route that owns it.
 */
import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import type * as grpc from '@grpc/grpc-js';
import type { GatewayDeps } from '../gateway.deps.js';
import { readJson, validate, type GatewayState } from '../http/http.js';
import { bearerToken, currentUser, requireUser } from '../http/auth.js';
import { requestLanguage } from '../donations/typed-amount.js';
import { overlayTokenHash } from '../accounts/accounts.store.js';
import { UnauthenticatedError, ValidationError } from '../../shared/errors.js';
import { formatMoney } from '../../shared/money.js';
import { normalizeMediaShareRules } from '../../shared/media-share-quote.js';
import { CLIP_STATES, KEYS, type MediaShareAction } from '../../shared/queues.js';
import {
  callUnary,
  channelCredentials,
  clientOptionsFor,
  mediasharPackage,
  type UnaryMethod,
} from '../../shared/grpc.js';
import { loadGrpcTls } from '../../shared/grpc-tls.js';
import { identityMetadata } from '../../shared/caller-identity.js';
import type { CallOptions } from '../../shared/grpc-api.js';
import type { MediaShareClip } from '../../proto/generated/mediashar/v1/MediaShareClip.js';
import type { MediaShareQueue } from '../../proto/generated/mediashar/v1/MediaShareQueue.js';
import type { MediaShareStatus } from '../../proto/generated/mediashar/v1/MediaShareStatus.js';
import type { MediaShareCommandRequest__Input } from '../../proto/generated/mediashar/v1/MediaShareCommandRequest.js';
import type { MediaShareCommandResponse } from '../../proto/generated/mediashar/v1/MediaShareCommandResponse.js';
import type { ClaimMediaShareClipResponse } from '../../proto/generated/mediashar/v1/ClaimMediaShareClipResponse.js';
import type { FinishMediaShareClipResponse } from '../../proto/generated/mediashar/v1/FinishMediaShareClipResponse.js';

type Lang = 'en' | 'id';
const WORDS = {
  uuid: { en: 'must be a clip id (UUID)', id: 'harus berupa id klip (UUID)' },
  refund: { en: 'must be true or false', id: 'harus true atau false' },
  volume: { en: 'must be a whole number from 0 to 100', id: 'harus bilangan bulat dari 0 sampai 100' },
  outcome: { en: 'must be played or skipped', id: 'harus played atau skipped' },
  states: {
    en: `must be a comma-separated list of ${CLIP_STATES.join(', ')}`,
    id: `harus daftar dipisah koma dari ${CLIP_STATES.join(', ')}`,
  },
} as const;

/** Body of POST /me/media-share/queue/:id/reject. */
export const rejectClipSchema = (lang: Lang = 'en') =>
  z.strictObject({ refund: z.boolean({ error: WORDS.refund[lang] }).optional() });
/** Body of POST /me/media-share/queue/:id/move (no `before`: to the end of the queue). */
export const moveClipSchema = (lang: Lang = 'en') =>
  z.strictObject({ before: z.uuid({ error: WORDS.uuid[lang] }).optional() });
/** Body of PUT /me/media-share/volume. */
export const volumeSchema = (lang: Lang = 'en') =>
  z.strictObject({
    volume: z
      .number({ error: WORDS.volume[lang] })
      .int(WORDS.volume[lang])
      .min(0, WORDS.volume[lang])
      .max(100, WORDS.volume[lang]),
  });
/** Body of POST /overlay/media-share/:id/finished. */
export const finishedSchema = (lang: Lang = 'en') =>
  z.strictObject({ outcome: z.enum(['played', 'skipped'], { error: WORDS.outcome[lang] }).optional() });
/** Query of GET /me/media-share/queue. */
export const queueQuerySchema = (lang: Lang = 'en') =>
  z.object({
    states: z
      .string()
      .optional()
      .refine((v) => !v || v.split(',').every((s) => (CLIP_STATES as readonly string[]).includes(s)), {
        error: WORDS.states[lang],
      }),
  });

/** A clip as the REST API shows it (amount in minor units). */
export function clipBody(c: MediaShareClip) {
  const amount = c.amount?.amountMinor ?? 0;
  const currency = c.amount?.currency ?? '';
  return {
    id: c.donationId,
    state: c.state,
    /** 1-based place among the queued clips; null when not queued. */
    position: c.position || null,
    platform: c.platform,
    videoId: c.videoId,
    url: c.url,
    startSeconds: c.startS,
    seconds: c.seconds,
    title: c.title || null,
    channel: c.channel || null,
    thumbnailUrl: c.thumbnailUrl || null,
    donorName: c.donorName,
    amount,
    currency,
    formattedAmount: currency ? formatMoney(amount, currency) : '',
    message: c.message,
    test: c.test,
    refund: c.rejectRefund,
    createdAt: c.createdAt,
    startedAt: c.startedAt || null,
    remainingSeconds: c.state === 'playing' ? c.remainingS : null,
  };
}

/** The typed media-share calls of DonationService, over a client of this router's own. */
interface MediaShareApi {
  list(r: { streamerId: string; states: string[] }, o: CallOptions): Promise<MediaShareQueue>;
  status(r: { donationId: string }, o: CallOptions): Promise<MediaShareStatus>;
  command(r: MediaShareCommandRequest__Input, o: CallOptions): Promise<MediaShareCommandResponse>;
  claim(r: { streamerId: string }, o: CallOptions): Promise<ClaimMediaShareClipResponse>;
  finish(
    r: { streamerId: string; donationId: string; outcome: string },
    o: CallOptions,
  ): Promise<FinishMediaShareClipResponse>;
}

/**
 * DonationService's media-share methods. GatewayDeps' typed APIs predate them, so the router
 * opens its own client (mutual TLS with the gateway's certificate), on first use.
 */
function mediaShareApi(deps: GatewayDeps): MediaShareApi {
  let client: grpc.Client | undefined;
  const call =
    <Req, Res>(name: string) =>
    (request: Req, options: CallOptions): Promise<Res> => {
      client ??= new (mediasharPackage().DonationService)(
        deps.config.DONATION_SERVICE_ADDR,
        channelCredentials(loadGrpcTls(deps.config, 'gateway')),
        clientOptionsFor('donation-service'),
      );
      const method = (client as unknown as Record<string, UnaryMethod<Req, Res>>)[name]!;
      return callUnary(client, method, request, {
        deadlineMs: options.deadlineMs ?? deps.config.GRPC_DEADLINE_MS,
        requestId: options.requestId,
        metadata: identityMetadata(options),
      });
    };
  return {
    list: call('ListMediaShareQueue'),
    status: call('GetMediaShareStatus'),
    command: call('SendMediaShareCommand'),
    claim: call('ClaimMediaShareClip'),
    finish: call('FinishMediaShareClip'),
  };
}

export function mediaQueueRouter(deps: GatewayDeps): Router {
  const { config } = deps;
  const router = new Router({ prefix: '/api/v1' });
  const media = mediaShareApi(deps);
  const streamerOnly = requireUser(config, 'streamer');
  const opts = (ctx: Context): CallOptions => ({
    requestId: (ctx.state as GatewayState).requestId,
    accessToken: bearerToken(ctx),
  });
  const clipId = (ctx: Context): string => {
    const id = ctx.params.id ?? '';
    if (!z.uuid().safeParse(id).success)
      throw new ValidationError(`id ${WORDS.uuid[requestLanguage(ctx)]}`, {
        fields: { id: WORDS.uuid[requestLanguage(ctx)] },
      });
    return id;
  };
  const command = async (
    ctx: Context,
    action: MediaShareAction,
    fields: Partial<MediaShareCommandRequest__Input> = {},
  ) => {
    const queued = await media.command({ streamerId: currentUser(ctx).id, action, ...fields }, opts(ctx));
    ctx.status = 202;
    return { action, jobId: queued.jobId };
  };

  router.get('/me/media-share/queue', streamerOnly, async (ctx) => {
    const query = validate(queueQuerySchema(requestLanguage(ctx)), ctx.query);
    const queue = await media.list(
      { streamerId: currentUser(ctx).id, states: query.states ? query.states.split(',') : [] },
      opts(ctx),
    );
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { paused: queue.paused, volume: queue.volume, clips: (queue.clips ?? []).map(clipBody) };
  });

  router.post('/me/media-share/queue/:id/approve', streamerOnly, async (ctx) => {
    const id = clipId(ctx);
    ctx.body = { id, ...(await command(ctx, 'approve', { donationId: id })) };
  });

  // The streamer chooses per rejection whether the donor gets the money back: the refund goes
  // through the history's refund path (PaymentService.RefundPayment, the streamer's token), and
  // the donation's refund then moves the clip to `refunded`.
  router.post('/me/media-share/queue/:id/reject', streamerOnly, async (ctx) => {
    const id = clipId(ctx);
    const body = validate(rejectClipSchema(requestLanguage(ctx)), await readJson(ctx));
    // Left out: the streamer's default from the media-share settings (refundOnReject).
    const refund =
      body.refund ??
      normalizeMediaShareRules((await deps.accounts.streamerById(currentUser(ctx).id)).settings.mediaShare)
        .refundOnReject;
    const queued = await command(ctx, 'reject', { donationId: id, refund });
    let refundStatus: 'none' | 'refunding' = 'none';
    if (refund) {
      await deps.api.payment.refundPayment({ donationId: id }, opts(ctx));
      refundStatus = 'refunding';
    }
    ctx.body = { id, ...queued, refund, refundStatus, statusUrl: `/api/v1/donations/${id}` };
  });

  router.post('/me/media-share/queue/:id/move', streamerOnly, async (ctx) => {
    const id = clipId(ctx);
    const body = validate(moveClipSchema(requestLanguage(ctx)), await readJson(ctx));
    ctx.body = { id, ...(await command(ctx, 'move', { donationId: id, before: body.before ?? '' })) };
  });

  for (const action of ['skip', 'pause', 'resume', 'clear'] as const)
    router.post(`/me/media-share/${action}`, streamerOnly, async (ctx) => {
      ctx.body = await command(ctx, action);
    });

  router.put('/me/media-share/volume', streamerOnly, async (ctx) => {
    const body = validate(volumeSchema(requestLanguage(ctx)), await readJson(ctx));
    ctx.body = { volume: body.volume, ...(await command(ctx, 'volume', { volume: body.volume })) };
  });

  // The panic button also stops the playing clip and pauses the media-share queue; then the
  // alerts router's own panic (the overlays' control) answers.
  router.post('/me/panic', streamerOnly, async (ctx, next) => {
    await media.command({ streamerId: currentUser(ctx).id, action: 'panic' }, opts(ctx));
    await next();
  });

  /** The streamer of the overlay token in X-Overlay-Token, with the token (as the widgets do). */
  const player = async (ctx: Context) => {
    const token = ctx.get('x-overlay-token');
    const streamerId = token
      ? await deps.redis.get(KEYS.overlayToken(config.REDIS_PREFIX, overlayTokenHash(token)))
      : null;
    if (!streamerId) throw new UnauthenticatedError('Overlay token is invalid or was rotated');
    return {
      streamerId,
      options: { requestId: (ctx.state as GatewayState).requestId, overlayToken: token },
    };
  };

  // The player takes the next clip (queued → playing, at most once per clip). `clip` is what to
  // play now; `playing` is the clip already playing when none was claimed (resume it for
  // `remainingSeconds`); both null: nothing to play (or the queue is paused).
  router.post('/overlay/media-share/claim', async (ctx) => {
    const { streamerId, options } = await player(ctx);
    const result = await media.claim({ streamerId }, options);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = {
      clip: result.claimed ? clipBody(result.claimed) : null,
      playing: result.playing ? clipBody(result.playing) : null,
      paused: result.paused,
      volume: result.volume,
    };
  });

  router.post('/overlay/media-share/:id/finished', async (ctx) => {
    const id = clipId(ctx);
    const body = validate(finishedSchema(requestLanguage(ctx)), await readJson(ctx));
    const { streamerId, options } = await player(ctx);
    const result = await media.finish(
      { streamerId, donationId: id, outcome: body.outcome ?? 'played' },
      options,
    );
    ctx.body = { id, moved: result.moved, state: result.state };
  });

  // The donor's status page: the donation's answer gains `mediaShare`, the clip's state (null
  // without a clip). Asked alongside the donations router's own reads.
  router.get('/donations/:id', async (ctx, next) => {
    const id = ctx.params.id ?? '';
    if (!z.uuid().safeParse(id).success) return next();
    const status = media.status({ donationId: id }, opts(ctx)).catch((err: unknown) => {
      (ctx.state as GatewayState).log.warn({ err, donationId: id }, 'media-share status unavailable');
      return null;
    });
    await next();
    const clip = await status;
    if (ctx.status !== 200 || !ctx.body || typeof ctx.body !== 'object') return;
    ctx.body = { ...(ctx.body as Record<string, unknown>), mediaShare: clip ? clipStatusBody(clip) : null };
  });

  return router;
}

/**
 * What the donor's status page shows of a clip: in review, queued (position N), playing,
 * played, skipped, rejected, or refunded (after a rejection with refund, `rejected` is true).
 */
function clipStatusBody(status: MediaShareStatus) {
  const c = status.found ? status.clip : null;
  if (!c) return null;
  return {
    state: c.state,
    position: c.position || null,
    rejected: c.state === 'rejected' || (c.state === 'refunded' && c.rejectRefund),
    refunded: c.state === 'refunded',
    title: c.title || null,
    seconds: c.seconds,
  };
}
