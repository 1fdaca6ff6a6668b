import type { PaymentStatus } from './queues.js';

/**
 * The forward-only payment state machine (DESIGN.md "Forward-only payment states"):
 * `pending → paid → refunded`, `pending → failed | expired`, and money that arrives after
 * expiry or failure (a QRIS code paid late) still becomes `paid`. Nothing ever moves back to
 * `pending`, and a late `failed` never undoes `paid`. A settlement of another amount or
 * currency than the payment's (DESIGN.md "Money integrity") ends in `amount_mismatch` from any
 * unpaid state; it is terminal: no later event makes that payment `paid`, so it never alerts.
 */
const ALLOWED_FROM: Record<PaymentStatus, readonly PaymentStatus[]> = {
  pending: [],
  paid: ['pending', 'failed', 'expired'],
  failed: ['pending'],
  expired: ['pending'],
  refunded: ['paid'],
  amount_mismatch: ['pending', 'failed', 'expired'],
};

/** States a payment (or donation) may be in for a move to `to` to apply. */
export function allowedPredecessors(to: PaymentStatus): readonly PaymentStatus[] {
  return ALLOWED_FROM[to];
}

/** True when `from → to` is a forward move. */
export function canTransition(from: PaymentStatus, to: PaymentStatus): boolean {
  return ALLOWED_FROM[to].includes(from);
}
