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
import { CONTROL_ACTIONS, KEYS, STREAMS } from '../../shared/queues.js';
import { compareStreamIds, readHistory, toAlertPayload } from '../../shared/alert-stream.js';
import { verifyAccessToken } from '../../shared/access-token.js';
import {
  streamerRoom,
  tokenRoom,
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

/** Starts Socket.IO on REALTIME_PORT. */
export async function startRealtimeServer(options: {
  config: Config;
  redis: Redis;
  pubClient: Redis;
  subClient: Redis;
  log: Logger;
}): Promise<RealtimeServer> {
  const { config, redis, log } = options;
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
  /** Newest history entry at handshake, by socket id (consumed on connection). */
  const heads = new Map<string, string>();
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
  overlay.use((socket, next) => {
    const auth = socket.handshake.auth as { token?: unknown };
    const token = typeof auth.token === 'string' ? auth.token : '';
    if (!token) return next(new Error('overlay token required'));
    const tokenHash = hashOverlayToken(token);
    redis
      .get(KEYS.overlayToken(config.REDIS_PREFIX, tokenHash))
      .then((streamerId) => {
        if (!streamerId) return next(new Error('overlay token is invalid or revoked'));
        const now = new Date().toISOString();
        const kind = (socket.handshake.auth as { kind?: unknown }).kind === 'widget' ? 'widget' : 'overlay';
        socket.data = { streamerId, tokenHash, kind, connectedAt: now, lastSeenAt: now };
        // A fresh overlay starts after the newest alert as of now (read before joining the room;
        // the replay after joining covers anything published in between).
        return redis
          .xrevrange(STREAMS.streamerAlerts(config.REDIS_PREFIX, streamerId), '+', '-', 'COUNT', 1)
          .then((last) => {
            heads.set(socket.id, last[0]?.[0] ?? '');
            next();
          });
      })
      .catch((err: unknown) => {
        log.warn({ err }, 'overlay auth lookup failed');
        next(new Error('temporarily unavailable'));
      });
  });
  overlay.on('connection', (socket) => {
    const { streamerId, tokenHash } = socket.data;
    // Join first, then replay: a live alert during replay arrives early and the client's chain
    // (prevEventId) puts it back in order, so nothing falls in between.
    void socket.join([streamerRoom(streamerId), tokenRoom(tokenHash)]);
    socket.conn.on('packet', () => {
      socket.data.lastSeenAt = new Date().toISOString();
    });
    const head = heads.get(socket.id);
    heads.delete(socket.id);
    // Widgets only reload their data on a live alert: no chain, no replay.
    if (socket.data.kind === 'widget') return;
    const auth = socket.handshake.auth as { lastEventId?: unknown };
    const lastEventId =
      typeof auth.lastEventId === 'string' && STREAM_ID.test(auth.lastEventId) ? auth.lastEventId : '';
    log.debug({ streamerId, socketId: socket.id, lastEventId }, 'overlay connected');
    // '0-0' (before every stream id) when the streamer has no alerts yet.
    const after = lastEventId || head || '0-0';
    // Same tick as the join: no live alert can reach the client before its hello.
    socket.emit('hello', { lastEventId: after });
    replay(socket, streamerId, after).catch((err: unknown) => log.warn({ err }, 'replay failed'));
    socket.on('replay', (request) => {
      const after = typeof request?.after === 'string' && STREAM_ID.test(request.after) ? request.after : '';
      if (!after) return;
      replay(socket, streamerId, after).catch((err: unknown) => log.warn({ err }, 'replay failed'));
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
      overlay.to(room).emit('control', { action });
      dashboard.to(room).emit('control', { action });
      log.info({ streamerId: socket.data.streamerId, action, via: 'dashboard' }, 'control sent');
      reply({ ok: true });
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
    close: () =>
      new Promise<void>((resolve) => {
        void io.close(() => resolve());
      }),
  };
}
