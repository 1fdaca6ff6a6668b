/**
 * PaymentService's webhook intake, group-committed (issue 15), on a real payment_db and Redis:
 * a burst of verified webhooks lands in the inbox and on the verify queue once per provider
 * event, in fewer writes than webhooks, and no caller is answered before its batch is durable.
 */
import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import type { MikroORM } from '@mikro-orm/postgresql';
import { Redis } from 'ioredis';
import { dropDatabase, migrateDatabase, openDatabase } from '../../shared/database.js';
import { openQueue, verifyJobId, type PaymentVerifyJob, type TypedQueue } from '../../shared/queues.js';
import { paymentDatabase } from '../../grpc/payment/payment.db.js';
import { WebhookIntake } from '../../grpc/payment/webhook-intake.js';
import { deleteRedisPrefix } from '../support/system.js';
import { query } from '../support/db.js';

function webhook(n: number): PaymentVerifyJob {
  return {
    provider: 'sandbox',
    eventId: `evt-${n}`,
    orderId: `order-${n}`,
    claimedStatus: 'paid',
    fields: { amountMinor: String(1000 * n), currency: 'IDR' },
    receivedAt: new Date().toISOString(),
    requestId: `req-${n}`,
  };
}

describe('webhook intake (group commit of the inbox insert and the verify jobs)', function () {
  this.timeout(120_000);
  const id = `wi${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const url = `postgres://postgres@127.0.0.1:5432/ms_${id}_payment`;
  const prefix = `ms-${id}`;
  let orm: MikroORM;
  let redis: Redis;
  let queue: TypedQueue<'payment-verify'>;

  before(async () => {
    await migrateDatabase(paymentDatabase(url));
    orm = await openDatabase(paymentDatabase(url, 5));
    redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
    queue = openQueue('payment-verify', redis, prefix);
  });

  afterEach(async () => {
    await query(url, 'delete from webhook_inbox');
    await queue.obliterate({ force: true });
  });

  after(async () => {
    await queue?.close();
    redis?.disconnect();
    await orm?.close();
    await dropDatabase(url);
    await deleteRedisPrefix(prefix);
  });

  /** The queue with its addBulk calls counted (and failing while `failing` is set). */
  function countedQueue(state: { failing: boolean }) {
    const sizes: number[] = [];
    const counted = Object.create(queue) as TypedQueue<'payment-verify'>;
    counted.addBulk = (jobs) => {
      sizes.push(jobs.length);
      if (state.failing) return Promise.reject(new Error('Connection is closed.'));
      return queue.addBulk(jobs);
    };
    return { counted, sizes };
  }

  it('lands a burst of 60 webhooks (20 of them repeats) once each, in fewer writes than webhooks', async () => {
    const { counted, sizes } = countedQueue({ failing: false });
    const intake = new WebhookIntake(orm, counted, { maxDelayMs: 5 });
    // 40 distinct events; events 0–19 arrive twice in the same burst (a provider's retry).
    const burst = [
      ...Array.from({ length: 40 }, (_, i) => webhook(i)),
      ...Array.from({ length: 20 }, (_, i) => webhook(i)),
    ];
    await Promise.all(burst.map((w) => intake.accept(w)));
    const rows = await query<{ event_id: string; job: PaymentVerifyJob }>(
      url,
      'select event_id, job from webhook_inbox order by event_id',
    );
    expect(rows.map((r) => r.event_id).sort()).to.deep.equal(
      Array.from({ length: 40 }, (_, i) => `evt-${i}`).sort(),
    );
    expect(rows.find((r) => r.event_id === 'evt-7')?.job).to.deep.include({
      orderId: 'order-7',
      fields: { amountMinor: '7000', currency: 'IDR' },
    });
    const jobs = await queue.getJobs(['waiting', 'delayed', 'prioritized']);
    expect(jobs.map((j) => j.id).sort()).to.deep.equal(
      Array.from({ length: 40 }, (_, i) => verifyJobId('sandbox', `evt-${i}`)).sort(),
    );
    // One addBulk (and one inbox INSERT) per batch, each holding one job per distinct event.
    expect(sizes.length).to.be.lessThan(burst.length);
    expect(sizes.reduce((a, b) => a + b, 0)).to.equal(40);
  });

  it('lands a repeat of an event already in the inbox without a second row', async () => {
    const { counted } = countedQueue({ failing: false });
    const intake = new WebhookIntake(orm, counted);
    await intake.accept(webhook(1));
    await intake.accept({ ...webhook(1), requestId: 'req-again' });
    const rows = await query<{ job: PaymentVerifyJob }>(url, 'select job from webhook_inbox');
    expect(rows).to.have.length(1);
    expect(rows[0]!.job.requestId).to.equal('req-1');
  });

  it('answers no caller while its batch cannot reach the verify queue', async () => {
    const state = { failing: true };
    const { counted } = countedQueue(state);
    const intake = new WebhookIntake(orm, counted);
    const outcomes = await Promise.allSettled([webhook(1), webhook(2)].map((w) => intake.accept(w)));
    expect(outcomes.map((o) => o.status)).to.deep.equal(['rejected', 'rejected']);
    // The provider retries; once Redis answers, the same events are accepted and queued once.
    state.failing = false;
    await Promise.all([webhook(1), webhook(2)].map((w) => intake.accept(w)));
    const jobs = await queue.getJobs(['waiting', 'delayed', 'prioritized']);
    expect(jobs.map((j) => j.id).sort()).to.deep.equal([
      verifyJobId('sandbox', 'evt-1'),
      verifyJobId('sandbox', 'evt-2'),
    ]);
  });
});
