/**
 * Reads the global donation event stream through a consumer group and emits each event to its
 * streamer's rooms. Entries are acknowledged only after the emit; entries left pending by a dead
 * consumer are reclaimed with XAUTOCLAIM; a NOGROUP after a Redis restart recreates the group.
 */
import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import type { Logger } from '../../shared/logger.js';
import { STREAMS } from '../../shared/queues.js';
import { parseEntry, toAlertPayload, type StreamEvent } from '../../shared/alert-stream.js';
import { streamerRoom } from '../../shared/realtime-events.js';
import { alertLatency, alertsEmitted } from '../../shared/metrics.js';
import type { DashboardNamespace, OverlayNamespace } from './realtime.server.js';

/** Options of the fan-out loop (defaults in brackets). */
export interface AlertFanoutOptions {
  /** Entries per read [200]. */
  batch?: number;
  /** Blocking read timeout, in ms [2000]. */
  blockMs?: number;
  /** A pending entry idle this long is taken from its consumer, in ms [5000]. */
  claimIdleMs?: number;
  /** How often to look for such entries, in ms [2000]. */
  claimEveryMs?: number;
}

export class AlertFanout {
  private running = false;
  private loop: Promise<void> | undefined;
  private claimTimer: NodeJS.Timeout | undefined;
  /** The reclaim pass in progress, awaited by stop() so its entries are emitted and acked. */
  private reclaiming: Promise<void> | undefined;
  readonly consumer = `${hostname()}-${process.pid}`;
  private readonly key: string;
  private readonly group = STREAMS.notificationGroup;
  /** Listeners that see every emitted stream event (gRPC subscribers, metrics). */
  readonly listeners = new Set<(e: StreamEvent) => void>();

  constructor(
    private readonly redis: Redis,
    private readonly blocking: Redis,
    prefix: string,
    private readonly overlay: OverlayNamespace,
    private readonly dashboard: DashboardNamespace,
    private readonly log: Logger,
    private readonly options: AlertFanoutOptions = {},
  ) {
    this.key = STREAMS.donationEvents(prefix);
  }

  /** Creates the consumer group (and stream) when missing. */
  async ensureGroup(): Promise<void> {
    try {
      await this.redis.xgroup('CREATE', this.key, this.group, '0', 'MKSTREAM');
      this.log.info({ stream: this.key, group: this.group }, 'consumer group created');
    } catch (err) {
      if (!String((err as Error).message).includes('BUSYGROUP')) throw err;
    }
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.readLoop();
    const every = this.options.claimEveryMs ?? 2000;
    const tick = () => {
      this.reclaiming = this.reclaim()
        .catch((err: unknown) => this.onError(err, 'reclaim'))
        .finally(() => {
          if (this.running) this.claimTimer = setTimeout(tick, every);
        });
    };
    this.claimTimer = setTimeout(tick, every);
  }

  /** Stops reading, finishes the current batch (and a reclaim in progress). Idempotent. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.claimTimer) clearTimeout(this.claimTimer);
    await Promise.all([this.loop, this.reclaiming]);
  }

  private async readLoop(): Promise<void> {
    await this.ensureGroup().catch((err: unknown) => this.onError(err, 'ensureGroup'));
    while (this.running) {
      try {
        const res = (await this.blocking.xreadgroup(
          'GROUP', this.group, this.consumer,
          'COUNT', this.options.batch ?? 200,
          'BLOCK', this.options.blockMs ?? 2000,
          'STREAMS', this.key, '>',
        )) as [string, [string, string[]][]][] | null; // prettier-ignore
        const entries = res?.[0]?.[1] ?? [];
        if (entries.length) await this.deliver(entries);
      } catch (err) {
        await this.onError(err, 'read');
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }

  private async reclaim(): Promise<void> {
    let cursor = '0-0';
    do {
      const res = (await this.redis.xautoclaim(
        this.key, this.group, this.consumer, this.options.claimIdleMs ?? 5000, cursor, 'COUNT', 200,
      )) as [string, [string, string[] | null][]]; // prettier-ignore
      cursor = res[0];
      const entries = res[1].filter((e): e is [string, string[]] => Array.isArray(e[1]));
      if (entries.length) {
        this.log.warn({ count: entries.length }, 'reclaimed entries of a dead consumer');
        await this.deliver(entries);
      }
    } while (cursor !== '0-0' && this.running);
  }

  private async deliver(entries: [string, string[]][]): Promise<void> {
    for (const [id, fields] of entries) {
      let e: StreamEvent;
      try {
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
      } else {
        this.dashboard.to(room).emit('donation.update', {
          donationId: e.event.donationId,
          type: e.event.type,
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
      this.log.info(
        {
          donationId: e.event.donationId,
          requestId: e.event.requestId,
          eventId: e.eventId,
          type: e.event.type,
        },
        'alert emitted',
      );
    }
    await this.redis.xack(this.key, this.group, ...entries.map(([id]) => id));
  }

  private async onError(err: unknown, where: string): Promise<void> {
    if (String((err as Error)?.message).includes('NOGROUP')) {
      this.log.warn({ where }, 'consumer group missing (Redis restarted?): recreating');
      await this.ensureGroup().catch((e: unknown) => this.log.error({ err: e }, 'recreating group failed'));
      return;
    }
    if (this.running) this.log.error({ err, where }, 'stream fan-out error');
  }
}
