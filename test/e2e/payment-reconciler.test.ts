/**
 * The payment reconciler's webhook repair, against a freshly migrated payment_db and the shared
 * Redis under a prefix of its own: an accepted webhook whose verify job is gone is queued again,
 * and one whose job finished while the pass ran (verified, job removed) is not queued a second time.
 */
import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import type { MikroORM } from '@mikro-orm/postgresql';
import { Redis } from 'ioredis';
import { dropDatabase, migrateDatabase, openDatabase } from '../../shared/database.js';
import { createLogger } from '../../shared/logger.js';
import { openQueue, verifyJobId, type PaymentVerifyJob, type TypedQueue } from '../../shared/queues.js';
import { paymentDatabase } from '../../grpc/payment/payment.db.js';
import { PaymentStore } from '../../grpc/payment/payment.store.js';
import { paymentReconcilePass } from '../../grpc/payment/payment.reconciler.js';
import type { PaymentFlowDeps } from '../../grpc/payment/payment.flows.js';
import { deleteRedisPrefix } from '../support/system.js';
import { query } from '../support/db.js';

const id = `ms_rc_${randomBytes(4).toString('hex')}`;
const url = `postgres://postgres@127.0.0.1:5432/${id}_payment`;

describe('payment reconciler: webhooks whose verify job is gone', function () {
  this.timeout(60_000);
  const def = paymentDatabase(url, 2);
  let orm: MikroORM;
  let redis: Redis;
  let queue: TypedQueue<'payment-verify'>;
  let store: PaymentStore;

  before(async () => {
    await migrateDatabase(def);
    orm = await openDatabase(def);
    redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
    queue = openQueue('payment-verify', redis, id);
    store = new PaymentStore(orm);
  });
  after(async () => {
    await queue?.close();
    redis?.disconnect();
    await orm?.close();
    await deleteRedisPrefix(id);
    await dropDatabase(url).catch(() => undefined);
  });

  /** An inbox entry received a minute ago, past the reconciler's grace. */
  async function acceptedWebhook(eventId: string): Promise<PaymentVerifyJob> {
    const job: PaymentVerifyJob = {
      provider: 'sandbox',
      eventId,
      orderId: `order-${eventId}`,
      claimedStatus: 'paid',
      fields: {},
      receivedAt: new Date().toISOString(),
      requestId: `req-${eventId}`,
    };
    await store.recordWebhook(job);
    await query(
      url,
      "update webhook_inbox set received_at = now() - interval '1 minute' where event_id = $1",
      [eventId],
    );
    return job;
  }

  function pass(verifyQueue: TypedQueue<'payment-verify'>) {
    const deps = { store, log: createLogger('reconciler-test', 'silent') } as unknown as PaymentFlowDeps;
    return paymentReconcilePass(deps, verifyQueue, redis, id, {
      webhookGraceMs: 10_000,
      rebuildWindowMs: 3_600_000,
    });
  }

  it('queues again a webhook that is unverified and has no job', async () => {
    const job = await acceptedWebhook('lost-1');
    const report = await pass(queue)();
    expect(report.webhooksRequeued).to.equal(1);
    const queued = await queue.getJob(verifyJobId('sandbox', 'lost-1'));
    expect(queued?.data).to.deep.equal(job);
    await queued!.remove();
    await store.markWebhookVerified('sandbox', 'lost-1');
  });

  it('does not queue again a webhook verified while the pass looked for its job', async () => {
    await acceptedWebhook('raced-1');
    // The job finishes between the pass's read of the inbox and its look at the queue: the
    // worker marks the entry verified and the completed job is removed.
    const racing = Object.create(queue) as TypedQueue<'payment-verify'>;
    racing.getJob = async (jobId: string) => {
      if (jobId === verifyJobId('sandbox', 'raced-1')) {
        await store.markWebhookVerified('sandbox', 'raced-1');
        return undefined;
      }
      return queue.getJob(jobId);
    };
    const report = await pass(racing)();
    expect(report.webhooksRequeued).to.equal(0);
    expect(await queue.getJob(verifyJobId('sandbox', 'raced-1'))).to.equal(undefined);
  });
});
