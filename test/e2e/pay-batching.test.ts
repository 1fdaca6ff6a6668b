/**
 * The pay path in batches (issue 15), against freshly migrated databases and the shared Redis
 * under a prefix of its own: many `payment.verify` jobs of one process share one lookup, one
 * transaction and one addBulk, and many `donation-status` jobs share one UPDATE, one publish and
 * one mark, while every payment is paid once, every donation alerts once, a bad job fails
 * alone, a repeated provider event counts once, and no state moves backwards within a batch.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { MikroORM } from '@mikro-orm/postgresql';
import { Redis } from 'ioredis';
import { dropDatabase, migrateDatabase, openDatabase } from '../../shared/database.js';
import { createLogger } from '../../shared/logger.js';
import {
  openQueue,
  STREAMS,
  type PaymentStatus,
  type PaymentVerifyJob,
  type TypedQueue,
} from '../../shared/queues.js';
import { paymentDatabase } from '../../grpc/payment/payment.db.js';
import { PaymentStore } from '../../grpc/payment/payment.store.js';
import { VerifyBatcher } from '../../grpc/payment/verify-batcher.js';
import type { PaymentFlowDeps } from '../../grpc/payment/payment.flows.js';
import type { PaymentProvider } from '../../grpc/payment/providers/payment-provider.js';
import { donationDatabase } from '../../grpc/donation/donation.db.js';
import { DonationStore } from '../../grpc/donation/donation.store.js';
import { DonationStatusBatcher } from '../../grpc/donation/donation-status-batcher.js';
import { deleteRedisPrefix } from '../support/system.js';
import { query } from '../support/db.js';

const id = `ms_pb_${randomBytes(4).toString('hex')}`;
const url = (name: string) => `postgres://postgres@127.0.0.1:5432/${id}_${name}`;
const prefix = `${id}`;
const log = createLogger('pay-batching-test', 'silent');
const limits = { globalMaxLen: 100_000, historyMaxLen: 1000 };

/** A provider that takes the webhook's word (no status API), like the sandbox. */
const provider = {
  name: 'sandbox',
  confirmsWithStatusApi: false,
  fetchStatus: () => Promise.resolve(null),
} as unknown as PaymentProvider;

/** Counts the calls of a store method, keeping what it does. */
function countCalls<T extends object>(target: T, method: keyof T): { calls: number[] } {
  const counter = { calls: [] as number[] };
  const original = (target[method] as (...args: unknown[]) => unknown).bind(target);
  (target as Record<keyof T, unknown>)[method] = (items: unknown[], ...rest: unknown[]) => {
    counter.calls.push(items.length);
    return original(items, ...rest);
  };
  return counter;
}

