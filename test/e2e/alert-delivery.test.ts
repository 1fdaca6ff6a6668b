/**
 * Alert delivery on the real notification service (issue 5): the events are appended straight
 * to the system's Redis streams with publishAlertEvent (the same once-only Lua publish the
 * donation worker uses); each real notification-service instance reads the whole stream from its
 * own position and emits to its own sockets, and real Socket.IO overlay clients show them. Covers
 * reconnects with replay, two instances behind the Redis adapter (no adapter PUBLISH per alert),
 * and SIGKILL of one instance with entries in flight (its overlays replay on another node).
 */
import { expect } from 'chai';
import { Redis } from 'ioredis';
import { uuidv7 } from 'uuidv7';
import { TestSystem, waitFor } from '../support/system.js';
import { OverlayClient, registerStreamer, type TestStreamer } from '../support/clients.js';
import { publishAlertEvent } from '../../shared/alert-stream.js';
import { STREAMS, type DonationEvent } from '../../shared/queues.js';

/** Checks that an overlay showed exactly `expected` event ids, in order, none twice. */
function expectExactly(overlay: OverlayClient, expected: string[]): void {
  const shown = overlay.shown.map((a) => a.eventId);
  expect(new Set(shown).size, 'no alert shown twice').to.equal(shown.length);
  expect(shown).to.deep.equal(expected);
}

