import type { ProviderName } from '../../../shared/config.js';
import type { Money } from '../../../shared/money.js';
import type { PaymentStatus } from '../../../shared/queues.js';

/** What a checkout needs from us. */
export interface CheckoutInput {
  paymentId: string;
  donationId: string;
  /** Our order reference at the provider. */
  orderId: string;
  amount: Money;
  donorName: string;
  description: string;
  expiresAt: Date;
}

/** What the donor is handed. */
export interface CheckoutResult {
  /** Redirect URL (hosted page, Snap redirect, approval link). */
  url: string;
  /** The provider's own id (Checkout Session id, PayPal order id), if any. */
  providerRef?: string;
  /** Extras for the donor page: Snap token, QR string… */
  extras?: Record<string, string>;
  expiresAt: Date;
}

/** A webhook whose signature verified. */
export interface VerifiedWebhook {
  /** Unique per provider event; duplicates of one delivery share it. */
  eventId: string;
  /** Our order reference, or the provider's ref when that is all the event names. */
  orderId: string;
  /** True when orderId above is the provider's ref (e.g. a PaymentIntent id). */
  byProviderRef?: boolean;
  /** The status the event claims, or null when it carries none we act on. */
  claimedStatus: PaymentStatus | null;
  /**
   * Provider fields the verification worker may use (never secrets). Known keys: `amountMinor`
   * and `currency` (checked against the payment), `providerRef` (the provider's id to record).
   */
  fields: Record<string, string>;
  /** True when the event verified but names nothing to act on (an event type we do not handle). */
  ignore?: boolean;
}

/** A provider's answer to a status query. */
export interface ProviderStatus {
  status: PaymentStatus;
  providerRef?: string;
  /** The amount the provider holds for the order, when it says; checked against the payment. */
  amount?: Money;
}

/**
 * A payment provider plugin. Implementations use the provider's official SDK where one exists
 * and never log secrets.
 */
export interface PaymentProvider {
  readonly name: ProviderName;
  /**
   * True when the webhook alone must not change state and the worker must confirm through
   * {@link fetchStatus} first (Midtrans: "verify the status via the Get Status API").
   */
  readonly confirmsWithStatusApi: boolean;
  /** @throws ProviderUnavailableError (retry) or ProviderRejectedError (do not retry). */
  createCheckout(input: CheckoutInput): Promise<CheckoutResult>;
  /**
   * Verifies the signature over the raw bytes and parses the event.
   * @throws WebhookSignatureError when missing or invalid; nothing may be stored then.
   */
  verifyWebhook(rawBody: Buffer, headers: Record<string, string>): Promise<VerifiedWebhook>;
  /** The provider's current status of an order; null when the provider has none to tell. */
  fetchStatus(payment: { orderId: string; providerRef: string | null }): Promise<ProviderStatus | null>;
  /** Refunds a paid order in full. */
  refund(payment: { orderId: string; providerRef: string | null; amount: Money }): Promise<void>;
}
