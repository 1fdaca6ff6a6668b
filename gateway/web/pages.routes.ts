/**
 * Web pages served by the gateway: the OBS overlay (/overlay), the widgets, and their assets (the
 * donor and status pages are the web app's, gateway/web/app.routes.ts). Client scripts are bundled once at start with esbuild
 * from gateway/web/client. Donor text is only ever set with textContent on the client and
 * escaped on the server; every page sends a strict Content-Security-Policy.
 */
import { existsSync, readFileSync } from 'node:fs';
import { CLIENT_DIST, CLIENT_ENTRIES, clientBuildOptions } from './client-build.js';
import { join } from 'node:path';
import { ROOT } from '../../shared/root.js';
import Router from '@koa/router';
import type { Context, Next } from 'koa';
import { NotFoundError, UnauthenticatedError } from '../../shared/errors.js';
import { KEYS } from '../../shared/queues.js';
import { formatMoney } from '../../shared/money.js';
import type { GatewayDeps } from '../gateway.deps.js';
import type { GatewayState } from '../http/http.js';
import { overlayTokenHash } from '../accounts/accounts.store.js';
import { page } from './html.js';
import { normalizeAlertSettings, type AlertDesign } from '../../shared/alert-design.js';
import type { StreamerRow } from '../accounts/gateway.db.js';

// The client scripts are bundled from the sources, also when the server runs from dist/.
const HERE = join(ROOT, 'gateway', 'web');

/**
 * The client scripts by asset name (`overlay.js`, …) and app.css. A gateway compiled by
 * `npm run build` (running from dist/, which `npm start` rebuilds whenever the sources change)
 * reads the scripts that build wrote; from the TypeScript sources (tests, `tsx`) they are
 * bundled here with esbuild, which production then never loads.
 */
export async function buildClientAssets(): Promise<Map<string, string>> {
  const assets = new Map<string, string>();
  const compiled =
    import.meta.url.includes('/dist/') &&
    CLIENT_ENTRIES.every((name) => existsSync(join(CLIENT_DIST, `${name}.client.js`)));
  if (compiled) {
    for (const name of CLIENT_ENTRIES)
      assets.set(`${name}.js`, readFileSync(join(CLIENT_DIST, `${name}.client.js`), 'utf8'));
  } else {
    const esbuild = await import('esbuild');
    const result = await esbuild.build({ ...clientBuildOptions('/assets'), write: false });
    for (const file of result.outputFiles)
      assets.set(file.path.replace(/^.*\//, '').replace('.client', ''), file.text);
  }
  assets.set('app.css', readFileSync(join(HERE, 'assets', 'app.css'), 'utf8'));
  return assets;
}

/** Origins of the media-share players the overlay embeds (YouTube without cookies, TikTok). */
export const MEDIA_SHARE_FRAME_ORIGINS = ['https://www.youtube-nocookie.com', 'https://www.tiktok.com'];

/**
 * Origins of the media-share player (/widgets/media): the YouTube IFrame Player API's script
 * (www.youtube.com/iframe_api, which loads its player code from www.youtube.com/s/…), its
 * cookie-less player frames, and TikTok's embed.
 */
export const MEDIA_PLAYER_SCRIPT_ORIGINS = ['https://www.youtube.com'];
export const MEDIA_PLAYER_FRAME_ORIGINS = [
  'https://www.youtube-nocookie.com',
  'https://www.youtube.com',
  'https://www.tiktok.com',
];

/**
 * Content-Security-Policy of the gateway's pages; `connect` adds origins scripts may reach,
 * `frames` origins it may embed, `scripts` origins scripts may come from besides this one.
 */
export function contentSecurityPolicy(
  connect: string[],
  frames: string[] = [],
  scripts: string[] = [],
): string {
  return [
    ...(frames.length ? [`frame-src ${frames.join(' ')}`] : []),
    "default-src 'none'",
    `script-src 'self' ${scripts.join(' ')}`.trim(),
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

/** A design as the overlay gets it: upload ids resolved to their URLs. */
export type OverlayAlertDesign = AlertDesign & { imageUrl: string | null; soundUrl: string | null };

/**
 * The streamer's alert settings for the overlay: designs with their upload URLs; a streamer who
 * never saved designs gets the base design lasting their `alertDurationMs`.
 */
async function overlayAlertSettings(s: StreamerRow, uploads: GatewayDeps['uploads']) {
  const settings = normalizeAlertSettings(s.settings.alerts);
  if (!s.settings.alerts) settings.base.durationMs = s.settings.alertDurationMs;
  const urls = new Map((await uploads.list(s.userId)).map((u) => [u.id, u.url]));
  const resolve = (d: AlertDesign): OverlayAlertDesign => ({
    ...d,
    imageUrl: (d.imageUploadId && urls.get(d.imageUploadId)) || null,
    soundUrl: (d.soundUploadId && urls.get(d.soundUploadId)) || null,
  });
  return {
    base: resolve(settings.base),
    tiers: settings.tiers.map((t) => ({ minByCurrency: t.minByCurrency, design: resolve(t.design) })),
    delayS: settings.delayS,
    messageMinByCurrency: settings.messageMinByCurrency,
  };
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
      // The streamer's language: the overlay's own words follow it.
      language: s.settings.language ?? 'id',
      realtimeUrl: config.REALTIME_PUBLIC_URL,
      alerts: await overlayAlertSettings(s, deps.uploads),
    };
  });

  // What the widgets show: the goal bar (paid donations of the last 30 days in the streamer's
  // currency), the latest donors and the top donors. Test alerts are not donations, so never here;
  // sandbox donations moved no money, so neither (the stats leave them out, the list here).
  router.get('/api/v1/overlay/widgets', async (ctx) => {
    const s = await overlayStreamer(ctx);
    const requestId = (ctx.state as GatewayState).requestId;
    // The overlay token goes along: DonationService checks it is this streamer's.
    const overlayToken = ctx.get('x-overlay-token');
    const [stats, latest] = await Promise.all([
      // After "reset the goal from today" the goal counts from then (POST /me/goal/reset).
      deps.api.donation.getStats(
        { streamerId: s.userId, days: 30, paidFrom: s.settings.goalStartedAt ?? '' },
        { requestId, overlayToken },
      ),
      deps.api.donation.listDonations(
        { streamerId: s.userId, pageSize: 50, status: 'paid' },
        { requestId, overlayToken },
      ),
    ]);
    const raised = (stats.totals ?? []).find((t) => t.currency === s.currency)?.totalMinor ?? 0;
    const money = (minor: number, currency: string) => formatMoney(minor, currency);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = {
      language: s.settings.language ?? 'id',
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

  // The media-share player: its own browser source, playing the queue (gateway/web/client/media.client.ts).
  const mediaCsp = contentSecurityPolicy(
    [realtime.origin, wsOrigin],
    MEDIA_PLAYER_FRAME_ORIGINS,
    MEDIA_PLAYER_SCRIPT_ORIGINS,
  );
  router.get('/widgets/media', (ctx) => {
    ctx.set('Content-Security-Policy', mediaCsp);
    ctx.type = 'html';
    ctx.set('Cache-Control', 'no-store');
    ctx.body = page(
      'Media share',
      '<div id="player"></div><div id="caption" hidden></div><div id="connection" hidden>● reconnecting…</div>',
      { scripts: ['/assets/media.js'], bodyClass: 'widget widget-media' },
    );
  });

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

  // The donor page (/:username) and the status page (/donations/:id) are the web app's
  // (gateway/web/app.routes.ts).

  return router;
}
