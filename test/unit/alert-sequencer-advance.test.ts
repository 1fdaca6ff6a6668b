import { expect } from 'chai';
import { AlertSequencer } from '../../shared/alert-sequencer.js';
import type { AlertPayload } from '../../shared/queues.js';

const alert = (eventId: string, prevEventId: string, donationId: string): AlertPayload => ({
  eventId,
  prevEventId,
  type: 'donation.paid',
  donationId,
  donorName: 'A',
  amount: 1000,
  currency: 'IDR',
  formattedAmount: 'Rp1.000',
  message: '',
  mediaShare: null,
  createdAt: '',
  test: false,
});

describe('AlertSequencer.advance (an alert the overlay token already showed)', () => {
  it('moves the chain past it without showing it, so the alerts after it are not held back', () => {
    const shown: string[] = [];
    const asked: string[] = [];
    const s = new AlertSequencer(
      '',
      (a) => shown.push(a.donationId),
      (after) => asked.push(after),
    );
    s.sync('10-0');
    // The server sends the next alert first (live), then the re-published one as a step.
    s.receive(alert('12-0', '11-0', 'd2'));
    expect(shown).to.deep.equal([]);
    s.advance({ eventId: '11-0', prevEventId: '10-0' });
    expect(shown).to.deep.equal(['d2']);
    expect(s.lastEventId).to.equal('12-0');
  });

  it('shows nothing for a chain made only of steps', () => {
    const shown: string[] = [];
    const s = new AlertSequencer(
      '',
      (a) => shown.push(a.donationId),
      () => undefined,
    );
    s.sync('1-0');
    s.advance({ eventId: '2-0', prevEventId: '' });
    s.advance({ eventId: '3-0', prevEventId: '2-0' });
    expect(shown).to.deep.equal([]);
    expect(s.lastEventId).to.equal('3-0');
  });
});
