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
 * The status to apply for a verified event, or null when nothing is confirmed. Never trusts an
 * amount that differs from the payment's (logged, no move).
 */
export async function confirmStatus(
  deps: { store: PaymentStore; log: Logger; rateLimit?: ProviderRateLimit },
  provider: PaymentProvider,
  payment: PaymentRow,
  job: PaymentVerifyJob,
): Promise<PaymentStatus | null> {
  const ctx = { paymentId: payment.id, eventId: job.eventId, requestId: job.requestId };
  let confirmed = job.claimedStatus;
  if (job.fields.amountMinor && job.fields.currency) {
    if (!sameAmount(payment, Number(job.fields.amountMinor), job.fields.currency)) {
      deps.log.warn(
        { ...ctx, claimed: job.fields.amountMinor, currency: job.fields.currency },
        'event amount differs from the payment: ignored',
      );
      return null;
    }
  }
  if (provider.confirmsWithStatusApi || job.claimedStatus === null) {
    await deps.rateLimit?.(provider.name, 'status');
    const answer = await provider.fetchStatus({ orderId: payment.orderId, providerRef: payment.providerRef });
    if (answer?.amount && !sameAmount(payment, answer.amount.amountMinor, answer.amount.currency)) {
      deps.log.warn(
        { ...ctx, status: answer.status },
        'provider amount differs from the payment: not applied',
      );
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
