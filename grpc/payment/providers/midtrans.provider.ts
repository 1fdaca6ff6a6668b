/**
 * Midtrans through the official `midtrans-client` SDK: Snap transactions (token + redirect URL;
 * QRIS, GoPay, ShopeePay, bank-transfer VAs, cards) or a direct QRIS charge through the Core API,
 * HTTP notifications checked with `signature_key`, and the Get Status API as the authority
 * (docs.midtrans.com/docs/https-notification-webhooks: "verify the notification by calling the
 * Get Status API").
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import midtransClient from 'midtrans-client';
import {
  ProviderRejectedError,
  ProviderUnavailableError,
  WebhookSignatureError,
} from '../../../shared/errors.js';
import { fromMidtransGrossAmount, toMidtransGrossAmount, type Money } from '../../../shared/money.js';
import type { PaymentStatus } from '../../../shared/queues.js';
import type {
  CheckoutInput,
  CheckoutResult,
  PaymentProvider,
  ProviderStatus,
  VerifiedWebhook,
} from './payment-provider.js';

/** How a Midtrans checkout is made. */
export type MidtransCheckoutMode = 'snap' | 'qris';

export interface MidtransOptions {
  serverKey: string;
  clientKey?: string;
  isProduction: boolean;
  /** Core API base URL override (default: the SDK's sandbox/production host). */
  apiUrl?: string;
  /** Snap API base URL override, including `/snap/v1` (default: the SDK's host). */
  snapUrl?: string;
  mode: MidtransCheckoutMode;
  /** Gateway public URL, for the Snap finish redirect. */
  publicUrl: string;
}

/**
 * `signature_key` of a Midtrans notification or status answer: hex SHA-512 of
 * order_id + status_code + gross_amount (the string exactly as sent, e.g. "50000.00") + server key.
 */
export function midtransSignature(
  orderId: string,
  statusCode: string,
  grossAmount: string,
  serverKey: string,
): string {
  return createHash('sha512').update(`${orderId}${statusCode}${grossAmount}${serverKey}`).digest('hex');
}

/**
 * Our payment status for a Midtrans `transaction_status` × `fraud_status` (DESIGN.md; Midtrans
 * "Transaction Status" table): capture/settlement with fraud accept → paid, challenge waits,
 * deny/cancel/expire/failure fail, refund/chargeback → refunded. Partial refunds leave the
 * payment paid (null: nothing to act on).
 */
export function midtransStatus(
  transactionStatus: string,
  fraudStatus: string | undefined,
): PaymentStatus | null {
  switch (transactionStatus) {
    case 'capture':
    case 'settlement':
      if (fraudStatus === 'challenge') return 'pending';
      if (fraudStatus === 'deny') return 'failed';
      return 'paid';
    case 'pending':
    case 'authorize':
      return 'pending';
    case 'deny':
    case 'cancel':
    case 'failure':
      return 'failed';
    case 'expire':
      return 'expired';
    case 'refund':
    case 'chargeback':
      return 'refunded';
    default:
      return null;
  }
}

/**
 * A stable id for a notification. Midtrans sends none, so it is built from what the signature
 * covers (order_id, status_code, gross_amount: docs.midtrans.com "Handling HTTP Notification")
 * and the status class the notification claims. `transaction_status` is not signed, so only its
 * class (paid, pending, failed, expired, refunded, none: at most six) takes part, never its raw
 * text; it is needed because a settlement and its later refund carry the same signed fields
 * (both status_code 200). Anything else unsigned (transaction_time, transaction_id, messages) is
 * left out, so a replay with a new transaction_time collapses into the event already recorded
 * instead of costing a status call and a row.
 */
export function midtransEventId(n: Record<string, unknown>): string {
  const claimed = midtransStatus(str(n.transaction_status), str(n.fraud_status) || undefined) ?? 'none';
  const parts = [str(n.order_id), str(n.status_code), str(n.gross_amount), claimed];
  return `mt-${createHash('sha256').update(parts.join('|')).digest('hex').slice(0, 40)}`;
}

