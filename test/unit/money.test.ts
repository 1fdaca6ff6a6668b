import { expect } from 'chai';
import {
  currencyExponent,
  formatMoney,
  parseAmount,
  toDecimalString,
  toMidtransGrossAmount,
  toPayPalValue,
  toStripeAmount,
} from '../../shared/money.js';
import { ValidationError } from '../../shared/errors.js';
import { loadCase, type MoneyCases } from '../support/fixtures.js';

const money = loadCase<MoneyCases>('money.json');

describe('money (test/fixtures/cases/money.json)', () => {
  describe('amounts and provider units', () => {
    for (const c of money.cases) {
      it(`${c.display}: exponent ${c.iso_exponent}, provider units as listed`, () => {
        const m = { amountMinor: c.amount_minor, currency: c.currency };
        expect(currencyExponent(c.currency)).to.equal(c.iso_exponent);
        expect(formatMoney(c.amount_minor, c.currency)).to.equal(c.display);
        if (c.stripe_amount !== undefined) expect(toStripeAmount(m)).to.equal(c.stripe_amount);
        if (c.paypal_value !== undefined) expect(toPayPalValue(m)).to.equal(c.paypal_value);
        if (c.midtrans_gross_amount === null)
          expect(() => toMidtransGrossAmount(m)).to.throw(ValidationError, /whole rupiah/);
        else if (c.midtrans_gross_amount !== undefined)
          expect(toMidtransGrossAmount(m)).to.equal(c.midtrans_gross_amount);
      });
    }
  });

  describe('parsing user input', () => {
    for (const c of money.parse_user_input) {
      it(`${c.error ? 'refuses' : 'parses'} "${c.input}" ${c.currency}`, () => {
        if (c.error) {
          expect(() => parseAmount(c.input, c.currency)).to.throw(ValidationError);
          try {
            parseAmount(c.input, c.currency);
          } catch (err) {
            expect((err as ValidationError).details).to.have.nested.property('fields.amount');
          }
        } else {
          expect(parseAmount(c.input, c.currency)).to.deep.equal({
            amountMinor: c.amount_minor,
            currency: c.currency,
          });
        }
      });
    }

    it('refuses zero, blanks, separators and absurd sizes', () => {
      for (const input of [
        '0',
        '0.00',
        '',
        ' ',
        '1,000',
        '1.000.000',
        '+5',
        '１２',
        '99999999999999999999',
      ]) {
        expect(() => parseAmount(input, 'IDR'), input).to.throw(ValidationError);
      }
    });

    it('refuses an unknown or lower-case currency', () => {
      expect(() => parseAmount('10', 'XYZ')).to.throw(ValidationError, /currency/);
      expect(() => parseAmount('10', 'usd')).to.throw(ValidationError, /currency/);
    });
  });

  it('formats per locale and keeps decimal strings exact', () => {
    expect(formatMoney(5_000_000, 'IDR', 'id-ID')).to.match(/^Rp\s?50\.000$/);
    expect(formatMoney(1999, 'USD', 'en-US')).to.equal('$19.99');
    expect(formatMoney(500, 'JPY', 'ja-JP')).to.match(/500/);
    expect(toDecimalString(5, 'USD')).to.equal('0.05');
    expect(toDecimalString(5_000_000, 'IDR')).to.equal('50000.00');
    expect(toDecimalString(500, 'JPY')).to.equal('500');
  });

  it('never produces a float: Stripe JPY stays whole, three-decimal currencies scale', () => {
    expect(toStripeAmount({ amountMinor: 500, currency: 'JPY' })).to.equal(500);
    expect(toStripeAmount({ amountMinor: 1234, currency: 'KWD' })).to.equal(1234);
    expect(() => toPayPalValue({ amountMinor: 150, currency: 'JPY' })).to.not.throw();
    expect(toPayPalValue({ amountMinor: 150, currency: 'JPY' })).to.equal('150');
  });
});
