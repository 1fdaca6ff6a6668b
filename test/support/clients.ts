/**
 * Test clients of a running system: HTTP calls to the gateway, a streamer factory, donations paid
 * through the sandbox, and an overlay Socket.IO client that orders and de-duplicates alerts with
 * the same AlertSequencer the overlay page uses.
 */
import { randomBytes } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import { AlertSequencer } from '../../shared/alert-sequencer.js';
import type { AlertPayload, ControlAction } from '../../shared/queues.js';
import type { TestSystem } from './system.js';
import type { MidtransFake } from '../fakes/midtrans.fake.js';
import { currencyFloor } from '../../gateway/donations/accepted-currencies.js';

/** A JSON response. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface JsonResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** Calls the gateway with a JSON body; never throws on HTTP status. */
export async function http<T = any>( // eslint-disable-line @typescript-eslint/no-explicit-any
  system: TestSystem,
  method: string,
  path: string,
  options: { body?: unknown; token?: string; headers?: Record<string, string>; raw?: string | Buffer } = {},
): Promise<JsonResponse<T>> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | Blob | undefined;
  if (options.raw !== undefined)
    body = typeof options.raw === 'string' ? options.raw : new Blob([new Uint8Array(options.raw)]);
  else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  const res = await fetch(`${system.gatewayUrl}${path}`, {
    method,
    headers,
    body,
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : {};
  } catch {
    /* not JSON */
  }
  return { status: res.status, body: parsed as T, headers: res.headers };
}

/** A registered streamer with its tokens. */
export interface TestStreamer {
  id: string;
  username: string;
  accessToken: string;
  overlayToken: string;
}

/** Registers a streamer with a unique username. */
export async function registerStreamer(
  system: TestSystem,
  minDonation?: string,
  otherCurrencies: readonly string[] = [],
): Promise<TestStreamer> {
  const username = `s_${randomBytes(5).toString('hex')}`;
  const reg = await http(system, 'POST', '/api/v1/auth/register', {
    body: {
      email: `${username}@example.test`,
      password: 'correct horse battery',
      username,
      displayName: `Streamer ${username}`,
      role: 'streamer',
    },
  });
  if (reg.status !== 202) throw new Error(`register failed: ${reg.status} ${JSON.stringify(reg.body)}`);
  // Registration answers the same for a free and a taken email; the token comes from logging in.
  const login = await http(system, 'POST', '/api/v1/auth/login', {
    body: { email: `${username}@example.test`, password: 'correct horse battery' },
  });
  if (login.status !== 200) throw new Error(`login failed: ${login.status} ${JSON.stringify(login.body)}`);
  const accessToken = login.body.accessToken as string;
  if (minDonation) {
    const res = await http(system, 'PATCH', '/api/v1/me/settings', {
      token: accessToken,
      body: { minDonation },
    });
    if (res.status !== 200) throw new Error(`settings failed: ${JSON.stringify(res.body)}`);
  }
  if (otherCurrencies.length) {
    // A streamer accepts only its own currency until it lists others, each at its floor here.
    const me = await http(system, 'GET', '/api/v1/me', { token: accessToken });
    const own = (me.body.streamer?.currencies ?? []) as {
      currency: string;
      minMinor: number;
    }[];
    const res = await http(system, 'PATCH', '/api/v1/me/settings', {
      token: accessToken,
      body: {
        currencies: [
          ...own.map((c) => ({ currency: c.currency, minMinor: c.minMinor })),
          ...otherCurrencies.map((currency) => ({ currency, minMinor: currencyFloor(currency) })),
        ],
      },
    });
    if (res.status !== 200) throw new Error(`currencies failed: ${JSON.stringify(res.body)}`);
  }
  const overlay = await http(system, 'GET', '/api/v1/me/overlay', { token: accessToken });
  return {
    id: login.body.user.id as string,
    username,
    accessToken,
    overlayToken: overlay.body.token as string,
  };
}

