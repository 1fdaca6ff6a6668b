/**
 * OpenAPI entries of the notification routes (gateway/notifications/notifications.routes.ts):
 * settings, "send a test", push subscriptions, the attempt log, unsubscribe, password reset and
 * email verification.
 * Spread into DOCUMENTED_ROUTES (gateway/docs/openapi.ts).
 */
import type { RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { notificationSettingsPatchSchema } from '../notifications/notifications.routes.js';

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
const html = (description: string) => ({ description, content: { 'text/html': { schema: z.string() } } });
const errors = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((s) => [s, json(errorBody, `Error (${s})`)]));
const bearer = [{ bearerAuth: [] }];
const body = (schema: z.ZodType) => ({ body: { content: { 'application/json': { schema } } } });
const anyObject = z.record(z.string(), z.unknown());
const tokenQuery = z.object({ token: z.string().describe('The signed token of the mail link') });

export const NOTIFICATION_ROUTES: RouteConfig[] = [
  {
    method: 'get',
    path: '/api/v1/me/notifications',
    tags: ['notifications'],
    summary:
      "The streamer's notification settings (secrets only as *Set flags), which channels this install offers, the VAPID public key and push subscriptions",
    security: bearer,
    responses: { 200: json(anyObject, 'Settings'), ...errors(401, 403) },
  },
  {
    method: 'patch',
    path: '/api/v1/me/notifications',
    tags: ['notifications'],
    summary:
      'Changes notification settings; webhookUrl / botToken are stored encrypted ("" removes them). Errors name the field in the Accept-Language (id or en)',
    security: bearer,
    request: body(notificationSettingsPatchSchema('en')),
    responses: { 200: json(anyObject, 'Settings'), ...errors(400, 401, 403) },
  },
  {
    method: 'post',
    path: '/api/v1/me/notifications/test',
    tags: ['notifications'],
    summary: 'Sends a test message to one channel now and answers whether it went through',
    security: bearer,
    request: body(z.object({ channel: z.enum(['email', 'push', 'discord', 'telegram']) })),
    responses: {
      200: json(
        z.object({ ok: z.boolean(), sent: z.number().int(), error: z.string().optional() }),
        'Outcome',
      ),
      ...errors(400, 401, 403),
    },
  },
  {
    method: 'get',
    path: '/api/v1/me/notifications/attempts',
    tags: ['notifications'],
    summary: 'The latest send attempts of every channel, newest first',
    security: bearer,
    responses: { 200: json(anyObject, 'Attempts'), ...errors(401, 403) },
  },
  {
    method: 'post',
    path: '/api/v1/me/notifications/push-subscriptions',
    tags: ['notifications'],
    summary: "Stores this browser's push subscription (PushSubscription.toJSON())",
    security: bearer,
    request: body(z.object({ endpoint: z.url(), keys: z.object({ p256dh: z.string(), auth: z.string() }) })),
    responses: { 201: json(z.object({ id: z.uuid() }), 'Stored'), ...errors(400, 401, 403) },
  },
  {
    method: 'delete',
    path: '/api/v1/me/notifications/push-subscriptions/{id}',
    tags: ['notifications'],
    summary: 'Removes a push subscription of the streamer',
    security: bearer,
    request: { params: z.object({ id: z.uuid() }) },
    responses: { 204: { description: 'Removed' }, ...errors(401, 403) },
  },
  {
    method: 'get',
    path: '/api/v1/notifications/unsubscribe',
    tags: ['notifications'],
    summary: 'The unsubscribe page of a mail link (a button; GET changes nothing)',
    request: { query: tokenQuery },
    responses: { 200: html('Page'), 400: html('Invalid link') },
  },
  {
    method: 'post',
    path: '/api/v1/notifications/unsubscribe',
    tags: ['notifications'],
    summary: "Turns the streamer's donation mails off (RFC 8058 one-click, or the page's form)",
    request: { query: tokenQuery.partial() },
    responses: { 200: html('Done'), 400: html('Invalid link') },
  },
  {
    method: 'post',
    path: '/api/v1/auth/password-reset',
    tags: ['auth'],
    summary: 'Asks for a password-reset mail; always 202, whether the address has an account or not',
    request: body(z.object({ email: z.email() })),
    responses: { 202: json(anyObject, 'Accepted'), ...errors(400, 429) },
  },
  {
    method: 'post',
    path: '/api/v1/auth/password-reset/confirm',
    tags: ['auth'],
    summary: "Sets a new password with a reset token (single-use, expiring); ends the account's sessions",
    request: body(z.object({ token: z.string(), password: z.string().min(8).max(200) })),
    responses: { 204: { description: 'Password changed' }, ...errors(400, 429) },
  },
  {
    method: 'post',
    path: '/api/v1/auth/email-verification/confirm',
    tags: ['auth'],
    summary:
      "Verifies the account's email with the token of the verification mail (single-use, expiring); a used, expired or unknown token is a 400 naming `token` in the Accept-Language",
    request: body(z.object({ token: z.string() })),
    responses: {
      200: json(z.object({ status: z.literal('verified'), message: z.string() }), 'Verified'),
      ...errors(400, 429),
    },
  },
  {
    method: 'post',
    path: '/api/v1/me/email-verification',
    tags: ['auth'],
    summary: 'Sends a new verification mail (202), or answers 200 when the email is verified already',
    security: bearer,
    responses: {
      200: json(z.object({ status: z.literal('verified'), message: z.string() }), 'Verified already'),
      202: json(z.object({ status: z.literal('sent'), message: z.string() }), 'Mail queued'),
      ...errors(400, 401, 429),
    },
  },
  {
    method: 'get',
    path: '/notify-sw.js',
    tags: ['pages'],
    summary: "The dashboard's service worker: shows push notifications of donations",
    responses: { 200: { description: 'JavaScript', content: { 'text/javascript': { schema: z.string() } } } },
  },
];
