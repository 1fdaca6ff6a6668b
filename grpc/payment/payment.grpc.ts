/** PaymentService handlers: checkouts through the checkout queue, webhooks into the verify queue. */
import type { QueueEvents } from 'bullmq';
import { uuidv7 } from 'uuidv7';
import { z } from 'zod';
import type { PaymentServiceHandlers } from '../../proto/generated/mediashar/v1/PaymentService.js';
import type { Checkout } from '../../proto/generated/mediashar/v1/Checkout.js';
import type { Payment } from '../../proto/generated/mediashar/v1/Payment.js';
import { requestIdOf, unary } from '../../shared/grpc.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../shared/errors.js';
import { isStreamerOrAllowed, type CallerVerifier } from '../../shared/caller-identity.js';
import { PROVIDERS } from '../../shared/config.js';
import {
  QUEUES,
  checkoutJobId,
  safeJobId,
  type PaymentVerifyJob,
  type TypedQueue,
} from '../../shared/queues.js';
import type { Logger } from '../../shared/logger.js';
import type { PaymentRow } from './payment.db.js';
import type { PaymentStore } from './payment.store.js';
import { CHECKOUT_AMOUNT_MISMATCH, toCheckoutView, type CheckoutView } from './payment.flows.js';
import { providerFor, type ProviderRegistry } from './providers/providers.js';
import type { WebhookIntake } from './webhook-intake.js';

export interface PaymentServiceDeps {
  store: PaymentStore;
  providers: ProviderRegistry;
  checkoutQueue: TypedQueue<'checkout'>;
  checkoutEvents: QueueEvents;
  verifyQueue: TypedQueue<'payment-verify'>;
  /** Verified webhooks into the inbox and the verify queue, group-committed. */
  webhooks: Pick<WebhookIntake, 'accept'>;
  /** Default wait for the checkout worker, in ms. */
  checkoutWaitMs: number;
  /** Verifies the end user a call acts for (RefundPayment's owner check). */
  callers: CallerVerifier;
  log: Logger;
}

const checkoutSchema = z.object({
  donationId: z.uuid('donationId must be a UUID'),
  provider: z.enum(PROVIDERS, 'provider is not a known provider'),
  amount: z.object({
    amountMinor: z.number().int().positive('amount must be greater than zero'),
    currency: z.string().regex(/^[A-Z]{3}$/, 'currency must be an ISO 4217 code'),
  }),
  donorName: z.string().max(64),
  description: z.string().max(255),
  waitMs: z.number().int().min(0).max(30_000),
});

/** The refusal of a checkout for another amount than the donation's (INVALID_ARGUMENT). */
function amountMismatch(): ValidationError {
  return new ValidationError(`amount ${CHECKOUT_AMOUNT_MISMATCH}`, {
    fields: { amount: 'must be the amount and currency of the donation' },
  });
}

function toProtoCheckout(v: CheckoutView): Checkout {
  return { ...v };
}

function toProtoPayment(p: PaymentRow): Payment {
  return {
    id: p.id,
    donationId: p.donationId,
    provider: p.provider,
    orderId: p.orderId,
    amount: { amountMinor: p.amountMinor, currency: p.currency },
    status: p.status,
    checkoutUrl: p.checkoutUrl ?? '',
    expiresAt: p.expiresAt.toISOString(),
    createdAt: p.createdAt.toISOString(),
  };
}

/** Lower-cased header map; only string values. */
function normaliseHeaders(headers: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]));
}

