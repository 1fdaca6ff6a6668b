/**
 * The registry of every BullMQ queue and Redis stream, with the type of every job payload and
 * event. Nothing else spells a queue or stream name. Jobs carry ids and plain values, never ORM
 * entities.
 */
import { Queue, UnrecoverableError, type JobsOptions, type ConnectionOptions } from 'bullmq';
import type { ProviderName } from './config.js';

/**
 * Payment states; forward-only (see payment-state.ts). `amount_mismatch`: the provider settled
 * another amount or currency than the payment's (terminal, for an operator; never an alert).
 */
export type PaymentStatus = 'pending' | 'paid' | 'failed' | 'expired' | 'refunded' | 'amount_mismatch';
/** Donation states mirror the payment's (a payment's amount_mismatch fails its donation). */
export type DonationStatus = Exclude<PaymentStatus, 'amount_mismatch'>;

/** Optional media share attached to a donation. */
export interface MediaShare {
  platform: 'youtube' | 'tiktok';
  videoId: string;
  /** Playback start, in seconds. */
  startS: number;
  url: string;
  /** Seconds of play the donation bought (the quote's `seconds`); absent in older rows: 30. */
  seconds?: number;
  /** true: the clip waits for the streamer's approval before it reaches the player. */
  review?: boolean;
  /** oEmbed metadata when the lookup answered in time; absent otherwise. */
  title?: string;
  channel?: string;
  /** The channel's stable id or handle (YouTube channel URL path, TikTok @user). */
  channelId?: string;
  thumbnailUrl?: string;
  /** Length of the whole video in seconds, when known (YouTube Data API). */
  durationS?: number;
}

/**
 * The donor name of an anonymous donation, everywhere: the real name is dropped at the gateway
 * and again by DonationService, so it is never stored, queued or streamed.
 */
export const ANONYMOUS_DONOR_NAME = 'Anonymous';

/** `donation.create`: write a new pending donation row. jobId = donationId. */
export interface DonationCreateJob {
  donationId: string;
  streamerId: string;
  donorName: string;
  donorUserId: string | null;
  anonymous: boolean;
  amountMinor: number;
  currency: string;
  message: string;
  provider: ProviderName;
  idempotencyKey: string | null;
  /** SHA-256 hex of the request body: the same idempotency key with another body is a conflict. */
  requestHash?: string;
  mediaShare: MediaShare | null;
  /** ISO 8601 creation time assigned by DonationService. */
  createdAt: string;
  requestId: string;
  /**
   * Word filter in hold mode: the donor's flagged message, kept for the streamer's review
   * (`message` is then empty). Absent or empty when nothing is held.
   */
  heldMessage?: string;
  /**
   * Present: DonationService queues the donation's checkout itself once this row is written
   * (in the same group commit), with the amount and streamer of the row. Never stored.
   */
  checkout?: { description: string };
}

/** `donation.markPaid|markFailed|markExpired|markRefunded`: move a donation along. */
export interface DonationStatusJob {
  donationId: string;
  paymentId: string;
  status: Exclude<DonationStatus, 'pending'>;
  requestId: string;
}

/** `checkout.create`: ask the provider for a checkout. jobId = checkoutJobId(donationId). */
export interface CheckoutCreateJob {
  paymentId: string;
  donationId: string;
  provider: ProviderName;
  amountMinor: number;
  currency: string;
  donorName: string;
  description: string;
  requestId: string;
  /**
   * Set only by DonationService, which queued this job right after writing the donation row:
   * amount, currency and streamer are the row's, so the worker trusts them without asking
   * DonationService. Absent (a job from PaymentService.CreateCheckout, e.g. after Redis lost
   * the first one): the amount is a caller's, and the worker checks it against the row.
   */
  donationRow?: { streamerId: string };
}

/** `payment.verify`: a webhook whose signature verified. jobId = provider:eventId. */
export interface PaymentVerifyJob {
  provider: ProviderName;
  eventId: string;
  /** The provider's order / intent reference named in the webhook. */
  orderId: string;
  /** Status the webhook claims, normalised; the worker confirms it where the provider says so. */
  claimedStatus: PaymentStatus | null;
  /** Provider fields the worker needs (never secrets). */
  fields: Record<string, string>;
  /** ISO 8601 receipt time at the gateway. */
  receivedAt: string;
  requestId: string;
}

/** `payment.sweep`: re-check payments pending too long (repeatable). */
export interface PaymentSweepJob {
  requestId: string;
}

/**
 * `webhook.deliver`: POST one stream event to one of a streamer's outgoing webhook endpoints.
 * jobId = `${endpointId}_${eventKey}`, so a re-read stream entry never delivers twice.
 */
