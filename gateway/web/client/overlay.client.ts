/**
 * The OBS overlay (browser source). Connects to /overlay with the token from the URL fragment
 * and the last event id it showed (localStorage), shows alerts one at a time — as text only —
 * with an entry animation, a sound and optional text-to-speech, and obeys the streamer's
 * controls (skip, pause, resume, panic). A dot shows only while disconnected.
 */
import { io, type Socket } from 'socket.io-client';
import { AlertSequencer } from '../../../shared/alert-sequencer.js';
import { retryRefusedHandshakes } from '../../../shared/refused-handshake.js';
import type { AlertPayload, ControlAction } from '../../../shared/queues.js';

interface OverlaySettings {
  alertDurationMs: number;
  ttsMinMinor: number;
  soundUrl: string;
  currency: string;
  realtimeUrl: string;
}

declare global {
  interface Window {
    /** For tests and debugging: what the overlay showed, in order. */
    __mediashar?: { shown: AlertPayload[]; controls: ControlAction[]; connected: boolean; paused: boolean };
  }
}

const token = new URLSearchParams(location.hash.slice(1)).get('token') ?? '';
const state = {
  shown: [] as AlertPayload[],
  controls: [] as ControlAction[],
  connected: false,
  paused: false,
};
window.__mediashar = state;

const stage = document.getElementById('stage')!;
const indicator = document.getElementById('connection')!;
const queue: AlertPayload[] = [];
let current: { alert: AlertPayload; timer: number } | null = null;
let settings: OverlaySettings;
let socket: Socket | undefined;

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

function setConnected(connected: boolean): void {
  state.connected = connected;
  indicator.hidden = connected;
}

function beep(): void {
  try {
    const ctx = new AudioContext();
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.frequency.value = 880;
    gain.gain.setValueAtTime(0.2, ctx.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.001, ctx.currentTime + 0.6);
    osc.connect(gain).connect(ctx.destination);
    osc.start();
    osc.stop(ctx.currentTime + 0.6);
  } catch {
    /* audio may be blocked outside OBS: the alert still shows */
  }
}

let sound: HTMLAudioElement | null = null;

function playSound(): void {
  if (!settings.soundUrl) return beep();
  sound = new Audio(settings.soundUrl);
  sound.play().catch(beep);
}

function speak(alert: AlertPayload): void {
  if (!('speechSynthesis' in window) || !alert.message) return;
  if (
    settings.ttsMinMinor <= 0 ||
    alert.currency !== settings.currency ||
    alert.amount < settings.ttsMinMinor
  )
    return;
  const utterance = new SpeechSynthesisUtterance(`${alert.donorName}: ${alert.message}`);
  utterance.lang = 'id-ID';
  speechSynthesis.speak(utterance);
}

function render(alert: AlertPayload): HTMLElement {
  const card = document.createElement('section');
  card.className = 'alert enter';
  card.dataset.eventId = alert.eventId;
  card.dataset.donationId = alert.donationId;
  const title = document.createElement('h1');
  // <bdi>: a right-to-left override in a name must not flip the amount next to it.
  const name = document.createElement('bdi');
  name.className = 'donor';
  name.textContent = alert.donorName;
  const amount = document.createElement('span');
  amount.className = 'amount';
  amount.textContent = alert.formattedAmount;
  title.append(name, document.createTextNode(' '), amount);
  const message = document.createElement('p');
  message.className = 'message';
  message.textContent = alert.message;
  card.append(title, message);
  if (alert.mediaShare) card.append(mediaPlayer(alert.mediaShare));
  if (alert.test) card.classList.add('test');
  return card;
}

/** How long a media share without a recorded `seconds` (older donations) plays, in ms. */
const MEDIA_SHARE_DEFAULT_MS = 30_000;

/**
 * The media-share player: an embed of the clip (ids were validated by the server), sandboxed,
 * removed with the alert. YouTube starts at the donor's second.
 */
