/**
 * The payment domain over payment_db: one payment per donation, its checkout, and the
 * forward-only moves driven by verified provider events (each recorded once).
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import { allowedPredecessors } from '../../shared/payment-state.js';
import { NotFoundError } from '../../shared/errors.js';
import { GroupCommit } from '../../shared/group-commit.js';
import type { PaymentStatus, PaymentVerifyJob } from '../../shared/queues.js';
import type { ProviderName } from '../../shared/config.js';
import type { PaymentRow } from './payment.db.js';
import type { CheckoutResult } from './providers/payment-provider.js';

type RawRow = Record<string, unknown>;

function toRow(r: RawRow): PaymentRow {
  const date = (v: unknown) => (v == null ? null : new Date(v as string));
  return {
    id: r.id as string,
    donationId: r.donation_id as string,
    streamerId: (r.streamer_id as string | null) ?? null,
    provider: r.provider as ProviderName,
    orderId: r.order_id as string,
    providerRef: (r.provider_ref as string | null) ?? null,
    amountMinor: Number(r.amount_minor),
    currency: String(r.currency),
    status: r.status as PaymentStatus,
    checkoutState: r.checkout_state as PaymentRow['checkoutState'],
    checkoutUrl: (r.checkout_url as string | null) ?? null,
    extras: (r.extras as Record<string, string>) ?? {},
    failureReason: (r.failure_reason as string | null) ?? null,
    expiresAt: date(r.expires_at)!,
    createdAt: date(r.created_at)!,
    updatedAt: date(r.updated_at)!,
    paidAt: date(r.paid_at),
    requestId: (r.request_id as string) ?? '',
  };
}

/** A new payment to record before talking to the provider. */
export interface NewPayment {
  id: string;
  donationId: string;
  /** The donation's streamer (from the donation row). */
  streamerId: string;
  provider: ProviderName;
  orderId: string;
  /** The donation row's amount, never a caller's. */
  amountMinor: number;
  currency: string;
  expiresAt: Date;
  requestId: string;
}

/** Where a webhook's payment is looked up: our order id, or the provider's own reference. */
export interface OrderKey {
  provider: ProviderName;
  ref: string;
  byProviderRef: boolean;
}

/** A verified event to apply (see PaymentStore.applyEvents); a null status confirms nothing. */
export interface VerifiedEvent {
  provider: ProviderName;
  eventId: string;
  paymentId: string;
  claimedStatus: PaymentStatus | null;
  confirmedStatus: PaymentStatus | null;
  receivedAt: Date;
}

/** Result of applying a verified event. */
export interface EventOutcome {
  /** False when (provider, eventId) was seen before. */
  firstDelivery: boolean;
  /** True when the payment's status changed. */
  moved: boolean;
  payment: PaymentRow;
}

export class PaymentStore {
  // The checkout pool's two writes per checkout, grouped across its concurrent jobs (issue 15):
  // one multi-row INSERT and one UPDATE … FROM VALUES per few milliseconds instead of one
  // statement and one commit per donation each.
  private readonly newPayments = new GroupCommit<NewPayment, PaymentRow>((items) =>
    this.insertPayments(items),
  );
  private readonly checkouts = new GroupCommit<
    { paymentId: string; result: CheckoutResult },
    PaymentRow | null
  >((items) => this.writeCheckouts(items));

  constructor(private readonly orm: MikroORM) {}

  private conn() {
    return this.orm.em.fork().getConnection();
  }

  /**
   * Inserts the payment unless the donation already has one, and resolves with the stored row
   * (the existing one when there was one) once its group of inserts is committed.
   */
  ensurePayment(p: NewPayment): Promise<PaymentRow> {
    return this.newPayments.add(p);
  }

