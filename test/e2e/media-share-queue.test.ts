/**
 * The media-share queue end to end (issue 13), on the real processes: a paid donation's clip is
 * queued (or held for review) in the statement that makes it paid; the player claims clips in
 * the streamer's order, each at most once, even with concurrent claims; approve, reject (with
 * and without refund), move, skip, pause/resume, clear, volume and panic act through the REST
 * API and the donation worker pool; every change reaches the dashboard socket as a `media`
 * event; the donor's status page shows the clip's state.
 */
import { expect } from 'chai';
import { io, type Socket } from 'socket.io-client';
import { TestSystem } from '../support/system.js';
import { query } from '../support/db.js';
import {
  createDonation,
  http,
  paymentIdOf,
  registerStreamer,
  sandboxComplete,
  waitForDonationStatus,
  type JsonResponse,
  type TestStreamer,
  paidSandboxDonation,
} from '../support/clients.js';
import type { MediaShareEvent } from '../../shared/queues.js';

const VIDEO_ID = 'dQw4w9WgXcQ';
const YOUTUBE = `https://youtu.be/${VIDEO_ID}?t=1m30s`;

/** A /dashboard client recording every `media` event the server sent, in order. */
class MediaWatcher {
  readonly events: MediaShareEvent[] = [];
  readonly socket: Socket;
  private waiters: (() => void)[] = [];

  constructor(url: string, accessToken: string) {
    this.socket = io(`${url}/dashboard`, {
      transports: ['websocket'],
      auth: { accessToken },
      forceNew: true,
    });
    this.socket.on('media', (e: MediaShareEvent) => {
      this.events.push(e);
      this.notify();
    });
    this.socket.on('connect', () => this.notify());
  }

  private notify(): void {
    const w = this.waiters;
    this.waiters = [];
    w.forEach((f) => f());
  }

  /** Resolves once `predicate` holds (checked on every event); rejects after `timeoutMs`. */
  until(predicate: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), timeoutMs);
      const check = () => {
        if (predicate()) {
          clearTimeout(timer);
          resolve();
        } else this.waiters.push(check);
      };
      check();
    });
  }

  /** Waits for an event of `type` about `donationId` ('' = player events). */
  event(
    type: MediaShareEvent['type'],
    donationId: string,
    extra: (e: MediaShareEvent) => boolean = () => true,
  ) {
    return this.until(
      () => this.events.some((e) => e.type === type && e.donationId === donationId && extra(e)),
      `${type} of ${donationId || 'the player'}`,
    );
  }

  count(type: MediaShareEvent['type'], donationId: string): number {
    return this.events.filter((e) => e.type === type && e.donationId === donationId).length;
  }
}