function mediaPlayer(media: NonNullable<AlertPayload['mediaShare']>): HTMLElement {
  const frame = document.createElement('iframe');
  frame.className = 'media-share';
  frame.allow = 'autoplay; encrypted-media';
  frame.referrerPolicy = 'strict-origin';
  frame.setAttribute('sandbox', 'allow-scripts allow-same-origin allow-presentation');
  const id = encodeURIComponent(media.videoId);
  const start = Math.max(0, Math.floor(media.startS));
  frame.src =
    media.platform === 'youtube'
      ? `https://www.youtube-nocookie.com/embed/${id}?autoplay=1&controls=0&start=${start}${media.seconds ? `&end=${start + media.seconds}` : ''}`
      : `https://www.tiktok.com/embed/v2/${id}`;
  return frame;
}

function showNext(): void {
  if (current || state.paused) return;
  const alert = queue.shift();
  if (!alert) return;
  stage.replaceChildren(render(alert));
  playSound();
  speak(alert);
  // Shown: the server remembers it for this overlay token, so a reload resumes after it.
  socket?.emit('ack', { eventId: alert.eventId, donationId: alert.donationId });
  const duration = alert.mediaShare
    ? // The seconds the donation bought under the streamer's media-share rules.
      Math.max(
        settings.alertDurationMs,
        alert.mediaShare.seconds ? alert.mediaShare.seconds * 1000 : MEDIA_SHARE_DEFAULT_MS,
      )
    : settings.alertDurationMs;
  current = { alert, timer: window.setTimeout(finishCurrent, duration) };
}

function finishCurrent(): void {
  if (current) clearTimeout(current.timer);
  current = null;
  stage.replaceChildren();
  if ('speechSynthesis' in window) speechSynthesis.cancel();
  showNext();
}

function control(action: ControlAction): void {
  state.controls.push(action);
  switch (action) {
    case 'skip':
      finishCurrent();
      break;
    case 'pause':
      state.paused = true;
      break;
    case 'resume':
      state.paused = false;
      showNext();
      break;
    case 'panic':
      state.paused = true;
      if ('speechSynthesis' in window) speechSynthesis.cancel();
      sound?.pause();
      document.querySelectorAll('audio,video,iframe').forEach((el) => el.remove());
      if (current) clearTimeout(current.timer);
      current = null;
      stage.replaceChildren();
      break;
    case 'reload':
      location.reload();
      break;
  }
  document.body.dataset.paused = String(state.paused);
}

async function main(): Promise<void> {
  if (!token) {
    indicator.hidden = false;
    indicator.textContent = 'Overlay token missing: use the overlay URL from GET /api/v1/me/overlay';
    return;
  }
  const res = await fetch('/api/v1/overlay/settings', { headers: { 'X-Overlay-Token': token } });
  if (!res.ok) {
    indicator.hidden = false;
    indicator.textContent = 'Overlay token is invalid or was rotated: copy the new overlay URL';
    return;
  }
  settings = (await res.json()) as OverlaySettings;
  const storageKey = `mediashar:last-event:${(await sha256Hex(token)).slice(0, 16)}`;
  const sequencer = new AlertSequencer(
    localStorage.getItem(storageKey) ?? '',
    (alert) => {
      localStorage.setItem(storageKey, alert.eventId);
      state.shown.push(alert);
      queue.push(alert);
      showNext();
    },
    (after) => socket?.emit('replay', { after }),
  );
  socket = io(`${settings.realtimeUrl}/overlay`, {
    transports: ['websocket'],
    auth: (cb) => cb({ token, lastEventId: sequencer.lastEventId }),
    reconnectionDelayMax: 2000,
  });
  socket.on('connect', () => {
    sequencer.reset();
    setConnected(true);
  });
  socket.on('disconnect', () => setConnected(false));
  socket.on('connect_error', (err) => {
    setConnected(false);
    if (/invalid or revoked/.test(err.message))
      indicator.textContent = 'Overlay token was rotated: copy the new overlay URL';
  });
  // "temporarily unavailable" while Redis is away, "too many connections" until OBS's old source
  // is gone: retried; a rotated token never gets in again.
  retryRefusedHandshakes(socket, (err) => !/invalid or revoked/.test(err.message));
  socket.on('hello', ({ lastEventId }: { lastEventId: string }) => sequencer.sync(lastEventId));
  socket.on('alert', (alert: AlertPayload) => sequencer.receive(alert));
  socket.on('advance', (step: { eventId: string; prevEventId: string }) => sequencer.advance(step));
  socket.on('control', ({ action }: { action: ControlAction }) => control(action));
}

void main();
