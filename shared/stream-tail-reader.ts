/**
 * A plain Redis stream reader with its own position (XREAD from the last id it handled, on its
 * own blocking connection), no consumer group: every process that runs one sees every entry
 * from where it started. Used by each notification node to follow the global donation stream
 * and emit to its own sockets only (issue 15); a node that dies loses nothing an overlay needs,
 * since the overlay replays its streamer's history from its lastEventId on reconnect.
 */
import type { Redis } from 'ioredis';
import type { Logger } from './logger.js';
import type { StreamEntry } from './stream-group-reader.js';

/** Options of a tail reader (defaults in brackets). */
export interface StreamTailReaderOptions {
  /** Entries per read [200]. */
  batch?: number;
  /** Blocking read timeout, in ms [2000]. */
  blockMs?: number;
}

/**
 * The id of the stream's last entry, or '0-0' when it is empty or missing: where a reader that
 * wants only new entries starts (taken before the process accepts clients, so none of their
 * live entries falls before it).
 */
export async function streamTailId(redis: Redis, key: string): Promise<string> {
  const last = await redis.xrevrange(key, '+', '-', 'COUNT', 1);
  return last[0]?.[0] ?? '0-0';
}

export class StreamTailReader {
  private running = false;
  private loop: Promise<void> | undefined;

  /**
   * @param blocking a connection of its own for the blocking XREAD.
   * @param handle processes a batch; the position moves past it once it resolved (a rejection is
   *   logged and the batch is skipped: the handler emits, it does not store).
   * @param position the id after which reading starts (see {@link streamTailId}).
   */
  constructor(
    private readonly blocking: Redis,
    private readonly key: string,
    private readonly handle: (entries: StreamEntry[]) => Promise<void>,
    private readonly log: Logger,
    private position: string,
    private readonly options: StreamTailReaderOptions = {},
  ) {}

  /** The id of the last entry handled (or the start position). */
  get lastId(): string {
    return this.position;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.readLoop();
  }

  /** Stops reading and finishes the batch in hand. Idempotent. */
  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  private async readLoop(): Promise<void> {
    while (this.running) {
      let entries: StreamEntry[] = [];
      try {
        const res = (await this.blocking.xread(
          'COUNT', this.options.batch ?? 200,
          'BLOCK', this.options.blockMs ?? 2000,
          'STREAMS', this.key, this.position,
        )); // prettier-ignore
        entries = res?.[0]?.[1] ?? [];
      } catch (err) {
        if (this.running) this.log.error({ err, stream: this.key }, 'stream reader error');
        await new Promise((r) => setTimeout(r, 200));
        continue;
      }
      if (!entries.length) continue;
      try {
        await this.handle(entries);
      } catch (err) {
        this.log.error({ err, stream: this.key, count: entries.length }, 'stream batch handler failed');
      }
      this.position = entries[entries.length - 1]![0];
    }
  }
}
