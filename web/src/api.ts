/**
 * The one fetch layer of the app: JSON over /api/v1, the access token kept in memory only, and
 * a refresh through the httpOnly cookie (POST /auth/refresh with the CSRF header) when a call
 * answers 401 or on page load. Refreshes are single-flight across tabs (Web Locks): two at once
 * with the same cookie would look like token reuse and end the session.
 */
import { reactive } from 'vue';
import { lang } from './i18n';

export type Role = 'streamer' | 'donor' | 'admin';
export interface SessionUser {
  id: string;
  email?: string;
  role: Role;
  username?: string;
}

/** The signed-in user (null when signed out); `checked` once the page-load refresh answered. */
export const session = reactive<{ user: SessionUser | null; checked: boolean }>({
  user: null,
  checked: false,
});

let accessToken = '';
/** The current access token ('' when signed out), for the Socket.IO handshake. */
export function currentAccessToken(): string {
  return accessToken;
}
const tokenListeners = new Set<(token: string) => void>();
/** Called with each new access token (the live dashboard re-authenticates its socket). */
export function onAccessToken(listener: (token: string) => void): () => void {
  tokenListeners.add(listener);
  return () => tokenListeners.delete(listener);
}

/** An API error: HTTP status, stable code, message for people and the fields to fix. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
  }
}

interface AuthAnswer {
  accessToken: string;
  user: SessionUser;
}

/** Signs in with the answer of login / register / refresh. */
export function signedIn(answer: AuthAnswer): void {
  accessToken = answer.accessToken;
  session.user = answer.user;
  session.checked = true;
  for (const l of tokenListeners) l(accessToken);
}

function signedOut(): void {
  accessToken = '';
  session.user = null;
  session.checked = true;
}

function csrfToken(): string {
  const match = /(?:^|;\s*)ms_csrf=([^;]*)/.exec(document.cookie);
  return match ? decodeURIComponent(match[1]!) : '';
}

let refreshing: Promise<boolean> | null = null;

/** Asks for a fresh access token with the refresh cookie; false when there is no session. */
export function refresh(): Promise<boolean> {
  refreshing ??= (async () => {
    const run = async (): Promise<boolean> => {
      try {
        const res = await fetch('/api/v1/auth/refresh', {
          method: 'POST',
          credentials: 'same-origin',
          headers: { 'x-csrf-token': csrfToken(), accept: 'application/json' },
        });
        if (!res.ok) {
          signedOut();
          return false;
        }
        signedIn((await res.json()) as AuthAnswer);
        return true;
      } catch {
        session.checked = true;
        return false;
      }
    };
    try {
      return navigator.locks ? await navigator.locks.request('mediashar-refresh', run) : await run();
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

export interface RequestOptions {
  method?: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Raw Response wanted (CSV download). */
  raw?: boolean;
  /** Aborts the request (a newer one replaced it); the call then rejects with an AbortError. */
  signal?: AbortSignal;
}

async function send(path: string, options: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = {
    accept: 'application/json',
    'accept-language': lang(),
    ...options.headers,
  };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (accessToken) headers.authorization = `Bearer ${accessToken}`;
  if (path.startsWith('/auth/')) headers['x-csrf-token'] = csrfToken();
  return fetch(`/api/v1${path}`, {
    method: options.method ?? 'GET',
    headers,
    credentials: 'same-origin',
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: options.signal,
  });
}

/** Calls the API; refreshes once on 401. @throws {ApiError} for a non-2xx answer. */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  let res = await send(path, options);
  if (res.status === 401 && accessToken && !path.startsWith('/auth/')) {
    if (await refresh()) res = await send(path, options);
  }
  if (!res.ok) {
    let body: { error?: { code?: string; message?: string; details?: { fields?: Record<string, string> } } } =
      {};
    try {
      body = (await res.json()) as typeof body;
    } catch {
      /* not JSON */
    }
    if (res.status === 401 && !path.startsWith('/auth/login')) signedOut();
    throw new ApiError(
      res.status,
      body.error?.code ?? 'HTTP_' + res.status,
      body.error?.message ?? res.statusText,
      body.error?.details?.fields ?? {},
    );
  }
  if (options.raw) return res as T;
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

/** Ends this session (server and client). */
export async function logout(everywhere = false): Promise<void> {
  try {
    await api(everywhere ? '/auth/logout-all' : '/auth/logout', { method: 'POST' });
  } finally {
    signedOut();
  }
}

/**
 * The JSON data block the gateway put in this page (`<script type="application/json"
 * id="ms-page-data">`, gateway/web/app.routes.ts): what the page would otherwise ask the API for
 * first. Read once and removed, so a later page of the same visit asks the API; null when the
 * page has none (the dev server, another route) or it does not parse.
 */
export function takePageData<T>(): T | null {
  const block = document.getElementById('ms-page-data');
  if (!block) return null;
  block.remove();
  try {
    return JSON.parse(block.textContent ?? '') as T;
  } catch {
    return null;
  }
}
