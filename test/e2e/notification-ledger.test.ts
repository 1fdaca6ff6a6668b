/**
 * The digest's ledger in batches (issue 15), against a freshly migrated gateway_db: one stream
 * batch of paid donations and refunds is kept with one INSERT and one UPDATE, a donation read
 * twice counts once, and a refund in the same batch as its payment leaves it out of the totals.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { MikroORM } from '@mikro-orm/postgresql';
import { dropDatabase, migrateDatabase, openDatabase } from '../../shared/database.js';
import { secretBoxKeys } from '../../shared/secret-box.js';
import { gatewayDatabase } from '../../gateway/accounts/gateway.db.js';
import { NotificationStore, type LedgerEntry } from '../../gateway/notifications/notifications.store.js';
import { query } from '../support/db.js';

const url = `postgres://postgres@127.0.0.1:5432/ms_nl_${randomBytes(4).toString('hex')}_gateway`;

describe('notification ledger in batches (gateway_db)', function () {
  this.timeout(60_000);
  const def = gatewayDatabase(url, 4);
  let orm: MikroORM;
  let store: NotificationStore;
  const streamerId = randomUUID();

  before(async () => {
    await migrateDatabase(def);
    orm = await openDatabase(def);
    store = new NotificationStore(
      orm,
      secretBoxKeys({
        ENCRYPTION_SECRET: 'e'.repeat(32),
        ENCRYPTION_SECRET_PREVIOUS: [],
        JWT_SECRET: 'j'.repeat(32),
      }),
    );
    await query(url, `insert into users (id, email, password_hash, role) values ($1, $2, 'x', 'streamer')`, [
      streamerId,
      `${streamerId}@ledger.test`,
    ]);
    await query(
      url,
      `insert into streamers (user_id, username, display_name, min_donation_minor, currency, overlay_token_hash, overlay_token_enc, settings)
       values ($1, $2, 'Ledger', 100000, 'IDR', $3, '', '{}')`,
      [streamerId, `ledger_${randomBytes(3).toString('hex')}`, randomBytes(16).toString('hex')],
    );
  });
  after(async () => {
    await orm?.close();
    await dropDatabase(url).catch(() => undefined);
  });

  it('keeps a batch with one INSERT and one UPDATE; repeats count once, refunds are left out', async () => {
    const statements: string[] = [];
    const from = new Date(Date.now() - 60_000);
    const entry = (amountMinor: number, currency: string, test = false): LedgerEntry => ({
      donationId: randomUUID(),
      streamerId,
      amountMinor,
      currency,
      test,
      paidAt: new Date().toISOString(),
      refunded: false,
    });
    const paid = [
      entry(50_000_00, 'IDR'),
      entry(25_000_00, 'IDR'),
      entry(5_00, 'USD'),
      entry(10_000_00, 'IDR', true),
    ];
    const refundedLater = entry(70_000_00, 'IDR');
    const batch = [
      ...paid,
      paid[0]!, // read twice (a re-delivered stream entry)
      refundedLater,
      { ...refundedLater, refunded: true },
    ];
    // Count the statements of every connection the store forks.
    const forked = orm.em.fork().getConnection();
    type Execute = typeof forked.execute;
    const proto = Object.getPrototypeOf(forked) as { execute: Execute };
    const original = proto.execute;
    proto.execute = function (this: typeof forked, ...args: Parameters<Execute>) {
      const sql = args[0];
      statements.push((typeof sql === 'string' ? sql : '').trim().split(/\s+/)[0]!.toLowerCase());
      return original.apply(this, args);
    } as Execute;
    try {
      await store.recordLedgers(batch);
    } finally {
      proto.execute = original;
    }
    expect(statements).to.deep.equal(['insert', 'update']);
    const totals = await store.digestTotals(streamerId, from, new Date(Date.now() + 60_000));
    expect(totals.real).to.deep.equal([
      { currency: 'IDR', count: 2, amountMinor: 75_000_00 },
      { currency: 'USD', count: 1, amountMinor: 5_00 },
    ]);
    expect(totals.test).to.deep.equal([{ currency: 'IDR', count: 1, amountMinor: 10_000_00 }]);
    const rows = await query(
      url,
      'select count(*)::int as n from notification_ledger where streamer_id = $1',
      [streamerId],
    );
    expect(rows[0]!.n).to.equal(5);
  });
});