describe('alert delivery (per-node stream readers, replay, several notification nodes)', function () {
  this.timeout(180_000);
  let system: TestSystem;
  let second: { name: string; realtimeUrl: string };
  let redis: Redis;
  const overlays: OverlayClient[] = [];

  before(async function () {
    // TestSystem waits up to 300 s for the processes on a loaded machine.
    this.timeout(400_000);
    system = await TestSystem.start({ processes: ['gateway', 'notification-service'] });
    second = await system.spawnExtraNotification(2);
    await waitFor(
      () => system.hasLine(second.name, 'gRPC server listening'),
      30_000,
      'second instance ready',
    );
    redis = new Redis(system.config.REDIS_URL);
  });

  after(async () => {
    overlays.forEach((o) => o.close());
    redis?.disconnect();
    await system?.stop();
  });

  function overlayOn(url: string, s: TestStreamer): OverlayClient {
    const o = new OverlayClient(url, s.overlayToken);
    overlays.push(o);
    return o;
  }

  /** Publishes one paid-donation alert; returns its eventId. */
  async function publish(streamerId: string, i: number, historyMaxLen?: number): Promise<string> {
    const donationId = uuidv7();
    const now = new Date().toISOString();
    const event: DonationEvent = {
      type: 'donation.paid',
      donationId,
      streamerId,
      donorName: `donor ${i}`,
      amountMinor: 1000_00 + i,
      currency: 'IDR',
      message: `message ${i}`,
      mediaShare: null,
      createdAt: now,
      paidAt: now,
      test: false,
      requestId: `req-${i}`,
    };
    const id = await publishAlertEvent(
      redis,
      system.config.REDIS_PREFIX,
      event,
      {
        globalMaxLen: system.config.EVENT_STREAM_MAXLEN,
        historyMaxLen: historyMaxLen ?? system.config.STREAMER_HISTORY_MAXLEN,
      },
      STREAMS.alertPublished(system.config.REDIS_PREFIX, streamerId, donationId),
    );
    if (!id) throw new Error('publish refused');
    return id;
  }

  it('shows all 1,000 alerts in order, none twice, while the overlay reconnects 5 times at random moments', async () => {
    const streamer = await registerStreamer(system);
    const overlay = overlayOn(system.realtimeUrl, streamer);
    await overlay.waitConnected();
    const total = 1000;
    // Five random points to drop the connection, each for a random stretch of 10–60 alerts.
    const drops = new Map<number, number>();
    while (drops.size < 5) {
      const at = 50 + Math.floor(Math.random() * 850);
      if ([...drops.keys()].every((k) => Math.abs(k - at) > 80))
        drops.set(at, 10 + Math.floor(Math.random() * 50));
    }
    const reconnectAt = new Set([...drops].map(([at, len]) => at + len));
    let connects = 0;
    overlay.socket.on('connect', () => connects++);
    const expected: string[] = [];
    for (let i = 0; i < total; i++) {
      if (drops.has(i)) overlay.socket.disconnect();
      if (reconnectAt.has(i)) {
        overlay.socket.connect();
        await overlay.waitConnected();
      }
      // Yield now and then, so the service is mid-delivery whenever a drop happens.
      expected.push(await publish(streamer.id, i));
      if (i % 25 === 24) await new Promise((r) => setImmediate(r));
    }
    await overlay.waitForAlerts(total, 60_000);
    expect(connects, 'reconnected five times').to.equal(5);
    expectExactly(overlay, expected);
    expect(overlay.shown.map((a) => a.message)).to.deep.equal(expected.map((_, i) => `message ${i}`));
  });

  it('moves a reconnecting overlay past alerts trimmed from the history and shows the kept ones in order', async () => {
    const streamer = await registerStreamer(system);
    const overlay = overlayOn(system.realtimeUrl, streamer);
    await overlay.waitConnected();
    const first = await publish(streamer.id, 0);
    await overlay.waitForAlerts(1);
    overlay.socket.disconnect();
    // Offline for longer than the history keeps: a small cap trims the entries after `first`.
    for (let i = 1; i <= 400; i++) await publish(streamer.id, i, 50);
    const key = STREAMS.streamerAlerts(system.config.REDIS_PREFIX, streamer.id);
    const kept = (await redis.xrange(key, '-', '+')).map(([id]) => id);
    expect(kept[0], 'history was trimmed past the last shown alert').to.not.equal(first);
    overlay.socket.connect();
    await overlay.waitForAlerts(1 + kept.length, 30_000);
    expectExactly(overlay, [first, ...kept]);
  });

  it('delivers every alert exactly once to every overlay with two instances, overlays on each, through no adapter PUBLISH', async () => {
    const streamer = await registerStreamer(system);
    const onFirst = [overlayOn(system.realtimeUrl, streamer), overlayOn(system.realtimeUrl, streamer)];
    const onSecond = [overlayOn(second.realtimeUrl, streamer), overlayOn(second.realtimeUrl, streamer)];
    await Promise.all([...onFirst, ...onSecond].map((o) => o.waitConnected()));
    // Every message the Socket.IO Redis adapter of this system publishes (its channels start
    // with the system's prefix): an alert emitted to local sockets only sends none.
    const listener = redis.duplicate();
    let adapterMessages = 0;
    listener.on('pmessage', () => adapterMessages++);
    await listener.psubscribe(`${system.config.REDIS_PREFIX}:socket.io*`);
    const expected: string[] = [];
    try {
      for (let i = 0; i < 300; i++) expected.push(await publish(streamer.id, i));
      for (const o of [...onFirst, ...onSecond]) {
        await o.waitForAlerts(expected.length, 30_000);
        expectExactly(o, expected);
      }
    } finally {
      listener.disconnect();
    }
    expect(adapterMessages, 'adapter messages for 300 alerts').to.equal(0);
    // No consumer group splits the stream between the nodes: each reads all of it (XREAD).
    const groups = (await redis.xinfo(
      'GROUPS',
      STREAMS.donationEvents(system.config.REDIS_PREFIX),
    )) as unknown[][];
    expect(groups.map((g) => String(g[1]))).to.not.include('notification');
  });

  it('delivers every alert once after one instance is SIGKILLed with 500 alerts in flight', async () => {
    const streamer = await registerStreamer(system);
    const survivorOverlay = overlayOn(system.realtimeUrl, streamer);
    const victimOverlay = overlayOn(second.realtimeUrl, streamer);
    await Promise.all([survivorOverlay.waitConnected(), victimOverlay.waitConnected()]);
    const victim = system.processes.get(second.name)!;
    // Freeze the victim with 500 alerts published behind it, then kill it: its overlay must get
    // them by replay from another node; the survivor's overlay gets them from its own reader.
    victim.child.kill('SIGSTOP');
    const expected: string[] = [];
    for (let i = 0; i < 500; i++) expected.push(await publish(streamer.id, i));
    // The overlay behind the same public endpoint reconnects to the survivor (what pm2's
    // cluster mode or a load balancer does); here the client is pointed at it by hand.
    (victimOverlay.socket.io as unknown as { uri: string }).uri = system.realtimeUrl;
    victim.child.kill('SIGKILL');
    await victim.exited;
    for (const o of [survivorOverlay, victimOverlay]) {
      await o.waitForAlerts(expected.length, 60_000);
      expectExactly(o, expected);
    }
  });
});
