import { expect } from 'chai';
import { createLogger } from '../../shared/logger.js';
import {
  checkoutJobId,
  type CheckoutCreateJob,
  type DonationCreateJob,
  type TypedQueue,
} from '../../shared/queues.js';
import { checkoutHandoff } from '../../grpc/donation/checkout-handoff.js';
import {
  CheckoutAmountMismatchError,
  createCheckout,
  type DonationFacts,
  type PaymentFlowDeps,
} from '../../grpc/payment/payment.flows.js';
import type { NewPayment, PaymentStore } from '../../grpc/payment/payment.store.js';
import type { PaymentRow } from '../../grpc/payment/payment.db.js';
import type { ProviderRegistry } from '../../grpc/payment/providers/providers.js';
import { SandboxProvider } from '../../grpc/payment/providers/sandbox.provider.js';

const log = createLogger('test', 'silent');

function donation(n: number, withCheckout = true): DonationCreateJob {
  return {
    donationId: `0190a000-0000-7000-8000-00000000000${n}`,
    streamerId: `0190b000-0000-7000-8000-00000000000${n}`,
    donorName: `Donor ${n}`,
    donorUserId: null,
    anonymous: false,
    amountMinor: 1_000_000 * n,
    currency: 'IDR',
    message: '',
    provider: 'sandbox',
    idempotencyKey: null,
    mediaShare: null,
    createdAt: new Date().toISOString(),
    requestId: `req-${n}`,
    ...(withCheckout ? { checkout: { description: `Donation to S${n}` } } : {}),
  };
}

/** A checkout queue that records what it is given (or fails). */
function fakeQueue(fail = false) {
  const calls: { name: string; data: CheckoutCreateJob; opts?: { jobId?: string } }[][] = [];
  const queue = {
    addBulk: (jobs: (typeof calls)[number]) => {
      calls.push(jobs);
      return fail ? Promise.reject(new Error('Connection is closed.')) : Promise.resolve([]);
    },
  } as unknown as TypedQueue<'checkout'>;
  return { queue, calls };
}

describe('checkoutHandoff (DonationService queues the checkout with the row it wrote)', () => {
  it('queues one job per written donation that asked for a checkout, in one addBulk, from the row', async () => {
    const { queue, calls } = fakeQueue();
    await checkoutHandoff(queue, log)([donation(1), donation(2, false), donation(3)]);
    expect(calls).to.have.length(1);
    expect(calls[0]!.map((j) => j.opts?.jobId)).to.deep.equal([
      checkoutJobId(donation(1).donationId),
      checkoutJobId(donation(3).donationId),
    ]);
    const first = calls[0]![0]!.data;
    expect(first).to.include({
      donationId: donation(1).donationId,
      amountMinor: 1_000_000,
      currency: 'IDR',
      donorName: 'Donor 1',
      description: 'Donation to S1',
      provider: 'sandbox',
      requestId: 'req-1',
    });
    // Marked as coming from the row: the checkout worker does not ask DonationService again.
    expect(first.donationRow).to.deep.equal({ streamerId: donation(1).streamerId });
    expect(calls[0]![1]!.data.amountMinor).to.equal(3_000_000);
  });

  it('adds nothing when no donation asked for a checkout', async () => {
    const { queue, calls } = fakeQueue();
    await checkoutHandoff(queue, log)([donation(1, false)]);
    expect(calls).to.deep.equal([]);
  });

  it('does not fail the written donations when Redis refuses the jobs (CreateCheckout queues them)', async () => {
    const { queue, calls } = fakeQueue(true);
    await checkoutHandoff(queue, log)([donation(1)]);
    expect(calls).to.have.length(1);
  });
});

describe('createCheckout (the checkout worker)', () => {
  /** Flow deps over an in-memory payment store; counts the donation lookups. */
  function flowDeps(facts: DonationFacts) {
    const lookups: string[] = [];
    const payments = new Map<string, PaymentRow>();
    const store = {
      ensurePayment: (p: NewPayment) => {
        const row: PaymentRow = payments.get(p.donationId) ?? {
          ...p,
          providerRef: null,
          status: 'pending',
          checkoutState: 'creating',
          checkoutUrl: null,
          extras: {},
          failureReason: null,
          createdAt: new Date(),
          updatedAt: new Date(),
          paidAt: null,
        };
        payments.set(p.donationId, row);
        return Promise.resolve(row);
      },
      setCheckout: (paymentId: string, result: { url: string; expiresAt: Date }) => {
        const row = [...payments.values()].find((p) => p.id === paymentId)!;
        Object.assign(row, { checkoutState: 'ready', checkoutUrl: result.url, expiresAt: result.expiresAt });
        return Promise.resolve(row);
      },
    } as unknown as PaymentStore;
    const providers: ProviderRegistry = new Map([
      ['sandbox', new SandboxProvider('secret', 'http://127.0.0.1:1')],
    ]);
    const deps: PaymentFlowDeps = {
      store,
      providers,
      awaitDonation: (donationId) => {
        lookups.push(donationId);
        return Promise.resolve(facts);
      },
      donationStatusQueue: {} as TypedQueue<'donation-status'>,
      checkoutTtlS: 900,
      log,
    };
    return { deps, lookups, payments };
  }

  const row = donation(4);
  const job = (amountMinor: number, fromRow: boolean): CheckoutCreateJob => ({
    paymentId: '0190c000-0000-7000-8000-000000000004',
    donationId: row.donationId,
    provider: 'sandbox',
    amountMinor,
    currency: 'IDR',
    donorName: row.donorName,
    description: 'Donation to S4',
    requestId: 'req-4',
    ...(fromRow ? { donationRow: { streamerId: row.streamerId } } : {}),
  });
  const facts: DonationFacts = {
    streamerId: row.streamerId,
    amount: { amountMinor: row.amountMinor, currency: 'IDR' },
  };

  it('makes no DonationService lookup for a job DonationService queued from the row', async () => {
    const { deps, lookups, payments } = flowDeps(facts);
    const view = await createCheckout(deps, job(row.amountMinor, true));
    expect(view.state).to.equal('ready');
    expect(lookups).to.deep.equal([]);
    expect(payments.get(row.donationId)).to.include({
      amountMinor: row.amountMinor,
      currency: 'IDR',
      streamerId: row.streamerId,
    });
  });

  it('checks any other job against the donation row and refuses another amount, recording nothing', async () => {
    const { deps, lookups, payments } = flowDeps(facts);
    const err = await createCheckout(deps, job(row.amountMinor / 4, false)).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(CheckoutAmountMismatchError);
    expect(lookups).to.deep.equal([row.donationId]);
    expect(payments.size).to.equal(0);
  });

  it('takes the streamer from the row for a job from another producer with the right amount', async () => {
    const { deps, lookups, payments } = flowDeps(facts);
    await createCheckout(deps, job(row.amountMinor, false));
    expect(lookups).to.have.length(1);
    expect(payments.get(row.donationId)?.streamerId).to.equal(row.streamerId);
  });
});
