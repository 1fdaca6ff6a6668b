/**
 * The load of the burst benchmark: donors who create donations through the gateway over HTTP
 * keep-alive and pay them with signed sandbox webhooks, and overlay clients (one per streamer)
 * that order and de-duplicate alerts with the overlay page's AlertSequencer. Every timestamp is
 * `performance.now()` of this one process (one clock).
 */
import { Agent, request } from 'node:http';
import { randomBytes } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import { uuidv7 } from 'uuidv7';
import { AlertSequencer } from '../shared/alert-sequencer.js';
import type { AlertPayload } from '../shared/queues.js';
import { signSandboxBody } from '../grpc/payment/providers/sandbox.provider.js';
import type { MidtransFake } from '../test/fakes/midtrans.fake.js';

/** Where the system under test answers. */
export interface Target {
  gatewayUrl: string;
  realtimeUrl: string;
  sandboxSecret: string;
}

/** A JSON response. */
export interface JsonReply {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

/** A keep-alive HTTP/1.1 JSON client with at most `maxSockets` connections. */
export class KeepAliveClient {
  private readonly agent: Agent;
  private readonly base: URL;

  constructor(baseUrl: string, maxSockets: number) {
    this.base = new URL(baseUrl);
    this.agent = new Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
  }

  /** Sends a request; `raw` is sent as is, `json` is serialised. Never throws on HTTP status. */
  send(
    method: string,
    path: string,
    options: { json?: unknown; raw?: string; headers?: Record<string, string>; timeoutMs?: number } = {},
  ): Promise<JsonReply> {
    const payload = options.raw ?? (options.json === undefined ? undefined : JSON.stringify(options.json));
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    if (payload !== undefined) {
      headers['content-type'] ??= 'application/json';
      headers['content-length'] = String(Buffer.byteLength(payload));
    }
    return new Promise((resolve, reject) => {
      const req = request(
        {
          agent: this.agent,
          host: this.base.hostname,
          port: this.base.port,
          method,
          path,
          headers,
          timeout: options.timeoutMs ?? 30_000,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let body: unknown = text;
            try {
              body = text ? JSON.parse(text) : {};
            } catch {
              /* not JSON */
            }
            resolve({ status: res.statusCode ?? 0, body });
          });
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${method} ${path} timed out`)));
      req.on('error', reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** A registered streamer. */
export interface BenchStreamer {
  id: string;
  username: string;
  overlayToken: string;
}

/** How long registration and login may take: argon2id hashing is slow on a loaded machine, in ms. */
const AUTH_TIMEOUT_MS = 120_000;

/** Registers a streamer and fetches its overlay token. */
export async function registerStreamer(client: KeepAliveClient, label: string): Promise<BenchStreamer> {
  const username = `${label}_${randomBytes(4).toString('hex')}`;
  const reg = await client.send('POST', '/api/v1/auth/register', {
    json: {
      email: `${username}@bench.test`,
      password: 'correct horse battery',
      username,
      displayName: `Bench ${username}`,
      role: 'streamer',
    },
    timeoutMs: AUTH_TIMEOUT_MS,
  });
  if (reg.status !== 202) throw new Error(`register failed: ${reg.status} ${JSON.stringify(reg.body)}`);
  // Registration answers alike for a new and a known email; the token comes from logging in.
  const login = await client.send('POST', '/api/v1/auth/login', {
    json: { email: `${username}@bench.test`, password: 'correct horse battery' },
    timeoutMs: AUTH_TIMEOUT_MS,
  });
  if (login.status !== 200) throw new Error(`login failed: ${login.status} ${JSON.stringify(login.body)}`);
  const token = login.body.accessToken as string;
  const overlay = await client.send('GET', '/api/v1/me/overlay', {
    headers: { authorization: `Bearer ${token}` },
  });
  if (overlay.status !== 200)
    throw new Error(`overlay token: ${overlay.status} ${JSON.stringify(overlay.body)}`);
  return { id: login.body.user.id as string, username, overlayToken: overlay.body.token as string };
}

/** One donation's life as the benchmark saw it (times in ms of performance.now()). */
export interface DonationRecord {
  index: number;
  streamer: number;
  donationId: string;
  orderId: string;
  amountMinor: number;
  currency: string;
  postStart: number;
  /** When the gateway answered the POST (201 or 202). */
  acceptedAt: number;
  /** When the donor had a checkout (201 answer, or after polling a 202). */
  checkoutAt: number;
  webhookStart: number;
  webhookDone: number;
  /** When the streamer's overlay showed the alert (first time). */
  alertAt: number;
  /** How many times the overlay showed it (must be 1). */
  shown: number;
  /** How many times it arrived on the socket, repeats the sequencer dropped included. */
  received: number;
  error: string;
}

/** Overlay clients of the streamers, counting what each shows. */
export class OverlayFleet {
  readonly sockets: Socket[] = [];
  /** donationId → record, filled as donations are created. */
  readonly byDonation = new Map<string, DonationRecord>();
  /** Alerts shown for donations the benchmark did not create (should stay 0). */
  unknownShown = 0;
  shownTotal = 0;
  private waiters: (() => void)[] = [];

  async connect(realtimeUrl: string, streamers: BenchStreamer[], timeoutMs = 30_000): Promise<void> {
    await Promise.all(
      streamers.map(
        (s) =>
          new Promise<void>((resolve, reject) => {
            const sequencer = new AlertSequencer(
              '',
              (alert) => this.onShown(alert),
              (after) => socket.emit('replay', { after }),
            );
            const socket = io(`${realtimeUrl}/overlay`, {
              transports: ['websocket'],
              auth: (cb) => cb({ token: s.overlayToken, lastEventId: sequencer.lastEventId }),
              forceNew: true,
              reconnectionDelay: 100,
              reconnectionDelayMax: 500,
            });
            this.sockets.push(socket);
            socket.on('connect', () => sequencer.reset());
            socket.on('alert', (alert: AlertPayload) => {
              const rec = this.byDonation.get(alert.donationId);
              if (rec) rec.received++;
              sequencer.receive(alert);
            });
            const timer = setTimeout(
              () => reject(new Error(`overlay of ${s.username} did not connect`)),
              timeoutMs,
            );
            socket.once('connect', () => {
              clearTimeout(timer);
              resolve();
            });
          }),
      ),
    );
  }

  private onShown(alert: AlertPayload): void {
    const now = performance.now();
    const rec = this.byDonation.get(alert.donationId);
    if (!rec) this.unknownShown++;
    else {
      if (rec.shown === 0) rec.alertAt = now;
      rec.shown++;
      this.shownTotal++;
    }
    const waiters = this.waiters;
    this.waiters = [];
    waiters.forEach((w) => w());
  }

  /**
   * Waits until every record in `records` that was paid has been shown, or until nothing new
   * was shown for `idleMs`. @returns whether all arrived.
   */
  async waitForAlerts(records: DonationRecord[], idleMs: number): Promise<boolean> {
    const pending = () => records.some((r) => r.webhookDone > 0 && r.shown === 0);
    let lastProgress = performance.now();
    let lastCount = this.shownTotal;
    while (pending()) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 250);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
      if (this.shownTotal !== lastCount) {
        lastCount = this.shownTotal;
        lastProgress = performance.now();
      } else if (performance.now() - lastProgress > idleMs) return false;
    }
    return true;
  }

  close(): void {
    for (const s of this.sockets) s.close();
  }
}

/** Creates records for `count` donations spread over the streamers. */
export function newRecords(count: number, streamers: number, offset = 0): DonationRecord[] {
  return Array.from({ length: count }, (_, i) => ({
    index: offset + i,
    streamer: (offset + i) % streamers,
    donationId: '',
    orderId: '',
    amountMinor: 0,
    currency: '',
    postStart: 0,
    acceptedAt: 0,
    checkoutAt: 0,
    webhookStart: 0,
    webhookDone: 0,
    alertAt: 0,
    shown: 0,
    received: 0,
    error: '',
  }));
}

/** Donation amount used by every donor, in major units of the streamer's currency (IDR). */
export const DONATION_AMOUNT = '20000';

/** POSTs a donation and waits until it has a checkout; fills the record. */
export async function createDonation(
  client: KeepAliveClient,
  fleet: OverlayFleet,
  streamers: BenchStreamer[],
  rec: DonationRecord,
  provider = 'sandbox',
): Promise<void> {
  rec.postStart = performance.now();
  const streamer = streamers[rec.streamer]!;
  const res = await client.send('POST', `/api/v1/streamers/${streamer.username}/donations`, {
    json: {
      donorName: `Donor ${rec.index}`,
      amount: DONATION_AMOUNT,
      message: `bench #${rec.index}`,
      provider,
    },
  });
  if (res.status !== 201 && res.status !== 202) {
    rec.error = `create ${res.status}: ${JSON.stringify(res.body).slice(0, 200)}`;
    return;
  }
  rec.acceptedAt = performance.now();
  rec.donationId = res.body.id as string;
  fleet.byDonation.set(rec.donationId, rec);
  if (res.status === 201 && res.body.checkout?.orderId) {
    rec.orderId = res.body.checkout.orderId as string;
    rec.amountMinor = res.body.amount as number;
    rec.currency = res.body.currency as string;
  } else {
    // 202: the provider was slow; poll the status URL as the donor page does.
    const deadline = performance.now() + 60_000;
    while (!rec.orderId && performance.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      const status = await client.send('GET', `/api/v1/donations/${rec.donationId}`);
      if (status.body.checkout && status.body.payment?.orderId) {
        rec.orderId = status.body.payment.orderId as string;
        rec.amountMinor = status.body.amount as number;
        rec.currency = status.body.currency as string;
      }
    }
    if (!rec.orderId) {
      rec.error = 'no checkout within 60 s';
      return;
    }
  }
  rec.checkoutAt = performance.now();
}

/** Sends the signed sandbox "paid" webhook of a created donation; fills the record. */
export async function payDonation(
  client: KeepAliveClient,
  target: Target,
  rec: DonationRecord,
): Promise<void> {
  if (!rec.orderId) return;
  const body = JSON.stringify({
    eventId: uuidv7(),
    orderId: rec.orderId,
    status: 'paid',
    amountMinor: rec.amountMinor,
    currency: rec.currency,
    sentAt: new Date().toISOString(),
  });
  rec.webhookStart = performance.now();
  const res = await client.send('POST', '/api/v1/webhooks/sandbox', {
    raw: body,
    headers: {
      'content-type': 'application/json',
      'x-sandbox-signature': signSandboxBody(body, target.sandboxSecret),
    },
  });
  if (res.status !== 200) {
    rec.error = `webhook ${res.status}: ${JSON.stringify(res.body).slice(0, 200)}`;
    return;
  }
  rec.webhookDone = performance.now();
}

/**
 * Pays a created Midtrans donation through the Midtrans fake: the fake settles the order and
 * sends its signed HTTP notification to the gateway (the verification worker then asks the
 * fake's Get Status API, as with real Midtrans). Fills the record.
 */
export async function payMidtrans(fake: MidtransFake, rec: DonationRecord): Promise<void> {
  if (!rec.orderId) return;
  rec.webhookStart = performance.now();
  const sent = await fake.setStatus(rec.orderId, { status: 'settlement', fraudStatus: 'accept' });
  if (sent?.status !== 200) {
    rec.error = `midtrans notification ${sent?.status ?? 'not sent'}: ${sent?.body.slice(0, 200) ?? ''}`;
    return;
  }
  rec.webhookDone = performance.now();
}

/** Runs `task` over `items` with at most `concurrency` at a time. */
export async function pool<T>(
  items: T[],
  concurrency: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await task(item).catch((err: unknown) => {
        (item as { error?: string }).error = err instanceof Error ? err.message : String(err);
      });
    }
  });
  await Promise.all(runners);
}

/**
 * Open-loop arrivals: starts `task` for each item at `ratePerS`, without waiting for earlier
 * ones (a slow system builds a backlog, as real donors would).
 */
export async function paced<T>(
  items: T[],
  ratePerS: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  const started = performance.now();
  const running: Promise<void>[] = [];
  for (let i = 0; i < items.length; i++) {
    const due = started + (i * 1000) / ratePerS;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const item = items[i]!;
    running.push(
      task(item).catch((err: unknown) => {
        (item as { error?: string }).error = err instanceof Error ? err.message : String(err);
      }),
    );
  }
  await Promise.all(running);
}
