/**
 * A stream of donations for the failure drills: each one created through the gateway and paid by
 * a signed sandbox webhook, many at once, with a fault injected part-way. Callers retry the way
 * donors' browsers and providers do (a provider re-sends a webhook until it gets a 2xx), and the
 * result says exactly which donations got a checkout and whose webhook was accepted.
 */
import { uuidv7 } from 'uuidv7';
import { signSandboxBody } from '../../../grpc/payment/providers/sandbox.provider.js';
import { createDonation, http, type OverlayClient, type TestStreamer } from '../../support/clients.js';
import { query } from '../../support/db.js';
import { waitFor, type TestSystem } from '../../support/system.js';

/** What happened to the donations of one stream. */
export interface StreamResult {
  /** Donations the gateway answered 201/202 for. */
  created: string[];
  /** Of those, the ones a checkout was handed out for. */
  handedOut: string[];
  /** Of those, the ones whose payment webhook was answered 200. */
  accepted: string[];
  /** Streamer of each donation. */
  streamerOf: Map<string, string>;
  /** Requests answered with an error or not at all, and retried. */
  retries: number;
  /** The fault's own error, if it threw. */
  faultError?: unknown;
}

const AMOUNT = '10000';
const AMOUNT_MINOR = 1_000_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs `total` donations, `concurrency` at a time, spread over `streamers`; starts `fault` (not
 * awaited by the donations) when `faultAt` donations have started. Resolves when every donation
 * has finished and the fault is done.
 */
export async function runDonationStream(
  system: TestSystem,
  streamers: TestStreamer[],
  options: { total: number; concurrency: number; faultAt: number; fault: () => Promise<void> },
): Promise<StreamResult> {
  const result: StreamResult = {
    created: [],
    handedOut: [],
    accepted: [],
    streamerOf: new Map(),
    retries: 0,
  };
  let next = 0;
  let faultDone: Promise<void> = Promise.resolve();
  const secret = system.env.SANDBOX_WEBHOOK_SECRET!;

  const one = async (i: number): Promise<void> => {
    const streamer = streamers[i % streamers.length]!;
    // Create: a browser shows an error and the donor presses Donate again (a new donation).
    let created: { id: string; paymentId?: string } | undefined;
    for (let attempt = 0; attempt < 30 && !created; attempt++) {
      const res = await createDonation(system, streamer.username, {
        donorName: `Drill ${i}`,
        amount: AMOUNT,
        currency: 'IDR',
        message: `drill donation ${i}`,
      }).catch(() => undefined);
      if (res && (res.status === 201 || res.status === 202)) {
        const url = (res.body.checkout as { url?: string } | undefined)?.url;
        created = { id: res.body.id as string, paymentId: url?.split('/').pop() };
      } else {
        result.retries++;
        await sleep(300);
      }
    }
    if (!created) return;
    result.created.push(created.id);
    result.streamerOf.set(created.id, streamer.id);
    // A 202 means "checkout on its way": the donation page polls its status URL.
    let paymentId = created.paymentId;
    const deadline = Date.now() + 30_000;
    while (!paymentId && Date.now() < deadline) {
      const status = await http(system, 'GET', `/api/v1/donations/${created.id}`).catch(() => undefined);
      paymentId = (status?.body?.checkout as { url?: string } | null | undefined)?.url?.split('/').pop();
      if (!paymentId) await sleep(250);
    }
    if (!paymentId) return;
    result.handedOut.push(created.id);
    // Pay: the provider sends one signed event and re-sends it until it gets a 2xx.
    const body = JSON.stringify({
      eventId: uuidv7(),
      orderId: paymentId,
      status: 'paid',
      amountMinor: AMOUNT_MINOR,
      currency: 'IDR',
      sentAt: new Date().toISOString(),
    });
    const signature = signSandboxBody(body, secret);
    for (let attempt = 0; attempt < 60; attempt++) {
      const res = await http(system, 'POST', '/api/v1/webhooks/sandbox', {
        raw: body,
        headers: { 'content-type': 'application/json', 'x-sandbox-signature': signature },
      }).catch(() => undefined);
      if (res?.status === 200) {
        result.accepted.push(created.id);
        return;
      }
      result.retries++;
      await sleep(500);
    }
  };

  const lane = async (): Promise<void> => {
    for (;;) {
      const i = next++;
      if (i >= options.total) return;
      if (i === options.faultAt) {
        faultDone = options.fault().catch((err: unknown) => {
          result.faultError = err;
        });
      }
      await one(i);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, lane));
  await faultDone;
  return result;
}

