/**
 * Discord and Telegram notifications (issue 16) on the real processes, against local fakes that
 * speak each platform's wire format: the request shape, hostile donor text shown as typed (every
 * case of test/fixtures/cases/hostile-text.json), no mention pings, the streamer's threshold and
 * word filter, the 429 retry_after of each platform, and settings errors naming the field in
 * the reader's language.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { formatMoney } from '../../shared/money.js';
import { ROOT, TestSystem, waitFor } from '../support/system.js';
import { NOTIFICATION_PROCESSES } from '../support/notifications.js';
import {
  createDonation,
  http,
  paymentIdOf,
  registerStreamer,
  sandboxComplete,
  waitForDonationStatus,
  type TestStreamer,
} from '../support/clients.js';
import { discordVisibleText, startDiscordFake, type DiscordFake } from '../fakes/discord.fake.js';
import { startTelegramFake, type TelegramFake } from '../fakes/telegram.fake.js';

const hostile = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/cases/hostile-text.json'), 'utf8')) as {
  messages: string[];
};

const WEBHOOK_ID = '112233445566778899';
const WEBHOOK_TOKEN = 'aB3_dE-fGhIjKlMnOpQrStUvWxYz0123456789abcdefGHIJKLmnopqrstuvwx';
const BOT_TOKEN = '123456789:AAF-abcdefghijklmnopqrstuvwxyz0123456';
const CHAT_ID = '-1001234567890';

describe('notifications: Discord and Telegram', function () {
  this.timeout(180_000);
  let system: TestSystem;
  let discord: DiscordFake;
  let telegram: TelegramFake;
  let streamer: TestStreamer;

  before(async function () {
    this.timeout(400_000);
    discord = await startDiscordFake();
    telegram = await startTelegramFake();
    discord.addWebhook(WEBHOOK_ID, WEBHOOK_TOKEN);
    telegram.addBot(BOT_TOKEN);
    system = await TestSystem.start({
      processes: NOTIFICATION_PROCESSES,
      env: {
        DISCORD_API_BASE: discord.url,
        TELEGRAM_API_BASE: telegram.url,
        // The fakes are on 127.0.0.1.
        OUTGOING_WEBHOOK_ALLOW_INTERNAL: 'true',
        NOTIFICATION_BACKOFF_MS: '100',
      },
    });
    streamer = await registerStreamer(system, '10000');
    const res = await http(system, 'PATCH', '/api/v1/me/notifications', {
      token: streamer.accessToken,
      body: {
        language: 'en',
        discord: {
          enabled: true,
          minMinor: 20_000_00,
          webhookUrl: `https://discord.com/api/webhooks/${WEBHOOK_ID}/${WEBHOOK_TOKEN}`,
        },
        telegram: { enabled: true, minMinor: 20_000_00, botToken: BOT_TOKEN, chatId: CHAT_ID },
      },
    });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body.discord).to.include({ enabled: true, webhookUrlSet: true });
    expect(res.body).to.not.have.nested.property('discord.webhookUrl');
    expect(JSON.stringify(res.body)).to.not.include(BOT_TOKEN);
  });

  after(async () => {
    await system?.stop();
    await discord?.close();
    await telegram?.close();
  });

  async function paid(s: TestStreamer, body: Record<string, unknown>): Promise<string> {
    const created = await createDonation(system, s.username, { amount: '30000', currency: 'IDR', ...body });
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    await sandboxComplete(system, await paymentIdOf(system, created));
    await waitForDonationStatus(system, created.body.id as string, 'paid');
    return created.body.id as string;
  }

  const discordFor = (text: string) =>
    discord
      .accepted()
      .filter(
        (r) => r.body.embeds?.[0]?.description && discordVisibleText(r.body.embeds[0].description) === text,
      );
  const telegramFor = (text: string) => telegram.accepted().filter((r) => r.visible.endsWith(`\n\n${text}`));

  it('posts each hostile message to Discord (embed, no pings) and Telegram (escaped HTML) as typed, once each', async () => {
    const sent: string[] = [];
    for (const [i, message] of hostile.messages.entries()) {
      const donorName = [...message].slice(0, 64).join('').trim() || `donor ${i}`;
      const created = await createDonation(system, streamer.username, {
        donorName,
        amount: '30000',
        currency: 'IDR',
        message,
      });
      if (created.status === 400) {
        // Refused at the door (bidi overrides, over 255 characters): named, and never sent anywhere.
        expect(Object.keys(created.body.error.details.fields as object)).to.include.oneOf([
          'message',
          'donorName',
        ]);
        continue;
      }
      expect(created.status, JSON.stringify(created.body)).to.equal(201);
      await sandboxComplete(system, await paymentIdOf(system, created));
      sent.push(message);
    }
    expect(sent.length, 'most cases reach the platforms').to.be.greaterThan(4);
    await waitFor(
      () => Promise.resolve(sent.every((m) => discordFor(m).length >= 1 && telegramFor(m).length >= 1)),
      60_000,
      'every hostile message on Discord and Telegram',
    );
    for (const m of sent) {
      expect(discordFor(m), m).to.have.length(1);
      expect(telegramFor(m), m).to.have.length(1);
      const d = discordFor(m)[0]!;
      expect(d.wait).to.equal(true);
      expect(d.body.allowed_mentions).to.deep.equal({ parse: [] });
      expect(d.body.embeds![0]!.fields!.map((f) => f.name)).to.deep.equal(['Donor', 'Amount']);
      expect(d.body.embeds![0]!.fields![1]!.value).to.equal(formatMoney(30_000_00, 'IDR', 'en-US'));
      const t = telegramFor(m)[0]!;
      expect(t.body).to.include({ parse_mode: 'HTML', chat_id: Number(CHAT_ID) });
      // Parsed by the fake as Telegram parses it: the markup the donor typed is text, not tags.
      expect(t.body.text).to.not.include('<script>');
    }
    expect(
      discord.received.filter((r) => r.status === 400),
      'no request Discord would refuse',
    ).to.deep.equal([]);
    expect(
      telegram.received.filter((r) => r.status === 400),
      'no request Telegram would refuse',
    ).to.deep.equal([]);
  });

  it('lets @everyone in donor text ping nobody', async () => {
    await paid(streamer, { donorName: '@everyone', message: '@everyone @here <@&123> free money' });
    await waitFor(
      () => Promise.resolve(discordFor('@everyone @here <@&123> free money').length === 1),
      30_000,
      'the message',
    );
    const d = discordFor('@everyone @here <@&123> free money')[0]!;
    expect(d.body.allowed_mentions).to.deep.equal({ parse: [] });
    // Escaped too: shown as typed, never a mention even where allowed_mentions is ignored.
    expect(d.body.embeds![0]!.description).to.not.match(/(^|[^\\])@everyone/);
  });

  it('sends nothing below the threshold, and applies the word filter', async () => {
    const low = await paid(streamer, { donorName: 'Kecil', amount: '15000', message: 'below threshold' });
    const wf = await http(system, 'PATCH', '/api/v1/me/settings', {
      token: streamer.accessToken,
      body: { wordFilter: ['jelek'] },
    });
    expect(wf.status, JSON.stringify(wf.body)).to.equal(200);
    const high = await paid(streamer, { donorName: 'Besar', message: 'kamu jelek sekali' });
    await waitFor(
      () => Promise.resolve(telegram.accepted().some((r) => r.visible.includes('Besar'))),
      30_000,
      'the large donation',
    );
    const attempts = await http(system, 'GET', '/api/v1/me/notifications/attempts', {
      token: streamer.accessToken,
    });
    const keys = (attempts.body.attempts as { eventKey: string }[]).map((a) => a.eventKey);
    expect(keys).to.include(`paid-${high}`);
    expect(keys).to.not.include(`paid-${low}`);
    expect(discord.received.some((r) => JSON.stringify(r.body).includes('below threshold'))).to.equal(false);
    const t = telegram.accepted().find((r) => r.visible.includes('Besar'))!;
    expect(t.visible).to.include('kamu ***** sekali');
  });

  it("retries after each platform's 429 retry_after, still once each", async () => {
    discord.rateLimitNext(1, 0.3);
    telegram.rateLimitNext(1, 1);
    const message = `rate limited ${Date.now()}`;
    const id = await paid(streamer, { donorName: 'Sabar', message });
    await waitFor(
      () => Promise.resolve(discordFor(message).length === 1 && telegramFor(message).length === 1),
      60_000,
      'the rate-limited message to arrive',
    );
    expect(discord.received.filter((r) => r.status === 429)).to.have.length(1);
    expect(telegram.received.filter((r) => r.status === 429)).to.have.length(1);
    const attempts = await waitFor(
      async () => {
        const res = await http(system, 'GET', '/api/v1/me/notifications/attempts', {
          token: streamer.accessToken,
        });
        const mine = (
          res.body.attempts as { eventKey: string; ok: boolean; statusCode: number; channel: string }[]
        ).filter((a) => a.eventKey === `paid-${id}`);
        return mine.filter((a) => a.ok).length === 2 ? mine : null;
      },
      20_000,
      'the attempt log',
    );
    for (const channel of ['discord', 'telegram']) {
      const of = attempts.filter((a) => a.channel === channel).map((a) => [a.ok, a.statusCode]);
      expect(of, channel).to.have.deep.members([
        [false, 429],
        [true, 200],
      ]);
    }
  });

  it('refuses bad settings naming the field, in Indonesian when asked', async () => {
    const res = await http(system, 'PATCH', '/api/v1/me/notifications', {
      token: streamer.accessToken,
      headers: { 'accept-language': 'id' },
      body: {
        discord: { webhookUrl: 'http://127.0.0.1:8080/steal' },
        telegram: { chatId: 'x y' },
        push: { minMinor: -1 },
        nope: 1,
      },
    });
    expect(res.status).to.equal(400);
    const fields = res.body.error.details.fields as Record<string, string>;
    expect(fields['discord.webhookUrl']).to.match(/URL webhook Discord/);
    expect(fields['telegram.chatId']).to.match(/ID chat/);
    expect(fields['push.minMinor']).to.match(/bilangan bulat/);
    expect(fields.nope).to.equal('bukan kolom yang dikenal');
    const en = await http(system, 'PATCH', '/api/v1/me/notifications', {
      token: streamer.accessToken,
      body: { telegram: { botToken: 'nope' } },
    });
    expect(en.status).to.equal(400);
    expect(en.body.error.details.fields['telegram.botToken']).to.match(/Telegram bot token/);
  });

  it('sends a test message from the dashboard button', async () => {
    const before = discord.accepted().length;
    const res = await http(system, 'POST', '/api/v1/me/notifications/test', {
      token: streamer.accessToken,
      body: { channel: 'discord' },
    });
    expect(res.status).to.equal(200);
    expect(res.body).to.include({ ok: true, sent: 1 });
    expect(discord.accepted().length).to.equal(before + 1);
    expect(discord.accepted().at(-1)!.body.embeds![0]!.title).to.match(/^\[TEST\]/);
    const mail = await http(system, 'POST', '/api/v1/me/notifications/test', {
      token: streamer.accessToken,
      body: { channel: 'email' },
    });
    expect(mail.status, 'mail is off here (no SMTP_URL)').to.equal(400);
    expect(mail.body.error.details.fields.channel).to.match(/SMTP_URL/);
  });
});
