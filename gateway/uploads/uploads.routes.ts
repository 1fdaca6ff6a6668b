/**
 * Streamers' uploads for alert designs:
 * - `POST /api/v1/me/uploads?kind=image|sound&name=…` with the file's bytes as the body (any
 *   Content-Type: what the file is comes from its content) → 201 the upload;
 * - `GET /api/v1/me/uploads[?kind=…]`, `DELETE /api/v1/me/uploads/:id` (409 while a design uses it);
 * - `GET /uploads/:id.:ext` serves one, public (the overlay and OBS fetch it without a token),
 *   with its checked Content-Type, `nosniff`, a sandboxing CSP and a year of immutable caching.
 */
import Router from '@koa/router';
import { z } from 'zod';
import type { GatewayDeps } from '../gateway.deps.js';
import { readRawBody, validate } from '../http/http.js';
import { currentUser, requireUser } from '../http/auth.js';
import { rateLimit } from '../http/rate-limit.js';
import { ConflictError, NotFoundError, PayloadTooLargeError } from '../../shared/errors.js';
import { normalizeAlertSettings, referencedUploads } from '../../shared/alert-design.js';
import { requestLanguage } from '../donations/typed-amount.js';
import { inspectUpload, uploadRefusal, UPLOAD_KINDS, UPLOAD_LIMITS } from './upload-content.js';

/** Query of POST /me/uploads. */
export const uploadQuerySchema = z.object({
  kind: z.enum(UPLOAD_KINDS, 'must be "image" or "sound"'),
  name: z.string().max(200, 'must be at most 200 characters').optional(),
});

/** Query of GET /me/uploads. */
export const uploadListQuerySchema = z.object({
  kind: z.enum(UPLOAD_KINDS, 'must be "image" or "sound"').optional(),
});

const YEAR_S = 365 * 24 * 3600;

export function uploadsRouter(deps: GatewayDeps): Router {
  const { config, uploads } = deps;
  const router = new Router();
  const streamer = requireUser(config, 'streamer');
  const uploadsPerStreamer = rateLimit(deps.redis, config.REDIS_PREFIX, {
    name: 'uploads-streamer',
    points: 30,
    durationS: 600,
    message: 'Too many uploads: wait a few minutes and try again',
  });

  router.post('/api/v1/me/uploads', streamer, async (ctx) => {
    const query = validate(uploadQuerySchema, ctx.query);
    const user = currentUser(ctx);
    await uploadsPerStreamer.consume(user.id);
    const language = requestLanguage(ctx);
    let bytes: Buffer;
    try {
      bytes = await readRawBody(ctx, UPLOAD_LIMITS[query.kind] + 1);
    } catch (err) {
      if (err instanceof PayloadTooLargeError) throw uploadRefusal('too_big', query.kind, language);
      throw err;
    }
    const content = await inspectUpload(query.kind, bytes, language);
    // The name is only a label in the streamer's list: control characters out, never used as a path.
    const name = (query.name ?? '').replace(/[\p{Cc}\p{Cf}]/gu, '').trim();
    ctx.status = 201;
    ctx.body = await uploads.add(user.id, content, bytes, name);
  });

  router.get('/api/v1/me/uploads', streamer, async (ctx) => {
    const query = validate(uploadListQuerySchema, ctx.query);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { uploads: await uploads.list(currentUser(ctx).id, query.kind) };
  });

  router.delete('/api/v1/me/uploads/:id', streamer, async (ctx) => {
    const id = ctx.params.id!;
    if (!z.uuid().safeParse(id).success) throw new NotFoundError('No such upload');
    const user = currentUser(ctx);
    // An upload a design shows stays: deleting it would leave a broken image on stream.
    const used = referencedUploads(
      normalizeAlertSettings((await deps.accounts.streamerById(user.id)).settings.alerts),
    );
    if (used.image.includes(id) || used.sound.includes(id))
      throw new ConflictError(
        requestLanguage(ctx) === 'id'
          ? 'Berkas ini dipakai desain alert kamu: lepaskan dulu dari desainnya'
          : 'An alert design uses this file: remove it from the design first',
      );
    await uploads.remove(user.id, id);
    ctx.status = 204;
  });

  router.get('/uploads/:file', async (ctx) => {
    const match = /^([0-9a-f-]{36})\.([a-z0-9]{2,5})$/.exec(ctx.params.file!);
    const found = match && (await uploads.read(match[1]!));
    if (!found || found.ext !== match[2]) throw new NotFoundError('No such upload');
    ctx.type = found.mime;
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Cache-Control', `public, max-age=${YEAR_S}, immutable`);
    ctx.set('Content-Security-Policy', "default-src 'none'; sandbox");
    ctx.set('Cross-Origin-Resource-Policy', 'same-site');
    ctx.body = found.bytes;
  });

  return router;
}