  /**
   * One multi-row INSERT … ON CONFLICT (donation_id) for a group of new payments, in donation
   * order (two groups lock rows in the same order); a donation twice in a group is written once.
   * Returns the stored row of each item, in order.
   */
  private async insertPayments(items: NewPayment[]): Promise<PaymentRow[]> {
    // The first item of a donation is the one written, as if the group had come one by one.
    const first = new Map<string, NewPayment>();
    for (const p of items) if (!first.has(p.donationId)) first.set(p.donationId, p);
    const unique = [...first.values()].sort((a, b) => (a.donationId < b.donationId ? -1 : 1));
    const rows = await this.conn().execute<RawRow[]>(
      `insert into payments (id, donation_id, streamer_id, provider, order_id, amount_minor, currency, status, checkout_state, expires_at, request_id)
       values ${unique.map(() => "(?, ?, ?, ?, ?, ?, ?, 'pending', 'creating', ?, ?)").join(', ')}
       on conflict (donation_id) do update set updated_at = payments.updated_at
       returning *`,
      unique.flatMap((p) => [
        p.id,
        p.donationId,
        p.streamerId || null,
        p.provider,
        p.orderId,
        p.amountMinor,
        p.currency,
        p.expiresAt,
        p.requestId,
      ]),
      'all',
    );
    const byDonation = new Map(rows.map((r) => [r.donation_id as string, toRow(r)]));
    return items.map((p) => byDonation.get(p.donationId)!);
  }

  /**
   * Records the provider's checkout (grouped with concurrent ones, see `newPayments`).
   * @throws {NotFoundError} when no payment has that id.
   */
  async setCheckout(paymentId: string, result: CheckoutResult): Promise<PaymentRow> {
    const row = await this.checkouts.add({ paymentId, result });
    if (!row) throw new NotFoundError(`Payment ${paymentId} not found`);
    return row;
  }

  /** One UPDATE … FROM VALUES for a group of checkouts; each item's row, or null when missing. */
  private async writeCheckouts(
    items: { paymentId: string; result: CheckoutResult }[],
  ): Promise<(PaymentRow | null)[]> {
    const sorted = [...items].sort((a, b) => (a.paymentId < b.paymentId ? -1 : 1));
    const rows = await this.conn().execute<RawRow[]>(
      `update payments p set checkout_state = 'ready', checkout_url = v.url,
         provider_ref = coalesce(v.ref, p.provider_ref), extras = v.extras, expires_at = v.expires_at,
         updated_at = now()
       from (values ${sorted.map(() => '(?::uuid, ?::text, ?::text, ?::jsonb, ?::timestamptz)').join(', ')})
         as v(id, url, ref, extras, expires_at)
       where p.id = v.id returning p.*`,
      sorted.flatMap(({ paymentId, result }) => [
        paymentId,
        result.url,
        result.providerRef ?? null,
        JSON.stringify(result.extras ?? {}),
        result.expiresAt,
      ]),
      'all',
    );
    const byId = new Map(rows.map((r) => [r.id as string, toRow(r)]));
    return items.map((i) => byId.get(i.paymentId) ?? null);
  }

  /** Marks a checkout the provider refused; the payment fails. */
  async setCheckoutFailed(paymentId: string, reason: string): Promise<PaymentRow> {
    const rows = await this.conn().execute<RawRow[]>(
      `update payments set checkout_state = 'failed', failure_reason = ?,
         status = case when status = 'pending' then 'failed' else status end, updated_at = now()
       where id = ? returning *`,
      [reason.slice(0, 500), paymentId],
      'all',
    );
    if (!rows[0]) throw new NotFoundError(`Payment ${paymentId} not found`);
    return toRow(rows[0]);
  }

  /** @throws {NotFoundError} */
  async byId(paymentId: string): Promise<PaymentRow> {
    const rows = await this.conn().execute<RawRow[]>(
      'select * from payments where id = ?',
      [paymentId],
      'all',
    );
    if (!rows[0]) throw new NotFoundError(`Payment ${paymentId} not found`);
    return toRow(rows[0]);
  }

