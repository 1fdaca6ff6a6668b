/**
 * Discord and Telegram messages for a donation, in each platform's own wire format, and the
 * HTTP call that sends them through the SSRF-safe agents of outgoing webhooks.
 *
 * - Discord: "Execute Webhook" (POST /webhooks/{id}/{token}?wait=true, discord.com/developers/docs/
 *   resources/webhook#execute-webhook) with one embed; `allowed_mentions: {parse: []}` so an
 *   `@everyone` in donor text pings nobody, and markdown in donor text is escaped. A 429 answers
 *   `retry_after` in seconds (JSON) and `Retry-After` (docs "Rate Limits").
 * - Telegram: Bot API `sendMessage` (core.telegram.org/bots/api#sendmessage) with
 *   `parse_mode: HTML`; donor text has `&`, `<`, `>` escaped as the API's "HTML style" asks. A
 *   429 answers `{ok: false, error_code: 429, parameters: {retry_after}}` (seconds).
 */
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { formatMoney } from '../../shared/money.js';
import type { DonationEvent } from '../../shared/queues.js';
import {
  assertPublicLiteral,
  publicOnlyAgents,
  type DestinationAgents,
} from '../outgoing-webhooks/webhook-destination.js';

/** A streamer's Discord webhook URL as Discord shows it (any API version, canary/ptb hosts). */
export const DISCORD_WEBHOOK_URL =
  /^https:\/\/(?:(?:canary|ptb)\.)?discord(?:app)?\.com\/api(?:\/v\d+)?\/webhooks\/(\d{15,25})\/([A-Za-z0-9_-]{20,100})\/?$/;
/** A Telegram bot token as @BotFather hands it out. */
export const TELEGRAM_BOT_TOKEN = /^\d{5,15}:[A-Za-z0-9_-]{30,50}$/;
/** A chat id: a number (groups are negative) or a public @channelusername. */
export const TELEGRAM_CHAT_ID = /^(-?\d{1,20}|@[A-Za-z][A-Za-z0-9_]{4,31})$/;

/** The answer of a platform call. */
export interface ChannelResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Thrown for a 429: how long the platform asked to wait, in ms. */
export class PlatformRateLimited extends Error {
  constructor(readonly retryAfterMs: number) {
    super(`rate limited: retry after ${retryAfterMs} ms`);
    this.name = 'PlatformRateLimited';
  }
}

let publicAgents: DestinationAgents | undefined;
let openAgents: DestinationAgents | undefined;
/** Agents of this process: public-only (checked at connect time) unless internal is allowed. */
export function destinationAgents(allowInternal: boolean): DestinationAgents {
  if (allowInternal) return (openAgents ??= { http: new HttpAgent(), https: new HttpsAgent() });
  return (publicAgents ??= publicOnlyAgents());
}

/**
 * POSTs JSON and answers status, headers and body (≤ 64 kB read). Redirects are not followed.
 * @throws {NotPublicAddressError} for a destination outside the public address space; network errors.
 */
export async function postJson(
  url: string,
  payload: unknown,
  options: { allowInternal: boolean; timeoutMs: number },
): Promise<ChannelResponse> {
  return postRaw(url, { 'content-type': 'application/json' }, JSON.stringify(payload), options);
}

/**
 * POSTs a body with headers through the destination agents (public-only unless allowInternal)
 * and answers status, headers and body (≤ 64 kB read). Redirects are not followed.
 * @throws {NotPublicAddressError} for a destination outside the public address space; network errors.
 */
export async function postRaw(
  url: string,
  headers: Record<string, string | number>,
  body: string | Buffer | null,
  options: { allowInternal: boolean; timeoutMs: number },
): Promise<ChannelResponse> {
  if (!options.allowInternal) assertPublicLiteral(url);
  const agents = destinationAgents(options.allowInternal);
  const target = new URL(url);
  const https = target.protocol === 'https:';
  const bytes = body === null ? Buffer.alloc(0) : Buffer.isBuffer(body) ? body : Buffer.from(body);
  return await new Promise<ChannelResponse>((resolve, reject) => {
    const req = (https ? httpsRequest : httpRequest)(
      target,
      {
        method: 'POST',
        agent: https ? agents.https : agents.http,
        headers: {
          'user-agent': 'MediaShar-Notifications/1',
          ...Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, String(v)])),
          'content-length': String(bytes.length),
        },
        signal: AbortSignal.timeout(options.timeoutMs),
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size <= 65_536) chunks.push(c);
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(bytes);
  });
}

/** Words of chat messages and mails in the two languages. */
export const CHAT_WORDS = {
  en: {
    donated: 'donated',
    donor: 'Donor',
    amount: 'Amount',
    message: 'Message',
    test: 'TEST',
    refunded: 'refunded',
  },
  id: {
    donated: 'berdonasi',
    donor: 'Donatur',
    amount: 'Jumlah',
    message: 'Pesan',
    test: 'UJI',
    refunded: 'dikembalikan',
  },
} as const;

