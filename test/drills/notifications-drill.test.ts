/**
 * Notifications drill (issue 16): a burst of paid donations while Discord and Telegram answer
 * slowly; the notifications worker pool is SIGKILLed mid-burst and restarted. Afterwards each
 * channel got each donation, counted on the requests the fakes accepted (no de-duplication on
 * the receiving side): exactly once, except the sends the platforms had received when the
 * worker died (no idempotency key exists on either platform; those repeat once, and the test
 * checks that only they do), and the overlay showed every alert once. The overlay's
 * latency (payment confirmed → alert shown) is reported, p50/p99, for the same run; it is not
 * asserted (timing on a shared 2-core machine), only printed for the reader.
 */
import { expect } from 'chai';
import { TestSystem, waitFor } from '../support/system.js';
import {
  createDonation,
  http,
  OverlayClient,
  paymentIdOf,
  registerStreamer,
  sandboxComplete,
  type TestStreamer,
} from '../support/clients.js';
import { discordVisibleText, startDiscordFake, type DiscordFake } from '../fakes/discord.fake.js';
import { startTelegramFake, type TelegramFake } from '../fakes/telegram.fake.js';

const WEBHOOK_ID = '998877665544332211';
const WEBHOOK_TOKEN = 'drill_Token-abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQR';
const BOT_TOKEN = '987654321:AAF-drilldrilldrilldrilldrilldrill';
const BURST = 60;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

