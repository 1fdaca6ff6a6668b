/** Typed Socket.IO event maps shared by the notification service, overlays and dashboards. */
import type { AlertPayload, ControlAction, MediaShareEvent } from './queues.js';

/** Handshake auth of the /overlay namespace. */
export interface OverlayAuth {
  token: string;
  /** The last eventId the overlay showed; the server replays everything after it. */
  lastEventId?: string;
}

/** Handshake auth of the /dashboard namespace. */
export interface DashboardAuth {
  accessToken: string;
}

/** Server → overlay. */
export interface OverlayServerEvents {
  /**
   * First event after connecting (and before a replay past trimmed history): the client counts
   * every alert up to `lastEventId` as shown ('0-0' = the streamer had none). See AlertSequencer.sync.
   */
  hello: (info: { lastEventId: string }) => void;
  alert: (alert: AlertPayload) => void;
  /**
   * In place of an alert this overlay token already showed (a re-published donation): the
   * chain moves past it without showing anything. See AlertSequencer.advance.
   */
  advance: (step: { eventId: string; prevEventId: string }) => void;
  control: (control: { action: ControlAction }) => void;
  /** To widgets (kind "widget") only, instead of alerts: a paid donation changed their data. */
  refresh: (info: { type: 'donation.paid' }) => void;
  /**
   * To widgets (the media-share player) only: a clip changed state or the player was paused,
   * resumed or set to another volume. No donor text; details come from the player's API.
   */
  media: (event: MediaShareEvent) => void;
}

/** Overlay → server. */
export interface OverlayClientEvents {
  /** Ask for every alert after `after` (used when the client sees a gap in the chain). */
  replay: (request: { after: string }) => void;
  /**
   * The overlay showed this alert: the server remembers it per overlay token (durably), so a
   * reloaded overlay resumes after it and never gets the donation again.
   */
  ack: (ack: { eventId: string; donationId: string }) => void;
}

/** Server → dashboard. */
export interface DashboardServerEvents {
  alert: (alert: AlertPayload) => void;
  /** A status change without an alert: refunded, failed, expired (`status` is the new status). */
  'donation.update': (update: {
    donationId: string;
    type: string;
    status: string;
    amount: number;
    currency: string;
  }) => void;
  control: (control: { action: ControlAction }) => void;
  /** A media-share clip changed state, or the player changed (see MediaShareEvent). */
  media: (event: MediaShareEvent) => void;
  /** The access token ran out and no `reauth` came: the server disconnects right after. */
  'session.expired': () => void;
}

/** Dashboard → server. */
export interface DashboardClientEvents {
  /** The streamer's controls, live (same as POST /api/v1/me/alerts/skip etc.); acked. */
  control: (request: { action: string }, ack?: (result: { ok: boolean; error?: string }) => void) => void;
  /**
   * A fresh access token (after a refresh) keeps the connection past the old token's expiry;
   * acked with the new expiry (ISO 8601).
   */
  reauth: (
    request: { accessToken: string },
    ack?: (result: { ok: boolean; expiresAt?: string; error?: string }) => void,
  ) => void;
}

/** Data kept on each socket (serialisable, so fetchSockets works across nodes). */
export interface SocketData {
  streamerId: string;
  tokenHash: string;
  /** 'widget' for the goal / donor-list browser sources (not counted as overlays). */
  kind?: 'overlay' | 'widget';
  connectedAt: string;
  lastSeenAt: string;
  /** Dashboards: expiry of the access token the connection stands on (Unix seconds). */
  tokenExp?: number;
}

/** Socket.IO room of a streamer. */
export const streamerRoom = (streamerId: string) => `streamer:${streamerId}`;
/** Socket.IO room of a streamer's widgets (they get `refresh`, never alerts). */
export const widgetRoom = (streamerId: string) => `widgets:${streamerId}`;
/** Socket.IO room of the overlays using one token (for revocation). */
export const tokenRoom = (tokenHash: string) => `token:${tokenHash}`;