export interface OutgoingWebhookJob {
  endpointId: string;
  streamerId: string;
  /** The alert's eventId, or the global stream entry id for events without one (refunds). */
  eventKey: string;
  event: DonationEvent;
}

/** A channel of the notifications worker pool (gateway/notifications). */
export type NotificationChannel =
  | 'discord'
  | 'telegram'
  | 'push'
  | 'email-streamer'
  | 'email-receipt'
  | 'email-refund'
  | 'email-digest'
  | 'email-password-reset'
  | 'email-verification';

/**
 * `notification.send`: one donation event to one channel of its streamer (or donor).
 * jobId = `${channel}-${target}_${eventKey}`; a unique row per (channel, target, donation) in
 * gateway_db keeps a re-read stream entry from sending twice. `email-password-reset` and
 * `email-verification` carry no event: `target` is the user id and `token` the single-use token
 * in clear (removed on completion).
 */
export interface NotificationJob {
  channel: NotificationChannel;
  streamerId: string;
  /** A push subscription id, the donor contact's donation id, or '' (one per streamer). */
  target: string;
  eventKey: string;
  event?: DonationEvent;
  /** Account mails only: the token, and the language the mail was asked in. */
  token?: string;
  language?: 'id' | 'en';
  /** email-digest only: the window's end (ISO 8601). */
  until?: string;
}

/**
 * A media-share clip's state (issue 13), forward-only: pending_review → queued (approved) |
 * rejected; queued → playing | skipped | rejected; playing → played | skipped; anything not yet
 * finished → refunded. `approved` names the step, but an approved clip is `queued` at once.
 */
export const CLIP_STATES = [
  'pending_review',
  'approved',
  'rejected',
  'queued',
  'playing',
  'played',
  'skipped',
  'refunded',
] as const;
export type ClipState = (typeof CLIP_STATES)[number];

/** The streamer's media-share commands, run by the donation worker pool in order of arrival. */
export const MEDIA_SHARE_ACTIONS = [
  'approve',
  'reject',
  'move',
  'skip',
  'pause',
  'resume',
  'clear',
  'volume',
  'panic',
] as const;
export type MediaShareAction = (typeof MEDIA_SHARE_ACTIONS)[number];

/**
 * `media.command`: one of the streamer's media-share commands. jobId: `${action}_${donationId}`
 * for approve/reject/skip (a duplicate collapses), a fresh id otherwise.
 */
export interface MediaShareCommandJob {
  action: MediaShareAction;
  streamerId: string;
  /** The clip (its donation id) for approve, reject, move, skip ('' = whatever plays). */
  donationId: string;
  /** move: the clip to place it before ('' = the end of the queue). */
  before: string;
  /** reject: whether the streamer refunds the donation (the gateway asks PaymentService). */
  refund: boolean;
  /** volume: 0–100. */
  volume: number;
  requestId: string;
}

/** Queue names and the job names each carries. */
export const QUEUES = {
  donationCommands: { name: 'donation-commands', jobs: { create: 'donation.create' } },
  donationStatus: {
    name: 'donation-status',
    jobs: {
      markPaid: 'donation.markPaid',
      markFailed: 'donation.markFailed',
      markExpired: 'donation.markExpired',
      markRefunded: 'donation.markRefunded',
    },
  },
  checkout: { name: 'checkout', jobs: { create: 'checkout.create' } },
  paymentVerify: { name: 'payment-verify', jobs: { verify: 'payment.verify' } },
  paymentSweep: { name: 'payment-sweep', jobs: { sweep: 'payment.sweep' } },
  outgoingWebhooks: { name: 'outgoing-webhooks', jobs: { deliver: 'webhook.deliver' } },
  mediaShareCommands: { name: 'media-share-commands', jobs: { command: 'media.command' } },
  notifications: {
    name: 'notifications',
    jobs: { send: 'notification.send', digest: 'notification.digest' },
  },
} as const;

/** Map from queue name to its payload type. */
export interface QueuePayloads {
  'donation-commands': DonationCreateJob;
  'donation-status': DonationStatusJob;
  checkout: CheckoutCreateJob;
  'payment-verify': PaymentVerifyJob;
  'payment-sweep': PaymentSweepJob;
  'outgoing-webhooks': OutgoingWebhookJob;
  'media-share-commands': MediaShareCommandJob;
  notifications: NotificationJob;
}
export type QueueName = keyof QueuePayloads;
export const ALL_QUEUE_NAMES = Object.values(QUEUES).map((q) => q.name) as QueueName[];

