/**
 * Sessions (issue 12): short access tokens, a rotating refresh token in an httpOnly cookie,
 * reuse detection that ends the whole family, CSRF checks, logout / logout everywhere, the
 * session list, password change, roles, and the /dashboard socket living on short tokens.
 * One system with 5-second access tokens.
 */
import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import { TestSystem, waitFor } from '../support/system.js';
import { createDonation, paymentIdOf, sandboxComplete, type JsonResponse } from '../support/clients.js';

/** A browser-like client: keeps the cookies the gateway sets and sends them back by path. */
class Browser {
  readonly cookies = new Map<string, { value: string; path: string; attributes: string }>();
  accessToken = '';

  constructor(
    private readonly system: TestSystem,
    readonly userAgent = `test-browser-${randomBytes(3).toString('hex')}`,
  ) {}

  get origin(): string {
    return new URL(this.system.config.PUBLIC_URL).origin;
  }

  async call(
    method: string,
    path: string,
    options: { body?: unknown; bearer?: boolean; csrf?: boolean; headers?: Record<string, string> } = {},
  ): Promise<JsonResponse> {
    const headers: Record<string, string> = {
      accept: 'application/json',
      'user-agent': this.userAgent,
      origin: this.origin,
      ...options.headers,
    };
    const cookie = [...this.cookies.entries()]
      .filter(([, c]) => path.startsWith(c.path))
      .map(([name, c]) => `${name}=${c.value}`)
      .join('; ');
    if (cookie && !headers.cookie) headers.cookie = cookie;
    if (options.bearer && this.accessToken) headers.authorization = `Bearer ${this.accessToken}`;
    if (options.csrf) headers['x-csrf-token'] = this.cookies.get('ms_csrf')?.value ?? '';
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${this.system.gatewayUrl}${path}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: AbortSignal.timeout(15_000),
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';').map((p) => p.trim());
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      const attributes = attrs.join('; ');
      const expired = /expires=Thu, 01 Jan 1970/i.test(attributes) || value === '';
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, { value, path: /path=([^;]+)/i.exec(attributes)?.[1] ?? '/', attributes });
    }
    const text = await res.text();
    const body = text ? (JSON.parse(text) as unknown) : {};
    if (res.ok && typeof (body as { accessToken?: unknown }).accessToken === 'string')
      this.accessToken = (body as { accessToken: string }).accessToken;
    return { status: res.status, body, headers: res.headers };
  }

  refresh(options: { csrf?: boolean; headers?: Record<string, string> } = {}) {
    return this.call('POST', '/api/v1/auth/refresh', {
      csrf: options.csrf ?? true,
      headers: options.headers,
    });
  }
}

