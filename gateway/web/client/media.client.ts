/**
 * The media-share player (issue 13): its own OBS browser source, `/widgets/media#token=…`.
 * The server's queue decides what plays (docs/media-share-queue.md): the player claims the next
 * clip, plays it from its start second for the seconds bought — YouTube through the IFrame
 * Player API, TikTok through its embed — reports it finished, and claims the next. A claim
 * starts a clip at most once on the server, so a reload or a second player never plays a clip
 * twice; a reloaded player resumes the playing clip for the time it has left.
 *
 * Live controls arrive as `media` events on the /overlay socket (handshake kind "widget"): skip
 * and panic stop the clip, pause/resume hold it (and its clock), volume applies at once. Donor
 * text is set with textContent only.
 */
import { io, type Socket } from 'socket.io-client';
import { retryRefusedHandshakes } from '../../../shared/refused-handshake.js';

/** A clip as the player API gives it. */
interface Clip {
  id: string;
  platform: 'youtube' | 'tiktok';
  videoId: string;
  startSeconds: number;
  seconds: number;
  remainingSeconds?: number;
  title: string;
  donorName: string;
  formattedAmount: string;
}

interface ClaimAnswer {
  clip: Clip | null;
  playing: Clip | null;
  paused: boolean;
  volume: number;
}

interface MediaEvent {
  type: string;
  donationId: string;
  paused?: boolean;
  volume?: number;
}

/** The subset of the YouTube IFrame Player API used here (developers.google.com/youtube/iframe_api_reference). */
interface YtPlayer {
  playVideo(): void;
  pauseVideo(): void;
  stopVideo(): void;
  setVolume(volume: number): void;
  destroy(): void;
}
interface YtNamespace {
  Player: new (
    element: HTMLElement,
    options: {
      videoId: string;
      width?: string;
      height?: string;
      host?: string;
      playerVars: Record<string, number | string>;
      events: { onReady?: () => void; onError?: (e: { data: number }) => void };
    },
  ) => YtPlayer;
}

declare global {
  interface Window {
    YT?: YtNamespace;
    onYouTubeIframeAPIReady?: () => void;
    /** For tests: what the player did, in order. */
    __mediaPlayer?: {
      connected: boolean;
      current: { id: string; videoId: string; start: number; seconds: number } | null;
      finished: { id: string; outcome: string }[];
      paused: boolean;
      volume: number;
    };
  }
}

const token = new URLSearchParams(location.hash.slice(1)).get('token') ?? '';
const stage = document.getElementById('player')!;
const caption = document.getElementById('caption')!;
const indicator = document.getElementById('connection')!;
const state: NonNullable<Window['__mediaPlayer']> = {
  connected: false,
  current: null,
  finished: [],
  paused: false,
  volume: 80,
};
window.__mediaPlayer = state;

let current: {
  clip: Clip;
  yt: YtPlayer | null;
  remainingMs: number;
  startedAt: number;
  timer: number;
} | null = null;
let claiming = false;
let socket: Socket | null = null;

const api = (path: string, body?: unknown) =>
  fetch(path, {
    method: 'POST',
    headers: { 'X-Overlay-Token': token, 'Content-Type': 'application/json' },
    body: JSON.stringify(body ?? {}),
  });

let ytReady: Promise<YtNamespace> | null = null;
/** Loads the YouTube IFrame Player API once. */
function youtube(): Promise<YtNamespace> {
  ytReady ??= new Promise((resolve) => {
    if (window.YT?.Player) return resolve(window.YT);
    window.onYouTubeIframeAPIReady = () => resolve(window.YT!);
    const script = document.createElement('script');
    script.src = 'https://www.youtube.com/iframe_api';
    document.head.append(script);
  });
  return ytReady;
}

function el(tag: string, className: string, text = ''): HTMLElement {
  const e = document.createElement(tag);
  e.className = className;
  e.textContent = text;
  return e;
}

/** Arms the end-of-clip timer for what is left of the bought seconds. */
function arm(): void {
  if (!current) return;
  clearTimeout(current.timer);
  current.startedAt = Date.now();
  current.timer = window.setTimeout(() => void finish('played'), current.remainingMs);
}