/** Counts of one drill, as reported. */
export interface DrillCounts {
  created: number;
  handedOut: number;
  webhooksAccepted: number;
  paidDonations: number;
  paidPayments: number;
  /** Paid (donation_db) but webhook never accepted, plus accepted but not paid. */
  paidMismatch: number;
  alertsShown: number;
  duplicatesShown: number;
  /** Donations whose alert reached an overlay under more than one eventId (re-published). */
  republishedSeen: number;
  retries: number;
}

/**
 * Waits until every accepted donation is paid in donation_db and payment_db and shown on its
 * streamer's overlay, then lets stragglers arrive (a marker donation per streamer, which the
 * ordered stream delivers after anything published before it) and counts exactly.
 */
export async function settleAndCount(
  system: TestSystem,
  streamers: TestStreamer[],
  overlays: Map<string, OverlayClient>,
  result: StreamResult,
  timeoutMs = 150_000,
): Promise<DrillCounts> {
  const ids = result.created;
  const accepted = new Set(result.accepted);
  const paidIn = async (url: string, table: 'donations' | 'payments') => {
    const column = table === 'donations' ? 'id' : 'donation_id';
    const rows = await query<{ id: string; n: string }>(
      url,
      `select ${column} as id, count(*) as n from ${table} where ${column} = any($1::uuid[]) and status = 'paid' group by ${column}`,
      [ids],
    );
    return rows;
  };
  await waitFor(
    async () => (await paidIn(system.config.DONATION_DATABASE_URL, 'donations')).length >= accepted.size,
    timeoutMs,
    `${accepted.size} donations to be paid`,
    500,
  );
  const shownFor = (id: string) =>
    overlays.get(result.streamerOf.get(id)!)!.shown.filter((a) => a.donationId === id).length;
  await waitFor(
    () => Promise.resolve(result.accepted.every((id) => shownFor(id) >= 1)),
    timeoutMs,
    `${accepted.size} alerts on the overlays`,
    250,
  );
  await sendMarkers(system, streamers, overlays);
  const paidDonations = await paidIn(system.config.DONATION_DATABASE_URL, 'donations');
  const paidPayments = await paidIn(system.config.PAYMENT_DATABASE_URL, 'payments');
  const idSet = new Set(ids);
  let alertsShown = 0;
  let duplicatesShown = 0;
  let republishedSeen = 0;
  for (const overlay of overlays.values()) {
    const byDonation = new Map<string, number>();
    for (const a of overlay.shown)
      if (idSet.has(a.donationId)) byDonation.set(a.donationId, (byDonation.get(a.donationId) ?? 0) + 1);
    for (const n of byDonation.values()) {
      alertsShown += n;
      duplicatesShown += n - 1;
    }
    const eventIds = new Map<string, Set<string>>();
    for (const a of overlay.received) {
      if (!idSet.has(a.donationId)) continue;
      const set = eventIds.get(a.donationId) ?? new Set<string>();
      set.add(a.eventId);
      eventIds.set(a.donationId, set);
    }
    for (const set of eventIds.values()) if (set.size > 1) republishedSeen++;
  }
  return {
    created: result.created.length,
    handedOut: result.handedOut.length,
    webhooksAccepted: accepted.size,
    paidDonations: paidDonations.reduce((n, r) => n + Number(r.n), 0),
    paidPayments: paidPayments.reduce((n, r) => n + Number(r.n), 0),
    paidMismatch:
      paidDonations.filter((r) => !accepted.has(r.id)).length +
      [...accepted].filter((id) => !paidDonations.some((r) => r.id === id)).length,
    alertsShown,
    duplicatesShown,
    republishedSeen,
    retries: result.retries,
  };
}

/** One paid donation per streamer, waited for on its overlay. */
async function sendMarkers(
  system: TestSystem,
  streamers: TestStreamer[],
  overlays: Map<string, OverlayClient>,
): Promise<void> {
  await Promise.all(
    streamers.map(async (s) => {
      const created = await createDonation(system, s.username, { donorName: 'Marker', amount: AMOUNT });
      let url = (created.body.checkout as { url?: string } | undefined)?.url;
      await waitFor(
        async () => {
          url ??= (
            (await http(system, 'GET', `/api/v1/donations/${created.body.id as string}`)).body.checkout as {
              url?: string;
            } | null
          )?.url;
          return url;
        },
        30_000,
        'the marker checkout',
        200,
      );
      const paid = await http(system, 'POST', `/sandbox/checkout/${url!.split('/').pop()!}/pay`);
      if (paid.status !== 200) throw new Error(`marker payment answered ${paid.status}`);
      const overlay = overlays.get(s.id)!;
      await overlay.waitUntil(
        () => overlay.shown.some((a) => a.donationId === created.body.id),
        60_000,
        'the marker alert',
      );
    }),
  );
}