describe('media-share queue (real processes)', function () {
  this.timeout(120_000);
  let system: TestSystem;
  const closers: (() => void)[] = [];

  before(async function () {
    // TestSystem waits up to 300 s for the processes on a loaded machine.
    this.timeout(400_000);
    system = await TestSystem.start();
  });

  after(async () => {
    closers.forEach((c) => c());
    await system?.stop();
  });

  /** A streamer with a connected dashboard watching media events. */
  async function streamerWithDashboard(): Promise<{ s: TestStreamer; watch: MediaWatcher }> {
    const s = await registerStreamer(system, '10000');
    const watch = new MediaWatcher(system.realtimeUrl, s.accessToken);
    closers.push(() => watch.socket.close());
    await watch.until(() => watch.socket.connected, 'the dashboard to connect');
    return { s, watch };
  }

  /**
   * A paid sandbox donation with a clip. `review`: held for approval — the streamer's
   * hold-for-approval rule is switched on for this one donation, so the gateway marks it.
   */
  async function paidClip(s: TestStreamer, options: { review?: boolean; donorName?: string } = {}) {
    const hold = (holdForApproval: boolean) =>
      http(system, 'PATCH', '/api/v1/me/settings', {
        token: s.accessToken,
        body: { mediaShare: { holdForApproval } },
      });
    if (options.review) expect((await hold(true)).status).to.equal(200);
    const id = await paidSandboxDonation(system, s.username, {
      donorName: options.donorName ?? 'Rina',
      amount: '25000',
      currency: 'IDR',
      message: 'putar ya',
      mediaUrl: YOUTUBE,
    });
    if (options.review) expect((await hold(false)).status).to.equal(200);
    return id;
  }

  const claim = (s: TestStreamer, token = s.overlayToken) =>
    http(system, 'POST', '/api/v1/overlay/media-share/claim', { headers: { 'x-overlay-token': token } });
  const finish = (s: TestStreamer, id: string, outcome?: string) =>
    http(system, 'POST', `/api/v1/overlay/media-share/${id}/finished`, {
      headers: { 'x-overlay-token': s.overlayToken },
      body: outcome ? { outcome } : {},
    });
  const queue = (s: TestStreamer, states = '') =>
    http(system, 'GET', `/api/v1/me/media-share/queue${states ? `?states=${states}` : ''}`, {
      token: s.accessToken,
    });
  const post = (s: TestStreamer, path: string, body?: unknown): Promise<JsonResponse> =>
    http(system, 'POST', `/api/v1/me/media-share/${path}`, { token: s.accessToken, body });
  const statusOf = async (id: string) =>
    (await http(system, 'GET', `/api/v1/donations/${id}`)).body.mediaShare as {
      state: string;
      position: number | null;
      rejected: boolean;
      refunded: boolean;
    } | null;

  it('queues a paid donation’s clip once, with its place, on the dashboard and the status page', async () => {
    const { s, watch } = await streamerWithDashboard();
    const id = await paidClip(s, { donorName: 'Sari' });
    await watch.event('media.queued', id, (e) => e.state === 'queued' && e.test === true);
    const list = await queue(s);
    expect(list.status).to.equal(200);
    expect(list.body).to.include({ paused: false, volume: 100 });
    expect(list.body.clips).to.have.length(1);
    expect(list.body.clips[0]).to.include({
      id,
      state: 'queued',
      position: 1,
      platform: 'youtube',
      videoId: VIDEO_ID,
      startSeconds: 90,
      donorName: 'Sari',
      amount: 25000_00,
      currency: 'IDR',
      // A sandbox donation's clip plays like any other, marked test.
      test: true,
    });
    expect(await statusOf(id)).to.include({ state: 'queued', position: 1, rejected: false });
    const rows = await query(
      system.config.DONATION_DATABASE_URL,
      'select * from media_share_clips where donation_id = $1',
      [id],
    );
    expect(rows).to.have.length(1);
    expect(watch.count('media.queued', id)).to.equal(1);
    // A donation without a clip has none.
    const plain = await createDonation(system, s.username, {
      donorName: 'Budi',
      amount: '25000',
      currency: 'IDR',
      provider: 'sandbox',
    });
    await sandboxComplete(system, await paymentIdOf(system, plain));
    await waitForDonationStatus(system, plain.body.id as string, 'paid');
    expect(await statusOf(plain.body.id as string)).to.equal(null);
    expect((await queue(s)).body.clips).to.have.length(1);
  });

  it('still pays a donation whose stored clip is malformed and queues the clip within safe bounds', async () => {
    const { s, watch } = await streamerWithDashboard();
    const created = await createDonation(system, s.username, {
      donorName: 'Dewi',
      amount: '25000',
      currency: 'IDR',
      provider: 'sandbox',
      mediaUrl: YOUTUBE,
    });
    const id = created.body.id as string;
    await query(
      system.config.DONATION_DATABASE_URL,
      `update donations set media_share = media_share || '{"startS": "1m30", "seconds": -5, "review": "yes"}'::jsonb
        where id = $1`,
      [id],
    );
    await sandboxComplete(system, await paymentIdOf(system, created));
    await waitForDonationStatus(system, id, 'paid');
    await watch.event('media.queued', id);
    const clip = ((await queue(s)).body.clips as { id: string }[]).find((c) => c.id === id);
    expect(clip).to.include({ state: 'queued', startSeconds: 0, seconds: 1 });
  });

  it('hands clips to the player in the streamer’s order, each at most once under concurrent claims; finish and skip lead to the next', async () => {
    const { s, watch } = await streamerWithDashboard();
    const first = await paidClip(s);
    const second = await paidClip(s);
    const third = await paidClip(s);
    // The third is moved to the front, the first to the end.
    expect((await post(s, `queue/${third}/move`, { before: first })).status).to.equal(202);
    await watch.event('media.moved', third);
    expect((await post(s, `queue/${first}/move`, {})).status).to.equal(202);
    await watch.event('media.moved', first);
    const order = (await queue(s)).body.clips as { id: string; position: number }[];
    expect(order.map((c) => c.id)).to.deep.equal([third, second, first]);
    expect(order.map((c) => c.position)).to.deep.equal([1, 2, 3]);

    const claims = await Promise.all(Array.from({ length: 6 }, () => claim(s)));
    claims.forEach((c) => expect(c.status).to.equal(200));
    const claimed = claims.filter((c) => c.body.clip);
    expect(claimed, 'exactly one claim starts a clip').to.have.length(1);
    expect(claimed[0]!.body.clip).to.include({ id: third, state: 'playing', seconds: 30, startSeconds: 90 });
    expect(claimed[0]!.body.clip.donorName).to.equal('Rina');
    // The others see the clip already playing (a reloaded player resumes it), never a second one.
    for (const c of claims.filter((x) => !x.body.clip)) expect(c.body.playing?.id).to.equal(third);
    await watch.event('media.playing', third);
    expect(watch.count('media.playing', third)).to.equal(1);
    expect(await statusOf(third)).to.include({ state: 'playing' });
    expect(await statusOf(first)).to.include({ state: 'queued', position: 2 });

    const done = await finish(s, third);
    expect(done.body).to.deep.equal({ id: third, moved: true, state: 'played' });
    const again = await finish(s, third);
    expect(again.body).to.deep.equal({ id: third, moved: false, state: 'played' });
    await watch.event('media.played', third);

    const next = await claim(s);
    expect(next.body.clip?.id).to.equal(second);
    expect((await post(s, 'skip')).status).to.equal(202);
    await watch.event('media.skipped', second);
    // The player that was cut off reports too late: nothing moves back.
    expect((await finish(s, second)).body).to.include({ moved: false, state: 'skipped' });
    expect((await claim(s)).body.clip?.id).to.equal(first);
    expect((await finish(s, first, 'skipped')).body).to.include({ moved: true, state: 'skipped' });
    const empty = await claim(s);
    expect(empty.body).to.include({ clip: null, playing: null });
    expect(await statusOf(third)).to.include({ state: 'played' });
  });

  it('holds a clip in review until approved: the player cannot take it before', async () => {
    const { s, watch } = await streamerWithDashboard();
    const id = await paidClip(s, { review: true });
    await watch.event('media.pending_review', id, (e) => e.state === 'pending_review');
    expect(await statusOf(id)).to.include({ state: 'pending_review', position: null });
    expect((await claim(s)).body).to.include({ clip: null, playing: null });
    const list = await queue(s);
    expect(list.body.clips.map((c: { id: string; state: string }) => [c.id, c.state])).to.deep.equal([
      [id, 'pending_review'],
    ]);

    expect((await post(s, `queue/${id}/approve`)).status).to.equal(202);
    await watch.event('media.queued', id);
    expect(await statusOf(id)).to.include({ state: 'queued', position: 1 });
    expect((await claim(s)).body.clip?.id).to.equal(id);
    // Approving what already plays is a conflict naming the clip, changing nothing.
    const late = await post(s, `queue/${id}/approve`);
    expect(late.status).to.equal(409);
    expect(late.body.error.details.fields).to.have.property('id');
  });

  it('never plays a rejected clip; with refund (the settings default) the donation ends refunded', async () => {
    const { s, watch } = await streamerWithDashboard();
    const kept = await paidClip(s, { review: true });
    const refunded = await paidClip(s, { review: true });
    await watch.event('media.pending_review', refunded);

    expect((await post(s, `queue/${kept}/reject`, { refund: false })).status).to.equal(202);
    await watch.event('media.rejected', kept, (e) => e.refund === false);
    // No choice sent: the streamer's default (refundOnReject, on unless switched off) applies.
    const withRefund = await post(s, `queue/${refunded}/reject`, {});
    expect(withRefund.status, JSON.stringify(withRefund.body)).to.equal(202);
    expect(withRefund.body).to.include({ refund: true, refundStatus: 'refunding' });
    await watch.event('media.rejected', refunded, (e) => e.refund === true);
    await waitForDonationStatus(system, refunded, 'refunded', 30_000);
    await watch.event('media.refunded', refunded);

    expect(await statusOf(kept)).to.include({ state: 'rejected', rejected: true, refunded: false });
    expect(await statusOf(refunded)).to.include({ state: 'refunded', rejected: true, refunded: true });
    expect((await http(system, 'GET', `/api/v1/donations/${kept}`)).body.status).to.equal('paid');
    expect((await claim(s)).body).to.include({ clip: null, playing: null });
    expect(watch.events.some((e) => e.type === 'media.playing')).to.equal(false);
  });

  it('pause holds the queue, resume releases it, clear skips every queued clip, volume is kept', async () => {
    const { s, watch } = await streamerWithDashboard();
    const a = await paidClip(s);
    await watch.event('media.queued', a);
    expect((await post(s, 'pause')).status).to.equal(202);
    await watch.event('media.player', '', (e) => e.paused === true);
    expect((await claim(s)).body).to.include({ clip: null, paused: true });
    expect((await post(s, 'resume')).status).to.equal(202);
    await watch.event('media.player', '', (e) => e.paused === false);
    expect((await claim(s)).body.clip?.id).to.equal(a);

    const b = await paidClip(s);
    const c = await paidClip(s);
    await watch.event('media.queued', c);
    expect((await post(s, 'clear')).status).to.equal(202);
    await watch.event('media.skipped', b);
    await watch.event('media.skipped', c);
    // Clear skips what waits, not what plays.
    const left = (await queue(s)).body.clips as { id: string; state: string }[];
    expect(left.map((x) => [x.id, x.state])).to.deep.equal([[a, 'playing']]);

    const volume = await http(system, 'PUT', '/api/v1/me/media-share/volume', {
      token: s.accessToken,
      body: { volume: 40 },
    });
    expect(volume.status).to.equal(202);
    await watch.event('media.player', '', (e) => e.volume === 40);
    expect((await queue(s)).body.volume).to.equal(40);
    const bad = await http(system, 'PUT', '/api/v1/me/media-share/volume', {
      token: s.accessToken,
      body: { volume: 101 },
      headers: { 'accept-language': 'id' },
    });
    expect(bad.status).to.equal(400);
    expect(bad.body.error.details.fields.volume).to.include('bilangan bulat');
  });

  for (const via of ['POST /me/panic', 'the dashboard socket'] as const) {
    it(`panic (${via}) stops the playing clip and pauses the queue`, async () => {
      const { s, watch } = await streamerWithDashboard();
      const playing = await paidClip(s);
      const waiting = await paidClip(s);
      await watch.event('media.queued', waiting);
      expect((await claim(s)).body.clip?.id).to.equal(playing);
      if (via === 'POST /me/panic') {
        const panic = await http(system, 'POST', '/api/v1/me/panic', { token: s.accessToken });
        expect(panic.status).to.equal(200);
        expect(panic.body.action).to.equal('panic');
      } else {
        const ack = (await watch.socket.emitWithAck('control', { action: 'panic' })) as { ok: boolean };
        expect(ack).to.deep.equal({ ok: true });
      }
      await watch.event('media.skipped', playing);
      await watch.event('media.player', '', (e) => e.paused === true);
      expect((await queue(s)).body.paused).to.equal(true);
      expect((await claim(s)).body).to.include({ clip: null, playing: null });
      expect(await statusOf(waiting)).to.include({ state: 'queued', position: 1 });
    });
  }

  it('finishes a clip whose player died once its time is over, so the queue moves on', async () => {
    const { s, watch } = await streamerWithDashboard();
    const stuck = await paidClip(s);
    const next = await paidClip(s);
    await watch.event('media.queued', next);
    expect((await claim(s)).body.clip?.id).to.equal(stuck);
    // The player went away an hour ago: the reconciler's pass finishes the clip.
    await query(
      system.config.DONATION_DATABASE_URL,
      "update media_share_clips set started_at = now() - interval '1 hour' where donation_id = $1",
      [stuck],
    );
    await watch.event('media.played', stuck);
    expect((await claim(s)).body.clip?.id).to.equal(next);
  });

  it('refuses the player without its overlay token and another streamer’s clip', async () => {
    const { s } = await streamerWithDashboard();
    const other = await registerStreamer(system, '10000');
    const id = await paidClip(s, { review: true });
    expect((await http(system, 'POST', '/api/v1/overlay/media-share/claim')).status).to.equal(401);
    expect((await claim(s, 'not-a-token')).status).to.equal(401);
    expect((await post(other, `queue/${id}/approve`)).status).to.equal(404);
    expect((await finish(other, id)).status).to.equal(404);
    const bad = await post(s, 'queue/nope/approve');
    expect(bad.status).to.equal(400);
    expect(bad.body.error.details.fields).to.have.property('id');
    const badMove = await post(s, `queue/${id}/move`, { before: 'x' });
    expect(badMove.status).to.equal(400);
    expect(badMove.body.error.details.fields).to.have.property('before');
    expect((await queue(s, 'bogus')).status).to.equal(400);
    expect(await statusOf(id)).to.include({ state: 'pending_review' });
  });
});
