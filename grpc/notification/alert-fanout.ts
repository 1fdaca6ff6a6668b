/**
 * Reads the global donation event stream through a consumer group and emits each event to its
 * streamer's rooms. Entries are acknowledged only after the emit; entries left pending by a dead
 * consumer are reclaimed with XAUTOCLAIM; a NOGROUP after a Redis restart recreates the group.
 */
import type { Redis } from 'ioredis';
import type { Logger } from '../../shared/logger.js';
import {
  StreamGroupReader,
  type StreamEntry,
  type StreamGroupReaderOptions,
} from '../../shared/stream-group-reader.js';
import { STREAMS } from '../../shared/queues.js';
import {
  parseEntry,
  parseMediaShareEntry,
  toAlertPayload,
  type StreamEvent,
} from '../../shared/alert-stream.js';
import { streamerRoom, widgetRoom } from '../../shared/realtime-events.js';
import { alertLatency, alertsEmitted } from '../../shared/metrics.js';
import type { DashboardNamespace, OverlayNamespace } from './realtime.server.js';

/** Options of the fan-out reader (see StreamGroupReaderOptions for defaults). */
export type AlertFanoutOptions = Omit<StreamGroupReaderOptions, 'startId'>;

export class AlertFanout {
  private readonly reader: StreamGroupReader;
  /** Listeners that see every emitted stream event (gRPC subscribers, metrics). */
  readonly listeners = new Set<(e: StreamEvent) => void>();

  constructor(
    redis: Redis,
    blocking: Redis,
    prefix: string,
    private readonly overlay: OverlayNamespace,
    private readonly dashboard: DashboardNamespace,
    private readonly log: Logger,
    options: AlertFanoutOptions = {},
  ) {
    this.reader = new StreamGroupReader(
      redis,
      blocking,
      STREAMS.donationEvents(prefix),
      STREAMS.notificationGroup,
      (entries) => this.deliver(entries),
      log,
      { ...options, startId: '0' },
    );
  }

  /** This process's consumer name in the group. */
  get consumer(): string {
    return this.reader.consumer;
  }

  /** Creates the consumer group (and stream) when missing. */
  ensureGroup(): Promise<void> {
    return this.reader.ensureGroup();
  }

  start(): void {
    this.reader.start();
  }

  /** Stops reading, finishes the current batch (and a reclaim in progress). Idempotent. */
  stop(): Promise<void> {
    return this.reader.stop();
  }

  private deliver(entries: StreamEntry[]): Promise<void> {
    for (const [id, fields] of entries) {
      let e: StreamEvent;
      try {
        // Media-share events go to the player widgets and the dashboards, nowhere else (not
        // alerts: no overlay, no gRPC subscriber, no alert metrics).
        const media = parseMediaShareEntry(fields);
        if (media) {
          this.overlay.to(widgetRoom(media.streamerId)).emit('media', media);
          this.dashboard.to(streamerRoom(media.streamerId)).emit('media', media);
          this.log.debug(
            { donationId: media.donationId, type: media.type, entryId: id },
            'media event emitted',
          );
          continue;
        }
        e = parseEntry(id, fields);
      } catch (err) {
        this.log.error({ err, entryId: id }, 'unreadable stream entry skipped');
        continue;
      }
      const room = streamerRoom(e.event.streamerId);
      if (e.eventId) {
        const alert = toAlertPayload(e);
        this.overlay.to(room).emit('alert', alert);
        this.dashboard.to(room).emit('alert', alert);
        // Widgets reload their totals and lists; they never get the alert (donor text).
        if (e.event.type === 'donation.paid' && !e.event.test)
          this.overlay.to(widgetRoom(e.event.streamerId)).emit('refresh', { type: 'donation.paid' });
      } else {
        this.dashboard.to(room).emit('donation.update', {
          donationId: e.event.donationId,
          type: e.event.type,
          status: e.event.type.replace(/^donation\./, ''),
          amount: e.event.amountMinor,
          currency: e.event.currency,
        });
      }
      for (const listener of this.listeners) listener(e);
      alertsEmitted.inc({ type: e.event.type });
      // Payment confirmed → emitted; a replayed or reclaimed entry counts its whole wait.
      const paidAt = Date.parse(e.event.paidAt);
      if (Number.isFinite(paidAt) && !e.event.test)
        alertLatency.observe({ type: e.event.type }, Math.max(0, (Date.now() - paidAt) / 1000));
      this.log.debug(
        {
          donationId: e.event.donationId,
          requestId: e.event.requestId,
          eventId: e.eventId,
          type: e.event.type,
        },
        'alert emitted',
      );
    }
    return Promise.resolve();
  }
}
