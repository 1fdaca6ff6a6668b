/**
 * What the Discord and Telegram fakes share: each request waits the fake's delay (a slow
 * platform), has its JSON body read and is recorded before it is judged; a scheduled run of
 * rate-limit answers is taken one request at a time; and the test-facing controls (delayMs,
 * received, accepted, rateLimitNext) are the same on both.
 */
import { jsonBody, type FakeRequest, type RunningFake } from './fake-http.js';

/** A recorded request: when it came and the status it got. */
export interface ChatRecord {
  /** When the request arrived (ms since the epoch). */
  at: number;
  status: number;
  /** Why it was refused, if it was. */
  problem?: string;
}

/** The controls a test has on a chat platform fake. */
export interface ChatFakeControls<R extends ChatRecord> {
  /** Milliseconds each answer takes (a slow platform) [0]. */
  delayMs: number;
  received: R[];
  /** Messages accepted (2xx). */
  accepted(): R[];
  /** The next `n` requests answer 429 with retry_after `seconds`. */
  rateLimitNext(n: number, seconds?: number): void;
}

/** The request side of a chat fake (one per running fake). */
export interface ChatFakeCore<R extends ChatRecord> {
  /**
   * Waits the delay, reads the JSON body and records the request as `make(body, at)` builds it.
   * @returns the record (the handler sets its `status` and `problem`).
   */
  receive<B>(req: FakeRequest, make: (body: B, at: number) => R): Promise<R>;
  /** The retry_after (seconds) of a scheduled 429 for this request, or undefined. */
  takeRateLimit(): number | undefined;
  /** The running fake with the test controls (delayMs stays a live property). */
  expose<E extends object>(fake: RunningFake, extra: E): RunningFake & ChatFakeControls<R> & E;
}

/** @param defaultRetryAfterS retry_after of rateLimitNext without `seconds` (the platform's unit: s). */
export function chatFakeCore<R extends ChatRecord>(defaultRetryAfterS: number): ChatFakeCore<R> {
  const received: R[] = [];
  const state = { delayMs: 0, limited: 0, retryAfterS: defaultRetryAfterS };
  return {
    async receive<B>(req: FakeRequest, make: (body: B, at: number) => R) {
      if (state.delayMs) await new Promise((r) => setTimeout(r, state.delayMs));
      const record = make(jsonBody(req) as B, Date.now());
      received.push(record);
      return record;
    },
    takeRateLimit() {
      if (state.limited <= 0) return undefined;
      state.limited--;
      return state.retryAfterS;
    },
    expose<E extends object>(fake: RunningFake, extra: E) {
      const controls: ChatFakeControls<R> = {
        get delayMs() {
          return state.delayMs;
        },
        set delayMs(ms: number) {
          state.delayMs = ms;
        },
        received,
        accepted: () => received.filter((r) => r.status >= 200 && r.status < 300),
        rateLimitNext(n, seconds = defaultRetryAfterS) {
          state.limited = n;
          state.retryAfterS = seconds;
        },
      };
      // Object.assign would copy delayMs's value once; the descriptors keep it live.
      return Object.defineProperties(
        { ...fake, ...extra },
        Object.getOwnPropertyDescriptors(controls),
      ) as RunningFake & ChatFakeControls<R> & E;
    },
  };
}