const LOCALES = { en: 'en-US', id: 'id-ID' } as const;

/** Formatted amount for a language (Intl, shared/money.ts). */
export function amountText(
  e: Pick<DonationEvent, 'amountMinor' | 'currency'>,
  language: 'id' | 'en',
): string {
  return formatMoney(e.amountMinor, e.currency, LOCALES[language]);
}

/** Backslash before every character Discord markdown gives a meaning (the text shows as typed). */
export function escapeDiscordMarkdown(text: string): string {
  return text.replace(/[\\*_~`|>#\-[\]()<:@]/g, (c) => `\\${c}`);
}

/** Escapes text for Telegram's HTML parse mode (`&`, `<`, `>`, and `"` for safety). */
export function escapeTelegramHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** The donation text as a channel shows it: word filter applied by the caller. */
export interface ChatDonation {
  donorName: string;
  message: string;
  amountMinor: number;
  currency: string;
  test: boolean;
  refunded?: boolean;
  at: string;
}

/** Discord execute-webhook body for a donation. */
export function discordPayload(d: ChatDonation, language: 'id' | 'en'): Record<string, unknown> {
  const w = CHAT_WORDS[language];
  const amount = amountText(d, language);
  const name = clip(d.donorName, 200);
  return {
    username: 'MediaShar',
    // Donor text never pings anyone (@everyone, @here, roles, users).
    allowed_mentions: { parse: [] },
    embeds: [
      {
        title: clip(
          `${d.test ? `[${w.test}] ` : ''}${escapeDiscordMarkdown(name)} ${d.refunded ? w.refunded : w.donated} ${amount}`,
          256,
        ),
        description: d.message ? clip(escapeDiscordMarkdown(d.message), 4000) : undefined,
        color: d.refunded ? 0x9e9e9e : 0xf5a623,
        fields: [
          { name: w.donor, value: clip(escapeDiscordMarkdown(name), 1024) || '-', inline: true },
          { name: w.amount, value: amount, inline: true },
        ],
        timestamp: d.at,
        footer: { text: 'MediaShar' },
      },
    ],
  };
}

/** Telegram sendMessage body for a donation. */
export function telegramPayload(
  d: ChatDonation,
  chatId: string,
  language: 'id' | 'en',
): Record<string, unknown> {
  const w = CHAT_WORDS[language];
  const head = `${d.test ? `[${w.test}] ` : ''}<b>${escapeTelegramHtml(clip(d.donorName, 200))}</b> ${d.refunded ? w.refunded : w.donated} <b>${escapeTelegramHtml(amountText(d, language))}</b>`;
  const text = d.message ? `${head}\n\n${escapeTelegramHtml(clip(d.message, 3000))}` : head;
  return {
    chat_id: /^-?\d+$/.test(chatId) ? Number(chatId) : chatId,
    text,
    parse_mode: 'HTML',
    link_preview_options: { is_disabled: true },
  };
}

function retryAfterMs(res: ChannelResponse, json: Record<string, unknown>): number {
  const fromJson =
    typeof json.retry_after === 'number'
      ? json.retry_after
      : typeof (json.parameters as { retry_after?: unknown } | undefined)?.retry_after === 'number'
        ? (json.parameters as { retry_after: number }).retry_after
        : undefined;
  const header = Number(res.headers['retry-after']);
  const seconds = fromJson ?? (Number.isFinite(header) ? header : 1);
  // At least 100 ms, at most an hour.
  return Math.min(3_600_000, Math.max(100, Math.ceil(seconds * 1000)));
}

/**
 * Reads a platform answer: ok on 2xx (and Telegram's `ok: true`).
 * @throws {PlatformRateLimited} on 429; Error naming the status otherwise.
 */
export function checkPlatformAnswer(res: ChannelResponse): void {
  let json: Record<string, unknown> = {};
  try {
    json = res.body ? (JSON.parse(res.body) as Record<string, unknown>) : {};
  } catch {
    /* not JSON */
  }
  if (res.status === 429) throw new PlatformRateLimited(retryAfterMs(res, json));
  if (res.status < 200 || res.status >= 300 || json.ok === false) {
    const description = typeof json.description === 'string' ? `: ${json.description.slice(0, 200)}` : '';
    throw Object.assign(new Error(`platform answered ${res.status}${description}`), {
      statusCode: res.status,
    });
  }
}

/** The URL a Discord webhook is executed at, on the configured API base. */
export function discordExecuteUrl(apiBase: string, webhookUrl: string): string {
  const m = DISCORD_WEBHOOK_URL.exec(webhookUrl);
  if (!m) throw new Error('not a Discord webhook URL');
  return `${apiBase.replace(/\/+$/, '')}/webhooks/${m[1]}/${m[2]}?wait=true`;
}

/** The sendMessage URL of a bot on the configured API base. */
export function telegramSendUrl(apiBase: string, token: string): string {
  return `${apiBase.replace(/\/+$/, '')}/bot${token}/sendMessage`;
}