describe('accounts: sessions (real processes)', function () {
  this.timeout(120_000);
  let system: TestSystem;
  const password = 'correct horse battery';

  before(async function () {
    // Booting every process takes long on a loaded machine.
    this.timeout(600_000);
    system = await TestSystem.start({ env: { ACCESS_TOKEN_TTL_S: '5' } });
  });
  after(async () => {
    await system?.stop();
  });

  async function signUp(
    role: 'streamer' | 'donor' = 'streamer',
  ): Promise<{ browser: Browser; email: string }> {
    const username = `s_${randomBytes(5).toString('hex')}`;
    const email = `${username}@example.test`;
    const res = await new Browser(system).call('POST', '/api/v1/auth/register', {
      body: { email, password, username: role === 'streamer' ? username : undefined, role },
    });
    expect(res.status, JSON.stringify(res.body)).to.be.oneOf([201, 202]);
    return { browser: await logIn(email), email };
  }

  async function logIn(email: string, pw = password): Promise<Browser> {
    const browser = new Browser(system);
    const res = await browser.call('POST', '/api/v1/auth/login', { body: { email, password: pw } });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    return browser;
  }

  it('sets an httpOnly, Secure, SameSite=Strict refresh cookie on /api/v1/auth and a readable CSRF cookie', async () => {
    const { browser } = await signUp();
    const refresh = browser.cookies.get('ms_refresh')!;
    const csrf = browser.cookies.get('ms_csrf')!;
    expect(refresh.path).to.equal('/api/v1/auth');
    expect(refresh.attributes)
      .to.match(/httponly/i)
      .and.match(/samesite=strict/i)
      .and.match(/secure/i);
    expect(csrf.path).to.equal('/');
    expect(csrf.attributes).to.not.match(/httponly/i);
    expect(csrf.attributes).to.match(/samesite=strict/i);
    // The refresh token is stored hashed only.
    const { query } = await import('../support/db.js');
    const rows = await query<{ n: number }>(
      system.config.GATEWAY_DATABASE_URL,
      'select count(*)::int as n from refresh_tokens where token_hash = $1',
      [refresh.value],
    );
    expect(rows[0]!.n).to.equal(0);
  });

  it('keeps the session past the access token’s lifetime through refresh, rotating the cookie each time', async () => {
    const { browser } = await signUp();
    const firstAccess = browser.accessToken;
    const firstRefresh = browser.cookies.get('ms_refresh')!.value;
    // Wait for the short access token to die (the server says so), then refresh.
    await waitFor(
      async () => (await browser.call('GET', '/api/v1/me', { bearer: true })).status === 401,
      20_000,
      'the access token to expire',
      250,
    );
    const res = await browser.refresh();
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body.accessTokenExpiresAt).to.be.a('string');
    expect(browser.accessToken).to.not.equal(firstAccess);
    expect(browser.cookies.get('ms_refresh')!.value).to.not.equal(firstRefresh);
    expect((await browser.call('GET', '/api/v1/me', { bearer: true })).status).to.equal(200);
    const again = await browser.refresh();
    expect(again.status).to.equal(200);
  });

  it('ends the whole session when an already rotated refresh token is used again', async () => {
    const { browser } = await signUp();
    const stolen = new Browser(system);
    stolen.cookies.set('ms_refresh', { ...browser.cookies.get('ms_refresh')! });
    stolen.cookies.set('ms_csrf', { ...browser.cookies.get('ms_csrf')! });
    expect((await browser.refresh()).status).to.equal(200); // the owner rotates
    const reuse = await stolen.refresh(); // the old token comes back
    expect(reuse.status).to.equal(401);
    // The owner's newest token is dead too: the family is revoked.
    const owner = await browser.refresh();
    expect(owner.status).to.equal(401);
    expect(browser.cookies.has('ms_refresh')).to.equal(false);
  });

  it('refuses a refresh without the CSRF header, with a wrong one, or from a foreign Origin', async () => {
    const { browser } = await signUp();
    expect((await browser.refresh({ csrf: false })).status).to.equal(403);
    expect((await browser.refresh({ csrf: false, headers: { 'x-csrf-token': 'forged' } })).status).to.equal(
      403,
    );
    const foreign = await browser.refresh({ headers: { origin: 'https://evil.example' } });
    expect(foreign.status).to.equal(403);
    // A CSRF cookie of another session does not fit this session.
    const other = await signUp();
    const planted = await browser.call('POST', '/api/v1/auth/refresh', {
      headers: {
        'x-csrf-token': other.browser.cookies.get('ms_csrf')!.value,
        cookie: `ms_refresh=${browser.cookies.get('ms_refresh')!.value}; ms_csrf=${other.browser.cookies.get('ms_csrf')!.value}`,
      },
    });
    expect(planted.status).to.equal(403);
    // None of these ended the session.
    expect((await browser.refresh()).status).to.equal(200);
  });

  it('lists the active sessions with the current one marked, and ends one by id', async () => {
    const { browser, email } = await signUp();
    const phone = await logIn(email);
    const list = await browser.call('GET', '/api/v1/me/sessions', { bearer: true });
    expect(list.status).to.equal(200);
    const sessions = list.body.sessions as { id: string; current: boolean; userAgent: string }[];
    expect(sessions).to.have.length(2);
    expect(sessions.filter((s) => s.current)).to.have.length(1);
    expect(sessions.find((s) => s.current)!.userAgent).to.equal(browser.userAgent);
    const phoneSession = sessions.find((s) => !s.current)!;
    expect(phoneSession.userAgent).to.equal(phone.userAgent);
    expect(
      (await browser.call('DELETE', `/api/v1/me/sessions/${phoneSession.id}`, { bearer: true })).status,
    ).to.equal(204);
    expect((await phone.refresh()).status).to.equal(401);
    expect((await browser.refresh()).status).to.equal(200);
    // Someone else's session looks missing.
    const stranger = await signUp();
    const current = sessions.find((s) => s.current)!.id;
    expect(
      (await stranger.browser.call('DELETE', `/api/v1/me/sessions/${current}`, { bearer: true })).status,
    ).to.equal(404);
  });

  it('logs out (this session) and logs out everywhere', async () => {
    const { browser, email } = await signUp();
    const laptop = await logIn(email);
    const tablet = await logIn(email);
    const out = await browser.call('POST', '/api/v1/auth/logout', { csrf: true });
    expect(out.status).to.equal(204);
    expect(browser.cookies.has('ms_refresh')).to.equal(false);
    expect((await laptop.refresh()).status).to.equal(200);
    const all = await laptop.call('POST', '/api/v1/auth/logout-all', { bearer: true });
    expect(all.status).to.equal(204);
    expect((await laptop.refresh()).status).to.equal(401);
    expect((await tablet.refresh()).status).to.equal(401);
  });

  it('changes the password only with the current one, and ends the other sessions', async () => {
    const { browser, email } = await signUp();
    const other = await logIn(email);
    const wrong = await browser.call('POST', '/api/v1/me/password', {
      bearer: true,
      body: { currentPassword: 'not it', newPassword: 'a new long password' },
    });
    expect(wrong.status).to.equal(400);
    expect(wrong.body.error.details.fields).to.have.property('currentPassword');
    const unknown = await browser.call('POST', '/api/v1/me/password', {
      bearer: true,
      body: { currentPassword: password, newPassword: 'a new long password', extra: 1 },
    });
    expect(unknown.status).to.equal(400);
    expect(unknown.body.error.details.fields).to.have.property('extra');
    const ok = await browser.call('POST', '/api/v1/me/password', {
      bearer: true,
      body: { currentPassword: password, newPassword: 'a new long password' },
    });
    expect(ok.status).to.equal(204);
    expect((await other.refresh()).status).to.equal(401);
    expect((await browser.refresh()).status).to.equal(200);
    const old = await new Browser(system).call('POST', '/api/v1/auth/login', { body: { email, password } });
    expect(old.status).to.equal(401);
    await logIn(email, 'a new long password');
  });

  it('checks the role on streamer routes: a donor gets 403, no token 401', async () => {
    const { browser } = await signUp('donor');
    expect((await browser.call('GET', '/api/v1/me/sessions', { bearer: true })).status).to.equal(200);
    for (const [method, path] of [
      ['PATCH', '/api/v1/me/settings'],
      ['GET', '/api/v1/me/donations'],
      ['GET', '/api/v1/me/stats'],
      ['GET', '/api/v1/me/overlay'],
    ] as const) {
      const res = await browser.call(method, path, {
        bearer: true,
        body: method === 'PATCH' ? {} : undefined,
      });
      expect(res.status, `${method} ${path}`).to.equal(403);
      expect((await new Browser(system).call(method, path)).status, `${method} ${path}`).to.equal(401);
    }
  });

  describe('the /dashboard socket on short access tokens', () => {
    const sockets: Socket[] = [];
    afterEach(() => {
      for (const s of sockets.splice(0)) s.disconnect();
    });

    function connect(auth: () => string): Socket {
      const socket = io(`${system.realtimeUrl}/dashboard`, {
        transports: ['websocket'],
        reconnection: false,
        auth: (cb) => cb({ accessToken: auth() }),
      });
      sockets.push(socket);
      return socket;
    }

    /** Refreshes and reauths the socket one after another (never two refreshes at once) until stopped. */
    function keepAlive(browser: Browser, socket: Socket): { stop: () => void; reauths: () => number } {
      let stopped = false;
      let count = 0;
      void (async () => {
        while (!stopped) {
          const res = await browser.refresh();
          if (res.status === 200) {
            const result = await new Promise<{ ok: boolean }>((resolve) =>
              socket.emit('reauth', { accessToken: browser.accessToken }, resolve),
            );
            if (result.ok) count++;
          }
          // Pacing of the loop, well inside the 5 s token lifetime.
          await new Promise((r) => setTimeout(r, 1500));
        }
      })();
      return { stop: () => (stopped = true), reauths: () => count };
    }

    function once<T>(socket: Socket, event: string, timeoutMs = 20_000): Promise<T> {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${event} within ${timeoutMs} ms`)), timeoutMs);
        socket.once(event, (value: T) => {
          clearTimeout(timer);
          resolve(value);
        });
      });
    }

    it('refuses an expired token at the handshake and accepts a refreshed one', async () => {
      const { browser } = await signUp();
      const expired = browser.accessToken;
      await waitFor(
        async () => (await browser.call('GET', '/api/v1/me', { bearer: true })).status === 401,
        20_000,
        'the access token to expire',
        250,
      );
      const refused = connect(() => expired);
      const error = await once<Error>(refused, 'connect_error');
      expect(error.message).to.match(/invalid or expired/);
      expect((await browser.refresh()).status).to.equal(200);
      const accepted = connect(() => browser.accessToken);
      await once(accepted, 'connect');
    });

    it('emits a paid donation live, cuts the socket when the token runs out, and keeps it after reauth', async () => {
      const { browser } = await signUp();
      const me = await browser.call('GET', '/api/v1/me', { bearer: true });
      const username = me.body.streamer.username as string;
      const kept = connect(() => browser.accessToken);
      await once(kept, 'connect');
      const alive = keepAlive(browser, kept);
      try {
        const alert = once<{ donationId: string; amount: number }>(kept, 'alert', 60_000);
        const created = await createDonation(system, username, { donorName: 'Live', amount: '25000' });
        expect(created.status, JSON.stringify(created.body)).to.be.oneOf([201, 202]);
        await sandboxComplete(system, await paymentIdOf(system, created));
        expect((await alert).donationId).to.equal(created.body.id);

        // A socket that never reauths is told and disconnected when its token runs out.
        const lapsing = connect(() => browser.accessToken);
        await once(lapsing, 'connect');
        const told = once(lapsing, 'session.expired', 20_000);
        const cut = once<string>(lapsing, 'disconnect', 20_000);
        await told;
        expect(await cut).to.equal('io server disconnect');
        await waitFor(() => Promise.resolve(alive.reauths() > 0), 20_000, 'a reauth');
        expect(kept.connected).to.equal(true);
      } finally {
        alive.stop();
      }
      const bad = await new Promise<{ ok: boolean; error?: string }>((resolve) =>
        kept.emit('reauth', { accessToken: 'nonsense' }, resolve),
      );
      expect(bad.ok).to.equal(false);
    });

    it('sends status changes (a failed payment) as donation.update', async () => {
      const { browser } = await signUp();
      const me = await browser.call('GET', '/api/v1/me', { bearer: true });
      const socket = connect(() => browser.accessToken);
      await once(socket, 'connect');
      const alive = keepAlive(browser, socket);
      try {
        const update = once<{ donationId: string; status: string }>(socket, 'donation.update', 60_000);
        const created = await createDonation(system, me.body.streamer.username as string, {
          donorName: 'Declined',
          amount: '25000',
        });
        await sandboxComplete(system, await paymentIdOf(system, created), 'decline');
        expect(await update).to.include({ donationId: created.body.id, status: 'failed' });
      } finally {
        alive.stop();
      }
    });
  });
});
