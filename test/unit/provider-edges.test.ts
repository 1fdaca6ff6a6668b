/**
 * The provider edges as tables: Midtrans signature, status mapping and event id against the
 * handed notification cases, and each provider's amount conversions both ways against the money
 * cases (Midtrans whole rupiah only, Stripe's currency table, PayPal decimal strings).
 */
import { expect } from 'chai';
import { ValidationError } from '../../shared/errors.js';
import {
  fromMidtransGrossAmount,
  fromPayPalValue,
  fromStripeAmount,
  stripeExponent,
  toMidtransGrossAmount,
  toPayPalValue,
  toStripeAmount,
} from '../../shared/money.js';
import { loadCase, type MoneyCases } from '../support/fixtures.js';
import {
  midtransEventId,
  midtransSignature,
  midtransStatus,
} from '../../grpc/payment/providers/midtrans.provider.js';
import { paypalCaptureStatus } from '../../grpc/payment/providers/paypal.provider.js';

interface MidtransCases {
  server_key: string;
  notifications: {
    name: string;
    raw_body: string;
    signature_valid: boolean;
    expected_payment_status: string;
  }[];
  sequences: { raw_bodies: string[]; expected_final_status: string }[];
}

const midtrans = loadCase<MidtransCases>('midtrans-notifications.json');
const money = loadCase<MoneyCases>('money.json');

describe('Midtrans edge', () => {
  for (const c of midtrans.notifications) {
    it(`${c.name}: signature ${c.signature_valid ? 'verifies' : 'is refused'}`, () => {
      const n = JSON.parse(c.raw_body) as Record<string, string>;
      const expected = midtransSignature(n.order_id!, n.status_code!, n.gross_amount!, midtrans.server_key);
      expect(expected === n.signature_key).to.equal(c.signature_valid);
    });
  }

  it('maps transaction_status × fraud_status as DESIGN.md says', () => {
    const table: [string, string | undefined, string | null][] = [
      ['capture', 'accept', 'paid'],
      ['capture', 'challenge', 'pending'],
      ['capture', 'deny', 'failed'],
      ['settlement', undefined, 'paid'],
      ['settlement', 'accept', 'paid'],
      ['pending', undefined, 'pending'],
      ['deny', 'accept', 'failed'],
      ['cancel', 'accept', 'failed'],
      ['expire', undefined, 'expired'],
      ['failure', undefined, 'failed'],
      ['refund', 'accept', 'refunded'],
      ['partial_refund', 'accept', null],
      ['something-new', undefined, null],
    ];
    for (const [status, fraud, want] of table)
      expect(midtransStatus(status, fraud), `${status}/${fraud}`).to.equal(want);
  });

  it('gives a repeat delivery the same event id and a new status a new one', () => {
    const [first, second] = midtrans.sequences.map((s) => s.raw_bodies)[1]!; // settlement delivered twice
    expect(midtransEventId(JSON.parse(first!) as Record<string, unknown>)).to.equal(
      midtransEventId(JSON.parse(second!) as Record<string, unknown>),
    );
    const ids = new Set(
      midtrans.sequences[0]!.raw_bodies.map((b) => midtransEventId(JSON.parse(b) as Record<string, unknown>)),
    );
    expect(ids.size).to.equal(2);
  });

  it('builds the event id from signed fields: a replay with a new transaction_time or id collapses', () => {
    for (const c of midtrans.notifications.filter((n) => n.signature_valid)) {
      const n = JSON.parse(c.raw_body) as Record<string, unknown>;
      const replay = {
        ...n,
        transaction_time: '2026-12-31 23:59:59',
        transaction_id: '00000000-0000-0000-0000-000000000000',
        status_message: 'replayed',
      };
      expect(midtransEventId(replay), c.name).to.equal(midtransEventId(n));
      // A signed field is part of it.
      expect(midtransEventId({ ...n, gross_amount: '1.00' }), c.name).not.to.equal(midtransEventId(n));
    }
    // A settlement and its refund share the signed fields (status 200) and stay two events.
    const refund = midtrans.sequences.find((s) => s.expected_final_status === 'refunded')!;
    const [settled, refunded] = refund.raw_bodies.map((b) =>
      midtransEventId(JSON.parse(b) as Record<string, unknown>),
    );
    expect(settled).not.to.equal(refunded);
  });
});

describe('provider amount conversions (money.json)', () => {
  for (const c of money.cases) {
    it(`${c.display} (${c.currency} ${c.amount_minor} minor units)`, () => {
      const m = { amountMinor: c.amount_minor, currency: c.currency };
      if (c.midtrans_gross_amount === null) {
        expect(() => toMidtransGrossAmount(m)).to.throw(ValidationError, /whole rupiah/);
      } else if (c.midtrans_gross_amount !== undefined) {
        expect(toMidtransGrossAmount(m)).to.equal(c.midtrans_gross_amount);
        // Notifications carry the amount as "50000.00"; back to the same minor units.
        expect(fromMidtransGrossAmount(`${c.midtrans_gross_amount}.00`)).to.deep.equal(m);
      }
      if (c.stripe_amount !== undefined) {
        expect(toStripeAmount(m)).to.equal(c.stripe_amount);
        expect(fromStripeAmount(c.stripe_amount, c.currency.toLowerCase())).to.deep.equal(m);
      }
      if (c.paypal_value !== undefined) {
        expect(toPayPalValue(m)).to.equal(c.paypal_value);
        expect(fromPayPalValue(c.paypal_value, c.currency)).to.deep.equal(m);
      }
    });
  }

  it('follows Stripe currency table: zero-decimal, three-decimal, and ISK two-decimal', () => {
    const table: [string, number, number, number][] = [
      // currency, Stripe exponent, minor units, Stripe amount
      ['JPY', 0, 500, 500],
      ['KRW', 0, 10000, 10000],
      ['IDR', 2, 1000050, 1000050],
      ['USD', 2, 1999, 1999],
      ['KWD', 3, 1234, 1234],
      ['ISK', 2, 500, 50000],
    ];
    for (const [currency, exponent, minor, amount] of table) {
      expect(stripeExponent(currency), currency).to.equal(exponent);
      expect(toStripeAmount({ amountMinor: minor, currency }), currency).to.equal(amount);
      expect(fromStripeAmount(amount, currency.toLowerCase()), currency).to.deep.equal({
        amountMinor: minor,
        currency,
      });
    }
  });

  it('refuses what a provider cannot take instead of rounding', () => {
    expect(() => toMidtransGrossAmount({ amountMinor: 500, currency: 'USD' })).to.throw(
      ValidationError,
      /IDR only/,
    );
    expect(() => toMidtransGrossAmount({ amountMinor: 1.5, currency: 'IDR' })).to.throw(ValidationError);
    expect(() => toPayPalValue({ amountMinor: 150050, currency: 'HUF' })).to.throw(
      ValidationError,
      /whole HUF/,
    );
    expect(toPayPalValue({ amountMinor: 150000, currency: 'HUF' })).to.equal('1500');
  });

  it('maps PayPal capture statuses', () => {
    expect(paypalCaptureStatus('COMPLETED')).to.equal('paid');
    expect(paypalCaptureStatus('DECLINED')).to.equal('failed');
    expect(paypalCaptureStatus('REFUNDED')).to.equal('refunded');
    expect(paypalCaptureStatus('PENDING')).to.equal('pending');
    expect(paypalCaptureStatus('')).to.equal(null);
  });
});
