/**
 * The OpenAPI 3 document of the gateway, generated from the zod schemas the routes validate
 * with (@asteasolutions/zod-to-openapi). `DOCUMENTED_ROUTES` is the table of every route the
 * gateway's routers register: test/unit/openapi.test.ts walks the routers and fails when a
 * route is missing here (or listed here but gone), so a new route must come with its entry.
 */
import { OpenApiGeneratorV3, OpenAPIRegistry, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { PROVIDERS } from '../../shared/config.js';
import {
  createDonationSchema,
  listDonationsQuerySchema,
  messageReviewSchema,
  statsQuerySchema,
} from '../donations/donations.routes.js';
import { loginSchema, registerSchema, settingsSchema } from '../accounts/accounts.routes.js';
import { testAlertSchema } from '../alerts/alerts.routes.js';
import { wordFilterCheckSchema } from '../word-filter/word-filter.routes.js';
import { mediaShareQuoteSchema } from '../media-share/media-share.routes.js';
import { uploadListQuerySchema, uploadQuerySchema } from '../uploads/uploads.routes.js';
import { ttsPreviewSchema } from '../tts/tts.routes.js';
import { endpointSchema } from '../outgoing-webhooks/outgoing-webhooks.routes.js';
import { ADMIN_ROUTES, PROFILE_ROUTES, SESSION_ROUTES } from './accounts.openapi.js';
import { NOTIFICATION_ROUTES } from './notifications.openapi.js';
import { MEDIA_QUEUE_ROUTES } from './media-queue.openapi.js';

const errorBody = z.object({
  error: z.object({
    code: z.string().describe('Stable error code, e.g. VALIDATION_FAILED, NOT_FOUND'),
    message: z.string(),
    details: z.record(z.string(), z.unknown()).describe('details.fields maps each bad field to what to fix'),
  }),
});

const money = { amount: z.number().int().describe('minor units'), currency: z.string().length(3) };
const checkout = z.object({
  url: z.string(),
  expiresAt: z.string(),
  provider: z.enum(PROVIDERS),
  orderId: z.string(),
  extras: z.record(z.string(), z.string()),
});
const donationStatus = z.enum(['pending', 'paid', 'failed', 'expired', 'refunded']);

const json = (schema: z.ZodType, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});
const html = (description: string) => ({ description, content: { 'text/html': { schema: z.string() } } });
const errors = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((s) => [s, json(errorBody, `Error (${s})`)]));
const bearer = [{ bearerAuth: [] }];

const uploadView = z.object({
  id: z.uuid(),
  kind: z.enum(['image', 'sound']),
  mime: z.string().describe('Read from the content, e.g. image/gif'),
  size: z.number().int().describe('Bytes'),
  name: z.string(),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  durationS: z.number().nullable().describe('Seconds, sounds only'),
  url: z.string().describe('/uploads/<id>.<ext>'),
  createdAt: z.string(),
});
const usernameParam = z.object({
  username: z.string().describe('Streamer username (3–30 of A-Z a-z 0-9 _)'),
});
const idParam = z.object({ id: z.uuid() });
const paymentIdParam = z.object({ paymentId: z.uuid() });
const fileParam = z.object({ file: z.string() });
const authBody = (schema: z.ZodType) => ({ body: { content: { 'application/json': { schema } } } });
const anyObject = z.record(z.string(), z.unknown());

