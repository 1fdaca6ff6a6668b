/**
 * The notifications worker pool's work: a stream reader (its own consumer group on the global
 * donation stream) that turns each paid or refunded donation into one job per channel, and the
 * job body that sends one of them (Discord, Telegram, browser push, or a mail) and logs the
 * attempt. Nothing here is on the overlay's path: the notification service reads the same stream
 * through its own group, and a slow platform only delays this pool's jobs.
 *
 * Exactly once per channel and donation: the jobId is `${channel}-${target}_${eventKey}` (a
 * re-read entry collapses into the queued job), and a row in notification_sent is written right
 * after a platform accepted the message and checked before sending (a job that ran again, after
 * its worker was killed, skips what was sent). The window left is a kill between the platform's
 * answer and that row's commit (none of these platforms takes an idempotency key).
 */
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import type { Redis } from 'ioredis';
import webpush from 'web-push';
import type { Transporter } from 'nodemailer';
import type { Logger } from '../../shared/logger.js';
import { StreamGroupReader, type StreamEntry } from '../../shared/stream-group-reader.js';
import { parseEntry } from '../../shared/alert-stream.js';
import { checkText } from '../../shared/word-filter.js';
import {
  permanent,
  QUEUES,
  STREAMS,
  type DonationEvent,
  type NotificationJob,
  type TypedQueue,
} from '../../shared/queues.js';
import { RateLimitedError } from '../../shared/errors.js';
import { NotPublicAddressError } from '../outgoing-webhooks/webhook-destination.js';
import {
  amountText,
  checkPlatformAnswer,
  discordExecuteUrl,
  discordPayload,
  PlatformRateLimited,
  postJson,
  postRaw,
  telegramPayload,
  telegramSendUrl,
  type ChatDonation,
} from './chat-channels.js';
import {
  digestMail,
  emailVerificationMail,
  passwordResetMail,
  receiptMail,
  refundMail,
  streamerDonationMail,
  type Mail,
  type MailDonation,
} from './mail-templates.js';
import type { NotificationStore, StreamerNotificationTarget } from './notifications.store.js';

/** What sending needs; each optional part off means that channel is off. */
export interface NotificationDeps {
  store: NotificationStore;
  log: Logger;
  publicUrl: string;
  discordApiBase: string;
  telegramApiBase: string;
  timeoutMs: number;
  /** Destinations may be loopback/private (development and tests only). */
  allowInternal: boolean;
  /** Mail transport (nodemailer over SMTP_URL), or undefined when mail is off. */
  mailer?: Transporter;
  mailFrom: string;
  vapid?: { subject: string; publicKey: string; privateKey: string };
  /** Signs unsubscribe links. */
  unsubscribeKey: Buffer;
  /** Lifetimes of the account mails' links, in seconds. */
  passwordResetTtlS: number;
  emailVerificationTtlS: number;
}

/** The key unsubscribe links are signed with (HKDF from the install's encryption secret). */
export function unsubscribeKey(master: string): Buffer {
  return Buffer.from(hkdfSync('sha256', master, 'mediashar', 'mediashar/v1/unsubscribe', 32));
}

/** `<streamerId>.<hex HMAC>`: turns a streamer's donation mails off without logging in. */
export function unsubscribeToken(key: Buffer, streamerId: string): string {
  return `${streamerId}.${createHmac('sha256', key).update(`unsubscribe:${streamerId}`).digest('base64url')}`;
}

/** The streamer id of a valid unsubscribe token, or null. */
export function verifyUnsubscribeToken(key: Buffer, token: string): string | null {
  const [id, mac] = token.split('.');
  if (!id || !mac || !/^[0-9a-f-]{36}$/.test(id)) return null;
  const expected = Buffer.from(unsubscribeToken(key, id).split('.')[1]!);
  const given = Buffer.from(mac);
  return given.length === expected.length && timingSafeEqual(given, expected) ? id : null;
}

