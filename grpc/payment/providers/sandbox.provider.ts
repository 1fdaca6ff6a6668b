/**
 * The built-in sandbox provider: a local checkout page served by the gateway whose Pay and
 * Decline buttons send a webhook signed with HMAC-SHA256 over the raw body with the install
 * secret (header `X-Sandbox-Signature: sha256=<hex>`), through the same verification queue as
 * a real provider.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { ValidationError, WebhookSignatureError } from '../../../shared/errors.js';
import type { CheckoutInput, CheckoutResult, PaymentProvider, VerifiedWebhook } from './payment-provider.js';

/** Header carrying the sandbox signature. */
export const SANDBOX_SIGNATURE_HEADER = 'x-sandbox-signature';

/** Body of a sandbox webhook. */
export const sandboxWebhookSchema = z.object({
  eventId: z.string().min(1).max(100),
  orderId: z.string().min(1).max(100),
  status: z.enum(['paid', 'failed', 'expired', 'refunded']),
  amountMinor: z.number().int().positive(),
  currency: z.string().length(3),
  sentAt: z.string(),
});
export type SandboxWebhook = z.infer<typeof sandboxWebhookSchema>;

/** `sha256=<hex HMAC-SHA256 of body>` with the install secret. */
export function signSandboxBody(rawBody: string | Buffer, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}

export class SandboxProvider implements PaymentProvider {
  readonly name = 'sandbox' as const;
  readonly confirmsWithStatusApi = false;

  constructor(
    private readonly secret: string,
    private readonly publicUrl: string,
  ) {}

  createCheckout(input: CheckoutInput): Promise<CheckoutResult> {
    return Promise.resolve({
      url: new URL(`/sandbox/checkout/${input.paymentId}`, this.publicUrl).toString(),
      expiresAt: input.expiresAt,
    });
  }

  verifyWebhook(rawBody: Buffer, headers: Record<string, string>): Promise<VerifiedWebhook> {
    const given = headers[SANDBOX_SIGNATURE_HEADER] ?? '';
    const expected = signSandboxBody(rawBody, this.secret);
    const a = Buffer.from(given);
    const b = Buffer.from(expected);
    if (a.length !== b.length || !timingSafeEqual(a, b)) throw new WebhookSignatureError();
    let json: unknown;
    try {
      json = JSON.parse(rawBody.toString('utf8'));
    } catch {
      throw new ValidationError('Sandbox webhook body is not JSON');
    }
    // The signature is good, so the sender holds the secret: say exactly what is missing.
    const parsed = sandboxWebhookSchema.safeParse(json);
    if (!parsed.success) {
      const fields = Object.fromEntries(
        parsed.error.issues.map((i) => [i.path.join('.') || 'body', i.message]),
      );
      throw new ValidationError(`Sandbox webhook event is incomplete: ${Object.keys(fields).join(', ')}`, {
        fields,
      });
    }
    const body: SandboxWebhook = parsed.data;
    return Promise.resolve({
      eventId: body.eventId,
      orderId: body.orderId,
      claimedStatus: body.status,
      fields: { amountMinor: String(body.amountMinor), currency: body.currency },
    });
  }

  /** The signed webhook is the sandbox's authority: there is no status API to ask. */
  fetchStatus(): Promise<null> {
    return Promise.resolve(null);
  }

  refund(): Promise<void> {
    return Promise.resolve();
  }
}