/** Every route of the gateway's routers, with its request and response shapes. */
export const DOCUMENTED_ROUTES: RouteConfig[] = [
  // --- health and operations ---
  {
    method: 'get',
    path: '/health',
    tags: ['operations'],
    summary: 'Liveness of the gateway itself',
    responses: {
      200: json(z.object({ status: z.literal('ok'), service: z.string(), uptimeS: z.number() }), 'Up'),
    },
  },
  {
    method: 'get',
    path: '/services/health',
    tags: ['operations'],
    summary: 'Each gRPC service, database and Redis, with status and latency',
    responses: {
      200: json(anyObject, 'All up'),
      503: json(anyObject, 'Something is down (named in `down`)'),
    },
  },
  {
    method: 'get',
    path: '/metrics',
    tags: ['operations'],
    summary: 'Prometheus metrics of the gateway (bearer METRICS_TOKEN, or an admin access token)',
    security: [{ metricsToken: [] }, { bearerAuth: [] }],
    responses: {
      200: { description: 'Metrics', content: { 'text/plain': { schema: z.string() } } },
      ...errors(401, 403),
    },
  },
  {
    method: 'get',
    path: '/admin/login',
    tags: ['operations'],
    summary: 'Admin sign-in form (Bull Board)',
    request: { query: z.object({ next: z.string().optional() }) },
    responses: { 200: html('Sign-in form') },
  },
  {
    method: 'post',
    path: '/admin/login',
    tags: ['operations'],
    summary: 'Admin sign-in: sets the ms_admin and XSRF-TOKEN cookies and redirects to Bull Board',
    request: {
      body: {
        content: {
          'application/x-www-form-urlencoded': {
            schema: z.object({ email: z.string(), password: z.string(), next: z.string().optional() }),
          },
        },
      },
    },
    responses: {
      303: { description: 'Signed in' },
      401: html('Wrong email or password'),
      ...errors(403, 429),
    },
  },
  {
    method: 'post',
    path: '/admin/session',
    tags: ['operations'],
    summary:
      "The web app's Bull Board button: trades an admin access token (Authorization: Bearer) for the ms_admin and XSRF-TOKEN cookies",
    security: [{ bearerAuth: [] }],
    responses: { 204: { description: 'Cookies set' }, ...errors(401, 403) },
  },
  {
    method: 'post',
    path: '/admin/logout',
    tags: ['operations'],
    summary: 'Admin sign-out: clears the Bull Board cookies',
    responses: { 303: { description: 'Signed out' }, ...errors(403) },
  },
  {
    method: 'get',
    path: '/docs',
    tags: ['operations'],
    summary: 'This documentation (Swagger UI)',
    responses: { 200: html('Swagger UI') },
  },
  {
    method: 'get',
    path: '/docs/openapi.json',
    tags: ['operations'],
    summary: 'This OpenAPI 3 document',
    responses: { 200: json(anyObject, 'OpenAPI document') },
  },
  {
    method: 'get',
    path: '/docs/assets/{file}',
    tags: ['operations'],
    summary: 'Swagger UI static files',
    request: { params: fileParam },
    responses: { 200: { description: 'Script, stylesheet or image' }, ...errors(404) },
  },
  // --- accounts ---
  {
    method: 'post',
    path: '/api/v1/auth/register',
    tags: ['accounts'],
    summary:
      'Register a streamer or donor account. The same 202 whether the email was free or taken (log in next); RATE_LIMIT_REGISTRATIONS_PER_IP an hour',
    request: authBody(registerSchema),
    responses: {
      202: json(z.object({ status: z.literal('accepted'), message: z.string() }), 'Accepted: log in next'),
      ...errors(400, 409, 429),
    },
  },
  {
    method: 'post',
    path: '/api/v1/auth/login',
    tags: ['accounts'],
    summary:
      'Sign in. Limits: attempts per client address, and failed attempts per account from unknown devices (a device that signed in before keeps its own allowance)',
    request: authBody(loginSchema),
    responses: {
      200: json(z.object({ accessToken: z.string(), user: anyObject }), 'Signed in'),
      ...errors(400, 401, 429),
    },
  },
  {
    method: 'get',
    path: '/api/v1/me',
    tags: ['accounts'],
    summary: 'The signed-in user (email, whether it is verified, and the streamer profile)',
    security: bearer,
    responses: { 200: json(anyObject, 'The user'), ...errors(401) },
  },
  {
    method: 'patch',
    path: '/api/v1/me/settings',
    tags: ['accounts'],
    summary: "Update the streamer's profile and alert settings (amounts as decimal strings)",
    security: bearer,
    request: authBody(settingsSchema),
    responses: { 200: json(anyObject, 'The updated profile'), ...errors(400, 401, 403) },
  },
  {
    method: 'get',
    path: '/api/v1/me/overlay',
    tags: ['accounts'],
    summary: "The streamer's OBS overlay URL and token",
    security: bearer,
    responses: {
      200: json(z.object({ overlayUrl: z.string(), token: z.string() }), 'Overlay URL'),
      ...errors(401, 403),
    },
  },
  {
    method: 'post',
    path: '/api/v1/me/overlay/rotate',
    tags: ['accounts'],
    summary: 'Rotate the overlay token (overlays with the old one are disconnected)',
    security: bearer,
    responses: {
      200: json(z.object({ overlayUrl: z.string(), token: z.string() }), 'New overlay URL'),
      ...errors(401, 403),
    },
  },
  ...SESSION_ROUTES,
  ...ADMIN_ROUTES,
  ...NOTIFICATION_ROUTES,
  ...PROFILE_ROUTES,
  ...MEDIA_QUEUE_ROUTES,
  // --- alert controls ---
  {
    method: 'post',
    path: '/api/v1/me/alerts/test',
    tags: ['alerts'],
    summary: 'Show a test alert on every overlay (never counted in stats)',
    security: bearer,
    request: authBody(testAlertSchema),
    responses: {
      202: json(z.object({ eventId: z.string(), test: z.literal(true) }), 'Published'),
      ...errors(400, 401, 403),
    },
  },
  {
    method: 'post',
    path: '/api/v1/me/alerts/{donationId}/replay',
    tags: ['alerts'],
    summary: 'Show one of your paid donations again (no new donation, no stats change)',
    security: bearer,
    request: { params: z.object({ donationId: z.uuid() }) },
    responses: {
      202: json(z.object({ eventId: z.string(), donationId: z.uuid() }), 'Published'),
      ...errors(400, 401, 403, 404, 409),
    },
  },
  ...(['skip', 'pause', 'resume'] as const).map((action): RouteConfig => ({
    method: 'post',
    path: `/api/v1/me/alerts/${action}`,
    tags: ['alerts'],
    summary: `${action[0]!.toUpperCase()}${action.slice(1)} the alert queue on every overlay`,
    security: bearer,
    responses: {
      200: json(z.object({ action: z.literal(action), deliveredTo: z.number().int() }), 'Sent'),
      ...errors(401, 403),
    },
  })),
  {
    method: 'post',
    path: '/api/v1/me/panic',
    tags: ['alerts'],
    summary:
      'Stop text-to-speech and media on every overlay and pause the queue; the media-share player stops its clip and its queue pauses',
    security: bearer,
    responses: {
      200: json(z.object({ action: z.literal('panic'), deliveredTo: z.number().int() }), 'Sent'),
      ...errors(401, 403),
    },
  },
  {
    method: 'get',
    path: '/api/v1/me/overlay/status',
    tags: ['alerts'],
    summary: 'Which overlays are connected',
    security: bearer,
    responses: {
      200: json(
        z.object({
          connected: z.number().int(),
          overlays: z.array(
            z.object({
              id: z.string(),
              connectedAt: z.string(),
              lastSeen: z.string(),
              kind: z.enum(['overlay', 'widget']),
            }),
          ),
        }),
        'Overlay status',
      ),
      ...errors(401, 403),
    },
  },
  // --- donations ---
  {
    method: 'get',
    path: '/api/v1/config',
    tags: ['donations'],
    summary: 'Public client configuration (API and realtime URLs, providers, currencies)',
    responses: { 200: json(anyObject, 'Configuration') },
  },
  {
    method: 'get',
    path: '/api/v1/streamers/{username}',
    tags: ['donations'],
    summary: "A streamer's public profile",
    request: { params: usernameParam },
    responses: { 200: json(anyObject, 'Profile'), ...errors(404) },
  },
  {
    method: 'post',
    path: '/api/v1/streamers/{username}/donations',
    tags: ['donations'],
    summary: 'Create a donation and its checkout (no login needed; Idempotency-Key honoured)',
    request: {
      params: usernameParam,
      headers: z.object({
        'idempotency-key': z.string().optional().describe('1–255 visible ASCII characters; 24 h'),
      }),
      body: { content: { 'application/json': { schema: createDonationSchema } } },
    },
    responses: {
      201: json(
        z.object({
          id: z.uuid(),
          status: donationStatus,
          ...money,
          checkout,
          statusUrl: z.string(),
        }),
        'Created with a checkout',
      ),
      202: json(
        z.object({ id: z.uuid(), status: z.literal('pending'), statusUrl: z.string() }),
        'Created; the checkout is not ready yet: poll statusUrl',
      ),
      ...errors(400, 404, 409, 503),
    },
  },
  {
    method: 'post',
    path: '/api/v1/streamers/{username}/media-share/quote',
    tags: ['donations'],
    summary: "What a media-share link and an amount buy under the streamer's rules, before paying",
    request: { params: usernameParam, ...authBody(mediaShareQuoteSchema) },
    responses: {
      200: json(
        z.object({
          platform: z.enum(['youtube', 'tiktok']),
          videoId: z.string(),
          startSeconds: z.number().int().describe('Where playback starts, seconds'),
          seconds: z.number().int().describe('Seconds of play the amount buys (0 when refused)'),
          allowed: z.boolean(),
          reason: z.string().nullable().describe("Why not, in the donor's language (Accept-Language)"),
          review: z.boolean().describe('true: the streamer approves each clip before it plays'),
          title: z.string().nullable().describe('The video title (oEmbed); null when unknown'),
          channel: z.string().nullable().describe("The channel's name (oEmbed); null when unknown"),
          thumbnailUrl: z.string().nullable().describe('https thumbnail (oEmbed); null when unknown'),
        }),
        'Quote',
      ),
      ...errors(400, 404, 429),
    },
  },
  {
    method: 'get',
    path: '/api/v1/donations/{id}',
    tags: ['donations'],
    summary:
      "A donation's public status (and its checkout while pending); mediaShare: its clip's state (state, position, rejected, refunded) or null; with streamer=1 also whom it is for (username, displayName)",
    request: { params: idParam, query: z.object({ streamer: z.enum(['1']).optional() }) },
    responses: { 200: json(anyObject, 'Status'), ...errors(404) },
  },
  {
    method: 'get',
    path: '/api/v1/me/donations',
    tags: ['donations'],
    summary: "The streamer's donations, newest first",
    security: bearer,
    request: { query: listDonationsQuerySchema },
    responses: { 200: json(anyObject, 'One page'), ...errors(400, 401, 403) },
  },
  {
    method: 'post',
    path: '/api/v1/me/donations/{id}/message-review',
    tags: ['donations'],
    summary:
      'Word filter hold mode: approve (the held text becomes the message) or reject (the text is dropped) a held message; 409 when nothing is held',
    security: bearer,
    request: { params: idParam, ...authBody(messageReviewSchema) },
    responses: {
      200: json(anyObject, 'The donation as the history lists it'),
      ...errors(400, 401, 403, 404, 409),
    },
  },
  {
    method: 'get',
    path: '/api/v1/me/stats',
    tags: ['donations'],
    summary: "The streamer's totals per currency, top donors and per-day sums (minor units)",
    security: bearer,
    request: { query: statsQuerySchema },
    responses: { 200: json(anyObject, 'Stats'), ...errors(400, 401, 403) },
  },
  {
    method: 'post',
    path: '/api/v1/me/word-filter/check',
    tags: ['accounts'],
    summary: "What a donor's text becomes under your word filter (the donation path runs the same check)",
    security: bearer,
    request: authBody(wordFilterCheckSchema),
    responses: {
      200: json(
        z.object({
          flagged: z.boolean(),
          masked: z.string().describe('The text with each match replaced by asterisks'),
          matches: z.array(
            z.object({
              word: z.string().describe('The listed word or phrase found'),
              start: z.number().int().describe('UTF-16 offset in the text'),
              end: z.number().int().describe('UTF-16 offset in the text, exclusive'),
            }),
          ),
        }),
        'Result',
      ),
      ...errors(400, 401, 403),
    },
  },
  {
    method: 'post',
    path: '/api/v1/me/uploads',
    tags: ['accounts'],
    summary:
      'Upload an alert image (PNG, JPEG, GIF, WebP ≤ 5 MB) or sound (MP3, OGG, WAV ≤ 2 MB): the body is the file; its type is read from its content',
    security: bearer,
    request: {
      query: uploadQuerySchema,
      body: { content: { 'application/octet-stream': { schema: z.string().describe('The file (binary)') } } },
    },
    responses: { 201: json(uploadView, 'Stored'), ...errors(400, 401, 403, 409, 413, 429) },
  },
  {
    method: 'get',
    path: '/api/v1/me/uploads',
    tags: ['accounts'],
    summary: 'Your uploads, newest first',
    security: bearer,
    request: { query: uploadListQuerySchema },
    responses: { 200: json(z.object({ uploads: z.array(uploadView) }), 'Uploads'), ...errors(400, 401, 403) },
  },
  {
    method: 'delete',
    path: '/api/v1/me/uploads/{id}',
    tags: ['accounts'],
    summary: 'Delete one of your uploads; 409 while an alert design uses it',
    security: bearer,
    request: { params: z.object({ id: z.uuid() }) },
    responses: { 204: { description: 'Deleted' }, ...errors(401, 403, 404, 409) },
  },
  {
    method: 'get',
    path: '/uploads/{file}',
    tags: ['accounts'],
    summary: 'An upload, public and immutable (`<id>.<ext>`), served with its checked type and nosniff',
    request: { params: z.object({ file: z.string() }) },
    responses: { 200: { description: 'The file' }, ...errors(404) },
  },
  {
    method: 'get',
    path: '/api/v1/overlay/tts/{donationId}',
    tags: ['pages'],
    summary:
      'An alert\'s text-to-speech audio (X-Overlay-Token): "name: message" as the word filter let it through, for paid donations at or above the TTS threshold',
    request: {
      params: z.object({ donationId: z.uuid() }),
      headers: z.object({ 'x-overlay-token': z.string() }),
    },
    responses: {
      200: { description: 'audio/wav (espeak-ng) or audio/mpeg (Google)' },
      ...errors(401, 404, 429, 503),
    },
  },
  {
    method: 'post',
    path: '/api/v1/me/tts/preview',
    tags: ['accounts'],
    summary: 'How a text sounds in your text-to-speech voice, after your word filter',
    security: bearer,
    request: authBody(ttsPreviewSchema),
    responses: {
      200: { description: 'audio/wav (espeak-ng) or audio/mpeg (Google)' },
      ...errors(400, 401, 403, 429, 503),
    },
  },
  {
    method: 'post',
    path: '/api/v1/webhooks/{provider}',
    tags: ['payments'],
    summary: "A payment provider's webhook (raw body; signature verified by PaymentService)",
    request: {
      params: z.object({ provider: z.enum(PROVIDERS) }),
      body: { content: { 'application/json': { schema: anyObject } } },
    },
    responses: {
      200: json(z.object({ received: z.literal(true), eventId: z.string() }), 'Verified and queued'),
      ...errors(400, 401, 404, 503),
    },
  },
  {
    method: 'get',
    path: '/api/v1/checkout/{provider}/return',
    tags: ['payments'],
    summary: "The donor's return from a provider's page: confirms now (PayPal: capture), then redirects",
    request: {
      params: z.object({ provider: z.enum(PROVIDERS) }),
      query: z.object({ donation: z.uuid() }),
    },
    responses: { 302: { description: 'To the donation status page' }, ...errors(404) },
  },
  {
    method: 'post',
    path: '/api/v1/me/donations/{id}/refund',
    tags: ['payments'],
    summary: 'Refunds a paid donation in full through its provider; it leaves the totals once applied',
    security: bearer,
    request: { params: idParam },
    responses: {
      202: json(
        z.object({
          id: z.uuid(),
          status: z.literal('refunding'),
          provider: z.string(),
          statusUrl: z.string(),
        }),
        'Refund requested',
      ),
      ...errors(400, 401, 403, 404, 503),
    },
  },
  // --- sandbox provider ---
  {
    method: 'get',
    path: '/sandbox/checkout/{paymentId}',
    tags: ['sandbox'],
    summary: 'The sandbox checkout page (Pay / Decline)',
    request: { params: paymentIdParam },
    responses: { 200: html('Checkout page'), ...errors(404) },
  },
  {
    method: 'post',
    path: '/sandbox/checkout/{paymentId}/pay',
    tags: ['sandbox'],
    summary: 'Pay: sends a signed sandbox webhook through the public webhook path',
    request: { params: paymentIdParam },
    responses: {
      200: json(anyObject, 'Webhook sent'),
      302: { description: 'Back to the donation page' },
      ...errors(404, 409),
    },
  },
  {
    method: 'post',
    path: '/sandbox/checkout/{paymentId}/decline',
    tags: ['sandbox'],
    summary: 'Decline: sends a signed "failed" sandbox webhook',
    request: { params: paymentIdParam },
    responses: {
      200: json(anyObject, 'Webhook sent'),
      302: { description: 'Back to the donation page' },
      ...errors(404, 409),
    },
  },
  // --- web pages ---
  {
    method: 'get',
    path: '/assets/{file}',
    tags: ['pages'],
    summary: 'Bundled page scripts and stylesheet',
    request: { params: fileParam },
    responses: { 200: { description: 'Script or stylesheet' }, ...errors(404) },
  },
  {
    method: 'get',
    path: '/api/v1/overlay/settings',
    tags: ['pages'],
    summary: 'Alert settings for the overlay whose token is in X-Overlay-Token',
    request: { headers: z.object({ 'x-overlay-token': z.string() }) },
    responses: { 200: json(anyObject, 'Settings'), ...errors(401) },
  },
  ...(['/favicon.ico', '/favicon.svg'] as const).map((path): RouteConfig => ({
    method: 'get',
    path,
    tags: ['pages'],
    summary: 'The tab icon (SVG; browsers ask /favicon.ico when a page names none)',
    responses: { 200: { description: 'image/svg+xml' } },
  })),
  {
    method: 'get',
    path: '/overlay',
    tags: ['pages'],
    summary: 'The OBS browser-source overlay (token in the URL fragment)',
    responses: { 200: html('Overlay page') },
  },
  {
    method: 'get',
    path: '/api/v1/overlay/widgets',
    tags: ['pages'],
    summary: 'Goal, latest donors and top donors (last 30 days) for the widgets; token in X-Overlay-Token',
    request: { headers: z.object({ 'x-overlay-token': z.string() }) },
    responses: { 200: json(anyObject, 'Widget data'), ...errors(401) },
  },
  ...(['goal', 'latest', 'top'] as const).map((w): RouteConfig => ({
    method: 'get',
    path: `/widgets/${w}`,
    tags: ['pages'],
    summary: `The ${w} widget as its own OBS browser source (token in the URL fragment)`,
    responses: { 200: html('Widget page') },
  })),
  {
    method: 'get',
    path: '/widgets/media',
    tags: ['pages'],
    summary:
      'The media-share player as its own OBS browser source (token in the URL fragment): plays the queue, one clip at a time',
    responses: { 200: html('Player page') },
  },
  // --- outgoing webhooks (signed with X-MediaShar-Signature: t=<unix s>,v1=<HMAC-SHA256 hex of "t.body">) ---
  {
    method: 'post',
    path: '/api/v1/me/webhooks',
    tags: ['webhooks'],
    summary: 'Registers an outgoing webhook endpoint; the signing secret is shown once',
    security: bearer,
    request: { body: { content: { 'application/json': { schema: endpointSchema(false) } } } },
    responses: { 201: json(anyObject, 'Endpoint with its secret'), ...errors(400, 401, 403, 409) },
  },
  {
    method: 'get',
    path: '/api/v1/me/webhooks',
    tags: ['webhooks'],
    summary: "The streamer's webhook endpoints (without secrets)",
    security: bearer,
    responses: { 200: json(anyObject, 'Endpoints'), ...errors(401, 403) },
  },
  {
    method: 'delete',
    path: '/api/v1/me/webhooks/{id}',
    tags: ['webhooks'],
    summary: 'Removes an endpoint (its pending deliveries are dropped)',
    security: bearer,
    request: { params: idParam },
    responses: { 204: { description: 'Removed' }, ...errors(400, 401, 403, 404) },
  },
  {
    method: 'get',
    path: '/api/v1/me/webhooks/{id}/deliveries',
    tags: ['webhooks'],
    summary: 'Delivery log of an endpoint, one row per attempt, newest first',
    security: bearer,
    request: { params: idParam },
    responses: { 200: json(anyObject, 'Attempts'), ...errors(400, 401, 403, 404) },
  },
  {
    method: 'get',
    path: '/donations/{id}',
    tags: ['pages'],
    summary: "The donor's status page of a donation",
    request: { params: idParam },
    responses: { 200: html('Status page'), ...errors(404) },
  },
  // The web app (web/, built to web/dist): the same index.html for each of its pages.
  ...(
    [
      '/',
      '/login',
      '/signup',
      '/reset-password',
      '/verify-email',
      '/settings',
      '/admin',
      '/dashboard',
    ] as const
  ).map((path): RouteConfig => ({
    method: 'get',
    path,
    tags: ['pages'],
    summary: `The web app page ${path}`,
    responses: { 200: html('Web app page') },
  })),
  {
    method: 'get',
    path: '/dashboard/{rest}',
    tags: ['pages'],
    summary: "The web app's dashboard pages (history, stats, settings, account)",
    request: { params: z.object({ rest: z.string() }) },
    responses: { 200: html('Web app page') },
  },
  {
    method: 'get',
    path: '/app-assets/{file}',
    tags: ['pages'],
    summary: "The web app's hashed scripts, styles and message files (immutable)",
    request: { params: fileParam },
    responses: { 200: { description: 'Asset' }, ...errors(404) },
  },
  {
    method: 'get',
    path: '/{username}',
    tags: ['pages'],
    summary: "A streamer's donation page",
    request: { params: usernameParam },
    responses: { 200: html('Donation page'), ...errors(404) },
  },
];

