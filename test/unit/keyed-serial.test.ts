import { expect } from 'chai';
import { KeyedSerial } from '../../gateway/notifications/notification-delivery.js';

/** A task that records when it runs and waits for the test to let it finish. */
function gate() {
  let open!: () => void;
  const done = new Promise<void>((r) => (open = r));
  return { open, done };
}

describe('KeyedSerial (one chat send per destination at a time)', () => {
  it('runs the tasks of one key one after another, in order, and other keys side by side', async () => {
    const serial = new KeyedSerial();
    const log: string[] = [];
    const gates = [gate(), gate(), gate()];
    const task = (name: string, g: { done: Promise<void> }) => async () => {
      log.push(`start ${name}`);
      await g.done;
      log.push(`end ${name}`);
      return name;
    };
    const a1 = serial.run('discord:s1', task('a1', gates[0]!));
    const a2 = serial.run('discord:s1', task('a2', gates[1]!));
    const b1 = serial.run('discord:s2', task('b1', gates[2]!));
    await new Promise((r) => setImmediate(r));
    expect(log).to.deep.equal(['start a1', 'start b1']);
    gates[1]!.open();
    await new Promise((r) => setImmediate(r));
    expect(log, 'a2 waits for a1 even when it could finish').to.deep.equal(['start a1', 'start b1']);
    gates[0]!.open();
    expect(await a1).to.equal('a1');
    expect(await a2).to.equal('a2');
    expect(log.indexOf('start a2')).to.be.greaterThan(log.indexOf('end a1'));
    gates[2]!.open();
    expect(await b1).to.equal('b1');
  });

  it('goes on after a task fails, passes the failure to its caller, and forgets idle keys', async () => {
    const serial = new KeyedSerial();
    const failed = serial.run('telegram:s1', () => Promise.reject(new Error('429')));
    const next = serial.run('telegram:s1', () => Promise.resolve('sent'));
    const err = await failed.then(
      () => null,
      (e: Error) => e,
    );
    expect(err?.message).to.equal('429');
    expect(await next).to.equal('sent');
    await new Promise((r) => setImmediate(r));
    expect(serial.activeKeys).to.equal(0);
  });
});
