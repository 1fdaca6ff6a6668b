/**
 * GET /docs (Swagger UI), /docs/openapi.json (the generated OpenAPI 3 document) and the Swagger
 * UI files from swagger-ui-dist under /docs/assets. The page gets its own Content-Security-
 * Policy: Swagger UI's script and stylesheet come from 'self', and it sets inline style
 * attributes, so style-src allows 'unsafe-inline' on this page only; no inline script anywhere.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import Router from '@koa/router';
import type { Context, Next } from 'koa';
import { NotFoundError } from '../../shared/errors.js';
import type { GatewayDeps } from '../gateway.deps.js';
import { buildOpenApiDocument } from './openapi.js';

/** Content-Security-Policy of the /docs pages. */
export const DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

const INIT_SCRIPT = `window.ui = SwaggerUIBundle({
  url: '/docs/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
  layout: 'StandaloneLayout',
});
`;

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>MediaShar API</title>
  <link rel="stylesheet" href="/docs/assets/swagger-ui.css">
  <link rel="icon" type="image/png" href="/docs/assets/favicon-32x32.png">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/assets/swagger-ui-bundle.js"></script>
  <script src="/docs/assets/swagger-ui-standalone-preset.js"></script>
  <script src="/docs/assets/docs-init.js"></script>
</body>
</html>
`;

/** Files served from swagger-ui-dist, with their content types. */
const DIST_FILES: Record<string, string> = {
  'swagger-ui.css': 'text/css',
  'swagger-ui-bundle.js': 'application/javascript',
  'swagger-ui-standalone-preset.js': 'application/javascript',
  'favicon-32x32.png': 'image/png',
  'favicon-16x16.png': 'image/png',
};

export function docsRouter(deps: GatewayDeps): Router {
  const router = new Router();
  const document = JSON.stringify(buildOpenApiDocument(deps.config.PUBLIC_URL));
  const dist = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  const files = new Map<string, Buffer>();
  const withCsp = async (ctx: Context, next: Next) => {
    ctx.set('Content-Security-Policy', DOCS_CSP);
    await next();
  };

  router.get('/docs', withCsp, (ctx) => {
    ctx.type = 'html';
    ctx.body = PAGE;
  });
  router.get('/docs/openapi.json', (ctx) => {
    ctx.type = 'application/json';
    ctx.body = document;
  });
  router.get('/docs/assets/:file', withCsp, (ctx) => {
    const name = ctx.params.file!;
    if (name === 'docs-init.js') {
      ctx.type = 'application/javascript';
      ctx.body = INIT_SCRIPT;
      return;
    }
    // Own keys only: `constructor` or `__proto__` must not find Object.prototype's members.
    const type = Object.hasOwn(DIST_FILES, name) ? DIST_FILES[name] : undefined;
    if (!type) throw new NotFoundError('No such file');
    let body = files.get(name);
    if (!body) {
      body = readFileSync(join(dist, name));
      files.set(name, body);
    }
    ctx.type = type;
    ctx.set('Cache-Control', 'public, max-age=3600');
    ctx.body = body;
  });
  return router;
}
