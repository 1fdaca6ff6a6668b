/**
 * The pure parts of the streamer's history and profile API: CSV cells and rows (RFC 4180,
 * formula injection), day bounds in a time zone, stats ranges, channel links and presets.
 */
import { expect } from 'chai';
import {
  createdBounds,
  csvCell,
  csvRow,
  dayIn,
  startOfDay,
  statsRangeStart,
} from '../../gateway/donations/donation-history.js';
import { linksSchema, readSettingsAmounts } from '../../gateway/accounts/profile.js';
import { ValidationError } from '../../shared/errors.js';
import { cookiesSecure } from '../../gateway/accounts/session-cookies.js';
import { loadConfig } from '../../shared/config.js';

describe('history CSV (gateway/donations/donation-history.ts)', () => {
  it('quotes cells with commas, quotes and line breaks (RFC 4180)', () => {
    expect(csvCell('plain')).to.equal('plain');
    expect(csvCell('a,b')).to.equal('"a,b"');
    expect(csvCell('say "hi"')).to.equal('"say ""hi"""');
    expect(csvCell('two\nlines')).to.equal('"two\nlines"');
  });

  it('defuses cells a spreadsheet would run as a formula', () => {
    for (const start of ['=', '+', '-', '@', '\t', '\r'])
      expect(csvCell(`${start}SUM(A1)`).replace(/^"/, '')).to.match(/^'/);
    expect(csvCell('=HYPERLINK("x")')).to.equal(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('a=b')).to.equal('a=b');
  });

  it('writes one CRLF record per donation with the amount in major units', () => {
    const row = csvRow({
      id: 'd1',
      streamerId: 's',
      donorName: 'Ani',
      anonymous: false,
      amount: { amountMinor: '1234', currency: 'USD' },
      message: 'hi',
      status: 'paid',
      provider: 'stripe',
      createdAt: '2026-12-01T00:00:00.000Z',
      paidAt: '2026-12-01T00:00:01.000Z',
      mediaShare: null,
    } as never);
    expect(row).to.equal(
      'd1,2026-12-01T00:00:00.000Z,2026-12-01T00:00:01.000Z,paid,stripe,Ani,no,12.34,USD,hi,\r\n',
    );
    // IDR has two decimals in ISO 4217 (Midtrans takes whole rupiah at its own edge).
    const idr = csvRow({ id: 'd2', amount: { amountMinor: 5_000_000, currency: 'IDR' } } as never);
    expect(idr).to.include(',50000.00,IDR,');
  });
});

describe('history days and ranges in a time zone', () => {
  it('starts a day at local midnight', () => {
    expect(startOfDay('2026-12-02', 'Asia/Jakarta').toISOString()).to.equal('2026-12-01T17:00:00.000Z');
    expect(startOfDay('2026-12-02', 'UTC').toISOString()).to.equal('2026-12-02T00:00:00.000Z');
    // Across a DST change (New York, 8 March 2026).
    expect(startOfDay('2026-03-09', 'America/New_York').toISOString()).to.equal('2026-03-09T04:00:00.000Z');
  });

  it('makes `to` a whole day and keeps instants as given', () => {
    expect(createdBounds({ from: '2026-12-01', to: '2026-12-01', tz: 'Asia/Jakarta' })).to.deep.equal({
      createdFrom: '2026-11-30T17:00:00.000Z',
      createdBefore: '2026-12-01T17:00:00.000Z',
    });
    expect(createdBounds({ to: '2026-12-01T10:00:00Z', tz: 'UTC' })).to.deep.equal({
      createdFrom: '',
      createdBefore: '2026-12-01T10:00:00.000Z',
    });
  });

  it('names today in the zone and starts the ranges there', () => {
    const at = Date.parse('2026-12-01T20:00:00Z'); // already 2 December in Jakarta
    expect(dayIn('Asia/Jakarta', 0, at)).to.equal('2026-12-02');
    expect(dayIn('UTC', -6, at)).to.equal('2026-11-25');
    expect(statsRangeStart('all', 'UTC')).to.deep.equal({ paidFrom: '', days: 366 });
    const today = statsRangeStart('today', 'Asia/Jakarta');
    expect(today.paidFrom).to.equal(startOfDay(dayIn('Asia/Jakarta'), 'Asia/Jakarta').toISOString());
  });
});

describe('profile validation (gateway/accounts/profile.ts)', () => {
  it('takes channel links only on their platform, over https', () => {
    expect(linksSchema.safeParse({ youtube: 'https://www.youtube.com/@me', twitch: '' }).success).to.equal(
      true,
    );
    for (const links of [
      { youtube: 'https://youtube.com.evil.example/@me' },
      { twitch: 'http://twitch.tv/me' },
      { instagram: 'https://instagram.com/' },
      { tiktok: 'https://user:pw@www.tiktok.com/@me' },
      { facebook: 'https://facebook.com/me' },
    ])
      expect(linksSchema.safeParse(links).success, JSON.stringify(links)).to.equal(false);
  });

  it('reads the settings amounts as typed in the request language, refusing in its words', () => {
    expect(
      readSettingsAmounts({ minDonation: '50.000', ttsMin: '1,5jt', goal: '' }, 'IDR', 'id'),
    ).to.deep.equal({
      minDonationMinor: 5_000_000,
      ttsMinMinor: 150_000_000,
      goalMinor: 0,
    });
    expect(readSettingsAmounts({ minDonation: '5.50', ttsMin: '0' }, 'USD', 'en')).to.deep.equal({
      minDonationMinor: 550,
      ttsMinMinor: 0,
    });
    const fields = (
      input: Parameters<typeof readSettingsAmounts>[0],
      currency: string,
      lang: 'en' | 'id',
    ) => {
      try {
        readSettingsAmounts(input, currency, lang);
      } catch (err) {
        return (err as ValidationError).details?.fields;
      }
      return undefined;
    };
    expect(fields({ minDonation: '-5', ttsMin: '999.999.999' }, 'IDR', 'id')).to.deep.equal({
      minDonation: 'Nominal harus lebih dari nol',
      ttsMin: 'Paling banyak Rp150.000.000, donasi terbesar',
    });
    expect(fields({ minDonation: '5.123' }, 'USD', 'en')).to.deep.equal({
      minDonation: 'Too many decimal places for this currency',
    });
    expect(fields({ minDonation: '500' }, 'IDR', 'en'))
      .to.have.property('minDonation')
      .that.matches(/^Must be between/);
  });

  it('keeps at most six presets per currency, whole minor units, sorted without repeats', () => {
    const read = (presets: Record<string, (number | string)[]>, lang: 'en' | 'id' = 'en') =>
      readSettingsAmounts({ presets }, 'IDR', lang).presets;
    expect(read({ IDR: [5_000_000, 1_000_000, 1_000_000] })).to.deep.equal({ IDR: [1_000_000, 5_000_000] });
    expect(read({ IDR: ['50.000', 'Rp 10.000'] }, 'id')).to.deep.equal({ IDR: [1_000_000, 5_000_000] });
    const seven = [1, 2, 3, 4, 5, 6, 7].map((n) => n * 1_000_000);
    expect(() => read({ IDR: seven })).to.throw(ValidationError, /presets\.IDR: At most six/);
    expect(() => read({ IDR: seven }, 'id')).to.throw(ValidationError, /Paling banyak enam/);
    expect(() => read({ USD: [1.5] })).to.throw(ValidationError, /presets\.USD\.0/);
    expect(() => read({ EUR: [0] })).to.throw(ValidationError, /presets\.EUR\.0: Must be between/);
    expect(() => read({ IDR: ['lima'] }, 'id')).to.throw(ValidationError, /Tulis nominal dengan angka/);
  });
});

describe('session cookies: Secure', () => {
  const config = (env: Record<string, string>) =>
    loadConfig({ JWT_SECRET: 'x'.repeat(32), SANDBOX_WEBHOOK_SECRET: 'y'.repeat(32), ...env });
  it('is Secure over https and on loopback http, not on other http hosts unless told', () => {
    expect(cookiesSecure(config({ PUBLIC_URL: 'https://tip.example' }))).to.equal(true);
    expect(cookiesSecure(config({ PUBLIC_URL: 'http://localhost:8080' }))).to.equal(true);
    expect(cookiesSecure(config({ PUBLIC_URL: 'http://127.0.0.1:8080' }))).to.equal(true);
    expect(cookiesSecure(config({ PUBLIC_URL: 'http://192.168.1.5:8080' }))).to.equal(false);
    expect(
      cookiesSecure(config({ PUBLIC_URL: 'http://192.168.1.5:8080', SESSION_COOKIE_SECURE: 'true' })),
    ).to.equal(true);
  });
});
