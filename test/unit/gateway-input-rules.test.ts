/** Input rules of the gateway that used to let bad text through or end in a 500 (issue 10, item 9). */
import { expect } from 'chai';
import { messageText, nameText } from '../../shared/text.js';
import { testAlertSchema } from '../../gateway/alerts/alerts.routes.js';
import { listDonationsQuerySchema } from '../../gateway/donations/donations.routes.js';

const cursorOf = (createdAt: string, id: string) => Buffer.from(`${createdAt}|${id}`).toString('base64url');

describe('gateway input rules', () => {
  it('refuses bidi embeddings, overrides and isolates in names and messages, keeps plain RTL text', () => {
    for (const c of [
      '\u202a',
      '\u202b',
      '\u202c',
      '\u202d',
      '\u202e',
      '\u2066',
      '\u2067',
      '\u2068',
      '\u2069',
    ]) {
      expect(nameText(64).safeParse(`Budi${c}gnp.exe`).success, c.codePointAt(0)!.toString(16)).to.equal(
        false,
      );
      expect(messageText(255).safeParse(`hi ${c}there`).success).to.equal(false);
    }
    expect(nameText(64).safeParse('שלום').success).to.equal(true);
    expect(messageText(255).safeParse('مرحبا\u200f!').success).to.equal(true);
  });

  it('holds test alerts to the donation text rules (no NUL, BEL or overrides)', () => {
    for (const bad of ['a\u0000b', 'ding\u0007', '\u202eevil'])
      for (const field of ['donorName', 'message'])
        expect(
          testAlertSchema.safeParse({ [field]: bad }).success,
          `${field} ${JSON.stringify(bad)}`,
        ).to.equal(false);
    expect(testAlertSchema.safeParse({ donorName: 'Budi', message: 'Halo\nsemua' }).success).to.equal(true);
  });

  it('refuses a list cursor that is not a page cursor (non-UUID id, bad time, junk) with a 400 naming cursor', () => {
    const id = '0192d3a0-0000-7000-8000-000000000001';
    const good = cursorOf('2026-12-02T10:00:00.123Z', id);
    expect(listDonationsQuerySchema.safeParse({ cursor: good }).success).to.equal(true);
    for (const bad of [
      cursorOf('2026-12-02T10:00:00.123Z', 'not-a-uuid'),
      cursorOf('1', id),
      cursorOf('2026-12-02T10:00:00.123Z', `${id}|x`),
      'not base64!',
      '\u0000',
    ]) {
      const result = listDonationsQuerySchema.safeParse({ cursor: bad });
      expect(result.success, bad).to.equal(false);
      expect(result.error?.issues[0]?.path).to.deep.equal(['cursor']);
    }
  });
});
