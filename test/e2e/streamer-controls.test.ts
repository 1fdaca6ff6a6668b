/**
 * The streamer's alert controls end to end (issue 5): test alert, replay, skip, pause, resume
 * and panic through the gateway's REST API and live over /dashboard, each checked on connected
 * overlay and dashboard clients; overlay status; overlay token rotation.
 */
import { expect } from 'chai';
import { io, type Socket } from 'socket.io-client';
import { TestSystem, waitFor } from '../support/system.js';
import {
  createDonation,
  http,
  OverlayClient,
  paymentIdOf,
  registerStreamer,
  sandboxComplete,
  waitForDonationStatus,
  type TestStreamer,
} from '../support/clients.js';
import type { AlertPayload, ControlAction } from '../../shared/queues.js';

/** A /dashboard client recording what it receives. */
class DashboardClient {
  readonly alerts: AlertPayload[] = [];
  readonly controls: ControlAction[] = [];
  readonly socket: Socket;
  private waiters: (() => void)[] = [];

  constructor(url: string, accessToken: string) {
    this.socket = io(`${url}/dashboard`, {
      transports: ['websocket'],
      auth: { accessToken },
      forceNew: true,
    });
    this.socket.on('alert', (a: AlertPayload) => this.push(() => this.alerts.push(a)));
    this.socket.on('control', ({ action }: { action: ControlAction }) =>
      this.push(() => this.controls.push(action)),
    );
    this.socket.on('connect', () => this.push(() => undefined));
  }

  private push(change: () => void): void {
    change();
    const w = this.waiters;
    this.waiters = [];
    w.forEach((f) => f());
  }