function unsubscribeUrl(deps: NotificationDeps, streamerId: string): string {
  const url = new URL('/api/v1/notifications/unsubscribe', deps.publicUrl);
  url.searchParams.set('token', unsubscribeToken(deps.unsubscribeKey, streamerId));
  return url.toString();
}

/** True when a chat/push channel wants this donation (threshold in the streamer's currency). */
function aboveThreshold(minMinor: number, target: StreamerNotificationTarget, e: DonationEvent): boolean {
  return e.currency !== target.currency || e.amountMinor >= minMinor;
}

/** The channels (and targets) an event goes to, given the streamer's settings. */
export function channelsFor(
  e: DonationEvent,
  target: StreamerNotificationTarget,
  push: { id: string }[],
  hasDonorContact: boolean,
  enabled: { mail: boolean; push: boolean },
): { channel: NotificationJob['channel']; target: string }[] {
  const s = target.settings;
  const out: { channel: NotificationJob['channel']; target: string }[] = [];
  if (e.type === 'donation.paid') {
    if (s.discord.enabled && target.discordUrl && aboveThreshold(s.discord.minMinor, target, e))
      out.push({ channel: 'discord', target: '' });
    if (
      s.telegram.enabled &&
      target.telegramToken &&
      s.telegram.chatId &&
      aboveThreshold(s.telegram.minMinor, target, e)
    )
      out.push({ channel: 'telegram', target: '' });
    if (enabled.push && s.push.enabled && aboveThreshold(s.push.minMinor, target, e))
      for (const sub of push) out.push({ channel: 'push', target: sub.id });
    if (enabled.mail && s.email.mode === 'each') out.push({ channel: 'email-streamer', target: '' });
    if (enabled.mail && hasDonorContact) out.push({ channel: 'email-receipt', target: e.donationId });
  } else if (e.type === 'donation.refunded' && enabled.mail) {
    if (s.email.refunds && s.email.mode !== 'off') out.push({ channel: 'email-refund', target: 'streamer' });
    if (hasDonorContact) out.push({ channel: 'email-refund', target: e.donationId });
  }
  return out;
}

/** Options of the fan-out (defaults in brackets). */
export interface NotificationFanoutOptions {
  attempts: number;
  backoffMs: number;
  /** Blocking read timeout, in ms [2000]. */
  blockMs?: number;
  /** A pending entry idle this long is taken from its (dead) consumer, in ms [10000]. */
  claimIdleMs?: number;
  mail: boolean;
  push: boolean;
}

/**
 * Reads the global donation stream through the `notifications` consumer group and enqueues one
 * job per channel of each paid or refunded donation, acknowledging entries only after the jobs
 * are in the queue. Also records paid donations for the digest.
 */
export class NotificationFanout {
  private readonly reader: StreamGroupReader;

