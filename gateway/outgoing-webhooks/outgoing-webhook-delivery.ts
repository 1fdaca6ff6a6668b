/**
 * Delivering one event to one streamer endpoint, and the stream reader that turns each event of
 * the global donation stream into one delivery job per endpoint.
 *
 * Signature (the scheme Stripe uses for its webhooks): header
 * `X-MediaShar-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`. A
 * receiver recomputes it over the raw bytes and rejects old timestamps (replays).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Redis } from 'ioredis';
import type { Logger } from '../../shared/logger.js';
import { StreamGroupReader, type StreamEntry } from '../../shared/stream-group-reader.js';
import { parseEntry } from '../../shared/alert-stream.js';
import { formatMoney } from '../../shared/money.js';
import { KEYS, QUEUES, STREAMS, type OutgoingWebhookJob, type TypedQueue } from '../../shared/queues.js';
import type { OutgoingWebhookStore } from './outgoing-webhooks.store.js';
import {
  assertPublicLiteral,
  NotPublicAddressError,
  publicOnlyAgents,
  type DestinationAgents,
} from './webhook-destination.js';

/** Agents of this process: public-only (connect-time check) and, for development, unfiltered. */
let publicAgents: DestinationAgents | undefined;
let openAgents: DestinationAgents | undefined;
function agentsFor(allowInternal: boolean): DestinationAgents {
  if (allowInternal) return (openAgents ??= { http: new HttpAgent(), https: new HttpsAgent() });
  return (publicAgents ??= publicOnlyAgents());
}

/**
 * POSTs `body` to `url` through `agents` and answers the status code. Redirects are not followed
 * (node:http never does): a 3xx is an answer like any non-2xx.
 * @throws {NotPublicAddressError} when the destination is not public; other network errors.
 */
