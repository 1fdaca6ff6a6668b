/**
 * overlay_acks in donation_db: the durable copy of which alerts each overlay token showed.
 * Written in batches from the ack stream (raw SQL: one statement per batch on a hot path).
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import type { OverlayAck } from '../../shared/queues.js';

type RawRow = Record<string, unknown>;

export class OverlayAckStore {
  constructor(private readonly orm: MikroORM) {}

  /** Stores a batch of acks (a repeated ack of one donation by one token keeps the latest). */
  async write(acks: OverlayAck[]): Promise<void> {
    // One row per (token, donation) in a statement: ON CONFLICT DO UPDATE refuses duplicates.
    const unique = new Map<string, OverlayAck>();
    for (const a of acks) {
      const key = `${a.tokenHash}:${a.donationId}`;
      const prev = unique.get(key);
      if (!prev || a.at >= prev.at) unique.set(key, a);
    }
    const rows = [...unique.values()];
    if (!rows.length) return;
    const params: unknown[] = [];
    for (const a of rows) params.push(a.tokenHash, a.donationId, a.streamerId, a.eventId, new Date(a.at));
    await this.orm.em
      .fork()
      .getConnection()
      .execute(
        `insert into overlay_acks (token_hash, donation_id, streamer_id, event_id, acked_at)
           values ${rows.map(() => '(?, ?, ?, ?, ?)').join(', ')}
           on conflict (token_hash, donation_id) do update
             set event_id = excluded.event_id, acked_at = greatest(overlay_acks.acked_at, excluded.acked_at)`,
        params,
      );
  }

  /** Acks newer than `maxAgeS` seconds, oldest first (to rebuild Redis after a data loss). */
  async since(maxAgeS: number): Promise<OverlayAck[]> {
    const rows = await this.orm.em
      .fork()
      .getConnection()
      .execute<RawRow[]>(
        `select token_hash, donation_id, streamer_id, event_id, acked_at from overlay_acks
           where acked_at > now() - (? || ' seconds')::interval order by acked_at`,
        [String(maxAgeS)],
        'all',
      );
    return rows.map((r) => ({
      tokenHash: String(r.token_hash),
      donationId: String(r.donation_id),
      streamerId: String(r.streamer_id),
      eventId: String(r.event_id),
      at: new Date(r.acked_at as string).getTime(),
    }));
  }

  /**
   * Deletes acks older than `maxAgeS` seconds, keeping each token's newest (where that overlay
   * stands, however long ago).
   * @returns rows deleted.
   */
  async prune(maxAgeS: number): Promise<number> {
    const res = await this.orm.em
      .fork()
      .getConnection()
      .execute<{ affectedRows?: number }>(
        `delete from overlay_acks a where a.acked_at < now() - (? || ' seconds')::interval
           and exists (select 1 from overlay_acks b where b.token_hash = a.token_hash and b.acked_at > a.acked_at)`,
        [String(maxAgeS)],
        'run',
      );
    return res.affectedRows ?? 0;
  }
}
