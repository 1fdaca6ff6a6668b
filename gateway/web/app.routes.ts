/**
 * The web app (web/, built to web/dist by Vite): index.html for the app's routes — landing,
 * sign-up, log-in, dashboard, admin, the donor page /:username and the status page
 * /donations/:id — and its hashed assets under /app-assets/ with a year-long immutable cache.
 * An unknown streamer gets the app with status 404 (it shows "streamer not found"). The donor
 * page carries what it would first ask the API (the streamer's public profile and the client
 * configuration) as a JSON data block, and preloads its chunks and the reader's messages, so on
 * a phone network the form takes input after two round trips (the HTML, then its files). Every
 * page has a strict Content-Security-Policy (script-src 'self', no inline code: the data block
 * is not code).
 */
import { existsSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { ROOT } from '../../shared/root.js';
import { gzipSync } from 'node:zlib';
import Router from '@koa/router';
import type { Context } from 'koa';
import { NotFoundError } from '../../shared/errors.js';
import type { GatewayDeps } from '../gateway.deps.js';
import type { StreamerRow } from '../accounts/gateway.db.js';
import { publicClientConfig, publicStreamer } from '../donations/donations.routes.js';
import { jsonScript } from './html.js';
import { contentSecurityPolicy } from './pages.routes.js';

/** web/dist of this checkout. */
export const WEB_DIST = join(ROOT, 'web', 'dist');
export const APP_ASSETS_PATH = '/app-assets';
const TYPES: Record<string, string> = {
  '.js': 'application/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};
/** id of the page's JSON data block (web/src/api.ts pageData). */
export const PAGE_DATA_ID = 'ms-page-data';
const DONOR_PAGE = 'src/pages/donor.vue';

/**
 * The donor page's data block: `streamer` is the answer of GET /streamers/:username (null for no
 * such streamer), `config` that of GET /config; `username` as requested (the page checks it).
 */
export interface DonorPageData {
  username: string;
  streamer: ReturnType<typeof publicStreamer> | null;
  config: ReturnType<typeof publicClientConfig>;
}

/** Paths of the app's pages (the donor page is matched separately). */
const APP_PATHS = [
  '/',
  '/login',
  '/signup',
  '/reset-password',
  '/verify-email',
  '/settings',
  '/admin',
  '/dashboard',
  '/dashboard/*rest',
];

/** One entry of Vite's build manifest (web/dist/.vite/manifest.json). */
interface ManifestChunk {
  file: string;
  imports?: string[];
  dynamicImports?: string[];
}

/** MediaShar's tab icon: a play triangle on the brand purple. */
const FAVICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#5b2bd6"/><path d="M12 9l11 7-11 7z" fill="#fff"/></svg>';

/**
 * <link rel="modulepreload"> tags for a source module's chunk and the chunks it imports, so the
 * browser fetches them with the HTML instead of one round trip after another.
 */
export function preloadLinks(manifest: Record<string, ManifestChunk>, sources: string[]): string {
  const files = new Set<string>();
  const visit = (key: string) => {
    const chunk = manifest[key];
    if (!chunk || files.has(chunk.file)) return;
    files.add(chunk.file);
    for (const imported of chunk.imports ?? []) visit(imported);
  };
  for (const source of sources) visit(source);
  return [...files]
    .map((f) => `<link rel="modulepreload" crossorigin href="${APP_ASSETS_PATH}/${f}">`)
    .join('');
}

interface Asset {
  body: Buffer;
  gzip: Buffer | null;
  type: string;
}

export function appRouter(deps: GatewayDeps, dist = WEB_DIST): Router {
  const router = new Router();
  const realtime = new URL(deps.config.REALTIME_PUBLIC_URL);
  const wsOrigin = `${realtime.protocol === 'https:' ? 'wss' : 'ws'}://${realtime.host}`;
  const csp = contentSecurityPolicy([realtime.origin, wsOrigin]);
  const assets = new Map<string, Asset>();
  let index: string | null = null;

  const indexHtml = (): string => {
    if (index === null && existsSync(join(dist, 'index.html')))
      index = readFileSync(join(dist, 'index.html'), 'utf8');
    return (
      index ??
      '<!doctype html><meta charset="utf-8"><title>MediaShar</title><p>The web app is not built yet: run <code>npm run build:web</code> (npm start does it).</p>'
    );
  };
  let manifest: Record<string, ManifestChunk> | null = null;
  const manifestFile = join(dist, '.vite', 'manifest.json');
  /**
   * The page with its own chunks (and the reader's message file) preloaded, and `data` (what the
   * page would otherwise ask the API for first) as a JSON block: on a phone network each round
   * trip saved is ~0.6 s before the donor can type.
   */
  const sendApp = (ctx: Context, status = 200, page?: string, data?: unknown) => {
    ctx.status = status;
    ctx.type = 'html';
    ctx.set('Content-Security-Policy', csp);
    ctx.set('Cache-Control', 'no-cache');
    ctx.set('Vary', 'Accept-Language');
    const html = indexHtml();
    if (manifest === null && existsSync(manifestFile)) {
      manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Record<string, ManifestChunk>;
    }
    const locale = ctx.acceptsLanguages('en', 'id') === 'id' ? 'id' : 'en';
    const head = [
      page && manifest ? preloadLinks(manifest, [page, `src/locales/${locale}.json`]) : '',
      data === undefined ? '' : jsonScript(PAGE_DATA_ID, data),
    ].join('');
    ctx.body = head ? html.replace('</head>', `${head}</head>`) : html;
  };

  // The tab icon: a small SVG (browsers ask /favicon.ico first; without it every page logs a 404).
  router.get(['/favicon.ico', '/favicon.svg'], (ctx) => {
    ctx.type = 'image/svg+xml';
    ctx.set('Cache-Control', 'public, max-age=86400');
    ctx.body = FAVICON_SVG;
  });

  router.get(`${APP_ASSETS_PATH}/:file`, (ctx) => {
    const file = ctx.params.file!;
    if (!/^[\w.-]+$/.test(file) || file.startsWith('.')) throw new NotFoundError('No such asset');
    let asset = assets.get(file);
    if (!asset) {
      const path = join(dist, file);
      if (!existsSync(path)) throw new NotFoundError('No such asset');
      const body = readFileSync(path);
      const type = TYPES[extname(file)] ?? 'application/octet-stream';
      asset = {
        body,
        type,
        gzip: /javascript|css|svg|json/.test(type) ? gzipSync(body, { level: 9 }) : null,
      };
      assets.set(file, asset);
    }
    ctx.set('Cache-Control', 'public, max-age=31536000, immutable');
    ctx.set('Vary', 'Accept-Encoding');
    ctx.type = asset.type;
    if (asset.gzip && ctx.acceptsEncodings('gzip', 'identity') === 'gzip') {
      ctx.set('Content-Encoding', 'gzip');
      ctx.body = asset.gzip;
    } else {
      ctx.body = asset.body;
    }
  });

  for (const path of APP_PATHS) router.get(path, (ctx) => sendApp(ctx));

  router.get('/donations/:id', (ctx) => sendApp(ctx, 200, 'src/pages/donation-status.vue'));

  // The donor page carries the streamer's public profile (GET /streamers/:username) and the
  // client configuration (GET /config), so the form is usable once the scripts have run.
  router.get('/:username', async (ctx, next) => {
    const username = ctx.params.username!;
    if (!/^[A-Za-z0-9_]{3,30}$/.test(username)) return next();
    let streamer: StreamerRow | null = null;
    try {
      streamer = await deps.accounts.streamerByUsername(username);
    } catch (err) {
      if (!(err instanceof NotFoundError)) {
        // The page still works: it asks the API itself and shows that answer.
        sendApp(ctx, 200, DONOR_PAGE);
        return;
      }
    }
    const data: DonorPageData = {
      username,
      streamer: streamer && publicStreamer(deps, streamer, ctx),
      config: publicClientConfig(deps.config),
    };
    sendApp(ctx, streamer ? 200 : 404, DONOR_PAGE, data);
  });

  return router;
}
