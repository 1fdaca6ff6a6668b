/**
 * Deciding what a verified event really means before the state machine sees it: the provider's
 * status API where the provider requires it (Midtrans) or the event claims nothing (a sweep, a
 * donor's return, PayPal's order approval), the amount checked against the payment, and stale
 * unconfirmed payments expired by the sweeper.
 */
import type { PaymentStatus, PaymentVerifyJob } from '../../shared/queues.js';
import type { Logger } from '../../shared/logger.js';
import type { PaymentRow } from './payment.db.js';
import type { PaymentStore } from './payment.store.js';
import type { PaymentProvider } from './providers/payment-provider.js';
import type { ProviderRateLimit } from './provider-rate-limit.js';
import { paymentAmountMismatches } from '../../shared/metrics.js';

/** Job fields set by the sweeper (see payment-sweep.ts). */
export const SWEEP_FIELDS = {
  /** '1' on a sweeper's re-check. */
  sweep: 'sweep',
  /** ISO 8601: a payment whose checkout expired before this and that no provider confirms expires. */
  expireBefore: 'expireBefore',
} as const;

function sameAmount(payment: PaymentRow, amountMinor: number, currency: string): boolean {
  return payment.amountMinor === amountMinor && payment.currency === currency.toUpperCase();
}

/**
 * What a settlement of another amount or currency than the payment's becomes: a `paid` claim
 * turns into the terminal `amount_mismatch` (counted, logged, never an alert: DESIGN.md "Money
 * integrity"); any other status with a foreign amount is not acted on (null).
 */
function mismatched(
  deps: { log: Logger },
  provider: PaymentProvider,
  payment: PaymentRow,
  ctx: Record<string, string>,
  status: PaymentStatus | null,
  reported: { amountMinor: number | string; currency: string },
): PaymentStatus | null {
  deps.log.warn(
    {
      ...ctx,
      status,
      reportedMinor: String(reported.amountMinor),
      reportedCurrency: reported.currency,
      expectedMinor: payment.amountMinor,
      expectedCurrency: payment.currency,
    },
    'provider-reported amount differs from the payment',
  );
  if (status !== 'paid') return null;
  // Counted once per payment: a redelivery of the same settlement moves nothing.
  if (payment.status !== 'amount_mismatch') paymentAmountMismatches.inc({ provider: provider.name });
  return 'amount_mismatch';
}

/**
 * The status to apply for a verified event, or null when nothing is confirmed. A settlement of
 * an amount or currency that differs from the payment's (in the event's signed fields or in the
 * provider's status answer) becomes `amount_mismatch`, never `paid`.
 */
export async function confirmStatus(
  deps: { store: PaymentStore; log: Logger; rateLimit?: ProviderRateLimit },
  provider: PaymentProvider,
  payment: PaymentRow,
  job: PaymentVerifyJob,
): Promise<PaymentStatus | null> {
  const ctx = { paymentId: payment.id, eventId: job.eventId, requestId: job.requestId };
  let confirmed = job.claimedStatus;
  if (job.fields.amountMinor || job.fields.currency) {
    const reported = { amountMinor: Number(job.fields.amountMinor), currency: job.fields.currency ?? '' };
    if (!sameAmount(payment, reported.amountMinor, reported.currency)) {
      // A provider that also confirms through its status API decides with the status answer.
      if (!provider.confirmsWithStatusApi && job.claimedStatus !== null)
        return mismatched(deps, provider, payment, ctx, job.claimedStatus, reported);
      deps.log.warn(ctx, 'event amount differs from the payment: the status API decides');
    }
  }
  // A `paid` claim that names no amount is checked with the provider's status API (which does).
  const unpricedPaid = job.claimedStatus === 'paid' && !job.fields.amountMinor;
  if (provider.confirmsWithStatusApi || job.claimedStatus === null || unpricedPaid) {
    await deps.rateLimit?.(provider.name, 'status');
    const answer = await provider.fetchStatus({ orderId: payment.orderId, providerRef: payment.providerRef });
    if (answer?.amount && !sameAmount(payment, answer.amount.amountMinor, answer.amount.currency)) {
      confirmed = mismatched(deps, provider, payment, ctx, answer.status, answer.amount);
    } else if (answer?.status === 'paid' && !answer.amount) {
      // A settlement must name its amount: one that does not is not taken as paid.
      deps.log.warn(ctx, 'provider status names no amount: not applied');
      confirmed = null;
    } else {
      confirmed = answer?.status ?? null;
    }
  }
  const expireBefore = job.fields[SWEEP_FIELDS.expireBefore];
  if (
    expireBefore &&
    (confirmed === null || confirmed === 'pending') &&
    payment.expiresAt.getTime() < new Date(expireBefore).getTime()
  ) {
    confirmed = 'expired';
  }
  const ref = job.fields.providerRef;
  if (ref && ref !== payment.providerRef) await deps.store.setProviderRef(payment.id, ref);
  return confirmed;
}