  /** The donation's payment, or null. */
  async byDonation(donationId: string): Promise<PaymentRow | null> {
    const rows = await this.conn().execute<RawRow[]>(
      'select * from payments where donation_id = ?',
      [donationId],
      'all',
    );
    return rows[0] ? toRow(rows[0]) : null;
  }

  /** Finds a payment by our order reference, or by the provider's own reference. */
  async byOrder(provider: ProviderName, ref: string, byProviderRef = false): Promise<PaymentRow | null> {
    const column = byProviderRef ? 'provider_ref' : 'order_id';
    const rows = await this.conn().execute<RawRow[]>(
      `select * from payments where provider = ? and ${column} = ? limit 1`,
      [provider, ref],
      'all',
    );
    return rows[0] ? toRow(rows[0]) : null;
  }

  /**
   * Records a verified event once and moves the payment forward to `status` when that is a
   * forward move, in one transaction. A duplicate or out-of-order event changes nothing.
   */
  async applyEvent(e: {
    provider: ProviderName;
    eventId: string;
    paymentId: string;
    claimedStatus: PaymentStatus | null;
    confirmedStatus: PaymentStatus | null;
    receivedAt: Date;
  }): Promise<EventOutcome> {
    const em = this.orm.em.fork();
    return em.transactional(async (tx) => {
      const conn = tx.getConnection();
      const ctx = tx.getTransactionContext();
      const inserted = await conn.execute<RawRow[]>(
        `insert into provider_events (provider, event_id, payment_id, claimed_status, confirmed_status, received_at)
         values (?, ?, ?, ?, ?, ?) on conflict do nothing returning event_id`,
        [e.provider, e.eventId, e.paymentId, e.claimedStatus, e.confirmedStatus, e.receivedAt],
        'all',
        ctx,
      );
      let moved: RawRow[] = [];
      if (inserted.length && e.confirmedStatus && e.confirmedStatus !== 'pending') {
        const from = allowedPredecessors(e.confirmedStatus);
        moved = await conn.execute<RawRow[]>(
          `update payments set status = ?, updated_at = now(),
             paid_at = case when ? = 'paid' then coalesce(paid_at, now()) else paid_at end
           where id = ? and status in (${from.map(() => '?').join(', ')}) returning *`,
          [e.confirmedStatus, e.confirmedStatus, e.paymentId, ...from],
          'all',
          ctx,
        );
      }
      const payment = moved[0]
        ? toRow(moved[0])
        : toRow(
            (
              await conn.execute<RawRow[]>('select * from payments where id = ?', [e.paymentId], 'all', ctx)
            )[0]!,
          );
      return { firstDelivery: inserted.length > 0, moved: moved.length > 0, payment };
    });
  }

  /**
   * Finds the payments of many webhooks in one round trip (by our order reference, or by the
   * provider's own reference where `byProviderRef`).
   * @returns one row (or null) per key, in order.
   */
  async byOrders(keys: OrderKey[]): Promise<(PaymentRow | null)[]> {
    if (!keys.length) return [];
    const params: unknown[] = [];
    const where: string[] = [];
    for (const [byRef, column] of [
      [false, 'order_id'],
      [true, 'provider_ref'],
    ] as const) {
      const some = keys.filter((k) => k.byProviderRef === byRef);
      if (!some.length) continue;
      where.push(`(provider, ${column}) in (${some.map(() => '(?, ?)').join(', ')})`);
      for (const k of some) params.push(k.provider, k.ref);
    }
    const rows = (
      await this.conn().execute<RawRow[]>(`select * from payments where ${where.join(' or ')}`, params, 'all')
    ).map(toRow);
    return keys.map(
      (k) =>
        rows.find(
          (r) => r.provider === k.provider && (k.byProviderRef ? r.providerRef : r.orderId) === k.ref,
        ) ?? null,
    );
  }

