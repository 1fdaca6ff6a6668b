/**
 * DonationService handlers: a new donation is written to donation_db (group commit) before it
 * is answered, its checkout queued with it when asked; reads come from donation_db.
 */
import { once } from 'node:events';
import type { Redis } from 'ioredis';
import { uuidv7 } from 'uuidv7';
import { z } from 'zod';
import type { DonationServiceHandlers } from '../../proto/generated/mediashar/v1/DonationService.js';
import type { Donation } from '../../proto/generated/mediashar/v1/Donation.js';
import type { ListDonationsRequest } from '../../proto/generated/mediashar/v1/ListDonationsRequest.js';
import { requestIdOf, serverStream, unary } from '../../shared/grpc.js';
import { ForbiddenError, ValidationError } from '../../shared/errors.js';
import type { CallerVerifier } from '../../shared/caller-identity.js';
import { ANONYMOUS_DONOR_NAME } from '../../shared/queues.js';
import { mediaShareFromWire, mediaShareToWire } from '../../shared/media-share.js';
import { PROVIDERS } from '../../shared/config.js';
import { donationsTotal } from '../../shared/metrics.js';
import { currencyExponent } from '../../shared/money.js';
import { serveStreamerEvents } from '../../shared/alert-stream.js';
import type { Logger } from '../../shared/logger.js';
import { publicDonorName, type DonationFilters, type DonationStore } from './donation.store.js';
import type { DonationRow } from './donation.db.js';
import type { MediaShareMethod } from './media-share.grpc.js';

const createSchema = z.object({
  streamerId: z.uuid('streamerId must be a UUID'),
  donorName: z.string().trim().min(1, 'donorName is required').max(64, 'donorName is at most 64 characters'),
  donorUserId: z.union([z.uuid(), z.literal('')]),
  anonymous: z.boolean(),
  amount: z.object({
    amountMinor: z.number().int().positive('amount must be greater than zero'),
    currency: z.string().regex(/^[A-Z]{3}$/, 'currency must be an ISO 4217 code'),
  }),
  message: z.string().max(255, 'message is at most 255 characters'),
  heldMessage: z.string().max(255, 'heldMessage is at most 255 characters').default(''),
  provider: z.enum(PROVIDERS),
  idempotencyKey: z.string().max(255),
  requestHash: z.string().max(128),
  startCheckout: z.boolean().default(false),
  checkoutDescription: z.string().max(255, 'checkoutDescription is at most 255 characters').default(''),
});

function invalid(error: z.ZodError): ValidationError {
  const fields = Object.fromEntries(error.issues.map((i) => [i.path.join('.') || 'request', i.message]));
  return new ValidationError(error.issues.map((i) => i.message).join('; '), { fields });
}

/** The history filters of a list or export request (empty strings = no filter). */
function historyFilters(request: ListDonationsRequest): DonationFilters {
  for (const field of ['createdFrom', 'createdBefore'] as const) {
    const v = request[field];
    if (v && Number.isNaN(Date.parse(v))) throw new ValidationError(`${field} must be an ISO 8601 instant`);
  }
  if (request.messageReview && !['held', 'approved', 'rejected'].includes(request.messageReview))
    throw new ValidationError('messageReview must be held, approved or rejected');
  return {
    status: request.status ?? '',
    search: request.search ?? '',
    provider: request.provider ?? '',
    currency: request.currency ?? '',
    createdFrom: request.createdFrom ?? '',
    createdBefore: request.createdBefore ?? '',
    messageReview: request.messageReview ?? '',
  };
}

/** Whether Intl (and so, for IANA names, PostgreSQL) knows the zone. */
function validTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return /^[A-Za-z_+\-/0-9]{1,64}$/.test(zone);
  } catch {
    return false;
  }
}

const reviewSchema = z.object({
  streamerId: z.uuid('streamerId must be a UUID'),
  donationId: z.uuid('donationId must be a UUID'),
  decision: z.enum(['approve', 'reject'], 'decision must be "approve" or "reject"'),
});

/**
 * Proto view of a donation row. `withHeldMessage`: include a held message's text (the
 * streamer's own reads only; never an overlay token's).
 */
export function toProtoDonation(row: DonationRow, withHeldMessage = false): Donation {
  return {
    id: row.id,
    streamerId: row.streamerId,
    donorName: publicDonorName(row),
    anonymous: row.anonymous,
    amount: { amountMinor: row.amountMinor, currency: row.currency },
    message: row.message,
    status: row.status,
    provider: row.provider,
    createdAt: row.createdAt.toISOString(),
    paidAt: row.paidAt?.toISOString() ?? '',
    mediaShare: mediaShareToWire(row.mediaShare),
    messageReview: row.messageReview ?? '',
    alertPublishedAt: row.alertPublishedAt?.toISOString() ?? '',
    heldMessage: withHeldMessage && row.messageReview === 'held' ? (row.heldMessage ?? '') : '',
  };
}

/** Everything the handlers need, built by the entry file. */
export interface DonationServiceDeps {
  store: DonationStore;
  redis: Redis;
  /** Creates a dedicated connection for a blocking stream read. */
  blockingRedis: () => Redis;
  prefix: string;
  /**
   * Verifies for whom a read acts: the streamer's access token, an admin's, the operator's
   * certificate, or (widget data: stats and paid donations only) the streamer's overlay token.
   */
  callers: CallerVerifier;
  log: Logger;
}