describe('notifications drill: SIGKILL of the notifications pool mid-burst', function () {
  this.timeout(600_000);
  let system: TestSystem;
  let discord: DiscordFake;
  let telegram: TelegramFake;
  let streamer: TestStreamer;
  let overlay: OverlayClient;

  before(async function () {
    this.timeout(420_000);
    discord = await startDiscordFake();
    telegram = await startTelegramFake();
    discord.addWebhook(WEBHOOK_ID, WEBHOOK_TOKEN);
    telegram.addBot(BOT_TOKEN);
    // Slow platforms: the pool has sends in flight when it is killed.
    discord.delayMs = 150;
    telegram.delayMs = 150;
    system = await TestSystem.start({
      processes: [
        'gateway',
        'donation-service',
        'payment-service',
        'notification-service',
        'workers-donation',
        'workers-checkout',
        'workers-payment-verification',
        'workers-notifications',
      ],
      env: {
        DISCORD_API_BASE: discord.url,
        TELEGRAM_API_BASE: telegram.url,
        OUTGOING_WEBHOOK_ALLOW_INTERNAL: 'true',
        NOTIFICATION_BACKOFF_MS: '200',
        // A killed worker's jobs come back after the lock expires.
        WORKER_LOCK_DURATION_MS: '5000',
      },
    });
    streamer = await registerStreamer(system, '1000');
    const res = await http(system, 'PATCH', '/api/v1/me/notifications', {
      token: streamer.accessToken,
      body: {
        discord: {
          enabled: true,
          webhookUrl: `https://discord.com/api/webhooks/${WEBHOOK_ID}/${WEBHOOK_TOKEN}`,
        },
        telegram: { enabled: true, botToken: BOT_TOKEN, chatId: '-100123' },
      },
    });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    overlay = new OverlayClient(system.realtimeUrl, streamer.overlayToken);
    await overlay.waitConnected();
  });

  after(async () => {
    overlay?.close();
    await system?.stop();
    await discord?.close();
    await telegram?.close();
  });

  it('delivers each donation once per channel (only the one send per destination in flight at the kill may repeat), the overlay unharmed', async () => {
    const paidAt = new Map<string, number>();
    const shownAt = new Map<string, number>();
    overlay.socket.on('alert', (a: { donationId: string }) => {
      if (!shownAt.has(a.donationId)) shownAt.set(a.donationId, performance.now());
    });
    const messages: string[] = [];
    let killed = false;
    let killedAt = 0;
    const killer = (async () => {
      await waitFor(
        () => Promise.resolve(discord.accepted().length + telegram.accepted().length >= BURST / 2),
        180_000,
        'the burst to be under way',
        20,
      );
      await system.kill('workers-notifications', 'SIGKILL');
      killedAt = Date.now();
      killed = true;
      system.spawn('workers-notifications');
      await system.waitHealthy(['workers-notifications']);
    })();
    // Ten donors at a time.
    for (let i = 0; i < BURST; i += 10) {
      await Promise.all(
        Array.from({ length: Math.min(10, BURST - i) }, async (_, k) => {
          const message = `drill ${i + k}`;
          messages.push(message);
          const created = await createDonation(system, streamer.username, {
            donorName: `Donor ${i + k}`,
            amount: '5000',
            currency: 'IDR',
            message,
          });
          expect(created.status, JSON.stringify(created.body)).to.equal(201);
          await sandboxComplete(system, await paymentIdOf(system, created));
          paidAt.set(created.body.id as string, performance.now());
        }),
      );
    }
    await killer;
    expect(killed, 'the pool was killed mid-burst').to.equal(true);
    await overlay.waitForAlerts(BURST, 120_000);
    const seen = (list: string[]) => messages.every((m) => list.includes(m));
    await waitFor(
      () =>
        Promise.resolve(
          seen(discord.accepted().map((r) => discordVisibleText(r.body.embeds?.[0]?.description ?? ''))) &&
            seen(telegram.accepted().map((r) => r.visible.split('\n\n')[1] ?? '')),
        ),
      180_000,
      'every donation on both channels',
    );
    // Whatever was still queued or retried has had its time: count what the platforms accepted.
    await new Promise((r) => setTimeout(r, 3000));
    const count = (list: string[]) => {
      const by = new Map<string, number>();
      for (const m of list) by.set(m, (by.get(m) ?? 0) + 1);
      return by;
    };
    const d = count(discord.accepted().map((r) => discordVisibleText(r.body.embeds?.[0]?.description ?? '')));
    const t = count(telegram.accepted().map((r) => r.visible.split('\n\n')[1] ?? ''));
    const twice = {
      discord: messages.filter((m) => d.get(m) !== 1),
      telegram: messages.filter((m) => t.get(m) !== 1),
    };
    // A send the platform had received when the worker died (its answer not yet read, or read
    // but its sent mark not yet committed on a loaded machine: seen up to ~1.5 s) is sent
    // again: neither platform takes an idempotency key. Only those (the 5 s before the kill) may repeat,
    // and at most twice; every other donation exactly once.
    // The fakes stamp a request when it has arrived: a send written just before the SIGKILL can be
    // stamped a moment after the kill time this process noted, so the window runs 2 s past it.
    const window = (at: number) => at <= killedAt + 2000 && at >= killedAt - 5000;
    const inFlight = {
      discord: discord.received
        .filter((r) => window(r.at))
        .map((r) => discordVisibleText(r.body.embeds?.[0]?.description ?? '')),
      telegram: telegram.received.filter((r) => window(r.at)).map((r) => r.visible.split('\n\n')[1] ?? ''),
    };
    for (const channel of ['discord', 'telegram'] as const) {
      const counts = channel === 'discord' ? d : t;
      for (const m of twice[channel]) {
        expect(inFlight[channel], `${channel}: ${m} repeated but was not in flight at the kill`).to.include(
          m,
        );
        expect(counts.get(m), `${channel}: ${m}`).to.equal(2);
      }
    }
    console.log(
      `      in flight at the kill and sent again: discord ${twice.discord.length}, telegram ${twice.telegram.length}; every other donation once per channel`,
    );
    // The pool sends to one Discord webhook or Telegram chat one message at a time, so at most
    // one send per destination was unmarked when it died.
    expect(twice.discord.length, 'discord repeats').to.be.at.most(1);
    expect(twice.telegram.length, 'telegram repeats').to.be.at.most(1);
    expect(d.size).to.equal(BURST);
    expect(t.size).to.equal(BURST);
    // Overlay: every alert once, as the server sent them.
    const received = count(overlay.received.map((a) => a.donationId));
    expect(
      [...received.values()].every((n) => n === 1),
      'an alert sent twice',
    ).to.equal(true);
    const latencies = [...paidAt].flatMap(([id, at]) => (shownAt.has(id) ? [shownAt.get(id)! - at] : []));
    console.log(
      `      overlay latency (sandbox pay answered → alert received), ${latencies.length} alerts: p50 ${percentile(latencies, 50).toFixed(0)} ms, p99 ${percentile(latencies, 99).toFixed(0)} ms, max ${Math.max(...latencies).toFixed(0)} ms`,
    );
    console.log(
      `      platform requests: discord ${discord.received.length} (accepted ${discord.accepted().length}), telegram ${telegram.received.length} (accepted ${telegram.accepted().length})`,
    );
  });
});
