/**
 * Every hot query of the donation path is served by an index (issue 15): each one is EXPLAINed
 * on freshly migrated databases with sequential scans priced out (enable_seqscan = off), so the
 * plan shows a sequential scan only when no index can serve the query at all. The queries are
 * the stores' own SQL with literal values.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { expect } from 'chai';
import pg from 'pg';
import { dropDatabase, migrateDatabase } from '../../shared/database.js';
import { donationDatabase } from '../../grpc/donation/donation.db.js';
import { paymentDatabase } from '../../grpc/payment/payment.db.js';
import { gatewayDatabase } from '../../gateway/accounts/gateway.db.js';

const id = `ms_idx_${randomBytes(4).toString('hex')}`;
const url = (name: string) => `postgres://postgres@127.0.0.1:5432/${id}_${name}`;
const u1 = randomUUID();
const u2 = randomUUID();

/** Hot queries per database (from grpc/donation/donation.store.ts, grpc/payment/payment.store.ts, the outgoing-webhooks store). */
const HOT: Record<'donation' | 'payment' | 'gateway', Record<string, string>> = {
  donation: {
    'create: existing by id or idempotency key': `select id, streamer_id, idempotency_key, request_hash, created_at from donations where id in ('${u1}') or (streamer_id, idempotency_key) in (('${u2}'::uuid, 'k'))`,
    'status change': `update donations set status = 'paid', paid_at = now() where id = '${u1}' and status in ('pending')`,
    'read by id': `select * from donations where id = '${u1}'`,
    'mark published': `update donations set alert_published_at = now() where id = '${u1}' and alert_published_at is null`,
    'status change, batched': `update donations d set status = v.status from (values ('${u1}'::uuid, 'paid'::text, '{pending}'::text[]), ('${u2}'::uuid, 'paid'::text, '{pending}'::text[])) as v(id, status, from_states) where d.id = v.id and d.status = any(v.from_states)`,
    'read unmoved, batched': `select * from donations where id = any('{${u1},${u2}}'::uuid[])`,
    'mark published, batched': `update donations set alert_published_at = now() where id = any('{${u1},${u2}}'::uuid[]) and alert_published_at is null`,
    'reconciler: paid, unpublished': `select * from donations where status = 'paid' and alert_published_at is null and paid_at < now() - interval '5 seconds' order by paid_at limit 100`,
    'streamer list': `select * from donations where streamer_id = '${u1}' order by created_at desc, id desc limit 50`,
  },
  payment: {
    'by id': `select * from payments where id = '${u1}'`,
    'by donation': `select * from payments where donation_id = '${u1}'`,
    'webhook: by order id': `select * from payments where provider = 'sandbox' and order_id = 'o1' limit 1`,
    'webhook: by provider ref': `select * from payments where provider = 'stripe' and provider_ref = 'r1' limit 1`,
    'webhooks: batch lookup': `select * from payments where (provider, order_id) in (('sandbox', 'o1'), ('sandbox', 'o2')) or (provider, provider_ref) in (('stripe', 'r1'))`,
    'payments: batched move': `update payments p set status = v.status from (values ('${u1}'::uuid, 'paid'::text, '{pending}'::text[]), ('${u2}'::uuid, 'paid'::text, '{pending}'::text[])) as v(id, status, from_states) where p.id = v.id and p.status = any(v.from_states)`,
    'inbox: mark verified, batched': `update webhook_inbox set verified_at = now() where (provider, event_id) in (('sandbox', 'e1'), ('sandbox', 'e2')) and verified_at is null`,
    'inbox: mark verified': `update webhook_inbox set verified_at = now() where provider = 'sandbox' and event_id = 'e1' and verified_at is null`,
    'inbox: unverified sweep': `select job from webhook_inbox where verified_at is null and received_at < now() and received_at > now() - interval '1 day' order by received_at limit 500`,
    'sweeper: pending': `select * from payments where status = 'pending' and created_at < now() order by created_at limit 100`,
  },
  gateway: {
    'outgoing webhooks: endpoints of a batch': `select * from webhook_endpoints where streamer_id = any('{${u1},${u2}}'::uuid[])`,
  },
};

describe('hot queries use an index (EXPLAIN on migrated databases)', function () {
  this.timeout(120_000);
  const defs = {
    donation: donationDatabase(url('donation'), 2),
    payment: paymentDatabase(url('payment'), 2),
    gateway: gatewayDatabase(url('gateway'), 2),
  };

  before(async () => {
    for (const def of Object.values(defs)) await migrateDatabase(def);
  });
  after(async () => {
    for (const name of Object.keys(defs)) await dropDatabase(url(name)).catch(() => undefined);
  });

  for (const [db, queries] of Object.entries(HOT) as [keyof typeof HOT, Record<string, string>][]) {
    it(`${db}_db: ${Object.keys(queries).join('; ')}`, async () => {
      const client = new pg.Client({ connectionString: url(db) });
      await client.connect();
      try {
        await client.query('set enable_seqscan = off');
        for (const [name, sql] of Object.entries(queries)) {
          const plan = (await client.query<{ 'QUERY PLAN': string }>(`explain ${sql}`)).rows
            .map((r) => r['QUERY PLAN'])
            .join('\n');
          expect(plan, `${name}:\n${plan}`).to.not.include('Seq Scan');
          expect(plan, `${name}:\n${plan}`).to.match(/Index|Bitmap/);
        }
      } finally {
        await client.end();
      }
    });
  }
});
