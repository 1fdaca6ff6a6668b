/**
 * Web pages served by the gateway: the OBS overlay (/overlay), the donor page (/:username), the
 * donation status page, and their assets. Client scripts are bundled once at start with esbuild
 * from gateway/web/client. Donor text is only ever set with textContent on the client and
 * escaped on the server; every page sends a strict Content-Security-Policy.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Router from '@koa/router';
import type { Context, Next } from 'koa';
import * as esbuild from 'esbuild';
import { z } from 'zod';
import { NotFoundError, UnauthenticatedError } from '../../shared/errors.js';
import { KEYS } from '../../shared/queues.js';
import { formatMoney, SUPPORTED_CURRENCIES } from '../../shared/money.js';
import type { GatewayDeps } from '../gateway.deps.js';
import type { GatewayState } from '../http/http.js';
import { overlayTokenHash } from '../accounts/accounts.store.js';
import { offeredProviders } from '../donations/donations.routes.js';
import { escapeHtml, page } from './html.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const CLIENT_ENTRIES = ['overlay', 'widget', 'donate', 'donation-status'] as const;

/** Bundles the client scripts (ES2020, minified). */
export async function buildClientAssets(): Promise<Map<string, string>> {
  const result = await esbuild.build({
    entryPoints: CLIENT_ENTRIES.map((name) => join(HERE, 'client', `${name}.client.ts`)),
    bundle: true,
    format: 'esm',
    target: 'es2020',
    minify: true,
    write: false,
    outdir: '/assets',
    entryNames: '[name]',
    logLevel: 'silent',
  });
  const assets = new Map<string, string>();
  for (const file of result.outputFiles)
    assets.set(file.path.replace(/^.*\//, '').replace('.client', ''), file.text);
  assets.set('app.css', readFileSync(join(HERE, 'assets', 'app.css'), 'utf8'));
  return assets;
}

/** Origins of the media-share players the overlay embeds (YouTube without cookies, TikTok). */
export const MEDIA_SHARE_FRAME_ORIGINS = ['https://www.youtube-nocookie.com', 'https://www.tiktok.com'];

/** Content-Security-Policy of the gateway's pages; `connect` adds origins scripts may reach. */
export function contentSecurityPolicy(connect: string[], frames: string[] = []): string {
  return [
    ...(frames.length ? [`frame-src ${frames.join(' ')}`] : []),
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: https:",
    "media-src 'self' https:",
    `connect-src 'self' ${connect.join(' ')}`.trim(),
    "form-action 'self' https:",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}

export async function pagesRouter(deps: GatewayDeps): Promise<Router> {
  const { config, accounts } = deps;
  const assets = await buildClientAssets();
  const realtime = new URL(config.REALTIME_PUBLIC_URL);
  const wsOrigin = `${realtime.protocol === 'https:' ? 'wss' : 'ws'}://${realtime.host}`;
  const csp = contentSecurityPolicy([realtime.origin, wsOrigin]);
  const router = new Router();
  const withCsp = async (ctx: Context, next: Next) => {
    ctx.set('Content-Security-Policy', csp);
    await next();
  };

  router.get('/assets/:file', (ctx) => {
    const body = assets.get(ctx.params.file!);
    if (!body) throw new NotFoundError('No such asset');
    ctx.type = ctx.params.file!.endsWith('.css') ? 'text/css' : 'application/javascript';
    ctx.set('Cache-Control', 'public, max-age=300');
    ctx.body = body;
  });

  /** The streamer of the overlay token in X-Overlay-Token (never in a URL that gets logged). */
  const overlayStreamer = async (ctx: Context) => {
    const token = ctx.get('x-overlay-token');
    const streamerId = token
      ? await deps.redis.get(KEYS.overlayToken(config.REDIS_PREFIX, overlayTokenHash(token)))
      : null;
    if (!streamerId) throw new UnauthenticatedError('Overlay token is invalid or was rotated');
    return accounts.streamerById(streamerId);
  };

  // Settings an overlay needs.
  router.get('/api/v1/overlay/settings', async (ctx) => {
    const s = await overlayStreamer(ctx);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = {
      alertDurationMs: s.settings.alertDurationMs,
      ttsMinMinor: s.settings.ttsMinMinor,
      soundUrl: s.settings.soundUrl,
      currency: s.currency,
      realtimeUrl: config.REALTIME_PUBLIC_URL,
    };
  });

  // What the widgets show: the goal bar (paid donations of the last 30 days in the streamer's
  // currency), the latest donors and the top donors. Test alerts are not donations, so never here;
  // sandbox donations moved no money, so neither (the stats leave them out, the list here).
  router.get('/api/v1/overlay/widgets', async (ctx) => {
    const s = await overlayStreamer(ctx);
    const requestId = (ctx.state as GatewayState).requestId;
    const [stats, latest] = await Promise.all([
      deps.api.donation.getStats({ streamerId: s.userId, days: 30 }, { requestId }),
      deps.api.donation.listDonations({ streamerId: s.userId, pageSize: 50, status: 'paid' }, { requestId }),
    ]);
    const raised = (stats.totals ?? []).find((t) => t.currency === s.currency)?.totalMinor ?? 0;
    const money = (minor: number, currency: string) => formatMoney(minor, currency);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = {
      goal: {
        title: s.settings.goalTitle,
        target: s.settings.goalMinor,
        raised,
        currency: s.currency,
        formattedTarget: money(s.settings.goalMinor, s.currency),
        formattedRaised: money(raised, s.currency),
      },
      latest: (latest.donations ?? [])
        .filter((d) => d.provider !== 'sandbox')
        .slice(0, 5)
        .map((d) => ({
          donorName: d.anonymous ? 'Anonymous' : d.donorName,
          formattedAmount: money(d.amount?.amountMinor ?? 0, d.amount?.currency ?? s.currency),
        })),
      top: (stats.topDonors ?? []).slice(0, 5).map((t) => ({
        donorName: t.donorName,
        formattedAmount: money(t.totalMinor, t.currency),
      })),
    };
  });

  // Widgets: separate OBS browser sources, token in the fragment like the overlay.
  for (const widget of ['goal', 'latest', 'top'] as const) {
    router.get(`/widgets/${widget}`, withCsp, (ctx) => {
      ctx.type = 'html';
      ctx.set('Cache-Control', 'no-store');
      ctx.body = page(
        `Widget: ${widget}`,
        `<div id="widget" data-widget="${widget}"></div><div id="connection" hidden>● reconnecting…</div>`,
        { scripts: ['/assets/widget.js'], bodyClass: `widget widget-${widget}` },
      );
    });
  }

  // The overlay alone may embed the media-share players.
  const overlayCsp = contentSecurityPolicy([realtime.origin, wsOrigin], MEDIA_SHARE_FRAME_ORIGINS);
  router.get('/overlay', (ctx) => {
    ctx.set('Content-Security-Policy', overlayCsp);
    ctx.type = 'html';
    ctx.set('Cache-Control', 'no-store');
    ctx.body = page(
      'Overlay',
      '<div id="stage" aria-live="polite"></div><div id="connection" hidden>● reconnecting…</div>',
      {
        scripts: ['/assets/overlay.js'],
        bodyClass: 'overlay',
      },
    );
  });

  router.get('/donations/:id', withCsp, (ctx) => {
    const id = ctx.params.id!;
    if (!z.uuid().safeParse(id).success) throw new NotFoundError('Donation not found');
    ctx.type = 'html';
    ctx.body = page(
      'Your donation',
      `<main class="card" id="status-root" data-donation-id="${escapeHtml(id)}">
        <h1 id="headline">Your donation</h1>
        <p id="amount" class="muted"></p>
        <p>Donation status: <strong id="status">loading…</strong></p>
        <p><a id="pay" hidden>Continue to payment</a></p>
        <section id="qris" hidden>
          <p>Scan with any QRIS app (GoPay, OVO, DANA, ShopeePay, mobile banking):</p>
          <img id="qr" alt="QRIS payment code" width="256" height="256">
          <p>Expires in <strong id="countdown"></strong></p>
        </section>
      </main>`,
      { scripts: ['/assets/donation-status.js'] },
    );
  });

  router.get('/:username', withCsp, async (ctx, next) => {
    const username = ctx.params.username!;
    if (!/^[A-Za-z0-9_]{3,30}$/.test(username)) return next();
    const s = await accounts.streamerByUsername(username).catch(() => null);
    if (!s) return next();
    const providers = offeredProviders(deps, s);
    const min = formatMoney(s.minDonationMinor, s.currency);
    ctx.type = 'html';
    ctx.body = page(
      `Support ${s.displayName}`,
      `<main class="card">
        <h1>Support ${escapeHtml(s.displayName)}</h1>
        <p class="muted">Minimum ${escapeHtml(min)}</p>
        <form id="donate" data-username="${escapeHtml(s.username)}">
          <label for="donorName">Your name</label>
          <input id="donorName" name="donorName" maxlength="64" required>
          <label class="inline"><input type="checkbox" name="anonymous"> Show me as Anonymous</label>
          <label for="amount">Amount</label>
          <input id="amount" name="amount" inputmode="decimal" required placeholder="${escapeHtml(String(s.minDonationMinor / 100))}">
          <label for="currency">Currency</label>
          <select id="currency" name="currency">${SUPPORTED_CURRENCIES.map(
            (c) => `<option${c === s.currency ? ' selected' : ''}>${c}</option>`,
          ).join('')}</select>
          <label for="message">Message</label>
          <textarea id="message" name="message" maxlength="255"></textarea>
          ${
            s.settings.mediaShare.enabled
              ? `<label for="mediaUrl">Media share (YouTube or TikTok link, optional)</label>
                 <input id="mediaUrl" name="mediaUrl" type="url" maxlength="500">`
              : ''
          }
          <label for="provider">Pay with</label>
          <select id="provider" name="provider">${providers.map((p) => `<option value="${p}">${p}</option>`).join('')}</select>
          <button type="submit" class="primary">Donate</button>
          <p id="error" class="error" role="alert"></p>
        </form>
      </main>`,
      { scripts: ['/assets/donate.js'] },
    );
  });

  return router;
}
