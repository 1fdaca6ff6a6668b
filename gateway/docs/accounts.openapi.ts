/**
 * OpenAPI entries of the account routes the web app stands on: sessions, admin, profile and the
 * streamer's history and stats. Spread into DOCUMENTED_ROUTES (gateway/docs/openapi.ts).
 */
import type { RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { changePasswordSchema, sessionIdParamSchema } from '../accounts/sessions.routes.js';
import {
  adminStreamersQuerySchema,
  createInviteSchema,
  installSettingsSchema,
  streamerIdParamSchema,
} from '../admin/admin.routes.js';
import { SIGNUP_MODES } from '../admin/admin.store.js';
import { exportDonationsQuerySchema } from '../donations/donations.routes.js';
import { CSV_COLUMNS } from '../donations/donation-history.js';

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
const cookieAuth = [{ refreshCookie: [], csrfHeader: [] }];
const body = (schema: z.ZodType) => ({ body: { content: { 'application/json': { schema } } } });
const noContent = (description: string) => ({ 204: { description } });

/** An amount as the API returns it. */
export const moneySchema = z.object({
  minor: z.number().int().describe('integer minor units'),
  currency: z.string().length(3).describe('ISO 4217'),
  exponent: z.number().int().describe('digits after the decimal point of the currency (IDR 0, USD 2)'),
  formatted: z.string().describe("formatted for the request's Accept-Language (id or en)"),
});

const grant = z.object({
  accessToken: z.string(),
  accessTokenExpiresAt: z.string().describe('ISO 8601; refresh before it'),
  sessionId: z.uuid(),
  user: z.record(z.string(), z.unknown()),
});

const session = z.object({
  id: z.uuid(),
  createdAt: z.string(),
  lastUsedAt: z.string(),
  expiresAt: z.string(),
  userAgent: z.string(),
  current: z.boolean().describe('the session of the access token making this request'),
});

/** Session routes. */
export const SESSION_ROUTES: RouteConfig[] = [
  {
    method: 'post',
    path: '/api/v1/auth/refresh',
    tags: ['accounts'],
    summary:
      'New access token from the ms_refresh cookie (rotated on every use; reusing an old one ends the session). ' +
      'Needs X-CSRF-Token = the ms_csrf cookie and a trusted Origin.',
    security: cookieAuth,
    responses: { 200: json(grant, 'New access token; both cookies replaced'), ...errors(401, 403) },
  },
  {
    method: 'post',
    path: '/api/v1/auth/logout',
    tags: ['accounts'],
    summary: 'End this session (cookie + X-CSRF-Token) and clear the cookies',
    security: cookieAuth,
    responses: { ...noContent('Signed out'), ...errors(403) },
  },
  {
    method: 'post',
    path: '/api/v1/auth/logout-all',
    tags: ['accounts'],
    summary: 'End every session of the signed-in user',
    security: bearer,
    responses: { ...noContent('Signed out everywhere'), ...errors(401) },
  },
  {
    method: 'get',
    path: '/api/v1/me/sessions',
    tags: ['accounts'],
    summary: 'Active sessions of the signed-in user, most recently used first',
    security: bearer,
    responses: { 200: json(z.object({ sessions: z.array(session) }), 'Sessions'), ...errors(401) },
  },
  {
    method: 'delete',
    path: '/api/v1/me/sessions/{id}',
    tags: ['accounts'],
    summary: 'End one of your sessions',
    security: bearer,
    request: { params: sessionIdParamSchema },
    responses: { ...noContent('Ended'), ...errors(400, 401, 404) },
  },
  {
    method: 'post',
    path: '/api/v1/me/password',
    tags: ['accounts'],
    summary: 'Change the password (needs the current one); every other session ends',
    security: bearer,
    request: body(changePasswordSchema),
    responses: { ...noContent('Changed'), ...errors(400, 401) },
  },
];

const installSettings = z.object({ signup: z.enum(SIGNUP_MODES) });
const adminStreamer = z.object({
  id: z.uuid(),
  username: z.string(),
  displayName: z.string(),
  email: z.string(),
  createdAt: z.string(),
  disabled: z.boolean(),
  disabledAt: z.string().nullable(),
});

/** Admin routes (admin role; others 403) and the public sign-up mode. */
export const ADMIN_ROUTES: RouteConfig[] = [
  {
    method: 'get',
    path: '/api/v1/auth/signup',
    tags: ['accounts'],
    summary: 'Who may sign up on this install: open, invite (registration needs inviteCode) or closed',
    responses: { 200: json(installSettings, 'Sign-up mode') },
  },
  {
    method: 'get',
    path: '/api/v1/admin/streamers',
    tags: ['admin'],
    summary: 'Streamers, newest first; q searches username, display name and email',
    security: bearer,
    request: { query: adminStreamersQuerySchema },
    responses: {
      200: json(
        z.object({
          streamers: z.array(adminStreamer),
          total: z.number(),
          page: z.number(),
          pageSize: z.number(),
        }),
        'One page',
      ),
      ...errors(400, 401, 403),
    },
  },
  ...(['disable', 'enable'] as const).map((action): RouteConfig => ({
    method: 'post',
    path: `/api/v1/admin/streamers/{id}/${action}`,
    tags: ['admin'],
    summary:
      action === 'disable'
        ? 'Disable a streamer: page and donations answer 404, login refused, sessions ended'
        : 'Enable a disabled streamer again',
    security: bearer,
    request: { params: streamerIdParamSchema },
    responses: {
      200: json(z.object({ id: z.uuid(), disabled: z.boolean() }), 'Done'),
      ...errors(400, 401, 403, 404),
    },
  })),
  {
    method: 'get',
    path: '/api/v1/admin/settings',
    tags: ['admin'],
    summary: 'Install settings',
    security: bearer,
    responses: { 200: json(installSettings, 'Settings'), ...errors(401, 403) },
  },
  {
    method: 'patch',
    path: '/api/v1/admin/settings',
    tags: ['admin'],
    summary: 'Change install settings (unknown fields are refused)',
    security: bearer,
    request: body(installSettingsSchema),
    responses: { 200: json(installSettings, 'Settings'), ...errors(400, 401, 403) },
  },
  {
    method: 'post',
    path: '/api/v1/admin/invites',
    tags: ['admin'],
    summary: 'A single-use invite code for invite-only sign-up (shown once)',
    security: bearer,
    request: body(createInviteSchema),
    responses: {
      201: json(z.object({ code: z.string(), expiresAt: z.string() }), 'Invite'),
      ...errors(400, 401, 403),
    },
  },
];

/** Profile routes and the history export. */
export const PROFILE_ROUTES: RouteConfig[] = [
  {
    method: 'get',
    path: '/api/v1/me/donations.csv',
    tags: ['donations'],
    summary:
      `The filtered history as CSV, streamed (columns ${CSV_COLUMNS.join(', ')}; amount in major units; ` +
      "cells starting with = + - @ get a leading ')",
    security: bearer,
    request: { query: exportDonationsQuerySchema },
    responses: {
      200: { description: 'CSV (RFC 4180)', content: { 'text/csv': { schema: z.string() } } },
      ...errors(400, 401, 403),
    },
  },
  {
    method: 'post',
    path: '/api/v1/me/goal/reset',
    tags: ['accounts'],
    summary: 'Reset the goal from today: it counts paid donations from now on',
    security: bearer,
    responses: {
      200: json(
        z.object({ goal: z.object({ target: moneySchema, title: z.string(), startedAt: z.string() }) }),
        'The goal',
      ),
      ...errors(401, 403, 409),
    },
  },
];