/** Koa router path (`/a/:id`, wildcard `/a/*rest`) → OpenAPI path (`/a/{id}`, `/a/{rest}`). */
export function toOpenApiPath(koaPath: string): string {
  return koaPath.replace(/[:*]([A-Za-z0-9_]+)/g, '{$1}');
}

/** Builds the OpenAPI 3.0 document; `serverUrl` is the gateway's public base URL. */
export function buildOpenApiDocument(serverUrl: string) {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'metricsToken', { type: 'http', scheme: 'bearer' });
  registry.registerComponent('securitySchemes', 'refreshCookie', {
    type: 'apiKey',
    in: 'cookie',
    name: 'ms_refresh',
  });
  registry.registerComponent('securitySchemes', 'csrfHeader', {
    type: 'apiKey',
    in: 'header',
    name: 'X-CSRF-Token',
  });
  registry.registerComponent('securitySchemes', 'overlayToken', {
    type: 'apiKey',
    in: 'header',
    name: 'X-Overlay-Token',
  });
  registry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
  });
  for (const route of DOCUMENTED_ROUTES) registry.registerPath(route);
  return new OpenApiGeneratorV3(registry.definitions).generateDocument({
    openapi: '3.0.3',
    info: {
      title: 'MediaShar gateway API',
      version: '1',
      description:
        'REST API of MediaShar. Amounts in responses are integer minor units with an ISO 4217 code; ' +
        'amounts in requests are decimal strings in major units. Every response carries X-Request-Id.',
    },
    servers: [{ url: serverUrl }],
  });
}
