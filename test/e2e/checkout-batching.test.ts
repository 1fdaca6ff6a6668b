/**
 * The checkout pool's writes in groups (issue 15), against a freshly migrated payment_db:
 * concurrent checkouts share one multi-row INSERT of their payments and one UPDATE … FROM VALUES
 * of the provider's answers; each caller gets its own row, a donation asked twice gets one
 * payment, a bad item fails alone and an unknown payment is a NotFoundError.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { MikroORM } from '@mikro-orm/postgresql';
import { dropDatabase, migrateDatabase, openDatabase } from '../../shared/database.js';
import { NotFoundError } from '../../shared/errors.js';
import { paymentDatabase } from '../../grpc/payment/payment.db.js';
import { PaymentStore, type NewPayment } from '../../grpc/payment/payment.store.js';
import { query } from '../support/db.js';

const url = `postgres://postgres@127.0.0.1:5432/ms_cb_${randomBytes(4).toString('hex')}_payment`;

/** Counts the statements a private batch writer of the store runs, keeping what it does. */
function countBatches(store: PaymentStore, method: 'insertPayments' | 'writeCheckouts'): number[] {
  const sizes: number[] = [];
  const target = store as unknown as Record<string, (items: unknown[]) => Promise<unknown>>;
  const original = target[method]!.bind(store);
  target[method] = (items) => {
    sizes.push(items.length);
    return original(items);
  };
  return sizes;
}

function newPayment(overrides: Partial<NewPayment> = {}): NewPayment {
  const id = randomUUID();
  return {
    id,
    donationId: randomUUID(),
    streamerId: randomUUID(),
    provider: 'sandbox',
    orderId: id,
    amountMinor: 5_000_00,
    currency: 'IDR',
    expiresAt: new Date(Date.now() + 900_000),
    requestId: `req-${id}`,
    ...overrides,
  };
}

describe('checkout writes in groups (payment_db)', function () {
  this.timeout(60_000);
  const def = paymentDatabase(url, 4);
  let orm: MikroORM;
  let store: PaymentStore;

  before(async () => {
    await migrateDatabase(def);
    orm = await openDatabase(def);
  });
  beforeEach(() => {
    store = new PaymentStore(orm);
  });
  after(async () => {
    await orm?.close();
    await dropDatabase(url).catch(() => undefined);
  });

  it('inserts concurrent payments in one statement; a donation asked twice has one payment', async () => {
    const inserts = countBatches(store, 'insertPayments');
    const payments = Array.from({ length: 30 }, () => newPayment());
    // The same donation again, with another payment id: the first row is the answer to both.
    const again = newPayment({ donationId: payments[0]!.donationId });
    const rows = await Promise.all([...payments, again].map((p) => store.ensurePayment(p)));
    expect(inserts).to.deep.equal([31]);
    rows.slice(0, 30).forEach((row, i) => {
      const p = payments[i]!;
      expect(row).to.include({
        id: p.id,
        donationId: p.donationId,
        amountMinor: p.amountMinor,
        currency: p.currency,
        status: 'pending',
        checkoutState: 'creating',
        requestId: p.requestId,
      });
    });
    expect(rows[30]!.id).to.equal(payments[0]!.id);
    const stored = await query(url, 'select count(*)::int as n from payments where donation_id = any($1)', [
      payments.map((p) => p.donationId),
    ]);
    expect(stored[0]!.n).to.equal(30);
  });

  it('fails only the item the database refuses; the rest of its group is written', async () => {
    const taken = await store.ensurePayment(newPayment());
    // Same (provider, order_id) as a stored payment of another donation: a unique violation.
    const bad = newPayment({ orderId: taken.orderId });
    const good = Array.from({ length: 5 }, () => newPayment());
    const results = await Promise.allSettled([bad, ...good].map((p) => store.ensurePayment(p)));
    expect(results[0]!.status).to.equal('rejected');
    expect(results.slice(1).map((r) => r.status)).to.deep.equal(Array(5).fill('fulfilled'));
    const stored = await query(url, 'select donation_id from payments where donation_id = any($1)', [
      [bad, ...good].map((p) => p.donationId),
    ]);
    expect(stored.map((r) => r.donation_id)).to.have.members(good.map((p) => p.donationId));
  });

  it("records concurrent providers' answers in one statement; an unknown payment is a NotFoundError", async () => {
    const rows = await Promise.all(Array.from({ length: 20 }, () => store.ensurePayment(newPayment())));
    const updates = countBatches(store, 'writeCheckouts');
    const expiresAt = new Date(Date.now() + 600_000);
    const answers = rows.map((row, i) => ({
      url: `https://pay.example/${row.id}`,
      providerRef: i % 2 ? `ref-${i}` : undefined,
      extras: { qrString: `qr-${i}` },
      expiresAt,
    }));
    const missing = randomUUID();
    const results = await Promise.allSettled([
      ...rows.map((row, i) => store.setCheckout(row.id, answers[i]!)),
      store.setCheckout(missing, answers[0]!),
    ]);
    expect(updates).to.deep.equal([21]);
    results.slice(0, 20).forEach((r, i) => {
      expect(r.status).to.equal('fulfilled');
      const row = (r as PromiseFulfilledResult<Awaited<ReturnType<PaymentStore['setCheckout']>>>).value;
      expect(row).to.include({ id: rows[i]!.id, checkoutState: 'ready', checkoutUrl: answers[i]!.url });
      expect(row.providerRef).to.equal(answers[i]!.providerRef ?? null);
      expect(row.extras).to.deep.equal({ qrString: `qr-${i}` });
      expect(row.expiresAt.getTime()).to.equal(expiresAt.getTime());
    });
    expect((results[20] as PromiseRejectedResult).reason).to.be.instanceOf(NotFoundError);
  });
});
