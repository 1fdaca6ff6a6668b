/**
 * OpenAPI entries of the media-share queue (gateway/media-share/media-queue.routes.ts): the
 * streamer's moderation and controls, and the player widget's claim and finish. Spread into
 * DOCUMENTED_ROUTES (gateway/docs/openapi.ts).
 */
import type { RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { CLIP_STATES } from '../../shared/queues.js';
import {
  finishedSchema,
  moveClipSchema,
  queueQuerySchema,
  rejectClipSchema,
  volumeSchema,
} from '../media-share/media-queue.routes.js';

const errorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.record(z.string(), z.unknown()).describe('details.fields maps each bad field to what to fix'),
  }),
});
const json = (schema: z.ZodType, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});
const errors = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((s) => [s, json(errorBody, `Error (${s})`)]));
const bearer = [{ bearerAuth: [] }];
const overlayToken = [{ overlayToken: [] }];
const body = (schema: z.ZodType) => ({ body: { content: { 'application/json': { schema } } } });
const idParam = z.object({ id: z.uuid().describe('The clip: its donation id') });

/** A clip as the API shows it. */
export const clipSchema = z.object({
  id: z.uuid(),
  state: z.enum(CLIP_STATES),
  position: z.number().int().nullable().describe('1-based place among the queued clips'),
  platform: z.enum(['youtube', 'tiktok']),
  videoId: z.string(),
  url: z.string(),
  startSeconds: z.number().int(),
  seconds: z.number().int().describe('seconds of play bought'),
  title: z.string().nullable(),
  channel: z.string().nullable(),
  thumbnailUrl: z.string().nullable(),
  donorName: z.string(),
  amount: z.number().int().describe('minor units'),
  currency: z.string().length(3),
  formattedAmount: z.string(),
  message: z.string(),
  test: z.boolean().describe('a sandbox donation’s clip'),
  refund: z.boolean().describe('rejected with a refund'),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  remainingSeconds: z.number().int().nullable().describe('seconds left of the playing clip'),
});

const accepted = (action: string) =>
  json(
    z.looseObject({ action: z.literal(action), jobId: z.string() }),
    'Accepted: applied by the worker pool a moment later (a `media` event follows)',
  );

/** The media-share queue's routes. */
export const MEDIA_QUEUE_ROUTES: RouteConfig[] = [
  {
    method: 'get',
    path: '/api/v1/me/media-share/queue',
    tags: ['media share'],
    summary: 'The playing clip and the waiting ones (or the states asked for), in play order',
    security: bearer,
    request: { query: queueQuerySchema() },
    responses: {
      200: json(
        z.object({ paused: z.boolean(), volume: z.number().int(), clips: z.array(clipSchema) }),
        'The queue',
      ),
      ...errors(400, 401, 403),
    },
  },
  {
    method: 'post',
    path: '/api/v1/me/media-share/queue/{id}/approve',
    tags: ['media share'],
    summary: 'Approve a clip held for review: it joins the queue',
    security: bearer,
    request: { params: idParam },
    responses: { 202: accepted('approve'), ...errors(400, 401, 403, 404, 409) },
  },
  {
    method: 'post',
    path: '/api/v1/me/media-share/queue/{id}/reject',
    tags: ['media share'],
    summary: 'Reject a waiting clip; it never plays. refund: true also refunds the donation',
    security: bearer,
    request: { params: idParam, ...body(rejectClipSchema()) },
    responses: { 202: accepted('reject'), ...errors(400, 401, 403, 404, 409) },
  },
  {
    method: 'post',
    path: '/api/v1/me/media-share/queue/{id}/move',
    tags: ['media share'],
    summary: 'Move a waiting clip right before another (no `before`: to the end)',
    security: bearer,
    request: { params: idParam, ...body(moveClipSchema()) },
    responses: { 202: accepted('move'), ...errors(400, 401, 403, 404, 409) },
  },
  ...(['skip', 'pause', 'resume', 'clear'] as const).map((action): RouteConfig => ({
    method: 'post',
    path: `/api/v1/me/media-share/${action}`,
    tags: ['media share'],
    summary: {
      skip: 'Skip the playing clip',
      pause: 'Pause the queue (the playing clip’s time stops; no clip starts)',
      resume: 'Resume the queue',
      clear: 'Skip every queued clip',
    }[action],
    security: bearer,
    responses: { 202: accepted(action), ...errors(401, 403) },
  })),
  {
    method: 'put',
    path: '/api/v1/me/media-share/volume',
    tags: ['media share'],
    summary: 'The player’s volume, 0–100',
    security: bearer,
    request: body(volumeSchema()),
    responses: { 202: accepted('volume'), ...errors(400, 401, 403) },
  },
  {
    method: 'post',
    path: '/api/v1/overlay/media-share/claim',
    tags: ['media share'],
    summary:
      'The player takes the next clip (at most once per clip); `playing` is the clip already playing when none was taken',
    security: overlayToken,
    responses: {
      200: json(
        z.object({
          clip: clipSchema.nullable(),
          playing: clipSchema.nullable(),
          paused: z.boolean(),
          volume: z.number().int(),
        }),
        'What to play',
      ),
      ...errors(401, 403),
    },
  },
  {
    method: 'post',
    path: '/api/v1/overlay/media-share/{id}/finished',
    tags: ['media share'],
    summary: 'The player finished a clip (played, or skipped when it could not play it)',
    security: overlayToken,
    request: { params: idParam, ...body(finishedSchema()) },
    responses: {
      200: json(z.object({ id: z.uuid(), moved: z.boolean(), state: z.enum(CLIP_STATES) }), 'Finished'),
      ...errors(400, 401, 403, 404),
    },
  },
];
