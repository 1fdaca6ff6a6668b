/**
 * The Socket.IO server: /overlay (handshake auth {token, lastEventId}) and /dashboard
 * (handshake auth {accessToken}). One room per streamer; emits go only to rooms. The Redis
 * adapter makes a room span every notification-service instance. Websocket transport only, so
 * no sticky sessions are needed under pm2's cluster mode.
 */
import { createHash } from 'node:crypto';
import { createServer, type Server as HttpServer } from 'node:http';
import { Server, type Namespace } from 'socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import type { Redis } from 'ioredis';
import type { Config } from '../../shared/config.js';
import type { Logger } from '../../shared/logger.js';
import { uuidv7 } from 'uuidv7';
import { CONTROL_ACTIONS, KEYS, QUEUES, STREAMS, openQueue, type AlertPayload } from '../../shared/queues.js';
import { compareStreamIds, parseEntry, readHistory, toAlertPayload } from '../../shared/alert-stream.js';
import { loadAcks, recordAck, type OverlayAcks } from '../../shared/overlay-acks.js';
import { verifyAccessToken } from '../../shared/access-token.js';
import {
  streamerRoom,
  tokenRoom,
  widgetRoom,
  type DashboardClientEvents,
  type DashboardServerEvents,
  type OverlayClientEvents,
  type OverlayServerEvents,
  type SocketData,
} from '../../shared/realtime-events.js';

export type OverlayNamespace = Namespace<
  OverlayClientEvents,
  OverlayServerEvents,
  Record<string, never>,
  SocketData
>;
export type DashboardNamespace = Namespace<
  DashboardClientEvents,
  DashboardServerEvents,
  Record<string, never>,
  SocketData
>;

/** SHA-256 hex of an overlay token (what the gateway stores and the rooms use). */
export function hashOverlayToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface RealtimeServer {
  io: Server;
  http: HttpServer;
  overlay: OverlayNamespace;
  dashboard: DashboardNamespace;
  close(): Promise<void>;
}

const STREAM_ID = /^\d{1,20}-\d{1,20}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Most alert ids one socket's gate remembers as sent. */
const GATE_MEMORY = 5000;

/**
 * The per-socket gate every alert to an overlay passes (replays and live room emits alike, on
 * whichever node sends them): an alert this socket was already sent is dropped, and a paid
 * donation its token already showed (acknowledged) or that this socket already got, under
 * another eventId (re-published after a Redis loss), goes out as `advance` instead, so the chain
 * moves on and the overlay shows it once. Socket.IO has no per-socket filter on room emits, so
 * this wraps the socket's `client.writeToEngine`, which both paths end in
 * (socket.io-adapter's broadcast and Socket#emit); start-up fails if that method is missing.
 */
function installAlertGate(
  socket: { nsp: { name: string }; client: unknown },
  shown: Map<string, string>,
): void {
  const client = socket.client as { writeToEngine?: (packets: unknown[], opts: unknown) => void };
  if (typeof client.writeToEngine !== 'function')
    throw new Error('socket.io Client#writeToEngine is missing: the overlay alert gate needs it');
  const write = client.writeToEngine.bind(client);
  const head = `2${socket.nsp.name},["alert",`;
  const sent = new Set<string>();
  client.writeToEngine = (packets, opts) => {
    const packet = packets[0];
    if (packets.length !== 1 || typeof packet !== 'string' || !packet.startsWith(head))
      return write(packets, opts);
    let alert: AlertPayload;
    try {
      alert = (JSON.parse(packet.slice(packet.indexOf(',') + 1)) as [string, AlertPayload])[1];
    } catch {
      return write(packets, opts);
    }
    if (sent.has(alert.eventId)) return;
    sent.add(alert.eventId);
    if (sent.size > GATE_MEMORY) sent.delete(sent.values().next().value!);
    // Sandbox donations are paid donations marked test: the same once-only rule holds.
    if (alert.type === 'donation.paid' && alert.donationId) {
      const shownAs = shown.get(alert.donationId);
      if (shownAs !== undefined && shownAs !== alert.eventId) {
        const step = { eventId: alert.eventId, prevEventId: alert.prevEventId };
        // A room broadcast comes with the alert's WebSocket frame already encoded
        // (wsPreEncodedFrame), which engine.io sends in place of the packet: drop it here.
        const own = { ...(opts as Record<string, unknown>), wsPreEncodedFrame: undefined };
        return write([`2${socket.nsp.name},${JSON.stringify(['advance', step])}`], own);
      }
      shown.set(alert.donationId, alert.eventId);
    }
    write(packets, opts);
  };
}

