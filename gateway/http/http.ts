/**
 * HTTP plumbing of the gateway: the one error middleware (AppError → status and
 * {error: {code, message, details}}), request ids, JSON bodies with a size limit, and zod
 * validation that names the fields to fix.
 */
import { randomUUID } from 'node:crypto';
import type { Context, Next } from 'koa';
import getRawBody from 'raw-body';
import type { z } from 'zod';
import {
  AppError,
  PayloadTooLargeError,
  RateLimitedError,
  ValidationError,
  type ErrorCode,
} from '../../shared/errors.js';
import type { Logger } from '../../shared/logger.js';
import { asUnavailable, RETRY_AFTER_S } from '../../shared/transient.js';
import { escapeHtml, page } from '../web/html.js';
import { httpRequestDuration } from '../../shared/metrics.js';

const STATUS_BY_CODE: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  NOT_FOUND: 404,
  CONFLICT: 409,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  INVALID_SIGNATURE: 401,
  PROVIDER_UNAVAILABLE: 503,
  PROVIDER_REJECTED: 422,
  RATE_LIMITED: 429,
  PAYLOAD_TOO_LARGE: 413,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};

/** Koa state set by the gateway's middleware. */
export interface GatewayState {
  requestId: string;
  log: Logger;
  /** `sid`: the session the access token belongs to (absent on script-made tokens). */
  user?: { id: string; role: 'streamer' | 'donor' | 'admin'; username?: string; sid?: string };
}

/** Sets a request id (from X-Request-Id when sane, else new), a child logger, and maps errors. */
export function errorMiddleware(log: Logger) {
  return async (ctx: Context, next: Next): Promise<void> => {
    const given = ctx.get('x-request-id');
    const requestId = /^[A-Za-z0-9._-]{8,64}$/.test(given) ? given : randomUUID();
    const state = ctx.state as GatewayState;
    state.requestId = requestId;
    state.log = log.child({ requestId });
    ctx.set('X-Request-Id', requestId);
    const started = performance.now();
    try {
      await next();
    } catch (thrown) {
      // A dependency away (Redis, a database, a service) is a 503 for people, never a 500.
      const err = asUnavailable(thrown);
      const status = err instanceof AppError ? STATUS_BY_CODE[err.code] : httpStatusOf(err);
      const code: ErrorCode | 'HTTP_ERROR' =
        err instanceof AppError ? err.code : status >= 500 ? 'INTERNAL' : 'HTTP_ERROR';
      const exposed = err instanceof AppError || (status < 500 && (err as { expose?: boolean }).expose);
      ctx.status = status;
      if (status === 503) ctx.set('Retry-After', String(RETRY_AFTER_S));
      const details = err instanceof AppError ? { ...err.details } : {};
      if (err instanceof RateLimitedError) {
        // Whole seconds, rounded up (RFC 9110 delay-seconds); 60 when the limit gave no time.
        const retryAfterS = Math.max(1, Math.ceil((err.retryAfterMs ?? 60_000) / 1000));
        ctx.set('Retry-After', String(retryAfterS));
        details.retryAfterSeconds = retryAfterS;
      }
      ctx.body = {
        error: {
          code,
          message: exposed ? (err as Error).message : 'Internal error',
          details,
        },
      };
      if (wantsPage(ctx)) {
        // A person in a browser gets a page, not JSON.
        const message = exposed
          ? (err as Error).message
          : 'Something went wrong on our side. Try again in a moment.';
        ctx.type = 'html';
        ctx.set('Content-Security-Policy', "default-src 'none'; style-src 'self'; frame-ancestors 'none'");
        ctx.body = page(
          status === 404 ? 'Not found' : 'Error',
          `<main class="card"><h1>${status === 404 ? 'Not found' : 'Something went wrong'}</h1><p>${escapeHtml(message)}</p><p><a href="/">MediaShar</a></p></main>`,
        );
      }
      if (status === 503) state.log.warn({ err: thrown, path: ctx.path }, 'request failed: unavailable');
      else if (status >= 500) state.log.error({ err: thrown, path: ctx.path }, 'request failed');
    } finally {
      const seconds = (performance.now() - started) / 1000;
      const route = routeLabel(ctx);
      httpRequestDuration.observe({ method: ctx.method, route, status: String(ctx.status) }, seconds);
      // Access log at info, except probes and scrapes, which would drown it, and the donation hot
      // path answered without error (create, the donor page's polls, provider webhooks): a
      // donation logs one info line per path in the services (issue 15), its requests at debug.
      const quiet =
        route === '/health' ||
        route === '/metrics' ||
        ctx.path.startsWith('/admin/queues') ||
        (ctx.status < 400 && HOT_ROUTES.has(route));
      state.log[quiet ? 'debug' : 'info'](
        { method: ctx.method, path: ctx.path, route, status: ctx.status, ms: Math.round(seconds * 1000) },
        'request',
      );
    }
  };
}