  waitUntil(predicate: () => boolean, timeoutMs: number, what: string): Promise<void> {
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
}

describe('streamer alert controls (REST and /dashboard, real processes)', function () {
  this.timeout(120_000);
  let system: TestSystem;
  let streamer: TestStreamer;
  let overlay: OverlayClient;
  let dashboard: DashboardClient;
  const closers: (() => void)[] = [];

  before(async function () {
    // TestSystem waits up to 300 s for the processes on a loaded machine.
    this.timeout(400_000);
    system = await TestSystem.start();
    streamer = await registerStreamer(system, '10000');
    overlay = new OverlayClient(system.realtimeUrl, streamer.overlayToken);
    dashboard = new DashboardClient(system.realtimeUrl, streamer.accessToken);
    closers.push(
      () => overlay.close(),
      () => dashboard.socket.close(),
    );
    await overlay.waitConnected();
    await dashboard.waitUntil(() => dashboard.socket.connected, 10_000, 'dashboard to connect');
  });

  after(async () => {
    closers.forEach((c) => c());
    await system?.stop();
  });

  async function paidDonation(s: TestStreamer, message: string): Promise<string> {
    const created = await createDonation(system, s.username, {
      donorName: 'Sari',
      amount: '25000',
      currency: 'IDR',
      message,
    });
    expect(created.status).to.equal(201);
    await sandboxComplete(system, await paymentIdOf(system, created));
    await waitForDonationStatus(system, created.body.id as string, 'paid');
    return created.body.id as string;
  }

  it('sends a test alert marked test to the overlay and the dashboard, and it never counts in stats', async () => {
    const before = overlay.shown.length;
    const res = await http(system, 'POST', '/api/v1/me/alerts/test', {
      token: streamer.accessToken,
      body: { message: 'cek suara', amount: '15000' },
    });
    expect(res.status).to.equal(202);
    expect(res.body.test).to.equal(true);
    await overlay.waitForAlerts(before + 1);
    const shown = overlay.shown[before]!;
    expect(shown).to.include({
      type: 'alert.test',
      test: true,
      message: 'cek suara',
      amount: 15000_00,
      currency: 'IDR',
    });
    expect(shown.eventId).to.equal(res.body.eventId);
    await dashboard.waitUntil(
      () => dashboard.alerts.some((a) => a.eventId === shown.eventId),
      10_000,
      'dashboard alert',
    );
    const stats = await http(system, 'GET', '/api/v1/me/stats', { token: streamer.accessToken });
    expect(stats.status).to.equal(200);
    expect(stats.body.count).to.equal(0);
    const bad = await http(system, 'POST', '/api/v1/me/alerts/test', {
      token: streamer.accessToken,
      body: { amount: 'lots' },
    });
    expect(bad.status).to.equal(400);
    expect(bad.body.error.message).to.include('amount');
  });

  it('replays the streamer’s own paid donation as an alert, and refuses others', async () => {
    const donationId = await paidDonation(streamer, 'mantap jiwa');
    await overlay.waitUntil(
      () => overlay.shown.some((a) => a.donationId === donationId),
      20_000,
      'paid alert',
    );
    const before = overlay.shown.length;
    const res = await http(system, 'POST', `/api/v1/me/alerts/${donationId}/replay`, {
      token: streamer.accessToken,
    });
    expect(res.status).to.equal(202);
    await overlay.waitForAlerts(before + 1);
    expect(overlay.shown[before]).to.include({
      type: 'alert.replay',
      donationId,
      message: 'mantap jiwa',
      // A sandbox donation moved no money: its replay stays a test alert.
      test: true,
    });
    // The replay is not a second donation (sandbox ones are counted apart from real money).
    const stats = await http(system, 'GET', '/api/v1/me/stats', { token: streamer.accessToken });
    expect(stats.body.count).to.equal(0);
    expect(stats.body.test).to.deep.equal({ count: 1 });

    const other = await registerStreamer(system, '10000');
    const foreign = await http(system, 'POST', `/api/v1/me/alerts/${donationId}/replay`, {
      token: other.accessToken,
    });
    expect(foreign.status).to.equal(404);
    const pending = await createDonation(system, streamer.username, {
      donorName: 'X',
      amount: '20000',
      currency: 'IDR',
    });
    const notPaid = await http(system, 'POST', `/api/v1/me/alerts/${pending.body.id as string}/replay`, {
      token: streamer.accessToken,
    });
    expect(notPaid.status).to.equal(409);
    const bad = await http(system, 'POST', '/api/v1/me/alerts/not-a-uuid/replay', {
      token: streamer.accessToken,
    });
    expect(bad.status).to.equal(400);
    expect(bad.body.error.message).to.include('donationId');
    const anonymous = await http(system, 'POST', `/api/v1/me/alerts/${donationId}/replay`);
    expect(anonymous.status).to.equal(401);
  });

  for (const [path, action] of [
    ['/api/v1/me/alerts/skip', 'skip'],
    ['/api/v1/me/alerts/pause', 'pause'],
    ['/api/v1/me/alerts/resume', 'resume'],
    ['/api/v1/me/panic', 'panic'],
  ] as const) {
    it(`POST ${path} reaches the overlay and the dashboard as control {action: "${action}"}`, async () => {
      const o = overlay.controls.length;
      const d = dashboard.controls.length;
      const res = await http(system, 'POST', path, { token: streamer.accessToken });
      expect(res.status).to.equal(200);
      expect(res.body).to.deep.equal({ action, deliveredTo: 1 });
      await overlay.waitUntil(() => overlay.controls.length > o, 10_000, `${action} on the overlay`);
      expect(overlay.controls.slice(o)).to.deep.equal([action]);
      await dashboard.waitUntil(() => dashboard.controls.length > d, 10_000, `${action} on the dashboard`);
      expect(dashboard.controls.slice(d)).to.deep.equal([action]);
    });
  }

  it('takes controls live over /dashboard and refuses unknown actions', async () => {
    const o = overlay.controls.length;
    const ok = (await dashboard.socket.emitWithAck('control', { action: 'pause' })) as { ok: boolean };
    expect(ok).to.deep.equal({ ok: true });
    await overlay.waitUntil(() => overlay.controls.length > o, 10_000, 'pause from the dashboard');
    expect(overlay.controls.slice(o)).to.deep.equal(['pause']);
    const bad = (await dashboard.socket.emitWithAck('control', { action: 'explode' })) as {
      ok: boolean;
      error: string;
    };
    expect(bad.ok).to.equal(false);
    expect(bad.error).to.include('action');
    expect(overlay.controls.slice(o)).to.deep.equal(['pause']);
  });

  it('reports how many overlays are connected and when each was last seen', async () => {
    const second = new OverlayClient(system.realtimeUrl, streamer.overlayToken);
    closers.push(() => second.close());
    await second.waitConnected();
    const res = await http(system, 'GET', '/api/v1/me/overlay/status', { token: streamer.accessToken });
    expect(res.status).to.equal(200);
    expect(res.body.connected).to.equal(2);
    expect(res.body.overlays).to.have.length(2);
    for (const o of res.body.overlays as { id: string; lastSeen: string; connectedAt: string }[]) {
      expect(Date.parse(o.lastSeen)).to.be.a('number').and.not.NaN;
      expect(Date.parse(o.lastSeen)).to.be.at.least(Date.parse(o.connectedAt));
    }
    second.close();
  });

  it('holds one token to OVERLAY_MAX_SOCKETS_PER_TOKEN sockets, even when they all connect at once', async () => {
    const s = await registerStreamer(system);
    const cap = system.config.OVERLAY_MAX_SOCKETS_PER_TOKEN;
    const clients = Array.from(
      { length: cap + 3 },
      () => new OverlayClient(system.realtimeUrl, s.overlayToken),
    );
    closers.push(() => clients.forEach((c) => c.close()));
    // Each client either connects or is refused (it then keeps retrying: the first answer counts).
    const outcomes = await Promise.all(
      clients.map(
        (c) =>
          new Promise<string>((resolve) => {
            c.socket.once('connect', () => resolve('connected'));
            c.socket.once('connect_error', (e) => resolve(e.message));
          }),
      ),
    );
    expect(outcomes.filter((o) => o === 'connected')).to.have.length(cap);
    const refused = outcomes.filter((o) => o !== 'connected');
    expect(refused).to.have.length(3);
    for (const message of refused) expect(message).to.match(/too many connections for this overlay token/);
    // Closing one gives its place back (the refused ones keep theirs refused: Socket.IO does
    // not retry a refused handshake; the overlay page does, backing off).
    clients.find((c) => c.socket.connected)!.close();
    await waitFor(
      async () => {
        const res = await http(system, 'GET', '/api/v1/me/overlay/status', { token: s.accessToken });
        return res.body.connected === cap - 1 || null;
      },
      10_000,
      'the closed overlay to leave',
    );
    const late = new OverlayClient(system.realtimeUrl, s.overlayToken);
    closers.push(() => late.close());
    await late.waitConnected();
  });

  it('disconnects overlays using the old token when it is rotated; the new token connects', async () => {
    const s = await registerStreamer(system);
    const old = new OverlayClient(system.realtimeUrl, s.overlayToken);
    closers.push(() => old.close());
    await old.waitConnected();
    const started = Date.now();
    const rotated = await http(system, 'POST', '/api/v1/me/overlay/rotate', { token: s.accessToken });
    expect(rotated.status).to.equal(200);
    expect(rotated.body.widgetUrls.goal).to.include(
      `/widgets/goal#token=${encodeURIComponent(rotated.body.token as string)}`,
    );
    await old.waitUntil(() => !old.socket.connected, 5_000, 'the old overlay to be disconnected');
    console.log(`      (old overlay disconnected ${Date.now() - started} ms after the rotate request)`);
    // The old token no longer gets in.
    const again = new OverlayClient(system.realtimeUrl, s.overlayToken);
    closers.push(() => again.close());
    const refused = await new Promise<string>((resolve) =>
      again.socket.once('connect_error', (e) => resolve(e.message)),
    );
    expect(refused).to.match(/invalid or revoked/);
    again.close();
    const fresh = new OverlayClient(system.realtimeUrl, rotated.body.token as string);
    closers.push(() => fresh.close());
    await fresh.waitConnected();
    const test = await http(system, 'POST', '/api/v1/me/alerts/test', { token: s.accessToken });
    expect(test.status).to.equal(202);
    await fresh.waitForAlerts(1);
    expect(old.shown).to.have.length(0);
  });
});