async function play(clip: Clip, remainingSeconds: number): Promise<void> {
  const remainingMs = Math.max(0, remainingSeconds * 1000);
  // How far into the bought seconds a resumed clip already is.
  const start = clip.startSeconds + Math.max(0, clip.seconds - remainingSeconds);
  current = { clip, yt: null, remainingMs, startedAt: Date.now(), timer: 0 };
  state.current = { id: clip.id, videoId: clip.videoId, start: Math.floor(start), seconds: clip.seconds };
  caption.replaceChildren(
    el('span', 'name', clip.donorName),
    el('span', 'amount', clip.formattedAmount),
    el('span', 'title', clip.title),
  );
  caption.hidden = false;
  const holder = document.createElement('div');
  stage.replaceChildren(holder);
  if (clip.platform === 'youtube') {
    const YT = await youtube();
    if (current?.clip.id !== clip.id) return; // skipped while the API loaded
    current.yt = new YT.Player(holder, {
      videoId: clip.videoId,
      width: '100%',
      height: '100%',
      host: 'https://www.youtube-nocookie.com',
      playerVars: {
        autoplay: 1,
        controls: 0,
        start: Math.floor(start),
        end: Math.floor(clip.startSeconds + clip.seconds),
        playsinline: 1,
        rel: 0,
      },
      events: {
        onReady: () => {
          current?.yt?.setVolume(state.volume);
          if (!state.paused) current?.yt?.playVideo();
        },
        // Removed, private or not embeddable: skip it rather than hold the queue.
        onError: () => void finish('skipped'),
      },
    });
  } else {
    const frame = document.createElement('iframe');
    frame.allow = 'autoplay; encrypted-media';
    frame.src = `https://www.tiktok.com/embed/v2/${encodeURIComponent(clip.videoId)}?autoplay=1`;
    holder.replaceWith(frame);
  }
  if (!state.paused) arm();
}

function stop(): void {
  if (!current) return;
  clearTimeout(current.timer);
  try {
    current.yt?.destroy();
  } catch {
    /* already gone */
  }
  current = null;
  state.current = null;
  stage.replaceChildren();
  caption.hidden = true;
}

/** Reports the current clip finished (the server ignores a clip already skipped), then claims. */
async function finish(outcome: 'played' | 'skipped'): Promise<void> {
  const clip = current?.clip;
  stop();
  if (clip) {
    await api(`/api/v1/overlay/media-share/${clip.id}/finished`, { outcome }).catch(() => undefined);
    state.finished.push({ id: clip.id, outcome });
  }
  await claim();
}

/** Asks the server for the next clip (or the one still playing after a reload). */
async function claim(): Promise<void> {
  if (current || claiming || state.paused) return;
  claiming = true;
  try {
    const res = await api('/api/v1/overlay/media-share/claim');
    if (!res.ok) return;
    const answer = (await res.json()) as ClaimAnswer;
    state.paused = answer.paused;
    state.volume = answer.volume;
    const clip = answer.clip ?? answer.playing;
    if (!clip || current) return;
    const remaining = answer.clip ? clip.seconds : (clip.remainingSeconds ?? 0);
    if (remaining <= 0) {
      await api(`/api/v1/overlay/media-share/${clip.id}/finished`, { outcome: 'played' });
      state.finished.push({ id: clip.id, outcome: 'played' });
      claiming = false;
      return claim();
    }
    await play(clip, remaining);
  } finally {
    claiming = false;
  }
}

function onMedia(event: MediaEvent): void {
  if (event.type === 'media.player') {
    if (event.volume !== undefined) {
      state.volume = event.volume;
      current?.yt?.setVolume(event.volume);
    }
    if (event.paused === true && !state.paused) {
      state.paused = true;
      if (current) {
        clearTimeout(current.timer);
        current.remainingMs = Math.max(0, current.remainingMs - (Date.now() - current.startedAt));
        current.yt?.pauseVideo();
      }
    } else if (event.paused === false && state.paused) {
      state.paused = false;
      if (current) {
        current.yt?.playVideo();
        arm();
      } else void claim();
    }
    document.body.dataset.paused = String(state.paused);
    return;
  }
  if (
    (event.type === 'media.skipped' || event.type === 'media.refunded') &&
    current?.clip.id === event.donationId
  ) {
    stop();
    void claim();
    return;
  }
  if (!current && (event.type === 'media.queued' || event.type === 'media.moved')) void claim();
}

function setConnected(connected: boolean): void {
  state.connected = connected;
  indicator.hidden = connected;
}

async function main(): Promise<void> {
  if (!token) {
    indicator.hidden = false;
    indicator.textContent = 'Overlay token missing: use the media player URL from your dashboard';
    return;
  }
  const res = await fetch('/api/v1/overlay/settings', { headers: { 'X-Overlay-Token': token } });
  if (!res.ok) {
    indicator.hidden = false;
    indicator.textContent = 'Overlay token is invalid or was rotated: copy the new URL';
    return;
  }
  const { realtimeUrl } = (await res.json()) as { realtimeUrl: string };
  socket = io(`${realtimeUrl}/overlay`, {
    transports: ['websocket'],
    auth: { token, kind: 'widget' },
    reconnectionDelayMax: 2000,
  });
  socket.on('connect', () => {
    setConnected(true);
    // Whatever changed while away: the server's state is the truth.
    void claim();
  });
  socket.on('disconnect', () => setConnected(false));
  socket.on('connect_error', () => setConnected(false));
  retryRefusedHandshakes(socket, (err) => !/invalid or revoked/.test(err.message));
  socket.on('media', (event: MediaEvent) => onMedia(event));
  socket.on('control', ({ action }: { action: string }) => {
    // The overlay's panic also reaches widgets: stop the clip at once (the server pauses the queue).
    if (action === 'panic') {
      state.paused = true;
      stop();
    }
  });
}

void main();
