/**
 * The widgets (OBS browser sources): donation goal bar, latest donors, top donors. Token in the
 * URL fragment, as for the overlay. Loads /api/v1/overlay/widgets and loads it again whenever a
 * paid alert arrives on the /overlay socket (handshake kind "widget": not counted as an overlay).
 * Donor text is set with textContent only.
 */
import { io } from 'socket.io-client';
import { retryRefusedHandshakes } from '../../../shared/refused-handshake.js';

interface WidgetData {
  /** The streamer's language: the widgets' own words follow it. */
  language?: 'id' | 'en';
  goal: {
    title: string;
    target: number;
    raised: number;
    formattedTarget: string;
    formattedRaised: string;
  };
  latest: { donorName: string; formattedAmount: string }[];
  top: { donorName: string; formattedAmount: string }[];
}

declare global {
  interface Window {
    /** For tests: how many times the widget rendered. */
    __mediasharWidget?: { renders: number };
  }
}

const token = new URLSearchParams(location.hash.slice(1)).get('token') ?? '';
const root = document.getElementById('widget')!;
const indicator = document.getElementById('connection')!;
const kind = root.dataset.widget ?? '';
const state = { renders: 0 };
window.__mediasharWidget = state;

function el(tag: string, className: string, text = ''): HTMLElement {
  const e = document.createElement(tag);
  e.className = className;
  e.textContent = text;
  return e;
}

/** The widgets' own words, in the streamer's language. */
const WORDS = {
  id: { goal: 'Target donasi', latest: 'Donatur terbaru', top: 'Donatur teratas', raised: 'terkumpul' },
  en: { goal: 'Donation goal', latest: 'Latest donors', top: 'Top donors', raised: 'raised' },
} as const;

function renderList(items: { donorName: string; formattedAmount: string }[], title: string): HTMLElement {
  const box = el('section', 'donor-list');
  box.append(el('h2', 'title', title));
  const list = el('ol', 'donors');
  for (const item of items) {
    const li = el('li', 'donor');
    li.append(el('span', 'name', item.donorName), el('span', 'amount', item.formattedAmount));
    list.append(li);
  }
  box.append(list);
  return box;
}

function render(data: WidgetData): void {
  const words = WORDS[data.language ?? 'id'];
  indicator.textContent = data.language === 'en' ? '● reconnecting…' : '● menyambung ulang…';
  if (kind === 'goal') {
    const g = data.goal;
    const box = el('section', 'goal');
    box.append(el('h2', 'title', g.title || words.goal));
    const bar = el('div', 'goal-bar');
    const fill = el('div', 'goal-fill');
    const percent = g.target > 0 ? Math.min(100, Math.floor((g.raised / g.target) * 100)) : 0;
    // Set through the CSSOM, which the CSP allows (a style attribute in markup it would block).
    fill.style.setProperty('width', `${percent}%`);
    bar.append(fill);
    // Without a target there is no bar to fill: what was raised.
    if (g.target > 0)
      box.append(bar, el('p', 'goal-text', `${g.formattedRaised} / ${g.formattedTarget} (${percent}%)`));
    else box.append(el('p', 'goal-text', `${g.formattedRaised} ${words.raised}`));
    root.replaceChildren(box);
  } else if (kind === 'latest') {
    root.replaceChildren(renderList(data.latest, words.latest));
  } else {
    root.replaceChildren(renderList(data.top, words.top));
  }
  state.renders++;
}

let loading: Promise<void> | null = null;
let again = false;
async function load(): Promise<void> {
  if (loading) {
    again = true;
    return;
  }
  loading = (async () => {
    const res = await fetch('/api/v1/overlay/widgets', { headers: { 'X-Overlay-Token': token } });
    if (res.ok) render((await res.json()) as WidgetData);
  })().finally(() => {
    loading = null;
    if (again) {
      again = false;
      void load();
    }
  });
  return loading;
}

async function main(): Promise<void> {
  const res = await fetch('/api/v1/overlay/settings', { headers: { 'X-Overlay-Token': token } });
  if (!token || !res.ok) {
    indicator.hidden = false;
    indicator.textContent = 'Overlay token is missing or was rotated: copy the new widget URL';
    return;
  }
  const { realtimeUrl } = (await res.json()) as { realtimeUrl: string };
  await load();
  const socket = io(`${realtimeUrl}/overlay`, {
    transports: ['websocket'],
    auth: { token, kind: 'widget' },
    reconnectionDelayMax: 2000,
  });
  socket.on('connect', () => {
    indicator.hidden = true;
    void load();
  });
  socket.on('disconnect', () => (indicator.hidden = false));
  socket.on('connect_error', () => (indicator.hidden = false));
  retryRefusedHandshakes(socket, (err) => !/invalid or revoked/.test(err.message));
  // The server tells widgets only that a paid donation changed their data (never the alert).
  socket.on('refresh', () => void load());
}

void main();
