/**
 * formatMoney keeps one Intl.NumberFormat per locale, currency and fraction shape (a hot path of
 * every alert): alternating shapes must never borrow each other's formatter.
 */
import { expect } from 'chai';
import { formatMoney } from '../../shared/money.js';

describe('formatMoney formatter cache', () => {
  it('formats whole and fractional amounts of one currency correctly when they alternate', () => {
    for (let i = 0; i < 3; i++) {
      expect(formatMoney(1900, 'USD', 'en-US')).to.equal('$19');
      expect(formatMoney(1999, 'USD', 'en-US')).to.equal('$19.99');
      expect(formatMoney(1950, 'USD', 'en-US')).to.equal('$19.50');
    }
  });

  it('keeps locales and currencies apart when they share an amount', () => {
    expect(formatMoney(5_000_000, 'IDR', 'id-ID')).to.match(/^Rp\s?50\.000$/);
    expect(formatMoney(5_000_000, 'IDR', 'en-US')).to.match(/^IDR\s?50,000$/);
    expect(formatMoney(5_000_000, 'USD', 'en-US')).to.equal('$50,000');
    expect(formatMoney(5_000_000, 'IDR', 'id-ID')).to.match(/^Rp\s?50\.000$/);
  });
});
