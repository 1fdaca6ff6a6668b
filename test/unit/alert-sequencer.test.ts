import { expect } from 'chai';
import { AlertSequencer } from '../../shared/alert-sequencer.js';
import { alert } from '../support/alerts.js';

describe('AlertSequencer', () => {
  const chain = ['1-0', '2-0', '3-0', '4-0', '5-0'].map((id, i, all) => alert(id, i ? all[i - 1]! : ''));

  it('shows alerts in order once, dropping repeats', () => {
    const shown: string[] = [];
    const seq = new AlertSequencer(
      '',
      (a) => shown.push(a.eventId),
      () => undefined,
    );
    for (const a of [chain[0]!, chain[1]!, chain[1]!, chain[0]!, chain[2]!]) seq.receive(a);
    expect(shown).to.deep.equal(['1-0', '2-0', '3-0']);
  });

  it('holds an alert after a gap, asks for a replay once, and releases in order', () => {
    const shown: string[] = [];
    const asked: string[] = [];
    const seq = new AlertSequencer(
      '1-0',
      (a) => shown.push(a.eventId),
      (after) => asked.push(after),
    );
    seq.receive(chain[3]!);
    seq.receive(chain[4]!);
    expect(shown).to.deep.equal([]);
    expect(asked).to.deep.equal(['1-0']);
    // The replay brings 2, 3, 4 again; 4 and 5 are released behind 3, once each.
    for (const a of [chain[1]!, chain[2]!, chain[3]!]) seq.receive(a);
    expect(shown).to.deep.equal(['2-0', '3-0', '4-0', '5-0']);
  });

  it('compares stream ids numerically, not as strings', () => {
    const shown: string[] = [];
    const seq = new AlertSequencer(
      '9-0',
      (a) => shown.push(a.eventId),
      () => undefined,
    );
    seq.receive(alert('10-0', '9-0'));
    expect(shown).to.deep.equal(['10-0']);
  });
  it('accepts a new chain (prevEventId empty) after the history was lost, and still drops repeats', () => {
    const shown: string[] = [];
    const asked: string[] = [];
    const seq = new AlertSequencer(
      '3-0',
      (a) => shown.push(a.eventId),
      (after) => asked.push(after),
    );
    // Redis lost its data: the re-published history starts again with prevEventId ''.
    const restart = [alert('9-0', ''), alert('10-0', '9-0')];
    for (const a of [restart[0]!, restart[1]!, restart[0]!, alert('2-0', '')]) seq.receive(a);
    expect(shown).to.deep.equal(['9-0', '10-0']);
    expect(asked).to.deep.equal([]);
  });
  it('does not show a donation twice when its paid alert is re-published under a new eventId', () => {
    const shown: string[] = [];
    const seq = new AlertSequencer(
      '',
      (a) => shown.push(a.eventId),
      () => undefined,
    );
    seq.receive(alert('1-0', ''));
    seq.receive({ ...alert('5-0', ''), donationId: 'd-1-0' }); // re-published after a data loss
    seq.receive(alert('6-0', '5-0'));
    expect(shown).to.deep.equal(['1-0', '6-0']);
  });
});
