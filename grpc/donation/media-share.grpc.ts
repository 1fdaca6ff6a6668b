/**
 * DonationService's media-share methods (issue 13). Reads answer from donation_db; the
 * streamer's commands are checked (the clip exists, is the streamer's and can take the step) and
 * queued for the donation worker pool, which applies them with conditional UPDATEs and publishes
 * the events; the player's claim and finish run here directly, because its control loop needs
 * the answer (each is one conditional UPDATE).
 */
import { uuidv7 } from 'uuidv7';
import { z } from 'zod';
import type { DonationServiceHandlers } from '../../proto/generated/mediashar/v1/DonationService.js';
import type { MediaShareClip } from '../../proto/generated/mediashar/v1/MediaShareClip.js';
import { requestIdOf, unary } from '../../shared/grpc.js';
import { ValidationError } from '../../shared/errors.js';
import type { CallerVerifier } from '../../shared/caller-identity.js';
import type { Logger } from '../../shared/logger.js';
import {
  CLIP_STATES,
  MEDIA_SHARE_ACTIONS,
  QUEUES,
  type ClipState,
  type MediaShareAction,
  type TypedQueue,
} from '../../shared/queues.js';
import type { ClipView, MediaShareStore } from './media-share.store.js';

/** The DonationService methods served here. */
export type MediaShareMethod =
  | 'ListMediaShareQueue'
  | 'GetMediaShareStatus'
  | 'SendMediaShareCommand'
  | 'ClaimMediaShareClip'
  | 'FinishMediaShareClip';

/** What the media-share handlers need, built by the entry file. */
export interface MediaShareServiceDeps {
  store: MediaShareStore;
  /** The `media-share-commands` queue the donation worker pool drains. */
  commands: TypedQueue<'media-share-commands'>;
  callers: CallerVerifier;
  log: Logger;
}

const uuid = z.uuid();

function requireUuid(value: string | undefined, field: string): string {
  if (!uuid.safeParse(value).success)
    throw new ValidationError(`${field} must be a UUID`, { fields: { [field]: 'must be a UUID' } });
  return value!;
}

/** Proto view of a clip. */
export function toProtoClip(c: ClipView): MediaShareClip {
  return {
    donationId: c.donationId,
    state: c.state,
    position: c.position,
    platform: c.platform,
    videoId: c.videoId,
    url: c.url,
    startS: c.startS,
    seconds: c.seconds,
    title: c.title,
    channel: c.channel,
    thumbnailUrl: c.thumbnailUrl,
    donorName: c.donorName,
    amount: { amountMinor: c.amountMinor, currency: c.currency },
    message: c.message,
    test: c.test,
    rejectRefund: c.rejectRefund,
    createdAt: c.createdAt,
    startedAt: c.startedAt,
    remainingS: c.remainingS,
  };
}

/** The state a clip command moves a clip to (for the check before queueing). */
const TARGET: Partial<Record<MediaShareAction, ClipState>> = { approve: 'queued', reject: 'rejected' };

/** Builds the media-share handlers of DonationService. */
export function mediaShareHandlers(
  deps: MediaShareServiceDeps,
): Pick<DonationServiceHandlers, MediaShareMethod> {
  const { log, store } = deps;
  return {
    ListMediaShareQueue: unary(log, 'ListMediaShareQueue', async (request, call) => {
      const streamerId = requireUuid(request.streamerId, 'streamerId');
      await deps.callers.requireStreamer(call, streamerId, { admin: true, operator: true });
      const states = (request.states ?? []).map((s) => {
        if (!(CLIP_STATES as readonly string[]).includes(s))
          throw new ValidationError(`states must be among ${CLIP_STATES.join(', ')}`, {
            fields: { states: `must be among ${CLIP_STATES.join(', ')}` },
          });
        return s as ClipState;
      });
      const [clips, player] = await Promise.all([store.list(streamerId, states), store.player(streamerId)]);
      return { clips: clips.map(toProtoClip), paused: player.paused, volume: player.volume };
    }),

    // The donation id is the donor's capability here, as for GetDonation (the status page).
    GetMediaShareStatus: unary(log, 'GetMediaShareStatus', async (request) => {
      const clip = await store.status(requireUuid(request.donationId, 'donationId'));
      return { found: Boolean(clip), clip: clip ? toProtoClip(clip) : null };
    }),

    SendMediaShareCommand: unary(log, 'SendMediaShareCommand', async (request, call) => {
      const streamerId = requireUuid(request.streamerId, 'streamerId');
      await deps.callers.requireStreamer(call, streamerId);
      const action = MEDIA_SHARE_ACTIONS.find((a) => a === request.action);
      if (!action)
        throw new ValidationError(`action must be one of ${MEDIA_SHARE_ACTIONS.join(', ')}`, {
          fields: { action: `must be one of ${MEDIA_SHARE_ACTIONS.join(', ')}` },
        });
      let donationId = '';
      let before = '';
      if (action === 'approve' || action === 'reject' || action === 'move') {
        donationId = requireUuid(request.donationId, 'id');
        const target = TARGET[action];
        if (target) await store.assertCanMove(streamerId, donationId, target);
        else await store.assertWaiting(streamerId, donationId, 'id');
      }
      if (action === 'move' && request.before) {
        before = requireUuid(request.before, 'before');
        if (before === donationId)
          throw new ValidationError('before must be another clip', {
            fields: { before: 'is the clip itself' },
          });
        await store.assertWaiting(streamerId, before, 'before');
      }
      if (action === 'skip' && request.donationId) donationId = requireUuid(request.donationId, 'id');
      const volume = request.volume ?? 0;
      if (action === 'volume' && (!Number.isInteger(volume) || volume < 0 || volume > 100))
        throw new ValidationError('volume must be a whole number from 0 to 100', {
          fields: { volume: 'must be a whole number from 0 to 100' },
        });
      // A repeated approve or reject of one clip collapses into one job while it waits.
      const jobId = TARGET[action] ? `${action}_${donationId}` : `${action}_${uuidv7()}`;
      await deps.commands.add(
        QUEUES.mediaShareCommands.jobs.command,
        {
          action,
          streamerId,
          donationId,
          before,
          refund: Boolean(request.refund),
          volume,
          requestId: requestIdOf(call),
        },
        { jobId },
      );
      log.info(
        { streamerId, action, donationId, jobId, requestId: requestIdOf(call) },
        'media-share command queued',
      );
      return { action, jobId };
    }),

    ClaimMediaShareClip: unary(log, 'ClaimMediaShareClip', async (request, call) => {
      const streamerId = requireUuid(request.streamerId, 'streamerId');
      // The player widget calls with the streamer's overlay token.
      await deps.callers.requireStreamer(call, streamerId, { overlay: true });
      const result = await store.claimNext(streamerId, requestIdOf(call));
      return {
        claimed: result.claimed ? toProtoClip(result.claimed) : null,
        playing: result.playing ? toProtoClip(result.playing) : null,
        paused: result.player.paused,
        volume: result.player.volume,
      };
    }),

    FinishMediaShareClip: unary(log, 'FinishMediaShareClip', async (request, call) => {
      const streamerId = requireUuid(request.streamerId, 'streamerId');
      await deps.callers.requireStreamer(call, streamerId, { overlay: true });
      const donationId = requireUuid(request.donationId, 'id');
      const outcome = request.outcome || 'played';
      if (outcome !== 'played' && outcome !== 'skipped')
        throw new ValidationError('outcome must be played or skipped', {
          fields: { outcome: 'must be played or skipped' },
        });
      return store.finish(streamerId, donationId, outcome, requestIdOf(call));
    }),
  };
}