  /**
   * Applies a batch of verified events in one transaction, as if one after the other in the
   * batch's order: each (provider, eventId) is recorded once (a repeat, in the batch or from
   * before, changes nothing), each payment moves forward only (conditional multi-row UPDATEs,
   * one per event of the same payment in the batch, usually one in all), and every event's
   * inbox entry is marked applied.
   * @returns one outcome per event, in order; `payment` is the row after the event's own move,
   *   or the row at the end of the batch when it did not move it.
   */
  async applyEvents(events: VerifiedEvent[]): Promise<EventOutcome[]> {
    if (!events.length) return [];
    const key = (e: { provider: string; eventId: string }) => `${e.provider}\u0000${e.eventId}`;
    const firstIndex = new Map<string, number>();
    events.forEach((e, i) => {
      if (!firstIndex.has(key(e))) firstIndex.set(key(e), i);
    });
    const em = this.orm.em.fork();
    return em.transactional(async (tx) => {
      const conn = tx.getConnection();
      const ctx = tx.getTransactionContext();
      // Rows in key order: two batches touching the same rows lock them in the same order.
      const unique = [...firstIndex.values()]
        .map((i) => events[i]!)
        .sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
      const inserted = await conn.execute<RawRow[]>(
        `insert into provider_events (provider, event_id, payment_id, claimed_status, confirmed_status, received_at)
         values ${unique.map(() => '(?, ?, ?::uuid, ?, ?, ?::timestamptz)').join(', ')}
         on conflict do nothing returning provider, event_id`,
        unique.flatMap((e) => [
          e.provider,
          e.eventId,
          e.paymentId,
          e.claimedStatus,
          e.confirmedStatus,
          e.receivedAt,
        ]),
        'all',
        ctx,
      );
      const fresh = new Set(
        inserted.map((r) => key({ provider: String(r.provider), eventId: String(r.event_id) })),
      );
      const first = events.map((e, i) => firstIndex.get(key(e)) === i && fresh.has(key(e)));
      // The moves of each payment in batch order: round k applies the k-th move of every payment.
      const rounds: number[][] = [];
      const seen = new Map<string, number>();
      events.forEach((e, i) => {
        if (!first[i] || !e.confirmedStatus || e.confirmedStatus === 'pending') return;
        const k = seen.get(e.paymentId) ?? 0;
        seen.set(e.paymentId, k + 1);
        (rounds[k] ??= []).push(i);
      });
      const after = new Map<number, PaymentRow>();
      const latest = new Map<string, PaymentRow>();
      for (const round of rounds) {
        round.sort((a, b) => (events[a]!.paymentId < events[b]!.paymentId ? -1 : 1));
        const moved = await conn.execute<RawRow[]>(
          `update payments p set status = v.status, updated_at = now(),
             paid_at = case when v.status = 'paid' then coalesce(p.paid_at, now()) else p.paid_at end
           from (values ${round.map(() => '(?::uuid, ?::text, ?::text[])').join(', ')}) as v(id, status, from_states)
           where p.id = v.id and p.status = any(v.from_states) returning p.*`,
          round.flatMap((i) => {
            const to = events[i]!.confirmedStatus!;
            return [events[i]!.paymentId, to, `{${allowedPredecessors(to).join(',')}}`];
          }),
          'all',
          ctx,
        );
        for (const raw of moved) {
          const row = toRow(raw);
          latest.set(row.id, row);
          after.set(
            round.find((i) => events[i]!.paymentId === row.id)!,
            row,
          );
        }
      }
      const unread = [...new Set(events.map((e) => e.paymentId))].filter((id) => !latest.has(id));
      if (unread.length) {
        const rows = await conn.execute<RawRow[]>(
          'select * from payments where id = any(?::uuid[])',
          [`{${unread.join(',')}}`],
          'all',
          ctx,
        );
        for (const raw of rows) latest.set(raw.id as string, toRow(raw));
      }
      await conn.execute(
        `update webhook_inbox set verified_at = now()
          where (provider, event_id) in (${unique.map(() => '(?, ?)').join(', ')}) and verified_at is null`,
        unique.flatMap((e) => [e.provider, e.eventId]),
        'all',
        ctx,
      );
      return events.map((e, i) => {
        const payment = after.get(i) ?? latest.get(e.paymentId);
        if (!payment) throw new NotFoundError(`Payment ${e.paymentId} not found`);
        return { firstDelivery: first[i]!, moved: after.has(i), payment };
      });
    });
  }