/** Route templates of the donation hot path (routeLabel form), logged at debug when they succeed. */
const HOT_ROUTES = new Set([
  '/api/v1/streamers/:username/donations',
  '/api/v1/donations/:id',
  '/api/v1/webhooks/:provider',
]);

/**
 * The route template of a request for metric labels (`/api/v1/donations/:id`), never the raw
 * path, so label cardinality stays bounded; unmatched paths share one label.
 */
function routeLabel(ctx: Context): string {
  const matched = (ctx as { _matchedRoute?: unknown })._matchedRoute;
  if (typeof matched === 'string') return matched;
  if (ctx.path.startsWith('/admin/queues')) return '/admin/queues/*';
  return 'unmatched';
}

/** A browser asking for a page (not the API, not an asset). */
function wantsPage(ctx: Context): boolean {
  return (
    ctx.method === 'GET' &&
    !ctx.path.startsWith('/api/') &&
    !ctx.path.startsWith('/assets/') &&
    ctx.accepts('json', 'html') === 'html' &&
    Boolean(ctx.get('accept'))
  );
}

function httpStatusOf(err: unknown): number {
  const status = (err as { status?: unknown }).status ?? (err as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' && status >= 400 && status < 600 ? status : 500;
}

/** The raw request body (bytes), at most `limit` bytes. @throws 413 via raw-body. */
export async function readRawBody(ctx: Context, limit: string | number = '256kb'): Promise<Buffer> {
  try {
    return await getRawBody(ctx.req, { limit, length: ctx.get('content-length') || undefined });
  } catch (err) {
    if ((err as { type?: string }).type === 'entity.too.large') {
      throw new PayloadTooLargeError(`Body is larger than ${limit}: send less`);
    }
    throw err;
  }
}

/**
 * Parses a JSON body (≤ 32 kB).
 * @throws {ValidationError} when not JSON.
 */
export async function readJson(ctx: Context): Promise<unknown> {
  const raw = await readRawBody(ctx, '32kb');
  if (!raw.length) return {};
  if (!ctx.is('application/json'))
    throw new ValidationError('Send the body as JSON (Content-Type: application/json)');
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch {
    throw new ValidationError('Body is not valid JSON');
  }
}

/**
 * Validates with a zod schema.
 * @throws {ValidationError} whose details.fields maps each bad field to what to fix.
 */
export function validate<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields: Record<string, string> = {};
  for (const issue of result.error.issues) {
    // A strict schema's unknown keys: name each one, not the object holding them.
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) fields[[...issue.path, key].join('.')] ??= 'is not a known field';
      continue;
    }
    fields[issue.path.join('.') || 'body'] ??= issue.message;
  }
  throw new ValidationError(
    Object.entries(fields)
      .map(([f, m]) => `${f}: ${m}`)
      .join('; '),
    { fields },
  );
}
