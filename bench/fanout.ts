/**
 * Fan-out run: many idle overlay sockets held by one notification process, then one real paid
 * donation whose alert is broadcast to all of them. Measures the connect rate, the process' RSS
 * while holding them, and how long the one broadcast takes to reach every socket.
 */
import { io, type Socket } from 'socket.io-client';
import type { AlertPayload } from '../shared/queues.js';
import {
  createDonation,
  newRecords,
  payDonation,
  type BenchStreamer,
  type KeepAliveClient,
  type OverlayFleet,
  type Target,
} from './load.js';
import { rssBytes, mib } from './proc-stats.js';

export interface FanoutResult {
  sockets: number;
  connected: number;
  connectSeconds: number;
  notificationRssBeforeMiB: number;
  notificationRssIdleMiB: number;
  benchRssMiB: number;
  /** Sockets that got the broadcast alert exactly once. */
  received: number;
  duplicated: number;
  missing: number;
  /** Webhook POST → last socket's receipt, ms. */
  webhookToLastMs: number;
  /** First socket's receipt → last socket's receipt, ms. */
  firstToLastMs: number;
  /** Webhook POST → first socket's receipt, ms. */
  webhookToFirstMs: number;
}

/**
 * Connects `count` overlay sockets for one streamer (their room is the broadcast), waits until
 * they are idle, then pays one donation and times its alert on every socket.
 */
export async function runFanout(options: {
  target: Target;
  client: KeepAliveClient;
  fleet: OverlayFleet;
  streamer: BenchStreamer;
  count: number;
  notificationPid: number | undefined;
  connectConcurrency?: number;
}): Promise<FanoutResult> {
  const { target, streamer, count } = options;
  const rssOf = () => (options.notificationPid ? mib(rssBytes(options.notificationPid) ?? 0) : 0);
  const before = rssOf();
  const sockets: Socket[] = [];
  const receipts: number[][] = [];
  let target0 = '';
  const started = performance.now();
  let next = 0;
  let connected = 0;
  const connectOne = (i: number) =>
    new Promise<void>((resolve) => {
      const socket = io(`${target.realtimeUrl}/overlay`, {
        transports: ['websocket'],
        auth: { token: streamer.overlayToken, lastEventId: '' },
        forceNew: true,
        reconnection: false,
        timeout: 60_000,
      });
      sockets[i] = socket;
      receipts[i] = [];
      socket.on('alert', (alert: AlertPayload) => {
        if (alert.donationId === target0) receipts[i]!.push(performance.now());
      });
      socket.once('connect', () => {
        connected++;
        resolve();
      });
      socket.once('connect_error', () => resolve());
    });
  await Promise.all(
    Array.from({ length: Math.min(options.connectConcurrency ?? 200, count) }, async () => {
      while (next < count) await connectOne(next++);
    }),
  );
  const connectSeconds = (performance.now() - started) / 1000;
  // Let the handshakes' garbage settle so the figure is what idle sockets hold.
  await new Promise((r) => setTimeout(r, 3000));
  const idle = rssOf();

  const [rec] = newRecords(1, 1);
  await createDonation(options.client, options.fleet, [streamer], rec!);
  target0 = rec!.donationId;
  await payDonation(options.client, target, rec!);
  const deadline = performance.now() + 30_000;
  while (performance.now() < deadline && receipts.some((r, i) => sockets[i]!.connected && r.length === 0)) {
    await new Promise((r) => setTimeout(r, 20));
  }
  // Any duplicate would follow right behind the first copy.
  await new Promise((r) => setTimeout(r, 500));
  const firsts = receipts.filter((r) => r.length > 0).map((r) => r[0]!);
  const result: FanoutResult = {
    sockets: count,
    connected,
    connectSeconds: round(connectSeconds),
    notificationRssBeforeMiB: before,
    notificationRssIdleMiB: idle,
    benchRssMiB: mib(process.memoryUsage().rss),
    received: receipts.filter((r) => r.length === 1).length,
    duplicated: receipts.filter((r) => r.length > 1).length,
    missing: receipts.filter((r) => r.length === 0).length,
    webhookToLastMs: firsts.length ? round(Math.max(...firsts) - rec!.webhookStart) : -1,
    firstToLastMs: firsts.length ? round(Math.max(...firsts) - Math.min(...firsts)) : -1,
    webhookToFirstMs: firsts.length ? round(Math.min(...firsts) - rec!.webhookStart) : -1,
  };
  for (const s of sockets) s.close();
  return result;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
