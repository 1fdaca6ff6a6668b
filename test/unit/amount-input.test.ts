import { expect } from 'chai';
import {
  AMOUNT_REFUSAL_MESSAGES,
  formatAmount,
  parseAmountInput,
  type AmountInputRefusal,
  type InputLocale,
} from '../../shared/amount-input.js';
import { currencyExponent } from '../../shared/money.js';
import { loadCase } from '../support/fixtures.js';

interface AmountInputCase {
  locale: string;
  currency: string;
  input: string;
  amount_minor?: number;
  refuse?: boolean;
  why?: string;
  note?: string;
}

const file = loadCase<{ note: string; cases: AmountInputCase[] }>('amount-input.json');

/** How the case file words each refusal: the code the parser gives must fit the `why`. */
const WHY: Record<AmountInputRefusal, RegExp> = {
  required: /required|empty/i,
  not_a_number: /not a number/i,
  not_positive: /more than zero|positive/i,
  malformed: /malformed|swapped|neither|grouping/i,
  whole_units: /whole|no minor unit/i,
  too_many_decimals: /decimal places/i,
  too_large: /largest|too large/i,
};

/** "id-ID" → "id", "en-US" → "en". */
function language(locale: string): InputLocale {
  const lang = locale.slice(0, 2);
  if (lang !== 'id' && lang !== 'en') throw new Error(`case locale ${locale} is neither id nor en`);
  return lang;
}

/** Our own rows, beyond the shared cases. */
const OWN: AmountInputCase[] = [
  { locale: 'id', currency: 'IDR', input: '10rb', amount_minor: 1_000_000 },
  { locale: 'id', currency: 'IDR', input: 'Rp 1.000.000', amount_minor: 100_000_000 },
  { locale: 'id', currency: 'IDR', input: '1.5jt', amount_minor: 150_000_000 },
  { locale: 'id', currency: 'IDR', input: 'IDR 25.000', amount_minor: 2_500_000 },
  { locale: 'id', currency: 'IDR', input: '50.000 rupiah', refuse: true, why: 'not a number' },
  { locale: 'id', currency: 'IDR', input: '1,0005rb', refuse: true, why: 'whole rupiah' },
  {
    locale: 'id',
    currency: 'USD',
    input: '5.50',
    amount_minor: 550,
    note: 'a lone dot before two digits is a decimal mark',
  },
  { locale: 'id', currency: 'USD', input: '1.000', amount_minor: 100_000 },
  {
    locale: 'en',
    currency: 'USD',
    input: '5,50',
    amount_minor: 550,
    note: 'a lone comma before two digits is a decimal mark',
  },
  { locale: 'en', currency: 'USD', input: '1,000,000', amount_minor: 100_000_000 },
  { locale: 'en', currency: 'USD', input: '1e3', refuse: true, why: 'not a number' },
  { locale: 'en', currency: 'USD', input: 'NaN', refuse: true, why: 'not a number' },
  { locale: 'en', currency: 'USD', input: '+5', refuse: true, why: 'not a number' },
  { locale: 'en', currency: 'USD', input: '0.00', refuse: true, why: 'must be more than zero' },
  { locale: 'en', currency: 'USD', input: '1,00,000', refuse: true, why: 'malformed grouping' },
  { locale: 'en', currency: 'USD', input: '5.', refuse: true, why: 'malformed' },
  { locale: 'en', currency: 'USD', input: '10000000001', refuse: true, why: 'above the largest amount' },
  { locale: 'en', currency: 'JPY', input: '¥1,500', amount_minor: 1500 },
  { locale: 'en', currency: 'EUR', input: '€ 12.30', amount_minor: 1230 },
  { locale: 'en', currency: 'USD', input: '   ', refuse: true, why: 'required' },
];

function check(c: AmountInputCase): void {
  const result = parseAmountInput(c.input, c.currency, language(c.locale), currencyExponent(c.currency));
  if (c.refuse) {
    expect(c.amount_minor, 'a refused case has no amount').to.equal(undefined);
    expect(result.ok, `"${c.input}" must be refused (${c.why})`).to.equal(false);
    if (result.ok) return;
    expect(c.why ?? '', `refused as ${result.reason}, the case says "${c.why}"`).to.match(WHY[result.reason]);
    for (const lang of ['id', 'en'] as const)
      expect(AMOUNT_REFUSAL_MESSAGES[lang][result.reason]).to.be.a('string');
  } else {
    expect(result, `"${c.input}" ${c.note ?? ''}`).to.deep.equal({ ok: true, amountMinor: c.amount_minor });
  }
}

describe('parseAmountInput (test/fixtures/cases/amount-input.json)', () => {
  it('the case file has cases of both languages, accepted and refused', () => {
    expect(file.note).to.be.a('string').and.not.equal('');
    expect(new Set(file.cases.map((c) => language(c.locale)))).to.deep.equal(new Set(['id', 'en']));
    expect(file.cases.some((c) => c.refuse)).to.equal(true);
  });
  for (const c of file.cases) {
    it(`${c.locale} ${c.currency} ${JSON.stringify(c.input)} → ${c.refuse ? `refused: ${c.why}` : c.amount_minor}${c.note ? ` (${c.note})` : ''}`, () =>
      check(c));
  }
  describe('own rows', () => {
    for (const c of OWN) {
      it(`${c.locale} ${c.currency} ${JSON.stringify(c.input)} → ${c.refuse ? `refused: ${c.why}` : c.amount_minor}`, () =>
        check(c));
    }
  });
  it('takes the currency exponent from Intl when none is given (the browser has no ISO table)', () => {
    expect(parseAmountInput('500', 'JPY', 'en')).to.deep.equal({ ok: true, amountMinor: 500 });
    expect(parseAmountInput('5', 'USD', 'en')).to.deep.equal({ ok: true, amountMinor: 500 });
    expect(parseAmountInput('50.000', 'IDR', 'id')).to.deep.equal({ ok: true, amountMinor: 5_000_000 });
  });
});

describe('formatAmount', () => {
  it('writes money as each language reads it', () => {
    expect(formatAmount(5_000_000, 'IDR', 'id')).to.equal('Rp50.000');
    expect(formatAmount(500, 'USD', 'id')).to.equal('US$5.00');
    // Intl keeps the code and the number together with a no-break space.
    expect(formatAmount(5_000_000, 'IDR', 'en')).to.equal('IDR\u00a050,000');
    expect(formatAmount(500, 'USD', 'en')).to.equal('$5.00');
    expect(formatAmount(500, 'JPY', 'en')).to.equal('¥500');
  });
  it('reads back what it writes', () => {
    for (const [minor, currency] of [
      [5_000_000, 'IDR'],
      [1999, 'USD'],
      [150_000_000, 'IDR'],
      [500, 'JPY'],
    ] as const) {
      for (const lang of ['id', 'en'] as const) {
        const shown = formatAmount(minor, currency, lang).replace(/\u00a0/g, ' ');
        expect(parseAmountInput(shown, currency, lang), shown).to.deep.equal({
          ok: true,
          amountMinor: minor,
        });
      }
    }
  });
});
