/**
 * A Redis stream consumer group reader: reads new entries (XREADGROUP on its own blocking
 * connection), hands each batch to `handle`, and acknowledges it only once `handle` resolved.
 * Entries left pending by a dead consumer are reclaimed (XAUTOCLAIM) on a timer and go through
 * the same `handle`; a NOGROUP after a Redis restart or data loss recreates the group instead of
 * looping. Used by the notification fan-out and the outgoing-webhook fan-out.
 */
import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import type { Logger } from './logger.js';

/** A stream entry as Redis returns it: id and flat field list. */
export type StreamEntry = [id: string, fields: string[]];

/** Options of a reader (defaults in brackets). */
export interface StreamGroupReaderOptions {
  /** Where a newly created group starts: '0' (whole stream) or '$' (new entries only) ['0']. */
  startId?: '0' | '$';
  /** Entries per read [200]. */
  batch?: number;
  /** Blocking read timeout, in ms [2000]. */
  blockMs?: number;
  /** A pending entry idle this long is taken from its consumer, in ms [5000]. */
  claimIdleMs?: number;
  /** How often to look for such entries, in ms [2000]. */
  claimEveryMs?: number;
}

export class StreamGroupReader {
  private running = false;
  private loop: Promise<void> | undefined;
  private claimTimer: NodeJS.Timeout | undefined;
  /** The reclaim pass in progress, awaited by stop() so its entries are handled and acked. */
  private reclaiming: Promise<void> | undefined;
  /** This process's consumer name in the group. */
  readonly consumer = `${hostname()}-${process.pid}`;

  /**
   * @param redis connection for XGROUP, XAUTOCLAIM and XACK.
   * @param blocking a connection of its own for the blocking XREADGROUP.
   * @param handle processes a batch; a rejection leaves it pending (it is read again by reclaim).
   */
  constructor(
    private readonly redis: Redis,
    private readonly blocking: Redis,
    private readonly key: string,
    private readonly group: string,
    private readonly handle: (entries: StreamEntry[], reclaimed: boolean) => Promise<void>,
    private readonly log: Logger,
    private readonly options: StreamGroupReaderOptions = {},
  ) {}

  /** Creates the consumer group (and stream) when missing. */
  async ensureGroup(): Promise<void> {
    try {
      await this.redis.xgroup('CREATE', this.key, this.group, this.options.startId ?? '0', 'MKSTREAM');
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
        )) as [string, StreamEntry[]][] | null; // prettier-ignore
        const entries = res?.[0]?.[1] ?? [];
        if (entries.length) await this.process(entries, false);
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
      const entries = res[1].filter((e): e is StreamEntry => Array.isArray(e[1]));
      if (entries.length) {
        this.log.warn({ count: entries.length, group: this.group }, 'reclaimed entries of a dead consumer');
        await this.process(entries, true);
      }
    } while (cursor !== '0-0' && this.running);
  }

  private async process(entries: StreamEntry[], reclaimed: boolean): Promise<void> {
    await this.handle(entries, reclaimed);
    await this.redis.xack(this.key, this.group, ...entries.map(([id]) => id));
  }

  private async onError(err: unknown, where: string): Promise<void> {
    if (String((err as Error)?.message).includes('NOGROUP')) {
      this.log.warn({ where, group: this.group }, 'consumer group missing (Redis restarted?): recreating');
      await this.ensureGroup().catch((e: unknown) => this.log.error({ err: e }, 'recreating group failed'));
      return;
    }
    if (this.running) this.log.error({ err, where, group: this.group }, 'stream reader error');
  }
}