/** A BullMQ job id made of parts (BullMQ job ids may not contain ':'). */
export function safeJobId(...parts: string[]): string {
  return parts.join('-').replace(/:/g, '_');
}

/** The deterministic job id of a donation's checkout: every producer's adds collapse into one. */
export function checkoutJobId(donationId: string): string {
  return safeJobId('checkout', donationId);
}

/** The deterministic job id of a webhook's verification (provider + event id). */
export function verifyJobId(provider: string, eventId: string): string {
  return safeJobId(provider, eventId);
}

/** Job name for moving a donation to a status. */
export function donationStatusJobName(status: DonationStatusJob['status']): string {
  const names = QUEUES.donationStatus.jobs;
  switch (status) {
    case 'paid':
      return names.markPaid;
    case 'failed':
      return names.markFailed;
    case 'expired':
      return names.markExpired;
    case 'refunded':
      return names.markRefunded;
  }
}

/**
 * Default job options: bounded retries with exponential backoff from 200 ms. Redis holds only
 * what is in flight: a completed job is removed at once (its effect is in a database), a failed
 * one is kept for an operator (7 days, at most 10,000 per queue) with its donor text stripped
 * (see redactJobData). Retries cover restarts of Redis, PostgreSQL and providers; permanent
 * errors are thrown as BullMQ's UnrecoverableError so they do not retry.
 */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 12,
  backoff: { type: 'exponential', delay: 200 },
  removeOnComplete: true,
  removeOnFail: { age: 7 * 24 * 3600, count: 10_000 },
};

const REDACTED_FIELDS = new Set([
  'donorName',
  'message',
  'heldMessage',
  'description',
  'fields',
  'mediaShare',
  'token',
]);

/**
 * A failed job's data with donor text removed (names, messages, descriptions, provider fields):
 * what stays is ids, amounts and states, enough for an operator to find the rows.
 */
export function redactJobData(data: unknown): unknown {
  if (Array.isArray(data)) return data.map(redactJobData);
  if (!data || typeof data !== 'object') return data;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) {
    if (REDACTED_FIELDS.has(key)) out[key] = typeof value === 'string' ? '' : null;
    else out[key] = redactJobData(value);
  }
  return out;
}

/** A typed queue handle. */
export type TypedQueue<N extends QueueName> = Queue<QueuePayloads[N], unknown, string>;

/** Opens a queue by registry name under the install's prefix. */
export function openQueue<N extends QueueName>(
  name: N,
  connection: ConnectionOptions,
  prefix: string,
): TypedQueue<N> {
  return new Queue<QueuePayloads[N], unknown, string>(name, {
    connection,
    prefix,
    defaultJobOptions: DEFAULT_JOB_OPTIONS,
  });
}

/** Marks an error as permanent for BullMQ (no retry). */
export function permanent(err: unknown): UnrecoverableError {
  const e = new UnrecoverableError(err instanceof Error ? err.message : String(err));
  if (err instanceof Error) e.stack = err.stack;
  return e;
}

/** Redis stream keys. `{}` hash tags keep one streamer's keys in one Redis Cluster slot. */
export const STREAMS = {
  /** Every donation event, read by the notification service's consumer group. */
  donationEvents: (prefix: string) => `${prefix}:stream:donation-events`,
  /** One streamer's alert history, read for replay on reconnect. */
  streamerAlerts: (prefix: string, streamerId: string) => `${prefix}:alerts:{${streamerId}}`,
  /** Marker that a donation's paid alert was published once. */
  alertPublished: (prefix: string, streamerId: string, donationId: string) =>
    `${prefix}:alerted:{${streamerId}}:${donationId}`,
  /** Consumer group of the notification service on donationEvents. */
  notificationGroup: 'notification',
  /** Consumer group of the outgoing-webhooks worker pool on donationEvents. */
  outgoingWebhooksGroup: 'outgoing-webhooks',
  /** Consumer group of the notifications worker pool on donationEvents. */
  notificationsGroup: 'notifications',
  /**
   * Overlays' acknowledgements of shown alerts (OverlayAck), written by the notification
   * service and copied into donation_db by the donation worker pool's group.
   */
  overlayAcks: (prefix: string) => `${prefix}:stream:overlay-acks`,
  /** Consumer group of the donation worker pool on overlayAcks. */
  overlayAcksGroup: 'donation',
} as const;

