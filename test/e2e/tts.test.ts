/**
 * Server-made text-to-speech through the running system (issue 14), with the cloud engine pointed
 * at a local Google Text-to-Speech stand-in: a paid donation at or above the streamer's threshold
 * is spoken as "name: message" with only what the word filter let through (links left out, length
 * capped) in the streamer's voice; the audio is cached per alert; below the threshold, another
 * streamer's donation, or without a token there is nothing to hear. espeak-ng itself is covered
 * by test/unit/tts-engine.test.ts.
 *
 * The same system serves the word filter's hold mode: a flagged message waits for the streamer's
 * review while the money and an alert without the text go through (nothing held is spoken or
 * sent to an overlay); the streamer approves or rejects it from the history.
 */
import { expect } from 'chai';
import { TestSystem } from '../support/system.js';
import {
  createDonation,
  http,
  paymentIdOf,
  registerStreamer,
  sandboxComplete,
  waitForDonationStatus,
  OverlayClient,
  type TestStreamer,
} from '../support/clients.js';
import { startGoogleTtsFake, type GoogleTtsFake } from '../fakes/google-tts.fake.js';

describe('text-to-speech for alerts (real processes, Google TTS stand-in)', function () {
  this.timeout(120_000);
  let system: TestSystem;
  let google: GoogleTtsFake;
  let streamer: TestStreamer;
  let other: TestStreamer;
  const MAX_CHARS = 60;

  before(async function () {
    this.timeout(600_000);
    google = await startGoogleTtsFake('test-key');
    system = await TestSystem.start({
      env: {
        SANDBOX_ENABLED: 'true',
        GOOGLE_TTS_API_KEY: 'test-key',
        GOOGLE_TTS_URL: google.url,
        TTS_MAX_CHARS: String(MAX_CHARS),
      },
    });
    streamer = await registerStreamer(system);
    other = await registerStreamer(system);
    const settings = await http(system, 'PATCH', '/api/v1/me/settings', {
      token: streamer.accessToken,
      headers: { 'accept-language': 'id' },
      body: { ttsMin: '10000', wordFilter: ['anjing'], tts: { language: 'en', rate: 210, gender: 'm' } },
    });
    expect(settings.status, JSON.stringify(settings.body)).to.equal(200);
  });
  after(async () => {
    await system?.stop();
    await google?.close();
  });

  async function paidDonation(amount: string, message: string, to: TestStreamer = streamer): Promise<string> {
    const created = await createDonation(
      system,
      to.username,
      { donorName: 'Budi', amount, provider: 'sandbox', message },
      { 'accept-language': 'id' },
    );
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    await sandboxComplete(system, await paymentIdOf(system, created));
    await waitForDonationStatus(system, created.body.id as string, 'paid');
    return created.body.id as string;
  }

  const speech = (donationId: string, overlayToken?: string) =>
    fetch(`${system.gatewayUrl}/api/v1/overlay/tts/${donationId}`, {
      headers: overlayToken ? { 'x-overlay-token': overlayToken } : {},
    });

  it('speaks a paid donation over the threshold: filtered text, no link, capped, in the streamer voice', async () => {
    const id = await paidDonation(
      '50.000',
      'Halo anjing https://judi.example/bonus semangat terus bang, main sampai pagi ya kita nonton',
    );
    const res = await speech(id, streamer.overlayToken);
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.equal('audio/mpeg');
    const audio = Buffer.from(await res.arrayBuffer());
    expect(audio.subarray(0, 2).equals(Buffer.from([0xff, 0xfb]))).to.equal(true);
    const asked = google.requests.at(-1)!;
    expect(asked.text.startsWith('Budi: Halo ')).to.equal(true);
    expect(asked.text).to.not.match(/anjing|judi|https?:/i);
    expect(asked.text).to.contain('*');
    expect(asked.text.length).to.be.at.most(MAX_CHARS);
    expect(asked).to.include({ languageCode: 'en-US', speakingRate: 210 / 175 });

    // Cached per alert: the same bytes again, without asking the engine again.
    const before = google.requests.length;
    const again = await speech(id, streamer.overlayToken);
    expect(Buffer.from(await again.arrayBuffer()).equals(audio)).to.equal(true);
    expect(google.requests.length).to.equal(before);
  });

  it('has nothing to say below the threshold, for another streamer, or without a token', async () => {
    const small = await paidDonation('5.000', 'kecil tapi ikhlas');
    const asked = google.requests.length;
    expect((await speech(small, streamer.overlayToken)).status).to.equal(404);
    const big = await paidDonation('20.000', 'buat kopi');
    expect((await speech(big, other.overlayToken)).status).to.equal(404);
    expect((await speech(big)).status).to.equal(401);
    expect((await speech('not-a-uuid', streamer.overlayToken)).status).to.equal(404);
    expect(google.requests.length).to.equal(asked);
  });

  it('previews a text for the streamer through the same word filter', async () => {
    const res = await fetch(`${system.gatewayUrl}/api/v1/me/tts/preview`, {
      method: 'POST',
      headers: { authorization: `Bearer ${streamer.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'dasar anjing lucu' }),
    });
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.equal('audio/mpeg');
    expect(google.requests.at(-1)!.text).to.equal('dasar ****** lucu');
    const bad = await http(system, 'PATCH', '/api/v1/me/settings', {
      token: streamer.accessToken,
      body: { tts: { rate: 9000, voice: 'x' } },
    });
    expect(bad.status).to.equal(400);
    expect(bad.body.error.details.fields).to.have.keys('tts.rate', 'tts.voice');
  });

  describe('word filter hold mode', () => {
    let overlay: OverlayClient;
    const HELD = 'dasar anjing, mampir ke stream aku ya';
    const held = (token = other.accessToken) =>
      http(system, 'GET', '/api/v1/me/donations?messageReview=held', { token });
    const review = (id: string, decision: unknown, token = other.accessToken) =>
      http(system, 'POST', `/api/v1/me/donations/${id}/message-review`, {
        token,
        headers: { 'accept-language': 'id' },
        body: { decision },
      });

    before(async () => {
      const settings = await http(system, 'PATCH', '/api/v1/me/settings', {
        token: other.accessToken,
        body: { ttsMin: '10000', wordFilter: { mode: 'hold', lists: { id: false }, words: ['anjing'] } },
      });
      expect(settings.status, JSON.stringify(settings.body)).to.equal(200);
      overlay = new OverlayClient(system.realtimeUrl, other.overlayToken);
    });
    after(() => overlay?.close());

    it('lets the money and an alert without the text through, and speaks no held word', async () => {
      const id = await paidDonation('50.000', HELD, other);
      await overlay.waitUntil(() => overlay.shown.some((a) => a.donationId === id), 15_000, 'the held alert');
      const alert = overlay.received.filter((a) => a.donationId === id);
      expect(alert).to.have.length(1);
      expect(alert[0]).to.include({ donorName: 'Budi', message: '', messageHeld: true });

      const list = (await held()).body.donations as Record<string, unknown>[];
      expect(list.map((d) => d.id)).to.deep.equal([id]);
      expect(list[0]).to.include({ message: '', messageReview: 'held', heldMessage: HELD, status: 'paid' });
      // Another streamer's history never lists it; the widgets' reads carry no held text.
      expect((await held(streamer.accessToken)).body.donations).to.deep.equal([]);

      // Nothing of the held text is read aloud (the alert has no text to read).
      const asked = google.requests.length;
      expect((await speech(id, other.overlayToken)).status).to.equal(404);
      expect(google.requests.length).to.equal(asked);
    });

    it('leaves a clean message alone in hold mode', async () => {
      const id = await paidDonation(
        '20.000',
        'semangat terus bang, mampir https://judi.online/daftar',
        other,
      );
      await overlay.waitUntil(
        () => overlay.shown.some((a) => a.donationId === id),
        15_000,
        'the clean alert',
      );
      const alert = overlay.received.find((a) => a.donationId === id)!;
      // Shown as typed, with the link defanged: nothing on stream or in a widget can be clicked.
      expect(alert.message).to.equal('semangat terus bang, mampir hxxps://judi[.]online/daftar');
      expect(alert.messageHeld).to.equal(undefined);
      expect((await held()).body.donations.map((d: { id: string }) => d.id)).to.not.include(id);
    });

    it('approves a held message once: the text becomes the message; the other decision is refused', async () => {
      const [first] = (await held()).body.donations as { id: string }[];
      expect((await review(first!.id, 'approve', streamer.accessToken)).status).to.equal(404);
      const bad = await review(first!.id, 'publish');
      expect(bad.status).to.equal(400);
      expect(bad.body.error.details.fields).to.have.key('decision');

      const approved = await review(first!.id, 'approve');
      expect(approved.status, JSON.stringify(approved.body)).to.equal(200);
      expect(approved.body).to.include({ message: HELD, messageReview: 'approved', heldMessage: null });
      // A second click answers the same; the opposite decision is a conflict and changes nothing.
      expect((await review(first!.id, 'approve')).body).to.include({ message: HELD });
      expect((await review(first!.id, 'reject')).status).to.equal(409);
      const history = (await http(system, 'GET', '/api/v1/me/donations', { token: other.accessToken })).body
        .donations as Record<string, unknown>[];
      expect(history.find((d) => d.id === first!.id)).to.include({
        message: HELD,
        messageReview: 'approved',
      });
      expect((await held()).body.donations).to.deep.equal([]);
    });

    it('rejects a held message: the text is gone for good', async () => {
      const id = await paidDonation('20.000', 'kamu anjing', other);
      const rejected = await review(id, 'reject');
      expect(rejected.status).to.equal(200);
      expect(rejected.body).to.include({ message: '', messageReview: 'rejected', heldMessage: null });
      expect((await review(id, 'approve')).status).to.equal(409);
      const history = (await http(system, 'GET', '/api/v1/me/donations', { token: other.accessToken })).body
        .donations as Record<string, unknown>[];
      expect(JSON.stringify(history)).to.not.contain('kamu anjing');
    });
  });
});
