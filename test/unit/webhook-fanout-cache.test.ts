/**
 * The outgoing-webhooks reader does no work for streamers without endpoints (issue 15): with a
 * pub/sub connection it caches the set of streamers with endpoints, so a batch of their events
 * runs no SQL, and reloads the set when the gateway announces a change. Real Redis, fake store.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { WebhookFanout } from '../../gateway/outgoing-webhooks/outgoing-webhook-delivery.js';
import type {
  OutgoingWebhookStore,
  WebhookEndpoint,
} from '../../gateway/outgoing-webhooks/outgoing-webhooks.store.js';
import { KEYS, type TypedQueue } from '../../shared/queues.js';
import type { StreamEntry } from '../../shared/stream-group-reader.js';
import { waitFor } from '../support/system.js';

describe('outgoing-webhooks reader: cached set of streamers with endpoints', () => {
  const prefix = `ms-unit-${randomBytes(4).toString('hex')}`;
  const redis = new Redis('redis://127.0.0.1:6379', { lazyConnect: true });
  const blocking = new Redis('redis://127.0.0.1:6379', { lazyConnect: true });
  const subscriber = new Redis('redis://127.0.0.1:6379', { lazyConnect: true });
  const withEndpoint = randomUUID();
  const without = randomUUID();
  const calls = { streamersWithEndpoints: 0, endpointsOf: 0 };
  let endpointStreamers = new Set<string>();
  const added: unknown[] = [];
  const endpoint = (streamerId: string): WebhookEndpoint =>
    ({
      id: randomUUID(),
      streamerId,
      url: 'http://x',
      events: ['donation.paid'],
    }) as unknown as WebhookEndpoint;
  const store = {
    streamersWithEndpoints: () => {
      calls.streamersWithEndpoints++;
      return Promise.resolve(new Set(endpointStreamers));
    },
    endpointsOf: (ids: string[]) => {
      calls.endpointsOf++;
      return Promise.resolve(
        new Map(ids.filter((id) => endpointStreamers.has(id)).map((id) => [id, [endpoint(id)]])),
      );
    },
  } as unknown as OutgoingWebhookStore;
  const queue = {
    addBulk: (jobs: unknown[]) => Promise.resolve(added.push(...jobs)),
  } as unknown as TypedQueue<'outgoing-webhooks'>;
  const fanout = new WebhookFanout(redis, blocking, prefix, store, queue, pino({ level: 'silent' }), {
    attempts: 1,
    backoffMs: 10,
    subscriber,
  });
  const enqueue = (streamerId: string) => {
    const entry: StreamEntry = [
      `${Date.now()}-0`,
      [
        'eventId',
        randomUUID(),
        'data',
        JSON.stringify({ type: 'donation.paid', streamerId, donationId: randomUUID() }),
      ],
    ];
    return (fanout as unknown as { enqueue(e: StreamEntry[]): Promise<void> }).enqueue([entry]);
  };

  before(async () => {
    await Promise.all([redis.connect(), blocking.connect(), subscriber.connect()]);
  });
  after(async () => {
    await fanout.stop();
    for (const c of [redis, blocking, subscriber]) c.disconnect();
  });

  it('looks nothing up per batch when no streamer of the batch has an endpoint, and reloads on an announced change', async () => {
    fanout.start();
    await waitFor(
      async () => (await redis.pubsub('NUMSUB', KEYS.webhookEndpointsChannel(prefix)))[1] === 1,
      5000,
      'subscribed',
    );
    for (let i = 0; i < 5; i++) await enqueue(without);
    expect(calls.streamersWithEndpoints).to.equal(1);
    expect(calls.endpointsOf).to.equal(0);
    expect(added).to.have.length(0);

    // The gateway announces a new endpoint: the next batch sees it.
    endpointStreamers = new Set([withEndpoint]);
    await redis.publish(KEYS.webhookEndpointsChannel(prefix), withEndpoint);
    await waitFor(
      async () => {
        await enqueue(withEndpoint);
        return added.length > 0;
      },
      5000,
      'the new endpoint to get a delivery',
    );
    const reloads = calls.streamersWithEndpoints;
    expect(reloads).to.be.greaterThan(1);
    await enqueue(without);
    expect(calls.streamersWithEndpoints).to.equal(reloads);
  });
});