  /**
   * Writes a verified webhook's job into the inbox (a repeat delivery is a no-op), so it survives
   * a loss of Redis's data. Called before the webhook is answered 2xx.
   */
  async recordWebhook(job: PaymentVerifyJob): Promise<void> {
    await this.conn().execute(
      `insert into webhook_inbox (provider, event_id, job) values (?, ?, ?::jsonb) on conflict do nothing`,
      [job.provider, job.eventId, JSON.stringify(job)],
    );
  }

  /** Marks an inbox entry applied by the verification worker. */
  async markWebhookVerified(provider: ProviderName, eventId: string): Promise<void> {
    await this.conn().execute(
      'update webhook_inbox set verified_at = now() where provider = ? and event_id = ? and verified_at is null',
      [provider, eventId],
    );
  }

  /** Inbox entries received between `since` and `olderThan` and not applied yet, oldest first. */
  async unverifiedWebhooks(olderThan: Date, since: Date, limit = 500): Promise<PaymentVerifyJob[]> {
    const rows = await this.conn().execute<RawRow[]>(
      `select job from webhook_inbox where verified_at is null and received_at < ? and received_at > ?
         order by received_at limit ?`,
      [olderThan, since, limit],
      'all',
    );
    return rows.map((r) => r.job as PaymentVerifyJob);
  }

  /**
   * Of the given inbox entries (`provider` + `eventId`), the keys (`provider:eventId`) still
   * unverified now: the reconciler's re-check after it found no job, so an entry verified in the
   * meantime (its job done and removed) is not queued again.
   */
  async stillUnverified(entries: { provider: string; eventId: string }[]): Promise<Set<string>> {
    if (!entries.length) return new Set();
    const rows = await this.conn().execute<RawRow[]>(
      `select provider, event_id from webhook_inbox
         where (provider, event_id) in (${entries.map(() => '(?, ?)').join(', ')}) and verified_at is null`,
      entries.flatMap((e) => [e.provider, e.eventId]),
      'all',
    );
    return new Set(rows.map((r) => `${String(r.provider)}:${String(r.event_id)}`));
  }

  /** Payments that left `pending` after `since` (keyset-paged by id), for re-telling the donation side. */
  async settledSince(since: Date, afterId: string, limit = 1000): Promise<PaymentRow[]> {
    const rows = await this.conn().execute<RawRow[]>(
      `select * from payments where status <> 'pending' and updated_at > ? and id > ? order by id limit ?`,
      [since, afterId || '00000000-0000-0000-0000-000000000000', limit],
      'all',
    );
    return rows.map(toRow);
  }

  /** Records the provider's own id once an event names it (Stripe PaymentIntent after the session). */
  async setProviderRef(paymentId: string, providerRef: string): Promise<void> {
    await this.conn().execute('update payments set provider_ref = ?, updated_at = now() where id = ?', [
      providerRef,
      paymentId,
    ]);
  }

  /** Pending payments created before `olderThan`, oldest first (for the sweeper). */
  async pendingOlderThan(olderThan: Date, limit = 200): Promise<PaymentRow[]> {
    const rows = await this.conn().execute<RawRow[]>(
      `select * from payments where status = 'pending' and created_at < ? order by created_at limit ?`,
      [olderThan, limit],
      'all',
    );
    return rows.map(toRow);
  }
}