/** Midtrans wants "yyyy-MM-dd HH:mm:ss Z" for Snap `expiry.start_time`. */
function midtransTime(d: Date): string {
  return `${d.toISOString().slice(0, 19).replace('T', ' ')} +0000`;
}

/**
 * Maps an SDK error to ours without its raw HTTP data (which carries the Authorization header).
 * 4xx other than 404/409/429 is a refusal; the rest is worth retrying.
 */
function providerError(err: unknown, what: string): Error {
  if (err instanceof midtransClient.MidtransError) {
    const code = err.httpStatusCode ?? 0;
    const body = (err.ApiResponse ?? {}) as { status_message?: unknown };
    const detail = typeof body.status_message === 'string' ? `: ${body.status_message.slice(0, 200)}` : '';
    if (code >= 400 && code < 500 && code !== 429 && code !== 409)
      return new ProviderRejectedError(`Midtrans refused ${what} (HTTP ${code}${detail})`);
    return new ProviderUnavailableError(`Midtrans ${what} failed (HTTP ${code || 'none'}${detail})`);
  }
  return new ProviderUnavailableError(`Midtrans ${what} failed: ${(err as Error).message}`);
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

export class MidtransProvider implements PaymentProvider {
  readonly name = 'midtrans' as const;
  readonly confirmsWithStatusApi = true;
  private readonly snap: InstanceType<typeof midtransClient.Snap>;
  private readonly core: InstanceType<typeof midtransClient.CoreApi>;

  constructor(private readonly options: MidtransOptions) {
    const sdk = {
      isProduction: options.isProduction,
      serverKey: options.serverKey,
      clientKey: options.clientKey,
    };
    this.snap = new midtransClient.Snap(sdk);
    this.core = new midtransClient.CoreApi(sdk);
    // The SDK has no base-URL option; its ApiConfig getters are the one place the hosts are read.
    for (const client of [this.snap, this.core]) {
      if (options.apiUrl) {
        const url = options.apiUrl.replace(/\/$/, '');
        client.apiConfig.getCoreApiBaseUrl = () => url;
      }
      if (options.snapUrl) {
        const url = options.snapUrl.replace(/\/$/, '');
        client.apiConfig.getSnapApiBaseUrl = () => url;
      }
    }
  }

  /**
   * Snap transaction (url = redirect_url, extras.snapToken) or, in `qris` mode, a Core API QRIS
   * charge (extras.qrString and extras.qrImageUrl for the donor page).
   * @throws {ValidationError} when the amount is not whole rupiah (never rounded).
   */
  async createCheckout(input: CheckoutInput): Promise<CheckoutResult> {
    const grossAmount = toMidtransGrossAmount(input.amount);
    const minutes = Math.max(1, Math.ceil((input.expiresAt.getTime() - Date.now()) / 60_000));
    const details = { order_id: input.orderId, gross_amount: grossAmount };
    const items = [{ id: 'donation', price: grossAmount, quantity: 1, name: input.description.slice(0, 50) }];
    const customer = { first_name: input.donorName.slice(0, 50) };
    if (this.options.mode === 'qris') {
      let res: Record<string, unknown>;
      try {
        res = await this.core.charge({
          payment_type: 'qris',
          transaction_details: details,
          item_details: items,
          customer_details: customer,
          qris: { acquirer: 'gopay' },
          custom_expiry: { expiry_duration: minutes, unit: 'minute' },
        });
      } catch (err) {
        throw providerError(err, 'the QRIS charge');
      }
      const actions = Array.isArray(res.actions) ? (res.actions as { name?: string; url?: string }[]) : [];
      const qrImageUrl = actions.find((a) => a.name === 'generate-qr-code')?.url ?? '';
      return {
        url: qrImageUrl,
        providerRef: str(res.transaction_id) || undefined,
        extras: { qrString: str(res.qr_string), qrImageUrl, paymentType: 'qris' },
        expiresAt: input.expiresAt,
      };
    }
    let res: { token: string; redirect_url: string };
    try {
      res = await this.snap.createTransaction({
        transaction_details: details,
        item_details: items,
        customer_details: customer,
        expiry: { start_time: midtransTime(new Date()), unit: 'minute', duration: minutes },
        // Back through our return route: an early status check, then the donation status page.
        callbacks: {
          finish: new URL(
            `/api/v1/checkout/midtrans/return?donation=${input.donationId}`,
            this.options.publicUrl,
          ).toString(),
        },
      });
    } catch (err) {
      throw providerError(err, 'the Snap transaction');
    }
    return { url: res.redirect_url, extras: { snapToken: res.token }, expiresAt: input.expiresAt };
  }

  /**
   * Checks `signature_key` (SHA-512 of order_id + status_code + gross_amount + server key) in
   * constant time. The signature does not cover `transaction_status`, so the status it claims is
   * only a hint: the worker asks the status API.
   * @throws {WebhookSignatureError}
   */
  verifyWebhook(rawBody: Buffer): Promise<VerifiedWebhook> {
    let n: Record<string, unknown>;
    try {
      n = JSON.parse(rawBody.toString('utf8')) as Record<string, unknown>;
    } catch {
      return Promise.reject(new WebhookSignatureError('Midtrans notification is not JSON'));
    }
    const orderId = str(n.order_id);
    const statusCode = str(n.status_code);
    const grossAmount = str(n.gross_amount);
    const given = Buffer.from(str(n.signature_key));
    const expected = Buffer.from(midtransSignature(orderId, statusCode, grossAmount, this.options.serverKey));
    if (!orderId || given.length !== expected.length || !timingSafeEqual(given, expected))
      return Promise.reject(new WebhookSignatureError());
    const fraudStatus = str(n.fraud_status) || undefined;
    const fields: Record<string, string> = {
      transactionStatus: str(n.transaction_status),
      paymentType: str(n.payment_type),
      grossAmount,
    };
    if (fraudStatus) fields.fraudStatus = fraudStatus;
    return Promise.resolve({
      eventId: midtransEventId(n),
      orderId,
      claimedStatus: midtransStatus(str(n.transaction_status), fraudStatus),
      fields,
    });
  }

  /** Get Status API; null when Midtrans has no transaction for the order (HTTP 404). */
  async fetchStatus(payment: { orderId: string }): Promise<ProviderStatus | null> {
    let res: Record<string, unknown>;
    try {
      res = await this.core.transaction.status(payment.orderId);
    } catch (err) {
      if (err instanceof midtransClient.MidtransError && err.httpStatusCode === 404) return null;
      throw providerError(err, 'the status check');
    }
    const status = midtransStatus(str(res.transaction_status), str(res.fraud_status) || undefined);
    if (!status) return null;
    let amount: Money | undefined;
    try {
      amount = str(res.gross_amount) ? fromMidtransGrossAmount(str(res.gross_amount)) : undefined;
    } catch {
      amount = undefined;
    }
    // Get Status names the currency ("IDR"); one that is not rupiah is not our payment's amount.
    const currency = str(res.currency).toUpperCase();
    if (amount && currency && currency !== amount.currency) amount = { ...amount, currency };
    return { status, providerRef: str(res.transaction_id) || undefined, amount };
  }

  /** Full refund through `POST /v2/{order_id}/refund` (idempotent by refund_key). */
  async refund(payment: { orderId: string; amount: Money }): Promise<void> {
    try {
      await this.core.transaction.refund(payment.orderId, {
        refund_key: `refund-${payment.orderId}`,
        amount: toMidtransGrossAmount(payment.amount),
        reason: 'Refunded by the streamer',
      });
    } catch (err) {
      throw providerError(err, 'the refund');
    }
  }
}
