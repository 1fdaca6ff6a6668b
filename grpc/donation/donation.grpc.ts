/**
 * DonationService handlers: commands go onto the donation queue and are answered at once;
 * reads come from donation_db.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { uuidv7 } from 'uuidv7';
import { z } from 'zod';
import type { DonationServiceHandlers } from '../../proto/generated/mediashar/v1/DonationService.js';
import type { Donation } from '../../proto/generated/mediashar/v1/Donation.js';
import { requestIdOf, serverStream, unary } from '../../shared/grpc.js';
import { ConflictError, ValidationError } from '../../shared/errors.js';
import { PROVIDERS } from '../../shared/config.js';
import { KEYS, QUEUES, type TypedQueue } from '../../shared/queues.js';
import { currencyExponent } from '../../shared/money.js';
import { serveStreamerEvents } from '../../shared/alert-stream.js';
import type { Logger } from '../../shared/logger.js';
import { publicDonorName, type DonationStore } from './donation.store.js';
import type { DonationRow } from './donation.db.js';

/** How long an idempotency key is remembered, in seconds (24 h, like Stripe's). */
export const IDEMPOTENCY_TTL_S = 24 * 3600;

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
  provider: z.enum(PROVIDERS),
  idempotencyKey: z.string().max(255),
  requestHash: z.string().max(128),
});

function invalid(error: z.ZodError): ValidationError {
  const fields = Object.fromEntries(error.issues.map((i) => [i.path.join('.') || 'request', i.message]));
  return new ValidationError(error.issues.map((i) => i.message).join('; '), { fields });
}

/** Proto view of a donation row. */
export function toProtoDonation(row: DonationRow): Donation {
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
    mediaShare: row.mediaShare,
  };
}

/** Everything the handlers need, built by the entry file. */
export interface DonationServiceDeps {
  store: DonationStore;
  queue: TypedQueue<'donation-commands'>;
  redis: Redis;
  /** Creates a dedicated connection for a blocking stream read. */
  blockingRedis: () => Redis;
  prefix: string;
  log: Logger;
}

/** Builds the DonationService handler map. */
export function donationHandlers(deps: DonationServiceDeps): DonationServiceHandlers {
  const { log } = deps;
  return {
    CreateDonation: unary(log, 'CreateDonation', async (request, call) => {
      const parsed = createSchema.safeParse(request);
      if (!parsed.success) throw invalid(parsed.error);
      const r = parsed.data;
      currencyExponent(r.amount.currency);
      const requestId = requestIdOf(call, r.requestHash.slice(0, 16));
      const donationId = uuidv7();
      const createdAt = new Date().toISOString();
      if (r.idempotencyKey) {
        const key = KEYS.idempotency(
          deps.prefix,
          r.streamerId,
          createHash('sha256').update(r.idempotencyKey).digest('hex'),
        );
        const value = JSON.stringify({ donationId, requestHash: r.requestHash, createdAt });
        const set = await deps.redis.set(key, value, 'EX', IDEMPOTENCY_TTL_S, 'NX');
        if (set !== 'OK') {
          const earlier = JSON.parse((await deps.redis.get(key)) ?? '{}') as {
            donationId?: string;
            requestHash?: string;
            createdAt?: string;
          };
          if (earlier.requestHash !== r.requestHash || !earlier.donationId) {
            throw new ConflictError('Idempotency-Key was already used with a different request body', {
              fields: { 'Idempotency-Key': 'reused with a different body' },
            });
          }
          return { donationId: earlier.donationId, created: false, createdAt: earlier.createdAt ?? '' };
        }
      }
      await deps.queue.add(
        QUEUES.donationCommands.jobs.create,
        {
          donationId,
          streamerId: r.streamerId,
          donorName: r.donorName,
          donorUserId: r.donorUserId || null,
          anonymous: r.anonymous,
          amountMinor: r.amount.amountMinor,
          currency: r.amount.currency,
          message: r.message,
          provider: r.provider,
          idempotencyKey: r.idempotencyKey || null,
          mediaShare: request.mediaShare?.videoId
            ? {
                platform: request.mediaShare.platform as 'youtube' | 'tiktok',
                videoId: request.mediaShare.videoId,
                startS: request.mediaShare.startS ?? 0,
                url: request.mediaShare.url ?? '',
              }
            : null,
          createdAt,
          requestId,
        },
        { jobId: donationId },
      );
      log.info({ donationId, requestId, streamerId: r.streamerId }, 'donation.create queued');
      return { donationId, created: true, createdAt };
    }),

    GetDonation: unary(log, 'GetDonation', async (request) => {
      if (!z.uuid().safeParse(request.donationId).success)
        throw new ValidationError('donationId must be a UUID');
      return toProtoDonation(await deps.store.get(request.donationId));
    }),

    ListDonations: unary(log, 'ListDonations', async (request) => {
      if (!z.uuid().safeParse(request.streamerId).success)
        throw new ValidationError('streamerId must be a UUID');
      const page = await deps.store.list(
        request.streamerId,
        request.pageSize ?? 20,
        request.cursor ?? '',
        request.status ?? '',
      );
      return { donations: page.donations.map(toProtoDonation), nextCursor: page.nextCursor };
    }),

    GetStats: unary(log, 'GetStats', async (request) => {
      if (!z.uuid().safeParse(request.streamerId).success)
        throw new ValidationError('streamerId must be a UUID');
      return deps.store.stats(request.streamerId, request.days ?? 30);
    }),

    StreamDonationEvents: serverStream(log, 'StreamDonationEvents', (call) =>
      serveStreamerEvents(call, deps.redis, deps.blockingRedis, deps.prefix),
    ),
  };
}
