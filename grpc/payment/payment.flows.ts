/**
 * What the payment workers do: create a checkout at the provider, and verify a webhook's event
 * (confirming with the provider's status API where the provider requires it) before moving the
 * payment forward and telling the donation side.
 */
import { AppError, ProviderRejectedError, ValidationError } from '../../shared/errors.js';
import type { Money } from '../../shared/money.js';
import {
  donationStatusJobName,
  type CheckoutCreateJob,
  type DonationStatusJob,
  type TypedQueue,
} from '../../shared/queues.js';
import type { Logger } from '../../shared/logger.js';
import type { PaymentRow } from './payment.db.js';
import type { PaymentStore } from './payment.store.js';
import type { ProviderRateLimit } from './provider-rate-limit.js';
import { providerFor, type ProviderRegistry } from './providers/providers.js';

/** Thrown when a webhook names an order we have not written yet: retried, then dropped. */
export class UnknownOrderError extends AppError {
  constructor(provider: string, orderId: string) {
    super('NOT_FOUND', `No ${provider} payment for order ${orderId}`);
  }
}

/** What the checkout takes from the donation row: its streamer and its amount. */
export interface DonationFacts {
  streamerId: string;
  /** The donation's amount in minor units: the only amount its payment may be for. */
  amount: Money;
}

/** The checkout as the gRPC service and the donor page see it. */
export interface CheckoutView {
  paymentId: string;
  donationId: string;
  provider: string;
  orderId: string;
  state: PaymentRow['checkoutState'];
  url: string;
  expiresAt: string;
  extras: Record<string, string>;
  paymentStatus: string;
}

export function toCheckoutView(p: PaymentRow): CheckoutView {
  return {
    paymentId: p.id,
    donationId: p.donationId,
    provider: p.provider,
    orderId: p.orderId,
    state: p.checkoutState,
    url: p.checkoutUrl ?? '',
    expiresAt: p.expiresAt.toISOString(),
    extras: p.extras,
    paymentStatus: p.status,
  };
}

export interface PaymentFlowDeps {
  store: PaymentStore;
  /**
   * For a checkout job not queued by DonationService (see CheckoutCreateJob.donationRow):
   * resolves once the donation's row is in donation_db (asked over DonationService.GetDonation);
   * throws a retryable error when it is not there yet. A checkout is only ever handed out for a
   * written donation, so losing Redis's data (and with it a queued donation.create) can never
   * leave a donor paying for a donation that has no row. Absent in tests of the flows alone.
   */
  awaitDonation?: (donationId: string, requestId: string) => Promise<DonationFacts>;
  providers: ProviderRegistry;
  /** Per-provider API rate limit (absent: unlimited, as in tests of the flows alone). */
  rateLimit?: ProviderRateLimit;
  donationStatusQueue: TypedQueue<'donation-status'>;
  checkoutTtlS: number;
  log: Logger;
}

/**
 * The donation-status job that tells the donation side about a payment's settled status, or
 * null while it is pending. Its job id is deterministic (`<donationId>-<status>`), so adding it
 * again is a no-op.
 */
export function donationStatusJob(
  payment: PaymentRow,
  requestId: string,
): { name: string; data: DonationStatusJob; opts: { jobId: string } } | null {
  if (payment.status === 'pending') return null;
  // Another amount was settled: the donation is not paid (no alert); it fails for the donor.
  const status = payment.status === 'amount_mismatch' ? 'failed' : payment.status;
  return {
    name: donationStatusJobName(status),
    // The donation's own request id (from its creation) follows it to the alert; the id of
    // the request that triggered this (a webhook, a sweep) is logged next to it by the caller.
    data: {
      donationId: payment.donationId,
      paymentId: payment.id,
      status,
      requestId: payment.requestId || requestId,
    },
    opts: { jobId: `${payment.donationId}-${status}` },
  };
}

/** Tells the donation side about a payment's settled status (idempotent by job id). */
export async function notifyDonation(
  deps: PaymentFlowDeps,
  payment: PaymentRow,
  requestId: string,
): Promise<void> {
  const job = donationStatusJob(payment, requestId);
  if (job) await deps.donationStatusQueue.add(job.name, job.data, job.opts);
}

/**
 * Start of the `failedReason` of a checkout job refused because the requested amount is not the
 * donation's; PaymentService.CreateCheckout turns it into INVALID_ARGUMENT for its caller.
 */
export const CHECKOUT_AMOUNT_MISMATCH = 'amount differs from the donation';

/** A checkout asked for another amount or currency than the donation row's (permanent). */
export class CheckoutAmountMismatchError extends ValidationError {
  constructor(requested: Money, donation: Money) {
    super(
      `${CHECKOUT_AMOUNT_MISMATCH}: requested ${requested.amountMinor} ${requested.currency}, ` +
        `the donation is ${donation.amountMinor} ${donation.currency}`,
      { fields: { amount: 'must be the amount and currency of the donation' } },
    );
  }
}

/**
 * `checkout.create`: records the payment with the donation row's amount and currency (never
 * the caller's: the job's own when DonationService queued it from the row, `donationRow`;
 * otherwise asked through `awaitDonation`), asks the provider once, stores the checkout.
 * @throws {CheckoutAmountMismatchError} when the job asks for another amount than the
 *   donation's: nothing is recorded, no provider is asked.
 */
export async function createCheckout(deps: PaymentFlowDeps, job: CheckoutCreateJob): Promise<CheckoutView> {
  const provider = providerFor(deps.providers, job.provider);
  const requested: Money = { amountMinor: job.amountMinor, currency: job.currency };
  // A job DonationService queued with the row it wrote carries the row's amount and streamer:
  // no question to DonationService. Any other job's amount is a caller's, checked against the
  // row (without a donation lookup, in tests of the flows alone, the job's amount stands in).
  const donation = job.donationRow
    ? { streamerId: job.donationRow.streamerId, amount: requested }
    : ((await deps.awaitDonation?.(job.donationId, job.requestId)) ?? { streamerId: '', amount: requested });
  if (
    donation.amount.amountMinor !== requested.amountMinor ||
    donation.amount.currency !== requested.currency
  )
    throw new CheckoutAmountMismatchError(requested, donation.amount);
  const payment = await deps.store.ensurePayment({
    id: job.paymentId,
    donationId: job.donationId,
    streamerId: donation.streamerId,
    provider: job.provider,
    orderId: job.paymentId,
    amountMinor: donation.amount.amountMinor,
    currency: donation.amount.currency,
    expiresAt: new Date(Date.now() + deps.checkoutTtlS * 1000),
    requestId: job.requestId,
  });
  if (payment.checkoutState !== 'creating') return toCheckoutView(payment);
  await deps.rateLimit?.(provider.name, 'checkout');
  try {
    const result = await provider.createCheckout({
      paymentId: payment.id,
      donationId: payment.donationId,
      orderId: payment.orderId,
      amount: { amountMinor: payment.amountMinor, currency: payment.currency },
      donorName: job.donorName,
      description: job.description,
      expiresAt: payment.expiresAt,
    });
    const ready = await deps.store.setCheckout(payment.id, result);
    // The create path's one info line (issue 15); the other steps log at debug.
    deps.log.info(
      { paymentId: payment.id, donationId: payment.donationId, requestId: job.requestId },
      'checkout ready',
    );
    return toCheckoutView(ready);
  } catch (err) {
    if (!(err instanceof ProviderRejectedError)) throw err;
    const failed = await deps.store.setCheckoutFailed(payment.id, err.message);
    await notifyDonation(deps, failed, job.requestId);
    return toCheckoutView(failed);
  }
}
