/**
 * Each notification node reads the whole global donation event stream from its own position
 * (plain XREAD, no consumer group shared by the nodes) and emits each event to its streamer's
 * rooms on this node's sockets only (`.local`): an alert leaves a node through no Redis PUBLISH
 * (issue 15). The Redis adapter stays for what needs the whole cluster (fetchSockets, controls,
 * disconnects). A node that dies takes its sockets with it; their overlays reconnect to another
 * node and replay their streamer's history from their lastEventId, so nothing is lost.
 */
import type { Redis } from 'ioredis';
import type { BroadcastOperator } from 'socket.io';
import type { Logger } from '../../shared/logger.js';
import type { StreamEntry } from '../../shared/stream-group-reader.js';
import { StreamTailReader, type StreamTailReaderOptions } from '../../shared/stream-tail-reader.js';
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
import type { DashboardServerEvents, OverlayServerEvents, SocketData } from '../../shared/realtime-events.js';

/** Options of the fan-out reader (see StreamTailReaderOptions for defaults). */
export type AlertFanoutOptions = StreamTailReaderOptions;

export class AlertFanout {
  private readonly reader: StreamTailReader;
  /** Listeners that see every emitted stream event (gRPC subscribers, metrics). */
  readonly listeners = new Set<(e: StreamEvent) => void>();

  /**
   * @param blocking a connection of its own for the blocking XREAD.
   * @param startId where reading starts: the stream's last id taken before this node accepted
   *   sockets (streamTailId), so every live entry of its sockets comes after it.
   */
  constructor(
    blocking: Redis,
    prefix: string,
    startId: string,
    overlay: OverlayNamespace,
    dashboard: DashboardNamespace,
    private readonly log: Logger,
    options: AlertFanoutOptions = {},
  ) {
    // This node's sockets only: every node reads every entry itself.
    this.overlay = overlay.local;
    this.dashboard = dashboard.local;
    this.reader = new StreamTailReader(
      blocking,
      STREAMS.donationEvents(prefix),
      (entries) => this.deliver(entries),
      log,
      startId,
      options,
    );
  }

  private readonly overlay: BroadcastOperator<OverlayServerEvents, SocketData>;
  private readonly dashboard: BroadcastOperator<DashboardServerEvents, SocketData>;

  start(): void {
    this.reader.start();
  }

  /** The id of the last stream entry this node emitted (or where it started). */
  get lastId(): string {
    return this.reader.lastId;
  }

  /** Stops reading and finishes the current batch. Idempotent. */
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
