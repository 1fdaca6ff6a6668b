/**
 * A local stand-in for Discord's "Execute Webhook" (POST /webhooks/{id}/{token}, JSON body),
 * checking what Discord checks (discord.com/developers/docs/resources/webhook#execute-webhook and
 * …/resources/message#embed-object-embed-limits): content or embeds present, at most 10 embeds,
 * title ≤ 256, description ≤ 4096, ≤ 25 fields of name ≤ 256 and value ≤ 1024, 6000 characters in
 * all. Unknown webhooks get 404 {code: 10015}; a scheduled rate limit answers 429 with
 * `retry_after` (seconds) and `global`, as Discord does. Every request is recorded as received.
 */
import { serve, type FakeRequest, type RunningFake } from './fake-http.js';
import { chatFakeCore, type ChatFakeControls, type ChatRecord } from './chat-fake.js';

export interface DiscordEmbed {
  title?: string;
  description?: string;
  fields?: { name: string; value: string; inline?: boolean }[];
  [key: string]: unknown;
}

/** One request the fake got, with its verdict. */
export interface DiscordReceived extends ChatRecord {
  webhookId: string;
  token: string;
  wait: boolean;
  body: {
    content?: string;
    username?: string;
    embeds?: DiscordEmbed[];
    allowed_mentions?: { parse?: string[]; users?: string[]; roles?: string[] };
  };
}

export interface DiscordFake extends RunningFake, ChatFakeControls<DiscordReceived> {
  /** Webhooks (id/token) the fake knows; others answer 404. */
  addWebhook(id: string, token: string): void;
}

function problemOf(body: DiscordReceived['body']): string | undefined {
  const embeds = body.embeds ?? [];
  if (!body.content && !embeds.length) return 'Cannot send an empty message (50006)';
  if (embeds.length > 10) return 'embeds: at most 10';
  let total = 0;
  for (const e of embeds) {
    if ((e.title ?? '').length > 256) return 'embed title: at most 256';
    if ((e.description ?? '').length > 4096) return 'embed description: at most 4096';
    if ((e.fields ?? []).length > 25) return 'embed fields: at most 25';
    for (const f of e.fields ?? []) {
      if (!f.name || f.name.length > 256) return 'embed field name: 1-256';
      if (!f.value || f.value.length > 1024) return 'embed field value: 1-1024';
      total += f.name.length + f.value.length;
    }
    total += (e.title ?? '').length + (e.description ?? '').length;
  }
  if (total > 6000) return 'embeds: at most 6000 characters in all';
  if ((body.content ?? '').length > 2000) return 'content: at most 2000';
  return undefined;
}

export async function startDiscordFake(): Promise<DiscordFake> {
  const core = chatFakeCore<DiscordReceived>(0.2);
  const hooks = new Set<string>();
  let sent = 0;
  const fake = await serve(0, [
    [
      'POST',
      /^\/webhooks\/(\d+)\/([A-Za-z0-9_-]+)$/,
      async (req: FakeRequest, [id, token]) => {
        const record = await core.receive<DiscordReceived['body']>(req, (body, at) => ({
          at,
          webhookId: id!,
          token: token!,
          wait: req.query.get('wait') === 'true',
          body,
          status: 200,
        }));
        const { body } = record;
        if (!String(req.headers['content-type']).startsWith('application/json')) {
          record.status = 400;
          record.problem = 'not JSON';
          return { status: 400, body: { message: 'Cannot send an empty message', code: 50006 } };
        }
        const retryAfterS = core.takeRateLimit();
        if (retryAfterS !== undefined) {
          record.status = 429;
          return {
            status: 429,
            body: { message: 'You are being rate limited.', retry_after: retryAfterS, global: false },
          };
        }
        if (!hooks.has(`${id}/${token}`)) {
          record.status = 404;
          return { status: 404, body: { message: 'Unknown Webhook', code: 10015 } };
        }
        const problem = problemOf(body);
        if (problem) {
          record.status = 400;
          record.problem = problem;
          return { status: 400, body: { message: 'Invalid Form Body', code: 50035, errors: problem } };
        }
        return {
          status: 200,
          body: {
            id: String(++sent),
            type: 0,
            channel_id: '1',
            webhook_id: id,
            content: body.content ?? '',
            embeds: body.embeds ?? [],
          },
        };
      },
    ],
  ]);
  const running = core.expose(fake, {
    addWebhook(id: string, token: string) {
      hooks.add(`${id}/${token}`);
    },
  });
  return running;
}

/** Undoes Discord markdown escaping (a backslash before punctuation): the text a reader sees. */
export function discordVisibleText(text: string): string {
  return text.replace(/\\([^A-Za-z0-9\s])/g, '$1');
}
