/**
 * A local stand-in for the Telegram Bot API's sendMessage (POST /bot<token>/sendMessage, JSON),
 * checking what Telegram checks (core.telegram.org/bots/api#sendmessage, #formatting-options):
 * a known token (else 401 Unauthorized), chat_id, 1–4096 characters of text after entity parsing,
 * and with parse_mode HTML only the supported tags and the entities &lt; &gt; &amp; &quot; (and
 * numeric ones); anything else is "Bad Request: can't parse entities" (400). A scheduled rate
 * limit answers 429 with parameters.retry_after (whole seconds). Each request is recorded with
 * the plain text a reader would see.
 */
import { serve, type FakeRequest, type RunningFake } from './fake-http.js';
import { chatFakeCore, type ChatFakeControls, type ChatRecord } from './chat-fake.js';

export interface TelegramReceived extends ChatRecord {
  token: string;
  body: { chat_id?: number | string; text?: string; parse_mode?: string; [key: string]: unknown };
  /** The text as shown in the chat (tags removed, entities decoded). */
  visible: string;
}

export interface TelegramFake extends RunningFake, ChatFakeControls<TelegramReceived> {
  addBot(token: string): void;
}

const TAGS = new Set([
  'b',
  'strong',
  'i',
  'em',
  'u',
  'ins',
  's',
  'strike',
  'del',
  'a',
  'code',
  'pre',
  'tg-spoiler',
  'blockquote',
  'span',
  'tg-emoji',
]);

/** Parses Telegram HTML: the visible text, or the parse error. */
export function parseTelegramHtml(text: string): { visible: string } | { error: string } {
  let out = '';
  for (let i = 0; i < text.length;) {
    const c = text[i]!;
    if (c === '<') {
      const end = text.indexOf('>', i);
      if (end < 0) return { error: `can't parse entities: unclosed start tag at byte offset ${i}` };
      const name = /^<\/?([a-z-]+)/.exec(text.slice(i, end + 1))?.[1];
      if (!name || !TAGS.has(name))
        return { error: `can't parse entities: unsupported start tag "${name ?? ''}" at byte offset ${i}` };
      i = end + 1;
    } else if (c === '&') {
      const m = /^&(lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);/.exec(text.slice(i));
      if (!m) return { error: `can't parse entities: unsupported entity at byte offset ${i}` };
      const e = m[1]!;
      out +=
        e === 'lt'
          ? '<'
          : e === 'gt'
            ? '>'
            : e === 'amp'
              ? '&'
              : e === 'quot'
                ? '"'
                : String.fromCodePoint(e.startsWith('#x') ? parseInt(e.slice(2), 16) : Number(e.slice(1)));
      i += m[0].length;
    } else {
      out += c;
      i++;
    }
  }
  return { visible: out };
}

export async function startTelegramFake(): Promise<TelegramFake> {
  const core = chatFakeCore<TelegramReceived>(1);
  const bots = new Set<string>();
  let sent = 0;
  const fake = await serve(0, [
    [
      'POST',
      /^\/bot([^/]+)\/sendMessage$/,
      async (req: FakeRequest, [token]) => {
        const record = await core.receive<TelegramReceived['body']>(req, (body, at) => ({
          at,
          token: token!,
          body,
          visible: '',
          status: 200,
        }));
        const { body } = record;
        const fail = (status: number, description: string, extra: Record<string, unknown> = {}) => {
          record.status = status;
          record.problem = description;
          return { status, body: { ok: false, error_code: status, description, ...extra } };
        };
        if (!bots.has(token!)) return fail(401, 'Unauthorized');
        const retryAfterS = core.takeRateLimit();
        if (retryAfterS !== undefined)
          return fail(429, `Too Many Requests: retry after ${retryAfterS}`, {
            parameters: { retry_after: retryAfterS },
          });
        if (body.chat_id === undefined || body.chat_id === '')
          return fail(400, 'Bad Request: chat_id is empty');
        if (typeof body.text !== 'string' || !body.text)
          return fail(400, 'Bad Request: message text is empty');
        let visible = body.text;
        if (body.parse_mode === 'HTML') {
          const parsed = parseTelegramHtml(body.text);
          if ('error' in parsed) return fail(400, `Bad Request: ${parsed.error}`);
          visible = parsed.visible;
        } else if (body.parse_mode !== undefined)
          return fail(400, 'Bad Request: unsupported parse_mode in this fake');
        if ([...visible].length > 4096) return fail(400, 'Bad Request: message is too long');
        record.visible = visible;
        return {
          status: 200,
          body: {
            ok: true,
            result: {
              message_id: ++sent,
              date: Math.floor(Date.now() / 1000),
              chat: { id: body.chat_id },
              text: visible,
            },
          },
        };
      },
    ],
  ]);
  const running = core.expose(fake, {
    addBot(token: string) {
      bots.add(token);
    },
  });
  return running;
}