/** Builds the DonationService handler map (the media-share methods: see media-share.grpc.ts). */
export function donationHandlers(deps: DonationServiceDeps): Omit<DonationServiceHandlers, MediaShareMethod> {
  const { log } = deps;
  return {
    CreateDonation: unary(log, 'CreateDonation', async (request, call) => {
      const parsed = createSchema.safeParse(request);
      if (!parsed.success) throw invalid(parsed.error);
      const r = parsed.data;
      currencyExponent(r.amount.currency);
      const requestId = requestIdOf(call, r.requestHash.slice(0, 16));
      // Accepted means durable: the row is committed (group commit with concurrent creates)
      // before the answer, and the unique (streamer, idempotency key) decides a retry.
      const outcome = await deps.store.create({
        donationId: uuidv7(),
        streamerId: r.streamerId,
        // Whatever a caller sends, an anonymous donation keeps no real name.
        donorName: r.anonymous ? ANONYMOUS_DONOR_NAME : r.donorName,
        donorUserId: r.donorUserId || null,
        anonymous: r.anonymous,
        amountMinor: r.amount.amountMinor,
        currency: r.amount.currency,
        message: r.heldMessage ? '' : r.message,
        ...(r.heldMessage ? { heldMessage: r.heldMessage } : {}),
        provider: r.provider,
        idempotencyKey: r.idempotencyKey || null,
        requestHash: r.requestHash || undefined,
        mediaShare: mediaShareFromWire(request.mediaShare),
        createdAt: new Date().toISOString(),
        requestId,
        // Queued with the row's group commit (checkout-handoff.ts): no poll for the row later.
        ...(r.startCheckout ? { checkout: { description: r.checkoutDescription } } : {}),
      });
      if (outcome.created) donationsTotal.inc({ status: 'pending', provider: r.provider });
      log.debug(
        { donationId: outcome.donationId, requestId, streamerId: r.streamerId, created: outcome.created },
        outcome.created ? 'donation written' : 'donation found by idempotency key',
      );
      return {
        donationId: outcome.donationId,
        created: outcome.created,
        createdAt: outcome.createdAt.toISOString(),
      };
    }),

    GetDonation: unary(log, 'GetDonation', async (request) => {
      if (!z.uuid().safeParse(request.donationId).success)
        throw new ValidationError('donationId must be a UUID');
      return toProtoDonation(await deps.store.get(request.donationId));
    }),

    ListDonations: unary(log, 'ListDonations', async (request, call) => {
      const caller = await deps.callers.requireStreamer(call, request.streamerId ?? '', {
        admin: true,
        operator: true,
        overlay: true,
      });
      // A widget lists the latest paid donations, nothing else.
      if (caller.kind === 'overlay' && request.status !== 'paid')
        throw new ForbiddenError('An overlay token lists paid donations only');
      if (!z.uuid().safeParse(request.streamerId).success)
        throw new ValidationError('streamerId must be a UUID');
      const page = await deps.store.list(
        request.streamerId,
        request.pageSize ?? 20,
        request.cursor ?? '',
        historyFilters(request),
      );
      // The held text is the streamer's to review: never on a widget.
      const withHeld = caller.kind !== 'overlay';
      return {
        donations: page.donations.map((row) => toProtoDonation(row, withHeld)),
        nextCursor: page.nextCursor,
      };
    }),

    ExportDonations: serverStream(log, 'ExportDonations', async (call) => {
      const request = call.request;
      await deps.callers.requireStreamer(call, request.streamerId ?? '', { admin: true, operator: true });
      if (!z.uuid().safeParse(request.streamerId).success)
        throw new ValidationError('streamerId must be a UUID');
      for await (const page of deps.store.exportPages(request.streamerId, historyFilters(request))) {
        if (call.cancelled) return;
        for (const row of page) {
          // Backpressure: wait while the client (the gateway's CSV response) is behind.
          if (!call.write(toProtoDonation(row)))
            await Promise.race([once(call, 'drain'), once(call, 'cancelled')]);
        }
      }
    }),

    GetStats: unary(log, 'GetStats', async (request, call) => {
      await deps.callers.requireStreamer(call, request.streamerId ?? '', {
        admin: true,
        operator: true,
        overlay: true,
      });
      if (!z.uuid().safeParse(request.streamerId).success)
        throw new ValidationError('streamerId must be a UUID');
      const paidFrom = request.paidFrom ?? '';
      if (paidFrom && Number.isNaN(Date.parse(paidFrom)))
        throw new ValidationError('paidFrom must be an ISO 8601 instant');
      const timeZone = request.timeZone || 'UTC';
      if (!validTimeZone(timeZone)) throw new ValidationError('timeZone must be an IANA time zone');
      return deps.store.stats(request.streamerId, request.days ?? 30, paidFrom, timeZone);
    }),

    ReviewDonationMessage: unary(log, 'ReviewDonationMessage', async (request, call) => {
      await deps.callers.requireStreamer(call, request.streamerId ?? '', { admin: true });
      const parsed = reviewSchema.safeParse(request);
      if (!parsed.success) throw invalid(parsed.error);
      const { streamerId, donationId, decision } = parsed.data;
      const row = await deps.store.reviewMessage(streamerId, donationId, decision);
      log.info({ donationId, decision }, 'held message reviewed');
      return toProtoDonation(row, true);
    }),

    StreamDonationEvents: serverStream(log, 'StreamDonationEvents', async (call) => {
      await deps.callers.requireStreamer(call, call.request.streamerId ?? '', {
        admin: true,
        operator: true,
      });
      await serveStreamerEvents(call, deps.redis, deps.blockingRedis, deps.prefix);
    }),
  };
}
