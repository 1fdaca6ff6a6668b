/**
 * payment_db: payments (one per donation attempt) and the log of every verified provider event.
 * Owned by payment-service and the payment worker pools; no other process connects.
 */
import { BigIntType, EntitySchema } from '@mikro-orm/postgresql';
import { Migration } from '@mikro-orm/migrations';
import type { DatabaseDefinition } from '../../shared/database.js';
import type { PaymentStatus } from '../../shared/queues.js';
import type { ProviderName } from '../../shared/config.js';

/** Where the provider checkout stands. */
export type CheckoutState = 'creating' | 'ready' | 'failed';

/** A payment row. Amount in integer minor units. */
export interface PaymentRow {
  id: string;
  donationId: string;
  /**
   * The streamer the donation is for, copied from the donation row at checkout; null only on
   * payments written before it was recorded (then only an admin may refund them).
   */
  streamerId: string | null;
  provider: ProviderName;
  /** Our reference at the provider (Midtrans order_id, Stripe metadata, PayPal custom_id). */
  orderId: string;
  /** The provider's own id once known (Stripe Checkout Session / PaymentIntent, PayPal order id). */
  providerRef: string | null;
  amountMinor: number;
  currency: string;
  status: PaymentStatus;
  checkoutState: CheckoutState;
  checkoutUrl: string | null;
  /** Provider extras for the donor page (Snap token, QR string). */
  extras: Record<string, string>;
  failureReason: string | null;
  expiresAt: Date;
  createdAt: Date;
  updatedAt: Date;
  paidAt: Date | null;
  requestId: string;
}

export const PaymentSchema = new EntitySchema<PaymentRow>({
  name: 'Payment',
  tableName: 'payments',
  properties: {
    id: { type: 'uuid', primary: true },
    donationId: { type: 'uuid' },
    streamerId: { type: 'uuid', nullable: true },
    provider: { type: 'text' },
    orderId: { type: 'text' },
    providerRef: { type: 'text', nullable: true },
    amountMinor: { type: new BigIntType('number') },
    currency: { type: 'text' },
    status: { type: 'text' },
    checkoutState: { type: 'text' },
    checkoutUrl: { type: 'text', nullable: true },
    extras: { type: 'json' },
    failureReason: { type: 'text', nullable: true },
    expiresAt: { type: 'datetime' },
    createdAt: { type: 'datetime' },
    updatedAt: { type: 'datetime' },
    paidAt: { type: 'datetime', nullable: true },
    requestId: { type: 'text' },
  },
});

/** A verified provider event; (provider, eventId) is unique so a duplicate is a no-op. */
export interface ProviderEventRow {
  provider: ProviderName;
  eventId: string;
  paymentId: string | null;
  claimedStatus: string | null;
  confirmedStatus: string | null;
  receivedAt: Date;
  processedAt: Date;
}

export const ProviderEventSchema = new EntitySchema<ProviderEventRow>({
  name: 'ProviderEvent',
  tableName: 'provider_events',
  properties: {
    provider: { type: 'text', primary: true },
    eventId: { type: 'text', primary: true },
    paymentId: { type: 'uuid', nullable: true },
    claimedStatus: { type: 'text', nullable: true },
    confirmedStatus: { type: 'text', nullable: true },
    receivedAt: { type: 'datetime' },
    processedAt: { type: 'datetime' },
  },
});

export class Migration20261130000002Payments extends Migration {
  override up(): void {
    this.addSql(`
      create table payments (
        id uuid primary key,
        donation_id uuid not null unique,
        provider text not null,
        order_id text not null,
        provider_ref text null,
        amount_minor bigint not null check (amount_minor > 0),
        currency char(3) not null,
        status text not null check (status in ('pending','paid','failed','expired','refunded')),
        checkout_state text not null default 'creating',
        checkout_url text null,
        extras jsonb not null default '{}',
        failure_reason text null,
        expires_at timestamptz not null,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        paid_at timestamptz null,
        request_id text not null default '',
        unique (provider, order_id)
      )`);
    this.addSql('create index payments_provider_ref on payments (provider, provider_ref)');
    this.addSql("create index payments_pending on payments (created_at) where status = 'pending'");
    this.addSql(`
      create table provider_events (
        provider text not null,
        event_id text not null,
        payment_id uuid null,
        claimed_status text null,
        confirmed_status text null,
        received_at timestamptz not null,
        processed_at timestamptz not null default now(),
        primary key (provider, event_id)
      )`);
  }
  override down(): void {
    this.addSql('drop table if exists provider_events');
    this.addSql('drop table if exists payments');
  }
}

/**
 * The webhook inbox: every webhook whose signature verified is written here before the gateway
 * answers 2xx, so a verification job lost with Redis's data is re-queued by the reconciler.
 * `verified_at` is set once the verification job has applied it.
 */
export class Migration20261130000007WebhookInbox extends Migration {
  override up(): void {
    this.addSql(`
      create table webhook_inbox (
        provider text not null,
        event_id text not null,
        job jsonb not null,
        received_at timestamptz not null default now(),
        verified_at timestamptz null,
        primary key (provider, event_id)
      )`);
    this.addSql(
      'create index webhook_inbox_unverified on webhook_inbox (received_at) where verified_at is null',
    );
    this.addSql("create index payments_settled on payments (updated_at) where status <> 'pending'");
  }
  override down(): void {
    this.addSql('drop index if exists payments_settled');
    this.addSql('drop table if exists webhook_inbox');
  }
}

/**
 * Money integrity: a payment records the streamer it is for (owner checks on refunds), and a
 * settlement whose provider-reported amount or currency differs from the payment's ends in the
 * terminal `amount_mismatch` status, for an operator to look at (never an alert).
 */
export class Migration20261202150000PaymentOwnerAndAmountMismatch extends Migration {
  override up(): void {
    this.addSql('alter table payments add column if not exists streamer_id uuid null');
    this.addSql('alter table payments drop constraint if exists payments_status_check');
    this.addSql(
      `alter table payments add constraint payments_status_check
         check (status in ('pending','paid','failed','expired','refunded','amount_mismatch'))`,
    );
  }
  override down(): void {
    this.addSql('alter table payments drop constraint if exists payments_status_check');
    this.addSql(
      `alter table payments add constraint payments_status_check
         check (status in ('pending','paid','failed','expired','refunded'))`,
    );
    this.addSql('alter table payments drop column if exists streamer_id');
  }
}

/** The payment_db definition for MikroORM. */
export function paymentDatabase(url: string, poolMax?: number): DatabaseDefinition {
  return {
    url,
    poolMax,
    entities: [PaymentSchema, ProviderEventSchema],
    migrations: [
      { name: 'Migration20261130000002Payments', class: Migration20261130000002Payments },
      { name: 'Migration20261130000007WebhookInbox', class: Migration20261130000007WebhookInbox },
      {
        name: 'Migration20261202150000PaymentOwnerAndAmountMismatch',
        class: Migration20261202150000PaymentOwnerAndAmountMismatch,
      },
    ],
  };
}
