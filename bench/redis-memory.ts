/**
 * Redis memory of an install, measured (not a timed test): INFO memory used_memory and the key
 * count, by kind of key, (1) at rest after 5,000 donations created, paid and alerted, and (2)
 * with 1,000 donations in flight (checkout jobs waiting: the checkout pool is stopped while they
 * are created). Runs the real processes on a private Redis, so nothing else is counted.
 *
 *   npx tsx bench/redis-memory.ts [donations=5000] [inFlight=1000]
 */
import { Redis } from 'ioredis';
import { TestSystem } from '../test/support/system.js';
import {
  createDonation,
  OverlayClient,
  paymentIdOf,
  registerStreamer,
  sandboxComplete,
  type TestStreamer,
} from '../test/support/clients.js';
import { PrivateRedis } from '../test/drills/support/private-servers.js';

const DONATIONS = Number(process.argv[2] ?? 5000);
const IN_FLIGHT = Number(process.argv[3] ?? 1000);
const LANES = 40;

/** used_memory and keys by kind (the part of the key after the prefix, ids stripped). */
async function measure(url: string, prefix: string) {
  const redis = new Redis(url);
  try {
    const info = await redis.info('memory');
    const usedMemory = Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0);
    const kinds = new Map<string, number>();
    let cursor = '0';
    let keys = 0;
    do {
      const [next, batch] = await redis.scan(cursor, 'COUNT', 1000);
      cursor = next;
      for (const key of batch) {
        keys++;
        const kind = key
          .slice(prefix.length + 1)
          .replace(/[0-9a-f]{8}-[0-9a-f-]{27}/gi, '<id>')
          .replace(/[0-9a-f]{64}/gi, '<hash>')
          .replace(/\{[^}]*\}/g, '{<id>}')
          .replace(/:\d+$/, ':<n>');
        kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
      }
    } while (cursor !== '0');
    return { usedMemory, keys, kinds: Object.fromEntries([...kinds].sort((a, b) => b[1] - a[1])) };
  } finally {
    redis.disconnect();
  }
}

async function lanes<T>(items: T[], each: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: LANES }, async () => {
      for (let i = next++; i < items.length; i = next++) await each(items[i]!);
    }),
  );
}

const redisServer = await PrivateRedis.start();
const system = await TestSystem.start({
  env: { REDIS_URL: redisServer.url, CHECKOUT_RATE_LIMIT_PER_S: '1000', LOG_LEVEL: 'warn' },
});
try {
  const prefix = system.config.REDIS_PREFIX;
  const empty = await measure(redisServer.url, prefix);
  const streamers: TestStreamer[] = await Promise.all(
    Array.from({ length: 10 }, () => registerStreamer(system)),
  );
  const overlays = streamers.map((s) => new OverlayClient(system.realtimeUrl, s.overlayToken));
  await Promise.all(overlays.map((o) => o.waitConnected(30_000)));
  const started = Date.now();
  await lanes(
    Array.from({ length: DONATIONS }, (_, i) => i),
    async (i) => {
      const s = streamers[i % streamers.length]!;
      const created = await createDonation(system, s.username, {
        donorName: `Memory ${i}`,
        amount: '20000',
        message: `a message of ordinary length from donor number ${i}`,
      });
      if (created.status !== 201 && created.status !== 202) throw new Error(`create: ${created.status}`);
      const paid = await sandboxComplete(system, await paymentIdOf(system, created));
      if (paid.status !== 200) throw new Error(`pay: ${paid.status}`);
    },
  );
  await Promise.all(
    overlays.map((o) => o.waitUntil(() => o.shown.length >= DONATIONS / overlays.length, 300_000, 'alerts')),
  );
  // Let the last acks and job removals land.
  await new Promise((r) => setTimeout(r, 5000));
  const atRest = await measure(redisServer.url, prefix);
  const pathS = (Date.now() - started) / 1000;

  // In flight: checkouts asked for but not yet made (their jobs wait in Redis).
  await system.kill('workers-checkout', 'SIGTERM');
  await lanes(
    Array.from({ length: IN_FLIGHT }, (_, i) => i),
    async (i) => {
      const s = streamers[i % streamers.length]!;
      const created = await createDonation(system, s.username, {
        donorName: `In flight ${i}`,
        amount: '20000',
        message: `a message of ordinary length from donor number ${i}`,
      });
      if (created.status !== 202 && created.status !== 201) throw new Error(`create: ${created.status}`);
    },
  );
  const inFlight = await measure(redisServer.url, prefix);
  const perDonation = (bytes: number, n: number) => Math.round(bytes / n);
  console.log(
    JSON.stringify(
      {
        donations: DONATIONS,
        inFlightDonations: IN_FLIGHT,
        createdPaidAlertedInS: Math.round(pathS),
        empty: { usedMemory: empty.usedMemory, keys: empty.keys },
        atRest,
        inFlight,
        atRestBytesPerDonation: perDonation(atRest.usedMemory - empty.usedMemory, DONATIONS),
        inFlightBytesPerDonation: perDonation(inFlight.usedMemory - atRest.usedMemory, IN_FLIGHT),
      },
      null,
      1,
    ),
  );
  for (const o of overlays) o.close();
} finally {
  await system.stop();
  await redisServer.stop();
}