/** Redis keys that are not queues or streams. */
export const KEYS = {
  /** Overlay token hash → streamer id (written by the gateway, read at socket handshake). */
  overlayToken: (prefix: string, tokenHash: string) => `${prefix}:overlay-token:${tokenHash}`,
  /**
   * Set by each reconciler role (gateway, donation, payment) once it has rebuilt Redis from
   * PostgreSQL; missing means Redis lost its data (FLUSHALL, a new empty server) since.
   */
  reconciled: (prefix: string, role: string) => `${prefix}:reconciled:${role}`,
  /**
   * The last alert an overlay token acknowledged as shown: hash {eventId, donationId, at}. A
   * copy of donation_db's overlay_acks, rebuilt from it after Redis lost its data.
   */
  overlayAck: (prefix: string, tokenHash: string) => `${prefix}:overlay-ack:${tokenHash}`,
  /** Donations an overlay token acknowledged as shown: sorted set, score = ack time in ms. */
  overlayShown: (prefix: string, tokenHash: string) => `${prefix}:overlay-shown:${tokenHash}`,
  /** Pub/sub channel for overlay controls and disconnects from the gateway. */
  controlChannel: (prefix: string) => `${prefix}:control`,
  /**
   * Pub/sub channel: a streamer's outgoing webhook endpoints changed (message = streamer id).
   * The outgoing-webhooks reader drops its cached set of streamers with endpoints.
   */
  webhookEndpointsChannel: (prefix: string) => `${prefix}:webhook-endpoints-changed`,
} as const;

/** An overlay's acknowledgement that it showed an alert (on STREAMS.overlayAcks). */
export interface OverlayAck {
  /** SHA-256 hex of the overlay token. */
  tokenHash: string;
  streamerId: string;
  donationId: string;
  /** The alert's eventId in the streamer's history when it was shown. */
  eventId: string;
  /** When it was acknowledged, in ms since the epoch. */
  at: number;
}

/** Event types on the streams. */
export type DonationEventType =
  | 'donation.paid'
  | 'donation.refunded'
  /** Dashboard-only status changes (no alert): the payment failed or the checkout expired. */
  | 'donation.failed'
  | 'donation.expired'
  | 'alert.test'
  | 'alert.replay';

/** Payload of a stream event: everything an alert needs. */
export interface DonationEvent {
  type: DonationEventType;
  donationId: string;
  streamerId: string;
  donorName: string;
  amountMinor: number;
  currency: string;
  message: string;
  mediaShare: MediaShare | null;
  /** ISO 8601 time the donation was created. */
  createdAt: string;
  /** ISO 8601 time the payment was confirmed (or the event produced). */
  paidAt: string;
  /** Test alerts never count in stats. */
  test: boolean;
  requestId: string;
  /** Word filter in hold mode: the donor wrote a message that waits for the streamer's review. */
  messageHeld?: boolean;
}

/** Media-share event types: a clip's new state, or a change of the streamer's player. */
export type MediaShareEventType =
  | 'media.pending_review'
  | 'media.queued'
  | 'media.rejected'
  | 'media.playing'
  | 'media.played'
  | 'media.skipped'
  | 'media.refunded'
  | 'media.moved'
  | 'media.player';

/**
 * A media-share event on the global stream (entry field `kind` = `media`). No donor text: it
 * goes to the player widget as is; the dashboard and the player read details through the API.
 */
export interface MediaShareEvent {
  type: MediaShareEventType;
  streamerId: string;
  /** The clip's donation id ('' for `media.player`). */
  donationId: string;
  /** The clip's state after the change ('' for `media.player` and `media.moved`). */
  state: ClipState | '';
  /** media.rejected: whether the streamer chose to refund. */
  refund?: boolean;
  /** media.player (and every clip event, for convenience): the queue is paused. */
  paused?: boolean;
  /** media.player: 0–100. */
  volume?: number;
  /** media.playing: seconds bought and the start second in the video. */
  seconds?: number;
  startS?: number;
  /** A sandbox donation's clip. */
  test: boolean;
  /** ISO 8601 time of the change. */
  at: string;
  requestId: string;
}

/** What an overlay receives as the `alert` Socket.IO event. */
export interface AlertPayload {
  /** Stream id in the streamer's history; increasing per streamer. */
  eventId: string;
  /** eventId of the streamer's previous alert ('' for the first), so a client can spot gaps. */
  prevEventId: string;
  type: DonationEventType;
  donationId: string;
  donorName: string;
  /** Minor units. */
  amount: number;
  currency: string;
  formattedAmount: string;
  message: string;
  mediaShare: MediaShare | null;
  createdAt: string;
  test: boolean;
  /** The donor's message is held for the streamer's review: shown without its text. */
  messageHeld?: boolean;
}

/** Overlay control actions sent as the `control` Socket.IO event. */
export const CONTROL_ACTIONS = ['skip', 'pause', 'resume', 'panic', 'reload'] as const;
export type ControlAction = (typeof CONTROL_ACTIONS)[number];