export async function postWebhook(
  url: string,
  headers: Record<string, string>,
  body: string,
  options: { agents: DestinationAgents; timeoutMs: number; checkLiteral: boolean },
): Promise<number> {
  if (options.checkLiteral) assertPublicLiteral(url);
  const target = new URL(url);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const agent = target.protocol === 'https:' ? options.agents.https : options.agents.http;
  return await new Promise<number>((resolve, reject) => {
    const req = send(
      target,
      {
        method: 'POST',
        agent,
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        signal: AbortSignal.timeout(options.timeoutMs),
      },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * What the delivery log says about a failed attempt: never an address the name resolved to.
 */
function attemptError(err: unknown): string {
  if (err instanceof NotPublicAddressError) return err.message;
  const e = err as NodeJS.ErrnoException;
  if (e?.name === 'AbortError' || e?.name === 'TimeoutError') return 'timed out';
  if (typeof e?.code === 'string') return `connection failed (${e.code})`;
  return 'connection failed';
}

/** `t=…,v1=…` for a body signed at `timestampS` (unix seconds). */
export function signWebhookBody(secret: string, body: string, timestampS: number): string {
  const mac = createHmac('sha256', secret).update(`${timestampS}.${body}`).digest('hex');
  return `t=${timestampS},v1=${mac}`;
}

/**
 * Checks a signature header as a receiver would (used by tests and documented for integrators).
 * @param toleranceS how old the timestamp may be, in seconds.
 */
export function verifyWebhookSignature(
  secret: string,
  body: string,
  header: string,
  nowS = Math.floor(Date.now() / 1000),
  toleranceS = 300,
): boolean {
  const parts = new Map(header.split(',').map((p) => p.split('=', 2) as [string, string]));
  const t = Number(parts.get('t'));
  const given = Buffer.from(parts.get('v1') ?? '', 'hex');
  if (!Number.isInteger(t) || Math.abs(nowS - t) > toleranceS) return false;
  const expected = Buffer.from(signWebhookBody(secret, body, t).split('v1=')[1]!, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The JSON body sent for a job (stable across attempts; only the signature time changes). */
export function webhookBody(deliveryId: string, job: OutgoingWebhookJob): string {
  const e = job.event;
  return JSON.stringify({
    id: deliveryId,
    type: e.type,
    test: e.test,
    data: {
      eventId: job.eventKey,
      donationId: e.donationId,
      streamerId: e.streamerId,
      donorName: e.donorName,
      amount: e.amountMinor,
      currency: e.currency,
      formattedAmount: formatMoney(e.amountMinor, e.currency),
      message: e.message,
      mediaShare: e.mediaShare,
      createdAt: e.createdAt,
      paidAt: e.paidAt,
    },
  });
}

/**
 * Delivers one job (a BullMQ processor body): POSTs the signed body, logs the attempt, and throws
 * on a non-2xx answer or a network error so BullMQ retries with backoff.
 * @param attempt 1-based attempt number.
 */
export async function deliverWebhook(
  deps: {
    store: OutgoingWebhookStore;
    timeoutMs: number;
    allowInternal: boolean;
    log: Logger;
    /** The agents to send with [public-only unless allowInternal]; tests pass stubbed ones. */
    agents?: DestinationAgents;
  },
  deliveryId: string,
  job: OutgoingWebhookJob,
  attempt: number,
): Promise<{ statusCode: number } | { skipped: true }> {
  const endpoint = await deps.store.endpointWithSecret(job.endpointId);
  if (!endpoint) return { skipped: true }; // deleted since: nothing to deliver
  const body = webhookBody(deliveryId, job);
  const started = performance.now();
  let statusCode: number | null = null;
  let error = '';
  try {
    // The destination is checked at connect time by the agent's lookup (see webhook-destination.ts).
    statusCode = await postWebhook(
      endpoint.url,
      {
        'content-type': 'application/json',
        'user-agent': 'MediaShar-Webhooks/1',
        'x-mediashar-event': job.event.type,
        'x-mediashar-delivery': deliveryId,
        'x-mediashar-signature': signWebhookBody(endpoint.secret, body, Math.floor(Date.now() / 1000)),
      },
      body,
      {
        agents: deps.agents ?? agentsFor(deps.allowInternal),
        timeoutMs: deps.timeoutMs,
        checkLiteral: !deps.allowInternal,
      },
    );
    if (statusCode < 200 || statusCode >= 300) error = `endpoint answered ${statusCode}`;
  } catch (err) {
    error = attemptError(err);
  }
  await deps.store.logAttempt({
    deliveryId,
    endpointId: endpoint.id,
    eventType: job.event.type,
    eventKey: job.eventKey,
    attempt,
    ok: !error,
    statusCode,
    error,
    durationMs: Math.round(performance.now() - started),
  });
  if (error) throw new Error(error);
  return { statusCode: statusCode! };
}

/** Options of the stream reader (defaults in brackets). */
export interface WebhookFanoutOptions {
  /** Blocking read timeout, in ms [2000]. */
  blockMs?: number;
  /** A pending entry idle this long is taken from its (dead) consumer, in ms [10000]. */
  claimIdleMs?: number;
  /** Delivery attempts per job. */
  attempts: number;
  /** First retry delay, doubled per attempt, in ms. */
  backoffMs: number;
  /**
   * A connection for pub/sub (KEYS.webhookEndpointsChannel): with it, the set of streamers with
   * endpoints is cached and reloaded when the gateway announces a change, so a batch of events of
   * streamers without endpoints costs no SQL. Without it, every batch looks the endpoints up.
   */
  subscriber?: Redis;
  /** The cached set is reloaded at least this often, in case an announcement was lost, in ms [60000]. */
  reloadEveryMs?: number;
}

/**
 * Reads the global donation stream through its own consumer group ('outgoing-webhooks') and
 * enqueues one delivery job per matching endpoint, with a deterministic jobId; acknowledges the
 * entries only after the jobs are in the queue. Pending entries of a dead consumer are reclaimed
 * (XAUTOCLAIM); a NOGROUP after a Redis restart recreates the group.
 */
export class WebhookFanout {
  private readonly reader: StreamGroupReader;
  private readonly prefix: string;
  /** Streamers with at least one endpoint; undefined = reload before the next batch. */
  private withEndpoints: Set<string> | undefined;
  /** Bumped by every invalidation, so a reload that raced with one is not kept. */
  private generation = 0;
  private loadedAt = 0;

  constructor(
    redis: Redis,
    blocking: Redis,
    prefix: string,
    private readonly store: OutgoingWebhookStore,
    private readonly queue: TypedQueue<'outgoing-webhooks'>,
    private readonly log: Logger,
    private readonly options: WebhookFanoutOptions,
  ) {
    this.prefix = prefix;
    // The group starts at the stream's end when created: webhooks start with new events.
    this.reader = new StreamGroupReader(
      redis,
      blocking,
      STREAMS.donationEvents(prefix),
      STREAMS.outgoingWebhooksGroup,
      (entries) => this.enqueue(entries),
      log,
      {
        startId: '$',
        blockMs: options.blockMs,
        claimIdleMs: options.claimIdleMs ?? 10_000,
        claimEveryMs: 5000,
      },
    );
  }

  /** Drops the cached set of streamers with endpoints (a change was announced, or the subscription reconnected). */
  private invalidate(): void {
    this.withEndpoints = undefined;
    this.generation++;
  }

  /** The cached set of streamers with endpoints, reloaded from gateway_db when stale. */
  private async streamersWithEndpoints(): Promise<Set<string>> {
    const reloadEveryMs = this.options.reloadEveryMs ?? 60_000;
    if (this.withEndpoints && Date.now() - this.loadedAt < reloadEveryMs) return this.withEndpoints;
    const generation = this.generation;
    const set = await this.store.streamersWithEndpoints();
    if (generation === this.generation) {
      this.withEndpoints = set;
      this.loadedAt = Date.now();
    }
    return set;
  }

  /** Creates the group at the stream's end when missing. */
  ensureGroup(): Promise<void> {
    return this.reader.ensureGroup();
  }

  start(): void {
    const subscriber = this.options.subscriber;
    if (subscriber) {
      const channel = KEYS.webhookEndpointsChannel(this.prefix);
      // Every (re)connection re-subscribes and drops the cache: announcements may have been missed.
      subscriber.on('ready', () => this.invalidate());
      subscriber.on('message', (ch: string) => {
        if (ch === channel) this.invalidate();
      });
      subscriber.subscribe(channel).catch((err: unknown) => {
        this.log.warn({ err }, 'webhook endpoint changes not subscribed: looking endpoints up per batch');
        this.options.subscriber = undefined;
      });
    }
    this.reader.start();
  }

  /** Stops reading and finishes the batch in hand. Idempotent. */
  stop(): Promise<void> {
    return this.reader.stop();
  }

  private async enqueue(entries: StreamEntry[]): Promise<void> {
    const events = entries.flatMap(([id, fields]) => {
      try {
        return [parseEntry(id, fields)];
      } catch (err) {
        this.log.error({ err, entryId: id }, 'unreadable stream entry skipped');
        return [];
      }
    });
    let streamerIds = [...new Set(events.map((e) => e.event.streamerId))];
    if (this.options.subscriber) {
      const withEndpoints = await this.streamersWithEndpoints();
      streamerIds = streamerIds.filter((id) => withEndpoints.has(id));
      // No streamer of this batch uses webhooks: nothing to look up or enqueue.
      if (!streamerIds.length) return;
    }
    const endpoints = await this.store.endpointsOf(streamerIds);
    const jobs = events.flatMap((e) =>
      (endpoints.get(e.event.streamerId) ?? [])
        .filter((ep) => ep.events.includes(e.event.type))
        .map((ep) => {
          const eventKey = e.eventId || e.entryId;
          return {
            name: QUEUES.outgoingWebhooks.jobs.deliver,
            data: { endpointId: ep.id, streamerId: e.event.streamerId, eventKey, event: e.event },
            opts: {
              jobId: `${ep.id}_${eventKey}`,
              attempts: this.options.attempts,
              backoff: { type: 'exponential', delay: this.options.backoffMs },
            },
          };
        }),
    );
    if (jobs.length) await this.queue.addBulk(jobs);
    if (jobs.length)
      this.log.debug({ entries: entries.length, jobs: jobs.length }, 'webhook deliveries enqueued');
  }
}