export function paymentHandlers(deps: PaymentServiceDeps): PaymentServiceHandlers {
  const { log } = deps;
  return {
    CreateCheckout: unary(log, 'CreateCheckout', async (request, call) => {
      const parsed = checkoutSchema.safeParse(request);
      if (!parsed.success) {
        throw new ValidationError(parsed.error.issues.map((i) => i.message).join('; '), {
          fields: Object.fromEntries(parsed.error.issues.map((i) => [i.path.join('.'), i.message])),
        });
      }
      const r = parsed.data;
      providerFor(deps.providers, r.provider);
      const requestId = requestIdOf(call);
      // The payment's amount is the donation row's: a caller asking for another one is refused.
      const isDonationAmount = (m: { amountMinor: number; currency: string }) =>
        m.amountMinor === r.amount.amountMinor && m.currency === r.amount.currency;
      const jobId = checkoutJobId(r.donationId);
      // Usually DonationService queued the checkout with the row it wrote (checkout-handoff.ts),
      // and no payment row exists yet to read: the job holds the row's amount.
      let job = await deps.checkoutQueue.getJob(jobId);
      if (job?.data.donationRow && !isDonationAmount(job.data)) throw amountMismatch();
      if (!job) {
        // No job: it finished (the payment row holds the checkout), or it was never queued or
        // was lost with Redis's data; queued again here, the worker checks it against the row.
        const existing = await deps.store.byDonation(r.donationId);
        if (existing && !isDonationAmount(existing)) throw amountMismatch();
        if (existing && existing.checkoutState !== 'creating')
          return toProtoCheckout(toCheckoutView(existing));
        job = await deps.checkoutQueue.add(
          QUEUES.checkout.jobs.create,
          {
            paymentId: existing?.id ?? uuidv7(),
            donationId: r.donationId,
            provider: r.provider,
            amountMinor: r.amount.amountMinor,
            currency: r.amount.currency,
            donorName: r.donorName,
            description: r.description,
            requestId,
          },
          { jobId },
        );
      }
      const waitMs = r.waitMs || deps.checkoutWaitMs;
      try {
        const view = (await job.waitUntilFinished(deps.checkoutEvents, waitMs)) as CheckoutView;
        log.debug(
          { donationId: r.donationId, paymentId: view.paymentId, requestId, state: view.state },
          'checkout answered',
        );
        return toProtoCheckout(view);
      } catch (err) {
        // The worker compared the amount with the donation row and refused: say so, and drop the
        // refused job so that it does not stand in for the donation's real checkout.
        const settled = await deps.checkoutQueue.getJob(jobId).catch(() => undefined);
        if (settled?.failedReason?.startsWith(CHECKOUT_AMOUNT_MISMATCH)) {
          await settled.remove().catch(() => undefined);
          log.warn(
            { donationId: r.donationId, requestId },
            'checkout refused: amount differs from the donation',
          );
          throw amountMismatch();
        }
        // Finished (and removed) before the wait began listening: the row holds the checkout.
        const row = await deps.store.byDonation(r.donationId);
        if (row && row.checkoutState !== 'creating') return toProtoCheckout(toCheckoutView(row));
        // Not ready within the bound (or failed for now and retrying): the donor page polls.
        log.info(
          { donationId: r.donationId, requestId, err: (err as Error).message },
          'checkout not ready in time',
        );
        return {
          paymentId: job.data.paymentId,
          donationId: r.donationId,
          provider: r.provider,
          orderId: job.data.paymentId,
          state: 'creating',
          url: '',
          expiresAt: '',
          extras: {},
          paymentStatus: 'pending',
        };
      }
    }),

    GetCheckout: unary(log, 'GetCheckout', async (request) => {
      if (!z.uuid().safeParse(request.donationId).success)
        throw new ValidationError('donationId must be a UUID');
      const row = await deps.store.byDonation(request.donationId ?? '');
      if (!row) throw new NotFoundError(`No payment for donation ${request.donationId}`);
      return toProtoCheckout(toCheckoutView(row));
    }),

    HandleWebhook: unary(log, 'HandleWebhook', async (request, call) => {
      const provider = providerFor(deps.providers, request.provider ?? '');
      const requestId = requestIdOf(call);
      const raw = Buffer.from(request.rawBody ?? Buffer.alloc(0));
      const verified = await provider.verifyWebhook(raw, normaliseHeaders(request.headers));
      // Verified, but an event type we do not act on: acknowledge so the provider stops retrying.
      if (verified.ignore) return { accepted: true, eventId: verified.eventId };
      const job: PaymentVerifyJob = {
        provider: provider.name,
        eventId: verified.eventId,
        orderId: verified.orderId,
        claimedStatus: verified.claimedStatus,
        fields: { ...verified.fields, ...(verified.byProviderRef ? { byProviderRef: '1' } : {}) },
        receivedAt: new Date().toISOString(),
        requestId,
      };
      // Durable before the 2xx (inbox row and verify job, group-committed with concurrent
      // webhooks): a job lost with Redis's data is re-queued from the inbox.
      await deps.webhooks.accept(job);
      log.debug(
        { provider: provider.name, eventId: verified.eventId, orderId: verified.orderId, requestId },
        'webhook accepted',
      );
      return { accepted: true, eventId: verified.eventId };
    }),

    GetPayment: unary(log, 'GetPayment', async (request) => {
      if (request.paymentId) {
        if (!z.uuid().safeParse(request.paymentId).success)
          throw new ValidationError('paymentId must be a UUID');
        return toProtoPayment(await deps.store.byId(request.paymentId));
      }
      if (!z.uuid().safeParse(request.donationId).success)
        throw new ValidationError('donationId must be a UUID');
      const row = await deps.store.byDonation(request.donationId ?? '');
      if (!row) throw new NotFoundError(`No payment for donation ${request.donationId}`);
      return toProtoPayment(row);
    }),

    ConfirmCheckout: unary(log, 'ConfirmCheckout', async (request, call) => {
      if (!z.uuid().safeParse(request.donationId).success)
        throw new ValidationError('donationId must be a UUID');
      const row = await deps.store.byDonation(request.donationId ?? '');
      if (!row) throw new NotFoundError(`No payment for donation ${request.donationId}`);
      if (row.status === 'pending' && row.checkoutState === 'ready') {
        // A verification that claims nothing: the worker asks the provider's status API.
        const eventId = `return-${row.id}-${Date.now().toString(36)}`;
        await deps.verifyQueue.add(
          QUEUES.paymentVerify.jobs.verify,
          {
            provider: row.provider,
            eventId,
            orderId: row.orderId,
            claimedStatus: null,
            fields: {},
            receivedAt: new Date().toISOString(),
            requestId: requestIdOf(call),
          },
          { jobId: safeJobId(row.provider, eventId) },
        );
      }
      return toProtoCheckout(toCheckoutView(row));
    }),

    RefundPayment: unary(log, 'RefundPayment', async (request, call) => {
      // Only the donation's streamer (their verified access token) or an admin refunds here; a
      // provider's own refund arrives as a verified webhook instead.
      const caller = await deps.callers.callerOf(call);
      if (!z.uuid().safeParse(request.donationId).success)
        throw new ValidationError('donationId must be a UUID');
      const row = await deps.store.byDonation(request.donationId ?? '');
      if (!row) throw new NotFoundError(`No payment for donation ${request.donationId}`);
      // A payment recorded before its streamer was (streamer_id null): an admin's refund only.
      const allowed = row.streamerId
        ? isStreamerOrAllowed(caller, row.streamerId, { admin: true })
        : caller.kind === 'user' && caller.role === 'admin';
      if (!allowed) {
        log.warn({ donationId: row.donationId, caller: caller.kind }, 'refund refused: not the owner');
        throw new ForbiddenError('Only the streamer of this donation may refund it');
      }
      if (row.status !== 'paid')
        throw row.status === 'refunded'
          ? new ConflictError('This donation is already refunded')
          : new ValidationError(`Only a paid payment can be refunded (this one is ${row.status})`);
      const provider = providerFor(deps.providers, row.provider);
      await provider.refund({
        orderId: row.orderId,
        providerRef: row.providerRef,
        amount: { amountMinor: row.amountMinor, currency: row.currency },
      });
      // The refund is applied through the same verified-event path as a provider's webhook.
      await deps.verifyQueue.add(
        QUEUES.paymentVerify.jobs.verify,
        {
          provider: row.provider,
          eventId: `refund-${row.id}`,
          orderId: row.orderId,
          claimedStatus: 'refunded',
          fields: {},
          receivedAt: new Date().toISOString(),
          requestId: requestIdOf(call),
        },
        { jobId: safeJobId(row.provider, 'refund', row.id) },
      );
      return toProtoPayment(row);
    }),
  };
}
