/**
 * Accepted means durable (issue 11, issue 10 item 6): a 2xx with a donation id means its row is
 * in donation_db when the answer arrives, and the database's unique (streamer, idempotency key)
 * decides a retry — also after Redis lost every key.
 */
import { expect } from 'chai';
import { uuidv7 } from 'uuidv7';
import { deleteRedisPrefix, TestSystem } from '../support/system.js';
import { createDonation, registerStreamer, type TestStreamer } from '../support/clients.js';
import { query } from '../support/db.js';

describe('donation durability and idempotency (real processes)', function () {
  this.timeout(120_000);
  let system: TestSystem;
  let streamer: TestStreamer;

  before(async function () {
    this.timeout(300_000);
    system = await TestSystem.start();
    streamer = await registerStreamer(system);
  });

  after(async () => {
    await system?.stop();
  });

  const rowsWithId = async (id: string) =>
    query<{ id: string; idempotency_key: string | null }>(
      system.config.DONATION_DATABASE_URL,
      'select id, idempotency_key from donations where id = $1',
      [id],
    );

  it('has the donation row in donation_db by the time it answers 201/202', async () => {
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        createDonation(system, streamer.username, { donorName: `Durable ${i}`, amount: '20000' }),
      ),
    );
    for (const res of answers) {
      expect(res.status, JSON.stringify(res.body)).to.be.oneOf([201, 202]);
      // Read at once, no waiting: the row must already be there.
      expect(await rowsWithId(res.body.id as string)).to.have.length(1);
    }
  });

  it('answers concurrent retries of one Idempotency-Key with one donation, and 409 for another body', async () => {
    const key = `idem-${uuidv7()}`;
    const body = { donorName: 'Retry', amount: '30000', message: 'same body' };
    const answers = await Promise.all(
      Array.from({ length: 8 }, () =>
        createDonation(system, streamer.username, body, { 'idempotency-key': key }),
      ),
    );
    const ids = new Set(answers.map((a) => a.body.id as string));
    expect(answers.map((a) => a.status).every((s) => s === 201 || s === 202)).to.equal(true);
    expect(ids.size, 'one donation for one key').to.equal(1);
    expect(answers.filter((a) => a.headers.get('idempotent-replayed') === 'true')).to.have.length(7);
    const rows = await query(
      system.config.DONATION_DATABASE_URL,
      'select id from donations where streamer_id = $1 and idempotency_key = $2',
      [streamer.id, key],
    );
    expect(rows).to.have.length(1);
    const other = await createDonation(
      system,
      streamer.username,
      { ...body, message: 'another body' },
      { 'idempotency-key': key },
    );
    expect(other.status).to.equal(409);
    expect(other.body.error.details.fields).to.have.property('Idempotency-Key');
  });

  it('answers the original donation for a reused key after Redis lost every key, and 409 for another body', async () => {
    const key = `idem-${uuidv7()}`;
    const body = { donorName: 'After loss', amount: '40000', message: 'before the loss' };
    const first = await createDonation(system, streamer.username, body, { 'idempotency-key': key });
    expect(first.status).to.be.oneOf([201, 202]);
    await deleteRedisPrefix(system.config.REDIS_PREFIX, system.config.REDIS_URL);
    const again = await createDonation(system, streamer.username, body, { 'idempotency-key': key });
    expect(again.status, JSON.stringify(again.body)).to.be.oneOf([201, 202]);
    expect(again.body.id).to.equal(first.body.id);
    expect(await rowsWithId(again.body.id as string)).to.have.length(1);
    const other = await createDonation(
      system,
      streamer.username,
      { ...body, amount: '41000' },
      { 'idempotency-key': key },
    );
    expect(other.status).to.equal(409);
  });
});
