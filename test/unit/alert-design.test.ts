/**
 * Alert designs (issue 14): defaults, tier choice per currency, the message minimum, template
 * filling as plain text, and refusals that name the field (unknown placeholder, bad colour).
 */
import { expect } from 'chai';
import {
  alertSettingsSchema,
  designFor,
  normalizeAlertSettings,
  referencedUploads,
  renderTemplate,
  showsMessage,
} from '../../shared/alert-design.js';

const IMG = '0190a8f2-0000-7000-8000-000000000001';
const GIF = '0190a8f2-0000-7000-8000-000000000002';
const SND = '0190a8f2-0000-7000-8000-000000000003';

describe('alert designs', () => {
  const settings = alertSettingsSchema.parse({
    base: { template: '{name} memberi {amount}', imageUploadId: IMG },
    tiers: [
      {
        minByCurrency: { IDR: 10_000_000 },
        design: { template: 'WOW {name}! {amount}', imageUploadId: GIF, soundUploadId: SND },
      },
      {
        minByCurrency: { IDR: 5_000_000, USD: 2_000 },
        design: { template: 'Mantap {name}', layout: 'beside' },
      },
    ],
    messageMinByCurrency: { IDR: 1_000_000 },
  });

  it('fills every field it was not given with its default', () => {
    const d = normalizeAlertSettings(undefined);
    expect(d.base).to.include({
      layout: 'above',
      font: 'system',
      durationMs: 8000,
      volume: 80,
      imageUploadId: null,
    });
    expect(d).to.include({ delayS: 0 });
    expect(settings.tiers[1]!.design).to.include({ animationIn: 'fade', textColor: '#ffffff' });
    expect(normalizeAlertSettings({ base: { layout: 'sideways' } })).to.deep.equal(d);
  });

  it('picks the highest tier the amount reaches in its own currency, else the base design', () => {
    expect(designFor(settings, 20_000_000, 'IDR').template).to.equal('WOW {name}! {amount}');
    expect(designFor(settings, 10_000_000, 'IDR').template).to.equal('WOW {name}! {amount}');
    expect(designFor(settings, 9_999_999, 'IDR').template).to.equal('Mantap {name}');
    expect(designFor(settings, 4_999_999, 'IDR').template).to.equal('{name} memberi {amount}');
    expect(designFor(settings, 2_000, 'USD').layout).to.equal('beside');
    // No tier names EUR: every EUR donation gets the base design.
    expect(designFor(settings, 99_999_999, 'EUR').template).to.equal('{name} memberi {amount}');
  });

  it('shows the message only from the minimum of its currency', () => {
    expect(showsMessage(settings, 999_999, 'IDR')).to.equal(false);
    expect(showsMessage(settings, 1_000_000, 'IDR')).to.equal(true);
    expect(showsMessage(settings, 1, 'USD')).to.equal(true);
  });

  it('fills placeholders as plain text and leaves markup as typed', () => {
    expect(
      renderTemplate('{name} memberi {amount}! {message}', { name: '<b>Budi</b>', amount: 'Rp 50.000' }),
    ).to.equal('<b>Budi</b> memberi Rp 50.000! ');
  });

  it('lists the uploads the designs use, by kind', () => {
    expect(referencedUploads(settings)).to.deep.equal({ image: [IMG, GIF], sound: [SND] });
  });

  it('refuses an unknown placeholder, a bad colour and a sixth tier, naming each', () => {
    const bad = alertSettingsSchema.safeParse({
      base: { template: 'Hi {nama}', textColor: 'red' },
      tiers: Array.from({ length: 6 }, () => ({ minByCurrency: { IDR: 1 }, design: {} })),
    });
    expect(bad.success).to.equal(false);
    const issues = Object.fromEntries(bad.error!.issues.map((i) => [i.path.join('.'), i.message]));
    expect(issues['base.template']).to.contain('{nama}');
    expect(issues['base.textColor']).to.equal('must be a colour like #ff8800');
    expect(issues.tiers).to.equal('at most 5 tiers');
  });
});
