/** NotificationService handlers: event subscriptions for programs, overlay status and controls. */
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { NotificationServiceHandlers } from '../../proto/generated/mediashar/v1/NotificationService.js';
import { requestIdOf, serverStream, unary } from '../../shared/grpc.js';
import { ForbiddenError, ValidationError } from '../../shared/errors.js';
import { CONTROL_ACTIONS, STREAMS } from '../../shared/queues.js';
import type { CallerVerifier } from '../../shared/caller-identity.js';
import { publishAlertEvent, serveStreamerEvents, type StreamLimits } from '../../shared/alert-stream.js';
import { SUPPORTED_CURRENCIES } from '../../shared/money.js';
import { mediaShareFromWire } from '../../shared/media-share.js';
import { streamerRoom, tokenRoom, widgetRoom } from '../../shared/realtime-events.js';
import type { Logger } from '../../shared/logger.js';
import type { RealtimeServer } from './realtime.server.js';

export interface NotificationServiceDeps {
  realtime: RealtimeServer;
  redis: Redis;
  blockingRedis: () => Redis;
  prefix: string;
  limits: StreamLimits;
  /** Verifies the end user a call acts for: each method acts for one streamer, the caller's. */
  callers: CallerVerifier;
  log: Logger;
}

/** What PublishAlert accepts: a test alert or the replay of a past (paid) alert. */
const publishAlertSchema = z.object({
  type: z.enum(['alert.test', 'alert.replay'], 'event.type must be "alert.test" or "alert.replay"'),
  donationId: z.uuid('event.donationId must be a UUID'),
  streamerId: z.uuid('event.streamerId must be a UUID'),
  donorName: z.string().min(1, 'event.donorName is required').max(64, 'event.donorName is too long'),
  amount: z.object(
    {
      amountMinor: z.number().int('event.amount.amountMinor must be an integer').nonnegative(),
      currency: z.enum(SUPPORTED_CURRENCIES, 'event.amount.currency is not supported'),
    },
    'event.amount is required',
  ),
  message: z.string().max(1000, 'event.message is too long'),
  createdAt: z.string(),
});

const uuid = z.uuid('streamerId must be a UUID');

export function notificationHandlers(deps: NotificationServiceDeps): NotificationServiceHandlers {
  const { log, realtime } = deps;
  return {
    SubscribeDonationEvents: serverStream(log, 'SubscribeDonationEvents', async (call) => {
      // Donor names and messages: the streamer's own, an admin's, or the operator's certificate.
      await deps.callers.requireStreamer(call, call.request.streamerId ?? '', {
        admin: true,
        operator: true,
      });
      await serveStreamerEvents(call, deps.redis, deps.blockingRedis, deps.prefix);
    }),

    GetOverlayStatus: unary(log, 'GetOverlayStatus', async (request, call) => {
      await deps.callers.requireStreamer(call, request.streamerId ?? '', { admin: true, operator: true });
      if (!uuid.safeParse(request.streamerId).success) throw new ValidationError('streamerId must be a UUID');
      // Overlays and widgets alike: every socket holding the streamer's overlay token.
      const sockets = await realtime.overlay
        .in([streamerRoom(request.streamerId), widgetRoom(request.streamerId)])
        .fetchSockets();
      return {
        connected: sockets.filter((s) => s.data.kind !== 'widget').length,
        overlays: sockets.map((s) => ({
          socketId: s.id,
          connectedAt: s.data.connectedAt,
          lastSeenAt: s.data.lastSeenAt,
          kind: s.data.kind ?? 'overlay',
        })),
      };
    }),

    SendControl: unary(log, 'SendControl', async (request, call) => {
      await deps.callers.requireStreamer(call, request.streamerId ?? '', { admin: true });
      if (!uuid.safeParse(request.streamerId).success) throw new ValidationError('streamerId must be a UUID');
      const action = z
        .enum(CONTROL_ACTIONS, `action must be one of ${CONTROL_ACTIONS.join(', ')}`)
        .safeParse(request.action);
      if (!action.success) throw new ValidationError(action.error.issues[0]!.message);
      const room = streamerRoom(request.streamerId);
      const sockets = await realtime.overlay.in(room).fetchSockets();
      realtime.overlay.to(room).emit('control', { action: action.data });
      realtime.dashboard.to(room).emit('control', { action: action.data });
      log.info(
        { streamerId: request.streamerId, action: action.data, overlays: sockets.length },
        'control sent',
      );
      return { deliveredTo: sockets.length };
    }),

    PublishAlert: unary(log, 'PublishAlert', async (request, call) => {
      const parsed = publishAlertSchema.safeParse(request.event ?? {});
      if (!parsed.success) throw new ValidationError(parsed.error.issues[0]!.message);
      const e = parsed.data;
      // Only the streamer themself puts a test or a replay on their own overlays.
      await deps.callers.requireStreamer(call, e.streamerId);
      const test = e.type === 'alert.test' || request.event?.test === true;
      // An unmarked alert is money on screen: only the replay of a donation whose paid alert
      // was published (its once-only marker, set by the donation side) may be one.
      if (
        !test &&
        !(await deps.redis.exists(STREAMS.alertPublished(deps.prefix, e.streamerId, e.donationId)))
      ) {
        log.warn(
          { streamerId: e.streamerId, donationId: e.donationId },
          'unmarked alert refused: no paid alert',
        );
        throw new ForbiddenError('Only a paid donation’s alert can be replayed unmarked; send it as a test');
      }
      const now = new Date().toISOString();
      const eventId = await publishAlertEvent(
        deps.redis,
        deps.prefix,
        {
          type: e.type,
          donationId: e.donationId,
          streamerId: e.streamerId,
          donorName: e.donorName,
          amountMinor: e.amount.amountMinor,
          currency: e.amount.currency,
          message: e.message,
          mediaShare: mediaShareFromWire(request.event?.mediaShare),
          createdAt: e.createdAt || now,
          paidAt: now,
          // Test alerts are marked test; a replay shows the real donation again, and stays test
          // when the caller says the donation was one (a sandbox donation). Never unmarked here.
          test,
          requestId: requestIdOf(call),
        },
        deps.limits,
        null,
      );
      log.info(
        { streamerId: e.streamerId, type: e.type, donationId: e.donationId, eventId },
        'alert published',
      );
      return { eventId: eventId ?? '' };
    }),

    DisconnectOverlays: unary(log, 'DisconnectOverlays', async (request, call) => {
      await deps.callers.requireStreamer(call, request.streamerId ?? '', { admin: true });
      if (!uuid.safeParse(request.streamerId).success) throw new ValidationError('streamerId must be a UUID');
      const room = request.tokenHash
        ? [tokenRoom(request.tokenHash)]
        : [streamerRoom(request.streamerId), widgetRoom(request.streamerId)];
      const sockets = await realtime.overlay.in(room).fetchSockets();
      const own = sockets.filter((s) => s.data.streamerId === request.streamerId);
      realtime.overlay.in(room).disconnectSockets(true);
      log.info({ streamerId: request.streamerId, disconnected: own.length }, 'overlays disconnected');
      return { disconnected: own.length };
    }),
  };
}
