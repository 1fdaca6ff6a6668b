import { expect } from 'chai';
import { AlertSequencer } from '../../shared/alert-sequencer.js';
import { alert } from '../support/alerts.js';

describe('AlertSequencer.sync (the server hello)', () => {
  it('does not lose an older alert that arrives late when the client started from the hello', () => {
    const shown: string[] = [];
    const asked: string[] = [];
    const seq = new AlertSequencer(
      '',
      (a) => shown.push(a.eventId),
      (after) => asked.push(after),
    );
    seq.sync('5-0');
    // 7 is delivered by one node before 6 is delivered by another.
    seq.receive(alert('7-0', '6-0'));
    expect(shown).to.deep.equal([]);
    expect(asked).to.deep.equal(['5-0']);
    seq.receive(alert('6-0', '5-0'));
    expect(shown).to.deep.equal(['6-0', '7-0']);
  });

  it('starts at 0-0 for a streamer without alerts and asks for everything on a gap', () => {
    const shown: string[] = [];
    const asked: string[] = [];
    const seq = new AlertSequencer(
      '',
      (a) => shown.push(a.eventId),
      (after) => asked.push(after),
    );
    seq.sync('0-0');
    seq.receive(alert('2-0', '1-0'));
    expect(asked).to.deep.equal(['0-0']);
    seq.receive(alert('1-0', ''));
    expect(shown).to.deep.equal(['1-0', '2-0']);
  });

  it('moves forward past trimmed history, releasing a held alert, and never moves back', () => {
    const shown: string[] = [];
    const seq = new AlertSequencer(
      '3-0',
      (a) => shown.push(a.eventId),
      () => undefined,
    );
    seq.receive(alert('11-0', '10-0'));
    seq.sync('10-0');
    expect(shown).to.deep.equal(['11-0']);
    seq.sync('4-0');
    expect(seq.lastEventId).to.equal('11-0');
  });
});
