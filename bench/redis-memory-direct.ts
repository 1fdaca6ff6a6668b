/**
 * What Redis holds per donation, measured on a private redis-server by running the real
 * publishing and queueing code without the processes (for a loaded machine where the full
 * bench/redis-memory.ts cannot start them): at rest after N donations paid and alerted (their
 * history and global stream entries, the 1 h alert marker, one overlay's ack), and with M in
 * flight (a checkout job waiting per donation, with the donor text it carries).
 *
 *   npx tsx bench/redis-memory-direct.ts [donations=5000] [inFlight=1000]
 */
import { Redis } from 'ioredis';
import { uuidv7 } from 'uuidv7';
import { publishAlertEvent } from '../shared/alert-stream.js';
import { recordAck } from '../shared/overlay-acks.js';
import { openQueue, QUEUES, STREAMS, type DonationEvent } from '../shared/queues.js';
import { PrivateRedis } from '../test/drills/support/private-servers.js';

const DONATIONS = Number(process.argv[2] ?? 5000);
const IN_FLIGHT = Number(process.argv[3] ?? 1000);
const PREFIX = 'mediashar';

async function measure(redis: Redis) {
  const info = await redis.info('memory');
  return { usedMemory: Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0), keys: await redis.dbsize() };
}

const server = await PrivateRedis.start();
const redis = new Redis(server.url);
try {
  const empty = await measure(redis);
  const streamers = Array.from({ length: 10 }, () => uuidv7());
  for (let i = 0; i < DONATIONS; i += 100) {
    await Promise.all(
      Array.from({ length: Math.min(100, DONATIONS - i) }, async (_, j) => {
        const n = i + j;
        const streamerId = streamers[n % streamers.length]!;
        const donationId = uuidv7();
        const event: DonationEvent = {
          type: 'donation.paid',
          donationId,
          streamerId,
          donorName: `Donor ${n}`,
          amountMinor: 2_000_000,
          currency: 'IDR',
          message: `a message of ordinary length from donor number ${n}`,
          mediaShare: null,
          createdAt: new Date().toISOString(),
          paidAt: new Date().toISOString(),
          test: false,
          requestId: uuidv7(),
        };
        const eventId = await publishAlertEvent(
          redis,
          PREFIX,
          event,
          { globalMaxLen: 100_000, historyMaxLen: 2_000 },
          STREAMS.alertPublished(PREFIX, streamerId, donationId),
        );
        await recordAck(redis, PREFIX, {
          tokenHash: `${streamerId}`.padEnd(64, '0'),
          streamerId,
          donationId,
          eventId: eventId!,
          at: Date.now(),
        });
      }),
    );
  }
  // The donation pool copies acks to donation_db and deletes them from their stream.
  await redis.del(STREAMS.overlayAcks(PREFIX));
  const atRest = await measure(redis);
  // An hour later the once-only alert markers have expired: what stays is the streams (24 h).
  const markers = await redis.keys(`${PREFIX}:alerted:*`);
  for (let i = 0; i < markers.length; i += 1000) await redis.del(...markers.slice(i, i + 1000));
  const afterMarkers = await measure(redis);
  const checkout = openQueue('checkout', redis, PREFIX);
  await checkout.addBulk(
    Array.from({ length: IN_FLIGHT }, (_, n) => ({
      name: QUEUES.checkout.jobs.create,
      data: {
        paymentId: uuidv7(),
        donationId: uuidv7(),
        provider: 'sandbox' as const,
        amountMinor: 2_000_000,
        currency: 'IDR',
        donorName: `Donor ${n}`,
        description: 'Donation to Streamer s_0123456789',
        requestId: uuidv7(),
      },
    })),
  );
  const inFlight = await measure(redis);
  await checkout.close();
  console.log(
    JSON.stringify({
      donations: DONATIONS,
      inFlight: IN_FLIGHT,
      empty,
      atRest,
      atRestAfterMarkersExpire: afterMarkers,
      withInFlight: inFlight,
      atRestBytesPer1000: Math.round(((atRest.usedMemory - empty.usedMemory) / DONATIONS) * 1000),
      afterMarkersBytesPer1000: Math.round(((afterMarkers.usedMemory - empty.usedMemory) / DONATIONS) * 1000),
      inFlightBytesPer1000: Math.round(((inFlight.usedMemory - afterMarkers.usedMemory) / IN_FLIGHT) * 1000),
    }),
  );
} finally {
  redis.disconnect();
  await server.stop();
}