/** Creates a donation; returns the response. */
export async function createDonation(
  system: TestSystem,
  username: string,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<JsonResponse> {
  return http(system, 'POST', `/api/v1/streamers/${username}/donations`, { body, headers });
}

/**
 * Creates a Midtrans donation and pays it as real money is paid: the Midtrans fake sends a signed
 * settlement notification to the webhook once the checkout exists (201 has it; after a 202 the
 * status URL gets it a moment later). @returns the create answer.
 * @throws when the donation is not accepted, no checkout appears within 30 s, or the webhook is
 *   not answered 200.
 */
export async function payThroughMidtrans(
  system: TestSystem,
  midtrans: Pick<MidtransFake, 'setStatus'>,
  username: string,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<JsonResponse> {
  const created = await createDonation(system, username, { ...body, provider: 'midtrans' }, headers);
  if (created.status !== 201 && created.status !== 202)
    throw new Error(`donation refused: ${created.status} ${JSON.stringify(created.body)}`);
  const id = created.body.id as string;
  const deadline = Date.now() + 30_000;
  let checkout = created.body.checkout as { orderId: string } | undefined | null;
  while (!checkout) {
    if (Date.now() > deadline) throw new Error(`no checkout of ${id} within 30 s`);
    await new Promise((r) => setTimeout(r, 100));
    checkout = (await http(system, 'GET', `/api/v1/donations/${id}`)).body.checkout as {
      orderId: string;
    } | null;
  }
  const webhook = await midtrans.setStatus(checkout.orderId, { status: 'settlement' });
  if (webhook?.status !== 200) throw new Error(`settlement webhook answered ${webhook?.status}`);
  return created;
}

/** The sandbox payment id of a created donation (from its checkout URL, polling while 202). */
export async function paymentIdOf(system: TestSystem, created: JsonResponse): Promise<string> {
  let url = (created.body.checkout as { url?: string } | undefined)?.url;
  const id = created.body.id as string;
  const deadline = Date.now() + 15_000;
  while (!url && Date.now() < deadline) {
    const status = await http(system, 'GET', `/api/v1/donations/${id}`);
    url = (status.body.checkout as { url?: string } | null)?.url;
    if (!url) await new Promise((r) => setTimeout(r, 100));
  }
  if (!url) throw new Error(`no checkout for donation ${id}`);
  return url.split('/').pop()!;
}

/** Presses Pay (or Decline) on the sandbox checkout. */
export async function sandboxComplete(
  system: TestSystem,
  paymentId: string,
  outcome: 'pay' | 'decline' = 'pay',
): Promise<JsonResponse> {
  return http(system, 'POST', `/sandbox/checkout/${paymentId}/${outcome}`);
}

/**
 * Creates a sandbox donation and pays it (the sandbox checkout's Pay button), waiting until it
 * is paid. `body` is the donor's POST body without `provider`. @returns the donation id.
 * @throws when the donation is refused or not paid within 15 s.
 */
export async function paidSandboxDonation(
  system: TestSystem,
  username: string,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<string> {
  const created = await createDonation(system, username, { ...body, provider: 'sandbox' }, headers);
  if (created.status !== 201 && created.status !== 202)
    throw new Error(`donation refused: ${created.status} ${JSON.stringify(created.body)}`);
  const id = created.body.id as string;
  await sandboxComplete(system, await paymentIdOf(system, created));
  await waitForDonationStatus(system, id, 'paid');
  return id;
}

/** Waits until the public status of a donation is `status`. */
export async function waitForDonationStatus(
  system: TestSystem,
  donationId: string,
  status: string,
  timeoutMs = 15_000,
): Promise<JsonResponse> {
  const deadline = Date.now() + timeoutMs;
  let last: JsonResponse | undefined;
  while (Date.now() < deadline) {
    last = await http(system, 'GET', `/api/v1/donations/${donationId}`);
    if (last.body.status === status) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`donation ${donationId} did not become ${status}: ${JSON.stringify(last?.body)}`);
}

/**
 * An overlay client: connects to /overlay, keeps the last shown event id across reconnects (as
 * the page does with localStorage), and records every alert shown, in order.
 */
export class OverlayClient {
  readonly shown: AlertPayload[] = [];
  /** Every alert as received, repeats included. */
  readonly received: AlertPayload[] = [];
  /** `advance` steps received (alerts of donations this token already showed). */
  readonly advances: { eventId: string; prevEventId: string }[] = [];
  readonly controls: ControlAction[] = [];
  readonly socket: Socket;
  private readonly sequencer: AlertSequencer;
  private waiters: (() => void)[] = [];

  constructor(realtimeUrl: string, token: string, lastEventId = '') {
    this.sequencer = new AlertSequencer(
      lastEventId,
      (alert) => {
        this.shown.push(alert);
        // As the overlay page does once it shows an alert: the server remembers it per token.
        this.socket.emit('ack', { eventId: alert.eventId, donationId: alert.donationId });
        this.notify();
      },
      (after) => this.socket.emit('replay', { after }),
    );
    this.socket = io(`${realtimeUrl}/overlay`, {
      transports: ['websocket'],
      auth: (cb) => cb({ token, lastEventId: this.sequencer.lastEventId }),
      reconnectionDelay: 100,
      reconnectionDelayMax: 500,
      forceNew: true,
    });
    this.socket.on('connect', () => {
      this.sequencer.reset();
      this.notify();
    });
    this.socket.on('hello', ({ lastEventId }: { lastEventId: string }) => {
      this.sequencer.sync(lastEventId);
      this.notify();
    });
    this.socket.on('alert', (alert: AlertPayload) => {
      this.received.push(alert);
      this.sequencer.receive(alert);
    });
    this.socket.on('advance', (step: { eventId: string; prevEventId: string }) => {
      this.advances.push(step);
      this.sequencer.advance(step);
      this.notify();
    });
    this.socket.on('control', ({ action }: { action: ControlAction }) => {
      this.controls.push(action);
      this.notify();
    });
    this.socket.on('disconnect', () => this.notify());
    this.socket.on('connect_error', () => this.notify());
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    waiters.forEach((w) => w());
  }

  /** Resolves when `predicate` holds (checked on every event), rejects after `timeoutMs`. */
  waitUntil(predicate: () => boolean, timeoutMs: number, what: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(`timed out after ${timeoutMs} ms waiting for ${what}; shown ${this.shown.length}`),
          ),
        timeoutMs,
      );
      const check = () => {
        if (predicate()) {
          clearTimeout(timer);
          resolve();
        } else this.waiters.push(check);
      };
      check();
    });
  }

  /** The last alert shown, or where the server's hello placed this client ('' before either). */
  get lastEventId(): string {
    return this.sequencer.lastEventId;
  }

  /** Connected, and placed by the server's hello (so a reconnect resumes from there). */
  waitConnected(timeoutMs = 10_000): Promise<void> {
    return this.waitUntil(
      () => this.socket.connected && this.lastEventId !== '',
      timeoutMs,
      'overlay to connect',
    );
  }

  waitForAlerts(count: number, timeoutMs = 20_000): Promise<void> {
    return this.waitUntil(() => this.shown.length >= count, timeoutMs, `${count} alerts`);
  }

  close(): void {
    this.socket.close();
  }
}