  constructor(
    redis: Redis,
    blocking: Redis,
    prefix: string,
    private readonly store: NotificationStore,
    private readonly queue: TypedQueue<'notifications'>,
    private readonly log: Logger,
    private readonly options: NotificationFanoutOptions,
  ) {
    this.reader = new StreamGroupReader(
      redis,
      blocking,
      STREAMS.donationEvents(prefix),
      STREAMS.notificationsGroup,
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

  ensureGroup(): Promise<void> {
    return this.reader.ensureGroup();
  }

  start(): void {
    this.reader.start();
  }

  /** Stops reading and finishes the batch in hand. Idempotent. */
  stop(): Promise<void> {
    return this.reader.stop();
  }

  private async enqueue(entries: StreamEntry[]): Promise<void> {
    const events = entries.flatMap(([id, fields]) => {
      try {
        const parsed = parseEntry(id, fields);
        const t = parsed.event.type;
        return t === 'donation.paid' || t === 'donation.refunded' ? [parsed] : [];
      } catch (err) {
        this.log.error({ err, entryId: id }, 'unreadable stream entry skipped');
        return [];
      }
    });
    if (!events.length) return;
    const streamerIds = [...new Set(events.map((e) => e.event.streamerId))];
    const [targets, contacts] = await Promise.all([
      this.store.targets(streamerIds),
      this.store.donationsWithContact([...new Set(events.map((e) => e.event.donationId))]),
    ]);
    const push = new Map<string, { id: string }[]>();
    if (this.options.push)
      for (const id of streamerIds)
        if (targets.get(id)?.settings.push.enabled) push.set(id, await this.store.pushSubscriptions(id));
    const kept = events.filter((e) => targets.has(e.event.streamerId));
    await this.store.recordLedgers(
      kept.map((e) => ({
        donationId: e.event.donationId,
        streamerId: e.event.streamerId,
        amountMinor: e.event.amountMinor,
        currency: e.event.currency,
        test: e.event.test,
        paidAt: e.event.paidAt,
        refunded: e.event.type === 'donation.refunded',
      })),
    );
    const jobs = [];
    for (const e of kept) {
      const target = targets.get(e.event.streamerId)!;
      // One per donation and kind: a refund is its own event next to the paid one.
      const eventKey = `${e.event.type === 'donation.refunded' ? 'refund' : 'paid'}-${e.event.donationId}`;
      for (const c of channelsFor(
        e.event,
        target,
        push.get(target.streamerId) ?? [],
        contacts.has(e.event.donationId),
        this.options,
      ))
        jobs.push({
          name: QUEUES.notifications.jobs.send,
          data: {
            channel: c.channel,
            target: c.target,
            streamerId: target.streamerId,
            eventKey,
            event: e.event,
          },
          opts: {
            jobId: `${c.channel}-${c.target || 'streamer'}_${eventKey}`,
            attempts: this.options.attempts,
            backoff: { type: 'exponential', delay: this.options.backoffMs },
          },
        });
    }
    if (jobs.length) {
      await this.queue.addBulk(jobs);
      this.log.info({ entries: entries.length, jobs: jobs.length }, 'notifications enqueued');
    }
  }
}

function attemptError(err: unknown): string {
  if (err instanceof NotPublicAddressError) return err.message;
  if (err instanceof PlatformRateLimited) return err.message;
  const e = err as NodeJS.ErrnoException & { statusCode?: number };
  if (e?.name === 'AbortError' || e?.name === 'TimeoutError') return 'timed out';
  if (typeof e?.code === 'string' && !e.statusCode) return `connection failed (${e.code})`;
  return (e?.message ?? 'failed').slice(0, 300);
}

/** The donation as the streamer's channels show it: the streamer's word filter applied (again, in case it changed). */
function filtered(e: DonationEvent, target: StreamerNotificationTarget): ChatDonation & MailDonation {
  return {
    donationId: e.donationId,
    donorName: checkText(e.donorName, target.wordFilter).masked,
    message: checkText(e.message, target.wordFilter).masked,
    amountMinor: e.amountMinor,
    currency: e.currency,
    test: e.test,
    refunded: e.type === 'donation.refunded',
    at: e.paidAt,
    paidAt: e.paidAt,
  };
}

async function sendMail(deps: NotificationDeps, to: string, mail: Mail): Promise<number> {
  if (!deps.mailer) throw permanent(new Error('mail is off (SMTP_URL unset)'));
  await deps.mailer.sendMail({
    from: deps.mailFrom,
    to,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    ...(mail.unsubscribeUrl
      ? {
          list: { unsubscribe: { url: mail.unsubscribeUrl, comment: 'Unsubscribe' } },
          headers: { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
        }
      : {}),
  });
  return 250;
}

/** The push message of a donation (JSON the service worker shows). */
export function pushMessage(d: ChatDonation, language: 'id' | 'en', url: string): string {
  const title = `${d.test ? '[TEST] ' : ''}${d.donorName} ${language === 'id' ? 'berdonasi' : 'donated'} ${amountText(d, language)}`;
  return JSON.stringify({ title, body: d.message.slice(0, 200), url });
}

/**
 * Sends to one channel. @returns a status code (HTTP, or 250 for a mail) or 0 when skipped.
 * @throws PlatformRateLimited, UnrecoverableError (a 4xx or a gone subscription) or Error.
 */
async function sendOnce(
  deps: NotificationDeps,
  job: NotificationJob,
  target: StreamerNotificationTarget | undefined,
): Promise<number> {
  if (job.channel === 'email-password-reset' || job.channel === 'email-verification') {
    const user = await deps.store.userEmail(job.target);
    if (!user || !job.token) return 0;
    const reset = job.channel === 'email-password-reset';
    // The token rides in the fragment, so it never reaches a server log or a Referer.
    const url = new URL(reset ? '/reset-password' : '/verify-email', deps.publicUrl);
    url.hash = `token=${job.token}`;
    const language = job.language ?? user.language;
    return sendMail(
      deps,
      user.email,
      reset
        ? passwordResetMail(url.toString(), deps.passwordResetTtlS, language)
        : emailVerificationMail(url.toString(), deps.emailVerificationTtlS, language),
    );
  }
  if (!target) return 0; // the streamer is gone
  const language = target.settings.language;
  if (job.channel === 'email-digest') {
    const until = new Date(job.until ?? Date.now());
    const from = new Date(job.eventKey.split('_')[1] ?? until.getTime() - 86_400_000);
    const totals = await deps.store.digestTotals(target.streamerId, from, until);
    if (!totals.real.length && !totals.test.length) return 0; // nothing came: no mail
    return sendMail(
      deps,
      target.email,
      digestMail(
        totals,
        { from: from.toISOString(), until: until.toISOString() },
        language,
        unsubscribeUrl(deps, target.streamerId),
      ),
    );
  }
  const e = job.event;
  if (!e) return 0;
  const d = filtered(e, target);
  const dashboardUrl = new URL('/dashboard', deps.publicUrl).toString();
  const http = { allowInternal: deps.allowInternal, timeoutMs: deps.timeoutMs };
  const answer = (res: Awaited<ReturnType<typeof postJson>>) => {
    try {
      checkPlatformAnswer(res);
    } catch (err) {
      // 4xx but 429: the URL, token or chat is wrong; retrying cannot help.
      const status = (err as { statusCode?: number }).statusCode ?? 0;
      if (status >= 400 && status < 500) throw Object.assign(permanent(err), { statusCode: status });
      throw err;
    }
    return res.status;
  };
  switch (job.channel) {
    case 'discord':
      return answer(
        await postJson(
          discordExecuteUrl(deps.discordApiBase, target.discordUrl),
          discordPayload(d, language),
          http,
        ),
      );
    case 'telegram':
      return answer(
        await postJson(
          telegramSendUrl(deps.telegramApiBase, target.telegramToken),
          telegramPayload(d, target.settings.telegram.chatId, language),
          http,
        ),
      );
    case 'push': {
      if (!deps.vapid) throw permanent(new Error('push is off (no VAPID keys)'));
      const sub = await deps.store.pushSubscription(job.target);
      if (!sub) return 0;
      // web-push encrypts (RFC 8291 aes128gcm) and signs (RFC 8292 VAPID); the request goes
      // through the same public-only agents as every other destination (its own https.request
      // would not check the address a browser-given endpoint resolves to).
      const request = webpush.generateRequestDetails(
        { endpoint: sub.endpoint, keys: { p256dh: sub.p256dh, auth: sub.auth } },
        pushMessage(d, language, dashboardUrl),
        { vapidDetails: deps.vapid, TTL: 3600, contentEncoding: 'aes128gcm', urgency: 'normal' },
      );
      const res = await postRaw(request.endpoint, request.headers, request.body, http);
      if (res.status === 404 || res.status === 410) {
        // The browser dropped the subscription: forget it, nothing to retry.
        await deps.store.removePushSubscription(sub.id);
        deps.log.info({ subscriptionId: sub.id, status: res.status }, 'push subscription expired, removed');
        throw Object.assign(permanent(new Error(`push service answered ${res.status}`)), {
          statusCode: res.status,
        });
      }
      if (res.status === 429)
        throw new PlatformRateLimited(Math.max(100, (Number(res.headers['retry-after']) || 1) * 1000));
      if (res.status < 200 || res.status >= 300) {
        const err = Object.assign(new Error(`push service answered ${res.status}`), {
          statusCode: res.status,
        });
        throw res.status >= 400 && res.status < 500
          ? Object.assign(permanent(err), { statusCode: res.status })
          : err;
      }
      return res.status;
    }
    case 'email-streamer':
      return sendMail(
        deps,
        target.email,
        streamerDonationMail(d, language, unsubscribeUrl(deps, target.streamerId)),
      );
    case 'email-receipt': {
      const contact = await deps.store.donorContact(e.donationId);
      if (!contact) return 0;
      // The donor's own words as typed (masked only where the streamer reads them).
      const own = { ...d, donorName: e.donorName, message: e.message };
      return sendMail(deps, contact.email, receiptMail(own, target.displayName, contact.language));
    }
    case 'email-refund': {
      if (job.target === 'streamer')
        return sendMail(
          deps,
          target.email,
          refundMail(
            d,
            { kind: 'streamer', unsubscribeUrl: unsubscribeUrl(deps, target.streamerId) },
            language,
          ),
        );
      const contact = await deps.store.donorContact(e.donationId);
      if (!contact) return 0;
      return sendMail(
        deps,
        contact.email,
        refundMail(
          { ...d, donorName: e.donorName },
          { kind: 'donor', streamerName: target.displayName },
          contact.language,
        ),
      );
    }
  }
}

/**
 * One notification job (a BullMQ processor body): skips what was sent already, sends, marks it
 * sent, logs the attempt. A 429 delays the job by the platform's retry_after without using an
 * attempt (RateLimitedError, see shared/processor.ts); other failures retry with backoff.
 * @param attempt 1-based attempt number.
 */
export async function deliverNotification(
  deps: NotificationDeps,
  jobId: string,
  job: NotificationJob,
  attempt: number,
): Promise<{ statusCode: number } | { skipped: true }> {
  // A streamer's Discord webhook or Telegram chat gets one message at a time from this process:
  // both platforms limit each destination to a few messages a second (Discord answers 429,
  // Telegram "Too Many Requests" beyond ~1/s per chat), and a pool killed mid-burst has at
  // most one unmarked send per destination in flight, which is all that can repeat.
  if (job.channel === 'discord' || job.channel === 'telegram')
    return chatSends.run(`${job.channel}:${job.streamerId}`, () => deliverOnce(deps, jobId, job, attempt));
  return deliverOnce(deps, jobId, job, attempt);
}

/**
 * Runs tasks one after another per key (in the order they were given), different keys side by
 * side; a key's chain is dropped once it is idle.
 */
export class KeyedSerial {
  private readonly tails = new Map<string, Promise<unknown>>();

  /** Runs `task` after every earlier task of `key` settled; resolves or rejects as it does. */
  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Keys with a task running or waiting. */
  get activeKeys(): number {
    return this.tails.size;
  }
}

/** The chat destinations' send order of this process. */
const chatSends = new KeyedSerial();

async function deliverOnce(
  deps: NotificationDeps,
  jobId: string,
  job: NotificationJob,
  attempt: number,
): Promise<{ statusCode: number } | { skipped: true }> {
  const markTarget = job.target || 'streamer';
  if (await deps.store.wasSent(job.channel, markTarget, job.eventKey)) return { skipped: true };
  const target = job.streamerId
    ? (await deps.store.targets([job.streamerId])).get(job.streamerId)
    : undefined;
  const started = performance.now();
  let statusCode: number | null = null;
  let failure: unknown;
  try {
    statusCode = await sendOnce(deps, job, target);
  } catch (err) {
    failure = err;
    statusCode =
      err instanceof PlatformRateLimited ? 429 : ((err as { statusCode?: number }).statusCode ?? null);
  }
  if (!failure && statusCode === 0) return { skipped: true };
  if (!failure) await deps.store.markSent(job.channel, markTarget, job.eventKey);
  await deps.store.logAttempt(job.streamerId, {
    jobId,
    attempt,
    channel: job.channel,
    target: job.target,
    eventKey: job.eventKey,
    ok: !failure,
    statusCode,
    error: failure ? attemptError(failure) : '',
    durationMs: Math.round(performance.now() - started),
  });
  if (failure instanceof PlatformRateLimited)
    throw new RateLimitedError(failure.message, failure.retryAfterMs);
  if (failure) throw failure instanceof Error ? failure : new Error(attemptError(failure));
  return { statusCode: statusCode! };
}

/**
 * Sends a test message to one channel now (the dashboard's "send a test" button), outside the
 * queue and the sent marks. @returns ok, or the error the platform gave.
 */
export async function sendTestNotification(
  deps: NotificationDeps,
  target: StreamerNotificationTarget,
  channel: 'discord' | 'telegram' | 'push' | 'email',
): Promise<{ ok: boolean; error?: string; sent: number }> {
  const language = target.settings.language;
  const event: DonationEvent = {
    type: 'donation.paid',
    donationId: '00000000-0000-0000-0000-000000000000',
    streamerId: target.streamerId,
    donorName: 'MediaShar',
    amountMinor: target.currency === 'IDR' ? 1_000_000 : 500,
    currency: target.currency,
    message:
      language === 'id'
        ? 'Ini notifikasi uji dari MediaShar.'
        : 'This is a test notification from MediaShar.',
    mediaShare: null,
    createdAt: new Date().toISOString(),
    paidAt: new Date().toISOString(),
    test: true,
    requestId: 'test',
  };
  const jobs: NotificationJob[] =
    channel === 'push'
      ? (await deps.store.pushSubscriptions(target.streamerId)).map((s) => ({
          channel: 'push' as const,
          target: s.id,
          streamerId: target.streamerId,
          eventKey: 'test',
          event,
        }))
      : [
          {
            channel: channel === 'email' ? 'email-streamer' : channel,
            target: '',
            streamerId: target.streamerId,
            eventKey: 'test',
            event,
          },
        ];
  let sent = 0;
  for (const job of jobs) {
    try {
      if ((await sendOnce(deps, job, target)) > 0) sent++;
    } catch (err) {
      return { ok: false, error: attemptError(err), sent };
    }
  }
  return { ok: sent > 0, sent, ...(sent ? {} : { error: 'nothing to send to' }) };
}

/**
 * The digest run (a repeatable job): one `email-digest` job per streamer who chose the digest,
 * covering what was recorded since that streamer's last window (or the last interval).
 */
export async function scheduleDigests(
  store: NotificationStore,
  queue: TypedQueue<'notifications'>,
  options: { intervalMs: number; attempts: number; backoffMs: number },
  now = new Date(),
): Promise<number> {
  const streamers = await store.digestStreamers();
  for (const s of streamers) {
    const from = s.digestUntil ?? new Date(now.getTime() - options.intervalMs);
    if (from >= now) continue;
    const eventKey = `digest_${from.toISOString()}`;
    await queue.add(
      QUEUES.notifications.jobs.send,
      { channel: 'email-digest', streamerId: s.streamerId, target: '', eventKey, until: now.toISOString() },
      {
        jobId: `email-digest-${s.streamerId}_${from.getTime()}`,
        attempts: options.attempts,
        backoff: { type: 'exponential', delay: options.backoffMs },
      },
    );
    // The next window starts where this one ends (the job above is durable in Redis).
    await store.markDigest(s.streamerId, now);
  }
  return streamers.length;
}
