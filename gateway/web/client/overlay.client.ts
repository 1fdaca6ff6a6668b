/**
 * The OBS overlay (browser source). Connects to /overlay with the token from the URL fragment
 * and the last event id it showed (localStorage), shows alerts one at a time in the streamer's
 * design for the amount (shared/alert-design.ts: image, sound, template, layout, font, colours,
 * animation, duration, tiers), after the streamer's alert delay, reads the message aloud with
 * audio made on the server (GET /api/v1/overlay/tts/:donationId), and obeys the streamer's
 * controls (skip, pause, resume, panic). Media-share clips play in their own browser source
 * (/widgets/media); an alert names the clip only. Donor text is only ever set with textContent.
 * A dot shows only while disconnected.
 */
import { io, type Socket } from 'socket.io-client';
import { AlertSequencer } from '../../../shared/alert-sequencer.js';
import { retryRefusedHandshakes } from '../../../shared/refused-handshake.js';
import type { AlertPayload, ControlAction } from '../../../shared/queues.js';
import {
  designFor,
  showsMessage,
  type AlertDesign,
  type AlertSettings,
  type TemplatePlaceholder,
} from '../../../shared/alert-design.js';

type Design = AlertDesign & { imageUrl: string | null; soundUrl: string | null };

interface OverlaySettings {
  alertDurationMs: number;
  ttsMinMinor: number;
  soundUrl: string;
  currency: string;
  /** The streamer's language: the overlay's own words follow it. */
  language?: 'id' | 'en';
  realtimeUrl: string;
  alerts: Omit<AlertSettings, 'base' | 'tiers'> & {
    base: Design;
    tiers: { minByCurrency: Record<string, number>; design: Design }[];
  };
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
const queue: { alert: AlertPayload; notBefore: number }[] = [];
let current: { alert: AlertPayload; timer: number; design: Design; leaving?: boolean } | null = null;
/** Length of the way-out animations (app.css `.alert.leave`), ms. */
const LEAVE_MS = 400;
let delayTimer = 0;
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
let speech: HTMLAudioElement | null = null;

function playSound(design: Design): void {
  const url = design.soundUrl ?? (settings.soundUrl || null);
  if (!url) return beep();
  sound = new Audio(url);
  sound.volume = design.volume / 100;
  sound.play().catch(beep);
}

/**
 * Reads the alert aloud: the server makes the audio from the text the word filter let through
 * (espeak-ng or a cloud voice), so it works in OBS, which often has no speechSynthesis voices.
 * Only where the server has no engine does the browser's own voice stand in.
 */
async function speak(alert: AlertPayload, design: Design): Promise<void> {
  if (!alert.message || alert.test) return;
  if (
    settings.ttsMinMinor <= 0 ||
    alert.currency !== settings.currency ||
    alert.amount < settings.ttsMinMinor
  )
    return;
  const res = await fetch(`/api/v1/overlay/tts/${encodeURIComponent(alert.donationId)}`, {
    headers: { 'X-Overlay-Token': token },
  }).catch(() => null);
  if (current?.alert.eventId !== alert.eventId) return; // skipped meanwhile
  if (res?.ok) {
    speech = new Audio(URL.createObjectURL(await res.blob()));
    speech.volume = design.volume / 100;
    // After the alert sound has had a moment.
    window.setTimeout(() => void speech?.play().catch(() => undefined), 600);
    return;
  }
  if (res && res.status !== 503) return;
  if (!('speechSynthesis' in window)) return;
  const utterance = new SpeechSynthesisUtterance(`${alert.donorName}: ${alert.message}`);
  utterance.lang = 'id-ID';
  speechSynthesis.speak(utterance);
}

function stopSpeech(): void {
  speech?.pause();
  if (speech?.src.startsWith('blob:')) URL.revokeObjectURL(speech.src);
  speech = null;
  if ('speechSynthesis' in window) speechSynthesis.cancel();
}

function el(tag: string, className: string, text = ''): HTMLElement {
  const e = document.createElement(tag);
  e.className = className;
  e.textContent = text;
  return e;
}

/**
 * The alert text from the design's template, as nodes: the donor name in a <bdi> (a
 * right-to-left override in a name must not flip the amount next to it), the amount, the
 * message and the clip's title in spans; the template's own words as text.
 */
function templateNodes(template: string, values: Record<TemplatePlaceholder, string>): Node[] {
  const nodes: Node[] = [];
  let last = 0;
  for (const m of template.matchAll(/\{(name|amount|message|media)\}/g)) {
    if (m.index > last) nodes.push(document.createTextNode(template.slice(last, m.index)));
    const key = m[1] as TemplatePlaceholder;
    const className = { name: 'donor', amount: 'amount', message: 'message-inline', media: 'media-title' }[
      key
    ];
    nodes.push(el(key === 'name' ? 'bdi' : 'span', className, values[key]));
    last = m.index + m[0].length;
  }
  if (last < template.length) nodes.push(document.createTextNode(template.slice(last)));
  return nodes;
}

function render(alert: AlertPayload, design: Design): HTMLElement {
  const card = el(
    'section',
    `alert enter layout-${design.layout} font-${design.font} in-${design.animationIn}`,
  );
  card.dataset.eventId = alert.eventId;
  card.dataset.donationId = alert.donationId;
  card.style.setProperty('--alert-text', design.textColor);
  card.style.setProperty('--alert-accent', design.accentColor);
  card.style.setProperty('--alert-out-ms', '400ms');
  if (design.backgroundColor) card.style.setProperty('--alert-bg', design.backgroundColor);
  if (design.imageUrl) {
    const img = document.createElement('img');
    img.className = 'alert-image';
    img.src = design.imageUrl;
    img.alt = '';
    card.append(img);
  }
  const text = el('div', 'alert-text');
  const withMessage = showsMessage(settings.alerts, alert.amount, alert.currency);
  const values = {
    name: alert.donorName,
    amount: alert.formattedAmount,
    message: withMessage ? alert.message : '',
    media: alert.mediaShare?.title ?? '',
  };
  const title = el('h1', 'alert-title');
  title.append(...templateNodes(design.template, values));
  text.append(title);
  if (!design.template.includes('{message}')) text.append(el('p', 'message', values.message));
  if (alert.mediaShare && !design.template.includes('{media}'))
    text.append(el('p', 'media-note', `▶ ${alert.mediaShare.title || alert.mediaShare.platform}`));
  card.append(text);
  if (alert.test) card.classList.add('test');
  return card;
}

function showNext(): void {
  if (current || state.paused) return;
  const next = queue[0];
  if (!next) return;
  // The streamer's alert delay: an alert waits until its time has come.
  const wait = next.notBefore - Date.now();
  if (wait > 0) {
    clearTimeout(delayTimer);
    delayTimer = window.setTimeout(showNext, wait);
    return;
  }
  queue.shift();
  const alert = next.alert;
  const design = designFor(settings.alerts, alert.amount, alert.currency) as Design;
  stage.replaceChildren(render(alert, design));
  current = { alert, design, timer: window.setTimeout(leaveCurrent, design.durationMs) };
  playSound(design);
  if (showsMessage(settings.alerts, alert.amount, alert.currency)) void speak(alert, design);
  // Shown: the server remembers it for this overlay token, so a reload resumes after it.
  socket?.emit('ack', { eventId: alert.eventId, donationId: alert.donationId });
}

/** The alert's time is up: its way-out animation, then the next one (skip and panic cut at once). */
function leaveCurrent(): void {
  if (!current || current.leaving) return;
  const card = stage.firstElementChild;
  if (!card || current.design.animationOut === 'none') return finishCurrent();
  current.leaving = true;
  card.classList.remove('enter');
  card.classList.add('leave', `out-${current.design.animationOut}`);
  current.timer = window.setTimeout(finishCurrent, LEAVE_MS);
}

function finishCurrent(): void {
  if (current) clearTimeout(current.timer);
  current = null;
  stage.replaceChildren();
  stopSpeech();
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
      stopSpeech();
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
  if (settings.language !== 'en') indicator.textContent = '● menyambung ulang…';
  const storageKey = `mediashar:last-event:${(await sha256Hex(token)).slice(0, 16)}`;
  const sequencer = new AlertSequencer(
    localStorage.getItem(storageKey) ?? '',
    (alert) => {
      localStorage.setItem(storageKey, alert.eventId);
      state.shown.push(alert);
      queue.push({ alert, notBefore: Date.now() + settings.alerts.delayS * 1000 });
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