describe('pay path in batches (verification and donation-status batchers)', function () {
  this.timeout(120_000);
  const paymentDef = paymentDatabase(url('payment'), 4);
  const donationDef = donationDatabase(url('donation'), 4);
  let paymentOrm: MikroORM;
  let donationOrm: MikroORM;
  let redis: Redis;
  let queue: TypedQueue<'donation-status'>;
  let store: PaymentStore;

  before(async () => {
    await migrateDatabase(paymentDef);
    await migrateDatabase(donationDef);
    paymentOrm = await openDatabase(paymentDef);
    donationOrm = await openDatabase(donationDef);
    redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
    queue = openQueue('donation-status', redis, prefix);
    store = new PaymentStore(paymentOrm);
  });
  after(async () => {
    await queue?.close();
    redis?.disconnect();
    await paymentOrm?.close();
    await donationOrm?.close();
    await deleteRedisPrefix(prefix);
    await dropDatabase(url('payment')).catch(() => undefined);
    await dropDatabase(url('donation')).catch(() => undefined);
  });

  function deps(): PaymentFlowDeps {
    return {
      store,
      providers: new Map([['sandbox', provider]]),
      donationStatusQueue: queue,
      checkoutTtlS: 900,
      log,
    };
  }

  async function newPayment(): Promise<{ paymentId: string; donationId: string }> {
    const paymentId = randomUUID();
    const donationId = randomUUID();
    await store.ensurePayment({
      id: paymentId,
      donationId,
      streamerId: randomUUID(),
      provider: 'sandbox',
      orderId: paymentId,
      amountMinor: 5000,
      currency: 'IDR',
      expiresAt: new Date(Date.now() + 900_000),
      requestId: `req-${paymentId}`,
    });
    return { paymentId, donationId };
  }

  function webhook(orderId: string, eventId: string, claimed: PaymentStatus | null): PaymentVerifyJob {
    return {
      provider: 'sandbox',
      eventId,
      orderId,
      claimedStatus: claimed,
      fields: { amountMinor: '5000', currency: 'IDR' },
      receivedAt: new Date().toISOString(),
      requestId: `wh-${eventId}`,
    };
  }

  async function statusJobIds(donationId: string): Promise<string[]> {
    const ids: string[] = [];
    for (const s of ['paid', 'failed', 'expired', 'refunded'])
      if (await queue.getJob(`${donationId}-${s}`)) ids.push(s);
    return ids;
  }

  it('verifies 60 concurrent jobs (10 repeated deliveries) with one lookup and one transaction: each paid once, one status job each, inbox marked', async () => {
    const batcher = new VerifyBatcher(deps(), { maxBatch: 500, maxDelayMs: 5 });
    const lookups = countCalls(store, 'byOrders');
    const applies = countCalls(store, 'applyEvents');
    const payments = await Promise.all(Array.from({ length: 50 }, () => newPayment()));
    const jobs = payments.map((p) => webhook(p.paymentId, `ev-${p.paymentId}`, 'paid'));
    const repeats = jobs.slice(0, 10);
    for (const job of jobs) await store.recordWebhook(job);
    try {
      const results = await Promise.all([...jobs, ...repeats].map((j) => batcher.verify(j)));
      expect(results).to.deep.equal(Array(60).fill('paid'));
      // All 60 were queued in the same tick: one lookup and one commit for them all.
      expect(lookups.calls).to.deep.equal([60]);
      expect(applies.calls).to.deep.equal([60]);
    } finally {
      delete (store as unknown as Record<string, unknown>).byOrders;
      delete (store as unknown as Record<string, unknown>).applyEvents;
    }
    const ids = payments.map((p) => p.paymentId);
    const rows = await query<{ status: string; n: number; events: number; unverified: number }>(
      url('payment'),
      `select (select count(*) from payments where id = any($1::uuid[]) and status = 'paid')::int as n,
              (select count(*) from provider_events where payment_id = any($1::uuid[]))::int as events,
              (select count(*) from webhook_inbox where event_id = any($2::text[]) and verified_at is null)::int as unverified`,
      [ids, jobs.map((j) => j.eventId)],
    );
    expect(rows[0]).to.include({ n: 50, events: 50, unverified: 0 });
    for (const p of payments) expect(await statusJobIds(p.donationId)).to.deep.equal(['paid']);
  });

  it('fails only the bad job of a batch (an event id Postgres refuses, an unknown order); the others are applied', async () => {
    const batcher = new VerifyBatcher(deps(), { maxBatch: 500, maxDelayMs: 5 });
    const payments = await Promise.all(Array.from({ length: 5 }, () => newPayment()));
    const bad = await newPayment();
    const results = await Promise.allSettled([
      ...payments.map((p) => batcher.verify(webhook(p.paymentId, `ev-${p.paymentId}`, 'paid'))),
      // A NUL character in text makes the multi-row INSERT fail for the whole batch.
      batcher.verify(webhook(bad.paymentId, 'ev-\u0000-bad', 'paid')),
      batcher.verify(webhook(randomUUID(), `ev-${randomUUID()}`, 'paid')),
    ]);
    expect(results.slice(0, 5).map((r) => r.status)).to.deep.equal(Array(5).fill('fulfilled'));
    expect(results[5]!.status).to.equal('rejected');
    expect(results[6]!.status).to.equal('rejected');
    expect(String((results[6] as PromiseRejectedResult).reason)).to.match(/No sandbox payment for order/);
    for (const p of payments) expect(await statusJobIds(p.donationId)).to.deep.equal(['paid']);
    expect((await store.byId(bad.paymentId)).status).to.equal('pending');
    expect(await statusJobIds(bad.donationId)).to.deep.equal([]);
  });

  it('counts a provider event delivered twice in the same batch once', async () => {
    const p = await newPayment();
    const outcomes = await store.applyEvents(
      [1, 2].map(() => ({
        provider: 'sandbox' as const,
        eventId: `ev-dup-${p.paymentId}`,
        paymentId: p.paymentId,
        claimedStatus: 'paid' as const,
        confirmedStatus: 'paid' as const,
        receivedAt: new Date(),
      })),
    );
    expect(outcomes.map((o) => [o.firstDelivery, o.moved, o.payment.status])).to.deep.equal([
      [true, true, 'paid'],
      [false, false, 'paid'],
    ]);
    const events = await query<{ n: number }>(
      url('payment'),
      'select count(*)::int as n from provider_events where payment_id = $1',
      [p.paymentId],
    );
    expect(events[0]!.n).to.equal(1);
  });

  it('never moves a payment backwards within a batch; paid then refunded in one batch tells the donation side both', async () => {
    const batcher = new VerifyBatcher(deps(), { maxBatch: 500, maxDelayMs: 5 });
    const settled = await newPayment();
    const refunded = await newPayment();
    const results = await Promise.all([
      batcher.verify(webhook(settled.paymentId, `ev-a-${settled.paymentId}`, 'paid')),
      batcher.verify(webhook(settled.paymentId, `ev-b-${settled.paymentId}`, 'pending')),
      batcher.verify(webhook(settled.paymentId, `ev-c-${settled.paymentId}`, 'expired')),
      batcher.verify(webhook(settled.paymentId, `ev-d-${settled.paymentId}`, 'failed')),
      batcher.verify(webhook(refunded.paymentId, `ev-a-${refunded.paymentId}`, 'paid')),
      batcher.verify(webhook(refunded.paymentId, `ev-b-${refunded.paymentId}`, 'refunded')),
    ]);
    expect(results[0]).to.equal('paid');
    expect(results[5]).to.equal('refunded');
    expect((await store.byId(settled.paymentId)).status).to.equal('paid');
    expect((await store.byId(refunded.paymentId)).status).to.equal('refunded');
    expect(await statusJobIds(settled.donationId)).to.deep.equal(['paid']);
    // The paid job is not swallowed by the refund: the donation is paid (and alerts) first.
    expect(await statusJobIds(refunded.donationId)).to.deep.equal(['paid', 'refunded']);
  });

  describe('donation-status batcher', () => {
    let donations: DonationStore;
    let statuses: DonationStatusBatcher;
    const streamerId = randomUUID();

    before(() => {
      donations = new DonationStore(donationOrm, redis, prefix, limits, log);
      statuses = new DonationStatusBatcher(donationOrm, redis, prefix, limits, log, donations, {
        maxBatch: 500,
        maxDelayMs: 5,
      });
    });

    async function newDonation(): Promise<string> {
      const donationId = randomUUID();
      await donations.create({
        donationId,
        streamerId,
        donorName: 'Budi',
        donorUserId: null,
        anonymous: false,
        amountMinor: 5000,
        currency: 'IDR',
        message: 'halo',
        provider: 'sandbox',
        idempotencyKey: null,
        mediaShare: null,
        createdAt: new Date().toISOString(),
        requestId: `req-${donationId}`,
      });
      return donationId;
    }

    /** donation.paid entries of the global stream, by donation id. */
    async function paidAlerts(): Promise<Map<string, number>> {
      const entries = await redis.xrange(STREAMS.donationEvents(prefix), '-', '+');
      const counts = new Map<string, number>();
      for (const [, fields] of entries) {
        const data = JSON.parse(fields[fields.indexOf('data') + 1]!) as { type: string; donationId: string };
        if (data.type === 'donation.paid')
          counts.set(data.donationId, (counts.get(data.donationId) ?? 0) + 1);
      }
      return counts;
    }

    const job = (donationId: string, status: 'paid' | 'failed' | 'expired' | 'refunded') => ({
      donationId,
      paymentId: randomUUID(),
      status,
      requestId: `wh-${donationId}`,
    });

    it('moves 40 concurrent paid jobs (plus repeats) in one UPDATE and publishes each alert once, marked published', async () => {
      const ids = await Promise.all(Array.from({ length: 40 }, () => newDonation()));
      const results = await Promise.all(
        [...ids, ...ids.slice(0, 8)].map((d) => statuses.apply(job(d, 'paid'))),
      );
      expect(results.filter((r) => r === 'moved')).to.have.length(40);
      const alerts = await paidAlerts();
      for (const d of ids) expect(alerts.get(d), d).to.equal(1);
      const rows = await query<{ n: number }>(
        url('donation'),
        `select count(*)::int as n from donations where id = any($1::uuid[]) and status = 'paid' and alert_published_at is not null`,
        [ids],
      );
      expect(rows[0]!.n).to.equal(40);
      // A later delivery of the same job publishes nothing again.
      expect(await statuses.apply(job(ids[0]!, 'paid'))).to.equal('unchanged');
      expect((await paidAlerts()).get(ids[0]!)).to.equal(1);
    });

    it('fails only the job whose donation is not written yet', async () => {
      const ok = await newDonation();
      const results = await Promise.allSettled([
        statuses.apply(job(ok, 'paid')),
        statuses.apply(job(randomUUID(), 'paid')),
      ]);
      expect(results[0]).to.deep.equal({ status: 'fulfilled', value: 'moved' });
      expect(results[1].status).to.equal('rejected');
      expect(String((results[1] as PromiseRejectedResult).reason)).to.match(/is not written yet/);
      expect((await paidAlerts()).get(ok)).to.equal(1);
    });

    it('keeps a donation paid when failed or expired follow in the same batch, and alerts a donation paid then refunded in one batch', async () => {
      const kept = await newDonation();
      const refunded = await newDonation();
      await Promise.all([
        statuses.apply(job(kept, 'paid')),
        statuses.apply(job(kept, 'failed')),
        statuses.apply(job(kept, 'expired')),
        statuses.apply(job(refunded, 'paid')),
        statuses.apply(job(refunded, 'refunded')),
      ]);
      const rows = await query<{ id: string; status: string }>(
        url('donation'),
        'select id, status from donations where id = any($1::uuid[])',
        [[kept, refunded]],
      );
      expect(Object.fromEntries(rows.map((r) => [r.id, r.status]))).to.deep.equal({
        [kept]: 'paid',
        [refunded]: 'refunded',
      });
      const alerts = await paidAlerts();
      expect(alerts.get(kept)).to.equal(1);
      expect(alerts.get(refunded)).to.equal(1);
    });

    it('leaves a paid donation whose publish never happened (a crash after the commit) to the reconciler, which alerts it once', async () => {
      const d = await newDonation();
      await query(url('donation'), `update donations set status = 'paid', paid_at = now() where id = $1`, [
        d,
      ]);
      expect(await donations.republishUnalerted(0)).to.be.greaterThan(0);
      expect((await paidAlerts()).get(d)).to.equal(1);
      // The job's own retry after that changes nothing and publishes nothing.
      expect(await statuses.apply(job(d, 'paid'))).to.equal('unchanged');
      expect((await paidAlerts()).get(d)).to.equal(1);
    });

    it('publishes on the retry of a paid job whose first delivery committed but did not publish', async () => {
      const d = await newDonation();
      await query(url('donation'), `update donations set status = 'paid', paid_at = now() where id = $1`, [
        d,
      ]);
      expect(await statuses.apply(job(d, 'paid'))).to.equal('unchanged');
      expect((await paidAlerts()).get(d)).to.equal(1);
      const rows = await query<{ published: boolean }>(
        url('donation'),
        'select alert_published_at is not null as published from donations where id = $1',
        [d],
      );
      expect(rows[0]!.published).to.equal(true);
    });
  });
});
