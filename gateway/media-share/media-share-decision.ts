/**
 * The one media-share decision of the gateway, shared by the donor's quote
 * (POST /streamers/:username/media-share/quote) and donation creation
 * (POST /streamers/:username/donations): read the link, look the video up (bounded by
 * MEDIA_METADATA_TIMEOUT_MS; a failed lookup judges the clip without title and channel), read the
 * donor's cooldown, and quote with {@link quoteMediaShare}. What the donor was quoted is what the
 * donation gets, or the same refusal in the same words.
 */
import { ValidationError } from '../../shared/errors.js';
import type { MediaMetadata } from '../../shared/media-metadata.js';
import { resolveMediaShareUrl } from '../../shared/media-share.js';
import {
  normalizeMediaShareRules,
  quoteMediaShare,
  type MediaShareQuote,
  type MediaShareRules,
} from '../../shared/media-share-quote.js';
import type { Money } from '../../shared/money.js';
import type { MediaShare } from '../../shared/queues.js';
import type { StreamerRow } from '../accounts/gateway.db.js';
import type { GatewayDeps } from '../gateway.deps.js';
import { cooldownToken, MediaShareCooldown, type MediaShareDonor } from './media-share-cooldown.js';

/** What is decided about one link. */
export interface MediaShareDecision {
  quote: MediaShareQuote;
  /** The clip's metadata when the lookup answered ({} otherwise, or when never asked). */
  metadata: MediaMetadata;
  /**
   * The clip as the donation keeps it: the parsed link, the seconds bought, the metadata that is
   * known (absent fields are unknown) and `review: true` when the streamer holds clips for
   * approval. Only meaningful when the quote allows the clip.
   */
  media: MediaShare;
  rules: MediaShareRules;
}

/** What a decision needs besides the gateway's dependencies. */
export interface MediaShareDecisionInput {
  streamer: StreamerRow;
  /** The link as the donor pasted it. */
  mediaUrl: string;
  amount: Money;
  language: 'en' | 'id';
  donor: MediaShareDonor;
  /** fetch used to follow short TikTok links (default: the global fetch). */
  fetch?: typeof fetch;
  /**
   * true for donation creation: the cooldown is not read here but claimed atomically by
   * {@link claimMediaShareCooldown} (which lets a retry with the same Idempotency-Key through).
   * The cooldown is the quote's last check, so the decision is the same either way.
   */
  claimsCooldown?: boolean;
}

/** The clip as a donation keeps it (see {@link MediaShareDecision.media}). */
function donationMedia(
  media: MediaShare,
  quote: MediaShareQuote,
  metadata: MediaMetadata,
  rules: MediaShareRules,
): MediaShare {
  const out: MediaShare = { ...media, seconds: quote.seconds };
  if (rules.holdForApproval) out.review = true;
  if (metadata.title) out.title = metadata.title;
  if (metadata.channel) out.channel = metadata.channel;
  if (metadata.channelId) out.channelId = metadata.channelId;
  if (metadata.thumbnailUrl) out.thumbnailUrl = metadata.thumbnailUrl;
  if (metadata.durationS !== undefined) out.durationS = metadata.durationS;
  return out;
}

/**
 * Decides about a media-share link: parses it (short TikTok links followed), looks the video up
 * when media share is on and the platform allowed (no outgoing request for a clip refused
 * anyway), reads the donor's cooldown when the streamer has one, and quotes.
 * @throws {ValidationError} naming `mediaUrl` when the link is not one supported video.
 */
export async function decideMediaShare(
  deps: Pick<GatewayDeps, 'mediaMetadata' | 'redis' | 'config'>,
  input: MediaShareDecisionInput,
): Promise<MediaShareDecision> {
  const media = await resolveMediaShareUrl(input.mediaUrl, { fetch: input.fetch });
  const rules = normalizeMediaShareRules(input.streamer.settings.mediaShare);
  const relevant = rules.enabled && rules.platforms.includes(media.platform);
  const [metadata, cooldownLeftS] = await Promise.all([
    relevant ? deps.mediaMetadata.lookup(media) : Promise.resolve({}),
    relevant && rules.cooldownS > 0 && !input.claimsCooldown
      ? new MediaShareCooldown(deps.redis, deps.config.REDIS_PREFIX).remainingS(
          input.streamer.userId,
          input.donor,
        )
      : Promise.resolve(0),
  ]);
  const quote = quoteMediaShare(media, input.amount, rules, input.streamer.currency, input.language, {
    metadata,
    cooldownLeftS,
  });
  return { quote, metadata, media: donationMedia(media, quote, metadata, rules), rules };
}

/** The 400 of a refused clip: the quote's reason, on the `mediaUrl` field. */
export function mediaShareRefusalError(quote: MediaShareQuote): ValidationError {
  const reason = quote.reason ?? 'media share refused';
  return new ValidationError(reason, { fields: { mediaUrl: reason } });
}

/**
 * Starts the donor's cooldown for an allowed clip that is about to become a donation (no-op when
 * the streamer has none; the decision was made with `claimsCooldown`), atomically: when another donation of this donor took it meanwhile, the
 * refusal is the quote's own, with the wait left.
 * @returns `release`, to call when the donation is not accepted after all.
 * @throws {ValidationError} naming `mediaUrl` when the donor is in a cooldown.
 */
export async function claimMediaShareCooldown(
  deps: Pick<GatewayDeps, 'redis' | 'config'>,
  input: MediaShareDecisionInput,
  decision: MediaShareDecision,
  idempotencyKey: string,
): Promise<{ release: () => Promise<void> }> {
  const none = { release: () => Promise.resolve() };
  if (decision.rules.cooldownS <= 0) return none;
  const cooldown = new MediaShareCooldown(deps.redis, deps.config.REDIS_PREFIX);
  const token = cooldownToken(idempotencyKey);
  const streamerId = input.streamer.userId;
  const left = await cooldown.claim(streamerId, input.donor, decision.rules.cooldownS, token);
  if (left > 0) {
    const { platform, videoId, startS, url } = decision.media;
    throw mediaShareRefusalError(
      quoteMediaShare(
        { platform, videoId, startS, url },
        input.amount,
        decision.rules,
        input.streamer.currency,
        input.language,
        { metadata: decision.metadata, cooldownLeftS: left },
      ),
    );
  }
  return { release: () => cooldown.release(streamerId, input.donor, token) };
}