/** Starts Socket.IO on REALTIME_PORT. */
export async function startRealtimeServer(options: {
  config: Config;
  redis: Redis;
  pubClient: Redis;
  subClient: Redis;
  log: Logger;
}): Promise<RealtimeServer> {
  const { config, redis, log } = options;
  const mediaCommands = openQueue('media-share-commands', redis, config.REDIS_PREFIX);
  const http = createServer((_req, res) => {
    res.writeHead(404).end();
  });
  const io = new Server(http, {
    transports: ['websocket'],
    cors: { origin: true },
    pingInterval: 10_000,
    pingTimeout: 5_000,
    adapter: createAdapter(options.pubClient, options.subClient, { key: `${config.REDIS_PREFIX}:socket.io` }),
  });

  const overlay = io.of('/overlay') as unknown as OverlayNamespace;
  /** Where a socket starts and what its token showed, by socket id (consumed on connection). */
  const starts = new Map<string, { after: string; acks: OverlayAcks }>();
  const replay = async (socket: { emit: OverlayNamespace['emit'] }, streamerId: string, after: string) => {
    let cursor = after;
    for (;;) {
      const page = await readHistory(redis, config.REDIS_PREFIX, streamerId, cursor, 500);
      const first = page[0];
      // The history was trimmed past `after`: move the client to the oldest alert still kept.
      if (cursor === after && first?.prevEventId && compareStreamIds(first.prevEventId, after) > 0)
        socket.emit('hello', { lastEventId: first.prevEventId });
      for (const e of page) socket.emit('alert', toAlertPayload(e));
      if (page.length < 500) return;
      cursor = page[page.length - 1]!.eventId;
    }
  };
  /**
   * Where a socket without a lastEventId of its own starts: after the last alert its token
   * acknowledged, when the history still holds it under that id; from the oldest kept alert
   * when it does not (Redis lost its data and re-published: the gate skips what the token
   * showed); after the newest alert when the token never acknowledged one (a new overlay).
   */
  const startFor = async (streamerId: string, acks: OverlayAcks): Promise<string> => {
    const key = STREAMS.streamerAlerts(config.REDIS_PREFIX, streamerId);
    if (acks.last) {
      const at = await redis.xrange(key, acks.last.eventId, acks.last.eventId);
      const held = at[0] ? parseEntry(at[0][0], at[0][1]) : null;
      return held?.event.donationId === acks.last.donationId ? acks.last.eventId : '0-0';
    }
    return (await redis.xrevrange(key, '+', '-', 'COUNT', 1))[0]?.[0] ?? '0-0';
  };
  /** Sockets per overlay token on this node, from admission to disconnect. */
  const socketsPerToken = new Map<string, number>();
  /**
   * Takes one of the token's OVERLAY_MAX_SOCKETS_PER_TOKEN places on this node; null when all
   * are taken, else the function that gives it back. The place is given back once: on
   * disconnect, by that function, or when the handshake never completes.
   */
  const admitSocket = (
    socket: { connected: boolean; once(e: 'disconnect', f: () => void): unknown },
    tokenHash: string,
  ): (() => void) | null => {
    const open = socketsPerToken.get(tokenHash) ?? 0;
    if (open >= config.OVERLAY_MAX_SOCKETS_PER_TOKEN) return null;
    socketsPerToken.set(tokenHash, open + 1);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      const left = (socketsPerToken.get(tokenHash) ?? 1) - 1;
      if (left > 0) socketsPerToken.set(tokenHash, left);
      else socketsPerToken.delete(tokenHash);
    };
    socket.once('disconnect', release);
    // A handshake whose client went away before the connection completed never disconnects.
    setTimeout(() => {
      if (!socket.connected) release();
    }, 30_000).unref();
    return release;
  };
  overlay.use((socket, next) => {
    const auth = socket.handshake.auth as { token?: unknown; kind?: unknown; lastEventId?: unknown };
    const token = typeof auth.token === 'string' ? auth.token : '';
    if (!token) return next(new Error('overlay token required'));
    const tokenHash = hashOverlayToken(token);
    const kind = auth.kind === 'widget' ? 'widget' : 'overlay';
    const lastEventId =
      typeof auth.lastEventId === 'string' && STREAM_ID.test(auth.lastEventId) ? auth.lastEventId : '';
    let release: (() => void) | null = null;
    (async () => {
      const streamerId = await redis.get(KEYS.overlayToken(config.REDIS_PREFIX, tokenHash));
      if (!streamerId) return next(new Error('overlay token is invalid or revoked'));
      // A stolen token must not open sockets without end (each one costs the server). Counted on
      // this node only (a cluster-wide fetchSockets waits for every node, so one frozen node would
      // refuse every overlay for the adapter's request timeout), and taken synchronously here, so
      // handshakes arriving together cannot all pass.
      release = admitSocket(socket, tokenHash);
      if (!release)
        return next(new Error('too many connections for this overlay token: close an overlay or widget'));
      const now = new Date().toISOString();
      socket.data = { streamerId, tokenHash, kind, connectedAt: now, lastSeenAt: now };
      if (kind === 'overlay') {
        // Read before joining the room; the replay after joining covers anything in between.
        const acks = await loadAcks(redis, config.REDIS_PREFIX, tokenHash);
        starts.set(socket.id, { after: lastEventId || (await startFor(streamerId, acks)), acks });
        // Dropped if the client went away between handshake and connection.
        setTimeout(() => starts.delete(socket.id), 30_000).unref();
      }
      next();
    })().catch((err: unknown) => {
      release?.();
      log.warn({ err }, 'overlay auth lookup failed');
      next(new Error('temporarily unavailable'));
    });
  });
  overlay.on('connection', (socket) => {
    const { streamerId, tokenHash } = socket.data;
    socket.conn.on('packet', () => {
      socket.data.lastSeenAt = new Date().toISOString();
    });
    // Widgets refresh their data on a paid donation: they never receive alerts (donor text).
    if (socket.data.kind === 'widget') {
      void socket.join([widgetRoom(streamerId), tokenRoom(tokenHash)]);
      return;
    }
    const start = starts.get(socket.id);
    starts.delete(socket.id);
    if (!start) return void socket.disconnect(true);
    installAlertGate(socket, start.acks.shown);
    // Join first, then replay: a live alert during replay arrives early and the client's chain
    // (prevEventId) puts it back in order; the gate drops the second copy of either.
    void socket.join([streamerRoom(streamerId), tokenRoom(tokenHash)]);
    log.debug({ streamerId, socketId: socket.id, after: start.after }, 'overlay connected');
    // Same tick as the join: no live alert can reach the client before its hello.
    socket.emit('hello', { lastEventId: start.after });
    replay(socket, streamerId, start.after).catch((err: unknown) => log.warn({ err }, 'replay failed'));
    socket.on('replay', (request) => {
      const after = typeof request?.after === 'string' && STREAM_ID.test(request.after) ? request.after : '';
      if (!after) return;
      replay(socket, streamerId, after).catch((err: unknown) => log.warn({ err }, 'replay failed'));
    });
    socket.on('ack', (ack) => {
      const eventId = typeof ack?.eventId === 'string' && STREAM_ID.test(ack.eventId) ? ack.eventId : '';
      const donationId =
        typeof ack?.donationId === 'string' && UUID.test(ack.donationId) ? ack.donationId : '';
      if (!eventId || !donationId) return;
      start.acks.shown.set(donationId, eventId);
      recordAck(redis, config.REDIS_PREFIX, {
        tokenHash,
        streamerId,
        donationId,
        eventId,
        at: Date.now(),
      }).catch((err: unknown) => log.warn({ err, donationId }, 'overlay ack not recorded'));
    });
  });

  const dashboard = io.of('/dashboard') as unknown as DashboardNamespace;
  dashboard.use((socket, next) => {
    const auth = socket.handshake.auth as { accessToken?: unknown };
    verifyAccessToken(config, typeof auth.accessToken === 'string' ? auth.accessToken : '').then(
      (claims) => {
        if (claims.role !== 'streamer') return next(new Error('dashboard is for streamers'));
        const now = new Date().toISOString();
        socket.data = {
          streamerId: claims.sub,
          tokenHash: '',
          connectedAt: now,
          lastSeenAt: now,
          tokenExp: claims.exp,
        };
        next();
      },
      () => next(new Error('access token is invalid or expired')),
    );
  });
  dashboard.on('connection', (socket) => {
    const room = streamerRoom(socket.data.streamerId);
    void socket.join(room);
    // A connection lives only as long as its access token: at expiry, unless a `reauth` with a
    // fresh token came, the dashboard is told and cut off (it reconnects with a new token), so
    // an ended session stops receiving donations within ACCESS_TOKEN_TTL_S.
    let expiry: NodeJS.Timeout | undefined;
    const armExpiry = () => {
      clearTimeout(expiry);
      // setTimeout holds at most 2^31-1 ms; a longer token is re-armed on the next reauth.
      const ms = Math.min(2 ** 31 - 1, Math.max(0, (socket.data.tokenExp ?? 0) * 1000 - Date.now()));
      expiry = setTimeout(() => {
        socket.emit('session.expired');
        socket.disconnect(true);
      }, ms);
      expiry.unref();
    };
    armExpiry();
    socket.on('disconnect', () => clearTimeout(expiry));
    socket.on('reauth', (request, ack) => {
      const reply = typeof ack === 'function' ? ack : () => undefined;
      const token = typeof request?.accessToken === 'string' ? request.accessToken : '';
      verifyAccessToken(config, token).then(
        (claims) => {
          if (claims.sub !== socket.data.streamerId || claims.role !== 'streamer')
            return reply({ ok: false, error: 'token is for another account' });
          socket.data.tokenExp = claims.exp;
          armExpiry();
          reply({ ok: true, expiresAt: new Date(claims.exp * 1000).toISOString() });
        },
        () => reply({ ok: false, error: 'access token is invalid or expired' }),
      );
    });
    socket.on('control', (request, ack) => {
      const reply = typeof ack === 'function' ? ack : () => undefined;
      const action = CONTROL_ACTIONS.find((a) => a === request?.action);
      if (!action) return reply({ ok: false, error: `action must be one of ${CONTROL_ACTIONS.join(', ')}` });
      const streamerId = socket.data.streamerId;
      // Panic also pauses the media-share queue and stops the playing clip, as `POST /me/panic`
      // does: the command is durable on its queue before the overlays are told.
      const queued =
        action === 'panic'
          ? mediaCommands.add(
              QUEUES.mediaShareCommands.jobs.command,
              {
                action: 'panic',
                streamerId,
                donationId: '',
                before: '',
                refund: false,
                volume: 0,
                requestId: '',
              },
              { jobId: `panic_${uuidv7()}` },
            )
          : Promise.resolve();
      queued.then(
        () => {
          overlay.to(room).emit('control', { action });
          dashboard.to(room).emit('control', { action });
          log.info({ streamerId, action, via: 'dashboard' }, 'control sent');
          reply({ ok: true });
        },
        (err: unknown) => {
          log.warn({ err, streamerId, action }, 'control not sent: media-share queue unavailable');
          reply({ ok: false, error: 'temporarily unavailable, try again' });
        },
      );
    });
  });

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(config.REALTIME_PORT, config.BIND_HOST, () => resolve());
  });
  log.info({ port: config.REALTIME_PORT }, 'Socket.IO listening');
  return {
    io,
    http,
    overlay,
    dashboard,
    close: async () => {
      await new Promise<void>((resolve) => {
        void io.close(() => resolve());
      });
      await mediaCommands.close();
    },
  };
}
